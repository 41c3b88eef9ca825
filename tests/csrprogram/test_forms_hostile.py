"""Property-based tests: every create and edit form of every app, through its page with the
user whose role it serves, gets hostile values — very long strings, control characters,
unicode and RTL text, HTML and SQL fragments, impossible and far-out dates, out-of-range and
malformed numbers, unknown choices and primary keys, lists where one value is expected.

The fields are read from the form the page renders (so a field added later is driven too);
each value is either plausible for its field or hostile. Whatever is sent: no response is a
server error; a form shown again names a problem and nothing was saved (no row added or
removed anywhere, the edited object unchanged); an accepted form saved at most one new row of
the kind it creates, and no control character reached the edited object. Examples are
derandomised and bounded; the tally is printed at the end of the run
("hostile forms: N forms driven, M examples …, 0 server errors"). The two imports have their
own suite (test_import_hostile.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from certificates.models import Certificate
from citizens.models import Consent
from companies.forms import CvrField
from csrprogram.validation import has_control_character
from followups.choices import VisitKind
from tests.certificates.factories import certificate
from tests.citizens.factories import CitizenFactory, EnrolmentFactory, next_cpr
from tests.companies.factories import CompanyFactory, CsrCriterionFactory, assessment, next_cvr
from tests.csrprogram.factories import TargetFactory
from tests.hostile import HOSTILE_TEXT, TALLIES, hostile_settings
from tests.placements.factories import CandidacyFactory, JobOpeningFactory

pytestmark = pytest.mark.django_db

HOSTILE_SETTINGS = hostile_settings(max_examples=12)

# Rows the forms write; "nothing saved half-way" is checked against all of them.
WATCHED = ("companies.Company", "companies.ContactPerson", "companies.CsrAssessment",
           "companies.CsrCriterion", "citizens.Citizen", "citizens.Enrolment",
           "citizens.Consent", "placements.JobOpening", "placements.Candidacy",
           "placements.Placement", "followups.Visit", "certificates.Certificate",
           "csrprogram.Programme", "csrprogram.Target")
ERROR_MARKERS = ("invalid-feedback", "alert-danger", "errorlist", "is-invalid", "alert-warning")

HOSTILE_DATES = st.sampled_from([
    "0001-01-01", "9999-12-31", "1900-01-01", "2200-01-01", "31-02-2026", "2026-02-30",
    "2026-13-45", "99999-01-01", "46022", "", "i går", "1e309",
])
HOSTILE_NUMBERS = st.sampled_from([
    "-1", "0", "38", "1000", "32768", "99999999999999999999", "1e309", "NaN", "inf", "3.5",
    "", "tre", "0x10",
])
HOSTILE_CHOICES = st.sampled_from(["999999", "-1", "0", "", "x", "1 OR 1=1", "\x00"])


def plausible(form_field: forms.Field) -> st.SearchStrategy:
    """A value that a person filling in the form correctly could send for the field."""
    if isinstance(form_field, forms.BooleanField):
        return st.sampled_from(["on", ""])
    if isinstance(form_field, forms.DateField):
        return st.sampled_from(["2017-09-01", "2017-10-15", "2018-03-01"])
    if isinstance(form_field, forms.IntegerField | forms.DecimalField):
        low = int(form_field.min_value or 1)
        high = int(form_field.max_value or low + 20)
        return st.integers(min_value=low, max_value=max(low, min(high, low + 30))).map(str)
    if isinstance(form_field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        values = [str(value) for value, _label in form_field.choices if value != ""]
        return st.lists(st.sampled_from(values), max_size=2) if values else st.just([])
    if isinstance(form_field, forms.ChoiceField | forms.ModelChoiceField):
        values = [str(value) for value, _label in form_field.choices if value != ""]
        return st.sampled_from(values) if values else st.just("")
    if isinstance(form_field, CvrField):
        return st.builds(next_cvr)
    if isinstance(form_field, forms.EmailField):
        return st.sampled_from(["anne@alfa.example", "Bo.Bøg@virksomhed.example", ""])
    if isinstance(form_field, forms.URLField):
        return st.sampled_from(["https://alfa.example", "alfa.example", ""])
    if form_field.label and "CPR" in str(form_field.label):
        return st.builds(next_cpr)
    return st.sampled_from(["Alfa Bageri ApS", "Bøgholm Værktøj", "Ærø Æbler", "Kok"])


def hostile(form_field: forms.Field) -> st.SearchStrategy:
    """A value the field must refuse or store harmlessly: of its own kind or any other."""
    if isinstance(form_field, forms.DateField):
        own = HOSTILE_DATES
    elif isinstance(form_field, forms.IntegerField | forms.DecimalField):
        own = HOSTILE_NUMBERS
    elif isinstance(form_field, forms.ChoiceField | forms.ModelChoiceField):
        own = HOSTILE_CHOICES
    else:
        own = HOSTILE_TEXT
    wrong_type = st.lists(HOSTILE_TEXT, min_size=2, max_size=3)  # several values for one
    return st.one_of(own, own, HOSTILE_TEXT, wrong_type)


@st.composite
def submissions(draw, fields: dict[str, forms.Field], fixed: dict) -> dict:
    """Form data: each field plausible, hostile or missing; a clean submission now and then."""
    clean = draw(st.integers(0, 3)) == 0
    data = dict(fixed)
    for name, form_field in fields.items():
        if name in fixed:
            continue
        roll = 0 if clean else draw(st.integers(0, 5))
        if roll == 5:
            continue  # the field is missing from the POST
        value = draw(plausible(form_field) if roll < 3 else hostile(form_field))
        if value != "" and value != []:
            data[name] = value
    return data


@dataclass
class Page:
    """A form page: who uses it, the form in its context, what it creates or edits."""

    name: str
    url: str
    user: str
    form_keys: tuple[str, ...] = ("form",)
    fixed: dict = field(default_factory=dict)
    creates: str | None = None
    edits: tuple[str, int] | None = None


def _counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in WATCHED}


def _snapshot(edits: tuple[str, int] | None) -> dict | None:
    if edits is None:
        return None
    label, pk = edits
    return apps.get_model(label).objects.filter(pk=pk).values().first()


def drive(client, users: dict, page: Page, data: dict) -> None:
    client.force_login(users[page.user])
    before, snapshot = _counts(), _snapshot(page.edits)
    response = client.post(page.url, data)
    accepted = response.status_code in (301, 302, 303)
    TALLIES["forms"].record(page.name, response.status_code, accepted=accepted)
    assert response.status_code < 500, (page.name, data)
    after = _counts()
    if accepted:
        assert client.get(response["Location"]).status_code < 500
        grown = {label: after[label] - before[label] for label in WATCHED
                 if after[label] != before[label]}
        if page.creates:
            assert grown.get(page.creates, 0) <= 1, (page.name, grown)
        edited = _snapshot(page.edits)
        if edited:
            assert not any(isinstance(value, str) and has_control_character(value)
                           for value in edited.values()), (page.name, edited)
        return
    assert response.status_code in (200, 403, 404, 409), (page.name, response.status_code)
    if response.status_code == 200:
        page_text = response.content.decode()
        assert any(marker in page_text for marker in ERROR_MARKERS), (page.name, data)
    assert after == before, f"{page.name}: saved half-way from a refused form"
    assert _snapshot(page.edits) == snapshot, f"{page.name}: the object changed"


@pytest.fixture
def world(programme, alice, bob, carol, company_a):
    """One of everything a form works on, for the consultant Alice, the team leader Bob and
    Carol, the contact of company A."""
    for _ in range(5):
        CsrCriterionFactory()
    citizen = CitizenFactory(consultant=alice, weekly_hours=30)
    enrolment = EnrolmentFactory(citizen=citizen, programme=programme)
    consent = Consent.objects.create(citizen=citizen, kind="participation",
                                     given_on=dt.date(2017, 8, 1), recorded_by=alice)
    opening = JobOpeningFactory(programme=programme, company=company_a, weekly_hours=15,
                                positions=3)
    candidate = CitizenFactory(consultant=alice, weekly_hours=30)
    EnrolmentFactory(citizen=candidate, programme=programme)
    decided = CandidacyFactory(opening=opening, citizen=candidate)
    portal = CandidacyFactory(
        opening=opening, citizen=EnrolmentFactory(
            citizen=CitizenFactory(consultant=alice), programme=programme).citizen)
    from placements import services as placement_services

    worker = CitizenFactory(consultant=alice, weekly_hours=30)
    EnrolmentFactory(citizen=worker, programme=programme)
    placement = placement_services.candidacy_accept(
        candidacy=CandidacyFactory(opening=opening, citizen=worker), actor=alice,
        start_date=dt.date(2017, 10, 2), consultant=alice)
    visit = placement.visits.get(kind=VisitKind.HALF_MONTH)
    eligible = assessment(company=CompanyFactory(), programme=programme, by=alice, met=3)
    issued = certificate(programme=programme, leader=bob, consultant=alice)
    target = TargetFactory(programme=programme, metric_key="companies_registered",
                           deadline=dt.date(2018, 6, 30))
    criterion = CsrCriterionFactory()
    return {
        "programme": programme, "citizen": citizen, "enrolment": enrolment,
        "consent": consent, "opening": opening, "decided": decided, "portal": portal,
        "placement": placement, "visit": visit, "eligible": eligible, "issued": issued,
        "target": target, "criterion": criterion, "company": company_a,
        "candidate": candidate, "other_citizen": CitizenFactory(consultant=alice),
    }


def pages(world) -> list[Page]:
    w = world
    contacts = {"contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
                "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "20"}
    company_edit = {"contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
                    "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "20"}
    return [
        Page("company create", reverse("companies:company-create"), "alice",
             ("form", "formset"), fixed=contacts, creates="companies.Company"),
        Page("company edit", reverse("companies:company-update", args=[w["company"].pk]),
             "alice", ("form", "formset"), fixed=company_edit,
             edits=("companies.Company", w["company"].pk)),
        Page("assessment", reverse("companies:assessment-create", args=[w["company"].pk]),
             "alice", creates="companies.CsrAssessment"),
        Page("criterion create", reverse("companies:criterion-create"), "bob",
             creates="companies.CsrCriterion"),
        Page("criterion edit", reverse("companies:criterion-update",
                                       args=[w["criterion"].pk]), "bob",
             edits=("companies.CsrCriterion", w["criterion"].pk)),
        Page("citizen create", reverse("citizens:citizen-create"), "alice",
             creates="citizens.Citizen"),
        Page("citizen edit", reverse("citizens:citizen-update", args=[w["citizen"].pk]),
             "alice", edits=("citizens.Citizen", w["citizen"].pk)),
        Page("CPR look-up", reverse("citizens:citizen-lookup"), "alice"),
        Page("enrolment", reverse("citizens:enrolment-create",
                                  args=[w["other_citizen"].pk]), "alice",
             creates="citizens.Enrolment"),
        Page("enrolment close", reverse("citizens:enrolment-close",
                                        args=[w["citizen"].pk, w["enrolment"].pk]), "alice",
             edits=("citizens.Enrolment", w["enrolment"].pk)),
        Page("consent", reverse("citizens:consent-create", args=[w["citizen"].pk]), "alice",
             creates="citizens.Consent"),
        Page("consent withdraw", reverse("citizens:consent-withdraw",
                                         args=[w["citizen"].pk, w["consent"].pk]), "alice",
             form_keys=(), edits=("citizens.Consent", w["consent"].pk)),
        Page("opening create", reverse("placements:opening-create"), "alice",
             creates="placements.JobOpening"),
        Page("spot et job", reverse("placements:opening-spot"), "alice",
             creates="placements.JobOpening"),
        Page("opening edit", reverse("placements:opening-update", args=[w["opening"].pk]),
             "alice", edits=("placements.JobOpening", w["opening"].pk)),
        Page("propose", reverse("placements:opening-match", args=[w["opening"].pk]),
             "alice", fixed={"citizen": str(w["other_citizen"].pk)},
             creates="placements.Candidacy"),
        Page("employer's answer", reverse("placements:candidacy-decide",
                                          args=[w["decided"].pk]), "alice",
             creates="placements.Placement"),
        Page("portal accept", reverse("placements:portal-candidacy",
                                      args=[w["portal"].pk]), "carol", ("accept_form",),
             creates="placements.Placement"),
        Page("portal decline", reverse("placements:portal-candidacy",
                                       args=[w["portal"].pk]), "carol", ("decline_form",),
             fixed={"decline": "1"}),
        Page("placement end", reverse("placements:placement-end",
                                      args=[w["placement"].pk]), "alice",
             edits=("placements.Placement", w["placement"].pk)),
        Page("placement start", reverse("placements:placement-start",
                                        args=[w["placement"].pk]), "alice",
             edits=("placements.Placement", w["placement"].pk)),
        Page("visit record", reverse("followups:visit-record", args=[w["visit"].pk]),
             "alice", edits=("followups.Visit", w["visit"].pk)),
        Page("visit reschedule", reverse("followups:visit-reschedule", args=[w["visit"].pk]),
             "alice", edits=("followups.Visit", w["visit"].pk)),
        Page("extra visit", reverse("followups:visit-extra", args=[w["placement"].pk]),
             "alice", creates="followups.Visit"),
        Page("aftercare", reverse("followups:aftercare-plan", args=[w["placement"].pk]),
             "alice"),
        Page("certificate issue", reverse("certificates:certificate-issue",
                                          args=[w["eligible"].pk]), "bob",
             creates="certificates.Certificate"),
        Page("certificate revoke", reverse("certificates:certificate-revoke",
                                           args=[w["issued"].pk]), "bob",
             edits=("certificates.Certificate", w["issued"].pk)),
        Page("programme edit", reverse("programme-update", args=[w["programme"].pk]), "bob",
             edits=("csrprogram.Programme", w["programme"].pk)),
        Page("target create", reverse("target-create", args=[w["programme"].pk]), "bob",
             creates="csrprogram.Target"),
        Page("target edit", reverse("target-update",
                                    args=[w["programme"].pk, w["target"].pk]), "bob",
             edits=("csrprogram.Target", w["target"].pk)),
    ]


def form_fields(client, users, page: Page) -> dict[str, forms.Field]:
    """The fields of the page's form(s), as the page renders them for its user."""
    if not page.form_keys:  # a POST-only form shown on another page
        from citizens.forms import ConsentWithdrawForm

        return dict(ConsentWithdrawForm().fields)
    client.force_login(users[page.user])
    response = client.get(page.url)
    assert response.status_code == 200, page.name
    fields = {}
    for key in page.form_keys:
        form = response.context[key]
        for bound in (form.forms if hasattr(form, "forms") else [form]):
            fields.update({bound.add_prefix(name): f for name, f in bound.fields.items()
                           if not isinstance(f, forms.FileField)})
    return fields


