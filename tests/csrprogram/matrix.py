import datetime as dt

from django.core.files.base import ContentFile

from csrprogram.choices import ReportJobStatus
from csrprogram.models import ReportJob
from tests.csrprogram.factories import TargetFactory
from tests.permission_matrix import LOGIN, Expect


def build_world(world: dict) -> None:
    """Objects the base's URLs need. ``world`` already holds the users and companies."""
    programme = world["programme"]
    world["target"] = TargetFactory(programme=programme, value=100)
    # A target on a registered metric: the dashboard draws its chart.
    world["charted_target"] = TargetFactory(programme=programme, value=100,
                                            metric_key="certified_companies")
    job = ReportJob(programme=programme, requested_by=world["team_leader"],
                    as_of=dt.date(2018, 1, 1), status=ReportJobStatus.DONE, progress=100)
    job.file.save("matrix.pdf", ContentFile(b"%PDF-1.7 matrix"), save=False)
    job.save()
    world["report_job"] = job


def _programme(w):
    return {"pk": w["programme"].pk}


def _target(w):
    return {"pk": w["programme"].pk, "target_pk": w["target"].pk}


def _job(w):
    return {"pk": w["programme"].pk, "job_pk": w["report_job"].pk}


# Only team leaders (and administrators) see the team dashboard, edit targets and export;
# consultants read the targets and see their own figures in the programmes they work in.
LEADER_ONLY = {"anonymous": LOGIN, "contact_own": 403, "contact_other": 403, "consultant": 403,
               "team_leader": 200,
    "administrator": 200}
STAFF = {"anonymous": LOGIN, "contact_own": 403, "contact_other": 403, "consultant": 200,
         "team_leader": 200,
    "administrator": 200}


EXPECTATIONS = {
    "home": Expect(anonymous=LOGIN, contact_own=200, contact_other=200, consultant=200,
                   team_leader=200, administrator=200),
    # A queue of the home page in full: each role sees its own queues, 404 for another's.
    "queue-detail": Expect(anonymous=LOGIN, contact_own=200, contact_other=200,
                           consultant=404, team_leader=404, administrator=404,
                           kwargs=lambda w: {"key": "candidates-for-company"}),
    "health": Expect(anonymous=200, contact_own=200, contact_other=200, consultant=200,
                     team_leader=200, administrator=200),
    "programme-list": Expect(anonymous=LOGIN, contact_own=403, contact_other=403,
                             consultant=200, team_leader=200, administrator=200),
    "programme-detail": Expect(anonymous=LOGIN, contact_own=403, contact_other=403,
                               consultant=200, team_leader=200, administrator=200,
                               kwargs=lambda w: {"pk": w["programme"].pk}),
    "programme-update": Expect(anonymous=LOGIN, contact_own=403, contact_other=403,
                               consultant=403, team_leader=200, administrator=200,
                               kwargs=lambda w: {"pk": w["programme"].pk}),
    "programme-dashboard": Expect(**LEADER_ONLY, kwargs=_programme),
    # The phone's drawing of a target's chart.
    "programme-dashboard-chart": Expect(**LEADER_ONLY, kwargs=lambda w: {
        "pk": w["programme"].pk, "key": w["charted_target"].metric_key}),
    "programme-export-csv": Expect(**LEADER_ONLY, kwargs=_programme),
    "programme-export-xlsx": Expect(**LEADER_ONLY, kwargs=_programme),
    "programme-my-figures": Expect(**STAFF, kwargs=_programme),
    "target-list": Expect(**STAFF, kwargs=_programme),
    "target-create": Expect(**LEADER_ONLY, kwargs=_programme),
    "target-update": Expect(**LEADER_ONLY, kwargs=_target),
    "target-delete": Expect(**LEADER_ONLY, kwargs=_target),
    # The list's GET; ordering a report (a POST to the same URL) is checked in test_reports.py.
    "report-list": Expect(**LEADER_ONLY, kwargs=_programme),
    "report-detail": Expect(**LEADER_ONLY, kwargs=_job),
    "report-download": Expect(**LEADER_ONLY, kwargs=_job),
    "login": Expect(anonymous=200, contact_own=302, contact_other=302, consultant=302,
                    team_leader=302, administrator=302),
    # Logging out is a POST; a GET is not allowed.
    "logout": Expect(anonymous=405, contact_own=405, contact_other=405, consultant=405,
                     team_leader=405, administrator=405),
    "password_change": Expect(anonymous=LOGIN, contact_own=200, contact_other=200,
                              consultant=200, team_leader=200, administrator=200),
    "password_change_done": Expect(anonymous=LOGIN, contact_own=200, contact_other=200,
                                   consultant=200, team_leader=200, administrator=200),
    "password_reset": Expect(anonymous=200, contact_own=200, contact_other=200,
                             consultant=200, team_leader=200, administrator=200),
    "password_reset_done": Expect(anonymous=200, contact_own=200, contact_other=200,
                                  consultant=200, team_leader=200, administrator=200),
    "password_reset_confirm": Expect(anonymous=200, contact_own=200, contact_other=200,
                                     consultant=200, team_leader=200, administrator=200,
                                     kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"}),
    "password_reset_complete": Expect(anonymous=200, contact_own=200, contact_other=200,
                                      consultant=200, team_leader=200, administrator=200),
    # The idle warning's keep-alive and the two-factor pages: any logged-in user.
    "session-keepalive": Expect(anonymous=LOGIN, contact_own=200, contact_other=200,
                                consultant=200, team_leader=200, administrator=200),
    "two-factor-setup": Expect(anonymous=LOGIN, contact_own=200, contact_other=200,
                               consultant=200, team_leader=200, administrator=200),
    # Without a device the verification sends the user to the enrolment.
    "two-factor-verify": Expect(anonymous=LOGIN, contact_own=302, contact_other=302,
                                consultant=302, team_leader=302, administrator=302),
    # New recovery codes only for a session verified with a device (none in the world).
    "two-factor-recovery-codes": Expect(anonymous=LOGIN, contact_own=403, contact_other=403,
                                        consultant=403, team_leader=403, administrator=403,
                                        method="post"),
    # Single sign-on is off unless configured (tests/csrprogram/test_oidc.py turns it on).
    "oidc-login": Expect(anonymous=404, contact_own=404, contact_other=404, consultant=404,
                         team_leader=404, administrator=404,
                         kwargs=lambda w: {"provider": "staff"}),
    "oidc-callback-staff": Expect(anonymous=404, contact_own=404, contact_other=404,
                                  consultant=404, team_leader=404, administrator=404),
    "oidc-callback-company": Expect(anonymous=404, contact_own=404, contact_other=404,
                                    consultant=404, team_leader=404, administrator=404),
    # Switching language is allowed for everyone and redirects back.
    "set_language": Expect(anonymous=302, contact_own=302, contact_other=302,
                           consultant=302, team_leader=302, administrator=302, method="post",
                           data=lambda w: {"language": "en", "next": "/"}),
    # The admin is for administrators only: everyone else is sent to the admin's login.
    "admin:*": Expect(anonymous=302, contact_own=302, contact_other=302, consultant=302,
                      team_leader=302, administrator=200, sample="admin:index"),
}
