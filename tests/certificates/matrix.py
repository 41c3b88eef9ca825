from django.core.cache import cache

from certificates.models import RenderBatch
from certificates.services import certificate_issue
from tests.companies.matrix import ensure_assessments
from tests.permission_matrix import LOGIN, Expect


def build_world(world: dict) -> None:
    # The public pages are rate-limited per address: every matrix case starts afresh.
    cache.clear()
    ensure_assessments(world)
    world["certificate_own"] = certificate_issue(
        assessment=world["assessment_own"], actor=world["team_leader"], queue_pdf=False)
    batch = RenderBatch.objects.create(created_by=world["team_leader"])
    batch.certificates.add(world["certificate_own"])
    world["render_batch"] = batch


STAFF_ONLY = {"anonymous": LOGIN, "contact_own": 403, "contact_other": 403, "consultant": 200,
              "team_leader": 200,
    "administrator": 200}
LEADERS = {**STAFF_ONLY, "consultant": 403}
PUBLIC = {"anonymous": 200, "contact_own": 200, "contact_other": 200, "consultant": 200,
          "team_leader": 200,
    "administrator": 200}


def _certificate(w):
    return {"pk": w["certificate_own"].pk}


def _token(w):
    return {"token": w["certificate_own"].public_token}


EXPECTATIONS = {
    "certificates:certificate-list": Expect(**STAFF_ONLY),
    "certificates:certificate-detail": Expect(**STAFF_ONLY, kwargs=_certificate),
    # Staff and the certificate's own company contact; another company's contact gets a 404.
    "certificates:certificate-pdf": Expect(anonymous=LOGIN, contact_own=200, contact_other=404,
                                           consultant=200, team_leader=200,
                                           administrator=200, kwargs=_certificate),
    "certificates:certificate-revoke": Expect(**LEADERS, kwargs=_certificate),
    "certificates:certificate-pdf-retry": Expect(
        anonymous=LOGIN, contact_own=403, contact_other=403, consultant=403, team_leader=302,
        administrator=302, method="post", kwargs=_certificate),
    "certificates:certificate-issue": Expect(
        **LEADERS, kwargs=lambda w: {"pk": w["assessment_other"].pk}),
    "certificates:render-batch-create": Expect(
        anonymous=LOGIN, contact_own=403, contact_other=403, consultant=403, team_leader=302,
        administrator=302, method="post", data=lambda w: {"programme": w["programme"].pk}),
    "certificates:render-batch-detail": Expect(
        **LEADERS, kwargs=lambda w: {"pk": w["render_batch"].pk}),
    "certificates:public": Expect(**PUBLIC, kwargs=_token),
    "certificates:public-pdf": Expect(**PUBLIC, kwargs=_token),
    "certificates:badge": Expect(**PUBLIC, kwargs=_token),
}