PAGE_NAMES = [
    "company create", "company edit", "assessment", "criterion create", "criterion edit",
    "citizen create", "citizen edit", "CPR look-up", "enrolment", "enrolment close", "consent",
    "consent withdraw", "opening create", "spot et job", "opening edit", "propose",
    "employer's answer", "portal accept", "portal decline", "placement end",
    "placement start", "visit record", "visit reschedule", "extra visit", "aftercare",
    "certificate issue", "certificate revoke", "programme edit", "target create",
    "target edit",
]


@pytest.mark.parametrize("page_name", PAGE_NAMES)
def test_hostile_values_to_every_form(client, world, alice, bob, carol, page_name):
    users = {"alice": alice, "bob": bob, "carol": carol}
    page = next(page for page in pages(world) if page.name == page_name)
    fields = form_fields(client, users, page)
    assert fields, page.name

    @HOSTILE_SETTINGS
    @given(data=submissions(fields, page.fixed))
    def run(data):
        drive(client, users, page, data)

    run()


def test_the_hostile_runs_drove_every_form_and_some_were_accepted():
    """Runs after the tests above (file order): every page was driven, none failed."""
    tally = TALLIES["forms"]
    if tally.examples == 0:
        pytest.skip("runs only together with the hostile tests above")
    assert len(tally.targets) == len(PAGE_NAMES)
    assert tally.server_errors == 0
    assert 0 < tally.accepted < tally.examples


def test_the_page_list_is_every_form_page(world):
    assert [page.name for page in pages(world)] == PAGE_NAMES
    assert Certificate.objects.exists()
