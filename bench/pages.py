"""The pages the benchmark measures: one line each.

A page is a name, the role that uses it, and a URL built from named objects of the dataset
(``REFS``). Adding a page is one line in ``PAGES``; if it needs an object nobody has named
yet, add one line to ``REFS`` too. A page whose URL name does not exist (yet) or whose object
the dataset lacks is skipped with a note, so the table can name pages that are still being
built.

    Page("case stories", CONSULTANT, url("citizens:casestory-list")),
    Page("case story", CONSULTANT, url("citizens:casestory-detail", "case_story")),
    REFS["case_story"] = lambda: first("citizens.CaseStory")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Count
from django.urls import reverse

from bench.dataset import CONSULTANT_EMAIL, CONTACT_EMAIL
from csrprogram.choices import Role

CONSULTANT = Role.CONSULTANT.value
TEAM_LEADER = Role.TEAM_LEADER.value
CONTACT = Role.COMPANY_CONTACT.value
ADMINISTRATOR = Role.ADMINISTRATOR.value
ANONYMOUS = "anonymous"


class Skip(Exception):
    pass


def model(label: str):
    """A model by ``app.Model``, or Skip when that app or model is not installed (yet)."""
    try:
        return apps.get_model(label)
    except LookupError:
        raise Skip(f"no model {label}") from None


def first(label: str, *, order: str = "pk", **filters):
    """The primary key of the first matching row, or None."""
    return (model(label).objects.filter(**filters).order_by(order)
            .values_list("pk", flat=True).first())


def _consultant():
    return model("csrprogram.User").objects.get(email=CONSULTANT_EMAIL)


def _programme():
    return _consultant().programmes.order_by("pk").values_list("pk", flat=True).first()


def _busiest_company():
    return (model("companies.ContactPerson").objects.filter(user__email=CONTACT_EMAIL)
            .values_list("company_id", flat=True).first())


def _typical_company():
    companies = model("companies.Company").objects.annotate(n=Count("openings")).filter(n=2)
    return companies.order_by("pk").values_list("pk", flat=True).first()


def _busiest_opening():
    return (model("placements.JobOpening").objects.filter(programme_id=REFS["programme"])
            .annotate(n=Count("candidacies")).order_by("-n", "pk")
            .values_list("pk", flat=True).first())


def _certificate(offset: int):
    return (model("certificates.Certificate").objects.valid_on(_today())
            .filter(programme_id=REFS["programme"]).order_by("pk")
            .values_list("pk", flat=True)[offset:offset + 1].first())


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _lookup_cpr():
    return model("citizens.Citizen").objects.get(pk=REFS["citizen"]).get_cpr()


class Refs(dict):
    """Named objects of the dataset, found on first use (each finder runs once per run)."""

    def __init__(self, finders: dict[str, Callable[[], object]]):
        super().__init__()
        self.finders = finders

    def __missing__(self, key: str):
        if key not in self.finders:
            raise Skip(f"no finder for {key!r} in REFS")
        value = self.finders[key]()
        if value is None:
            raise Skip(f"the dataset has no {key}")
        self[key] = value
        return value


REFS = Refs({
    "consultant": lambda: _consultant().pk,
    "programme": _programme,
    "busiest_company": _busiest_company,
    "typical_company": _typical_company,
    "assessment": lambda: first("companies.CsrAssessment", order="-pk",
                                programme_id=REFS["programme"]),
    "certificate": lambda: _certificate(0),
    "certificate_first_render": lambda: _certificate(1),
    "certificate_token": lambda: model("certificates.Certificate").objects.get(
        pk=REFS["certificate"]).public_token,
    "citizen": lambda: first("citizens.Citizen", consultant__email=CONSULTANT_EMAIL),
    "lookup_cpr": _lookup_cpr,
    "busiest_opening": _busiest_opening,
    "open_opening": lambda: first("placements.JobOpening", order="-registered_on",
                                  programme_id=REFS["programme"], status="open"),
    "placement": lambda: first("placements.Placement", order="-start_date",
                               programme_id=REFS["programme"], status="active"),
    "proposed_candidacy": lambda: first("placements.Candidacy", order="-pk", status="proposed",
                                        opening__programme_id=REFS["programme"]),
    "portal_opening": lambda: first("placements.JobOpening", order="-registered_on",
                                    company_id=REFS["busiest_company"], status="open"),
    "portal_candidacy": lambda: first("placements.Candidacy", order="-pk", status="presented",
                                      opening__company_id=REFS["busiest_company"]),
    "visit": lambda: first("followups.Visit", order="due_date", status="planned",
                           placement__programme_id=REFS["programme"],
                           placement__consultant__email=CONSULTANT_EMAIL),
    # A metric the bench programme's targets chart (each has an absolute milestone).
    "charted_metric": lambda: (model("csrprogram.Target").objects
                               .filter(programme_id=REFS["programme"], kind="absolute")
                               .exclude(metric_key="share_retained").order_by("metric_key")
                               .values_list("metric_key", flat=True).first()),
    "calendar_token": lambda: model("followups.CalendarFeed").objects.filter(
        user__email=CONSULTANT_EMAIL).values_list("token", flat=True).first(),
})


def url(name: str, *arg_refs: str, **query) -> Callable[[Refs], str]:
    """A URL builder: ``reverse(name, args=[refs[a] …])`` plus a query string whose values are
    literals or ``ref("key")``."""

    def build(refs: Refs) -> str:
        path = reverse(name, args=[refs[key] for key in arg_refs])
        params = {key: (refs[value.key] if isinstance(value, ref) else value)
                  for key, value in query.items()}
        return path + ("?" + urlencode(params) if params else "")

    return build


@dataclass(frozen=True)
class ref:
    key: str


@dataclass(frozen=True)
class Page:
    name: str
    role: str
    url: Callable[[Refs], str]
    method: str = "GET"
    data: Callable[[Refs], dict] | None = None
    expect: int = 200
    # Runs (untimed) before every request of the page, e.g. to empty a cache being measured.
    prepare: Callable[[Refs], None] | None = None
    # Runs (untimed) after every timed request: a reason the request did not measure what
    # the page names, or None (e.g. a "first render" that did not render).
    check: Callable[[Refs], str | None] | None = None


def list_pages(name: str, role: str, url_name: str, *, filtered: dict, searched: str,
               plain: bool = True) -> list[Page]:
    """A list as its users meet it: plain, filtered, searched (``q``) and on its last page."""
    pages = [Page(name, role, url(url_name))] if plain else []
    return [*pages,
            Page(f"{name}, filtered", role, url(url_name, **filtered)),
            Page(f"{name}, searched", role, url(url_name, q=searched)),
            Page(f"{name}, last page", role, url(url_name, page="last"))]


def _forget_pdf(refs: Refs) -> None:
    """Make the next PDF request render the certificate (as right after it was issued: no
    PDF yet, its render pending).

    Emptying ``pdf_hash`` alone is not enough: the PDF view hands over a stored file whose
    status says "rendered" without looking at the hash (``certificate_pdf_available``), so
    the "first render" was a cached PDF (33 ms, less than the cached page's 54 ms, in the
    i14-scale run). The file is left in storage; the render overwrites it.
    """
    model("certificates.Certificate").objects.filter(
        pk=refs["certificate_first_render"]).update(pdf_hash="", pdf_status="pending",
                                                    pdf_rendered_at=None)


def _rendered_now(refs: Refs) -> str | None:
    """Why the "first render" page is not one (or None): it must have rendered the PDF."""
    certificate = model("certificates.Certificate").objects.get(
        pk=refs["certificate_first_render"])
    if certificate.pdf_status != "rendered" or certificate.pdf_rendered_at is None:
        return "the request did not render the PDF"
    return None


# The baseline every page is compared with, measured interleaved with each page.
BASELINE = Page("company list (baseline)", CONSULTANT, url("companies:company-list"))

PAGES: list[Page] = [
    # Home pages
    Page("home", CONSULTANT, url("home")),
    Page("home", TEAM_LEADER, url("home")),
    Page("home", CONTACT, url("home")),
    Page("home", ADMINISTRATOR, url("home")),
    # Programmes, dashboard, exports
    Page("programme list", TEAM_LEADER, url("programme-list")),
    Page("programme page", TEAM_LEADER, url("programme-detail", "programme")),
    # The dashboard's figures are kept for CSR_DASHBOARD_CACHE_SECONDS (the page says when
    # they were computed): as most visits see it, and computed anew ("Beregn tallene igen",
    # ?refresh=1, as the first visit of the day and every visit after the cache expired).
    Page("dashboard", TEAM_LEADER, url("programme-dashboard", "programme")),
    Page("dashboard, computed anew", TEAM_LEADER,
         url("programme-dashboard", "programme", refresh="1")),
    Page("dashboard phone chart", TEAM_LEADER, url("programme-dashboard-chart", "programme",
                                                   "charted_metric")),
    Page("dashboard CSV export", TEAM_LEADER, url("programme-export-csv", "programme")),
    Page("dashboard XLSX export", TEAM_LEADER, url("programme-export-xlsx", "programme")),
    Page("my figures", CONSULTANT, url("programme-my-figures", "programme")),
    Page("my figures, computed anew", CONSULTANT,
         url("programme-my-figures", "programme", refresh="1")),
    Page("targets", TEAM_LEADER, url("target-list", "programme")),
    Page("funder reports", TEAM_LEADER, url("report-list", "programme")),
    # Companies
    BASELINE,
    *list_pages("company list", CONSULTANT, "companies:company-list",
                filtered={"certificate": "valid"}, searched="Jensen", plain=False),
    Page("company page (busiest)", CONSULTANT,
         url("companies:company-detail", "busiest_company")),
    Page("company page (typical)", CONSULTANT,
         url("companies:company-detail", "typical_company")),
    Page("assessment", CONSULTANT, url("companies:assessment-detail", "assessment")),
    Page("criteria", CONSULTANT, url("companies:criterion-list")),
    Page("company form", CONSULTANT, url("companies:company-create")),
    Page("assessment form", CONSULTANT, url("companies:assessment-create", "busiest_company")),
    Page("company portal", CONTACT, url("companies:portal")),
    # Certificates
    *list_pages("certificate list", TEAM_LEADER, "certificates:certificate-list",
                filtered={"status": "valid", "programme": ref("programme")}, searched="Hansen"),
    Page("certificate page", TEAM_LEADER,
         url("certificates:certificate-detail", "certificate")),
    Page("certificate PDF (cached)", TEAM_LEADER,
         url("certificates:certificate-pdf", "certificate")),
    Page("certificate PDF (first render)", TEAM_LEADER,
         url("certificates:certificate-pdf", "certificate_first_render"),
         prepare=_forget_pdf, check=_rendered_now),
    Page("public certificate page", ANONYMOUS, url("certificates:public", "certificate_token")),
    Page("public certificate badge", ANONYMOUS,
         url("certificates:badge", "certificate_token")),
    # Citizens
    *list_pages("citizen list", CONSULTANT, "citizens:citizen-list",
                filtered={"target_group": "activity_ready", "programme": ref("programme"),
                          "status": "active"}, searched="Nielsen"),
    Page("citizen list", TEAM_LEADER, url("citizens:citizen-list")),
    Page("citizen page", CONSULTANT, url("citizens:citizen-detail", "citizen")),
    Page("CPR look-up", CONSULTANT, url("citizens:citizen-lookup"), method="POST",
         data=lambda refs: {"cpr": refs["lookup_cpr"]}, expect=302),
    Page("citizen form", CONSULTANT, url("citizens:citizen-create")),
    Page("access log", TEAM_LEADER, url("citizens:access-log", "citizen")),
    Page("access log export", TEAM_LEADER, url("citizens:access-log-export", "citizen")),
    # Openings, matching, placements
    *list_pages("opening list", CONSULTANT, "placements:opening-list",
                filtered={"status": "open", "company": ref("busiest_company")},
                searched="assistent"),
    Page("opening page", CONSULTANT, url("placements:opening-detail", "busiest_opening")),
    Page("candidate suggestions", CONSULTANT,
         url("placements:opening-match", "open_opening")),
    Page("opening form", CONSULTANT, url("placements:opening-create")),
    Page("spot a job form", CONSULTANT, url("placements:opening-spot")),
    Page("employer's answer form", CONSULTANT,
         url("placements:candidacy-decide", "proposed_candidacy")),
    *list_pages("placement list", CONSULTANT, "placements:placement-list",
                filtered={"status": "active", "consultant": ref("consultant")},
                searched="Jensen"),
    Page("placement page", CONSULTANT, url("placements:placement-detail", "placement")),
    Page("portal openings", CONTACT, url("placements:portal-opening-list")),
    Page("portal opening", CONTACT, url("placements:portal-opening-detail", "portal_opening")),
    Page("portal candidate", CONTACT, url("placements:portal-candidacy", "portal_candidacy")),
    # Follow-up
    *list_pages("follow-up work list", CONSULTANT, "followups:visit-list",
                filtered={"period": "overdue", "consultant": ref("consultant")},
                searched="Hansen"),
    Page("visit page", CONSULTANT, url("followups:visit-detail", "visit")),
    Page("calendar feed", ANONYMOUS, url("followups:calendar-feed", "calendar_token")),
]
