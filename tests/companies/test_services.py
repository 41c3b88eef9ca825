import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from companies.models import ContactPerson, CsrAssessment
from companies.selectors import assessment_is_superseded
from companies.services import assessment_create, company_create, company_update, criterion_save
from tests.companies.factories import CompanyFactory, CsrCriterionFactory, assessment, criteria

pytestmark = pytest.mark.django_db

DATA = {"cvr": "35487638", "name": "Alfa ApS", "city": "Randers C"}


def test_company_create_with_one_primary_contact():
    company = company_create(actor=None, data=DATA, contacts=[
        {"name": "Anne", "email": "a@alfa.example", "is_primary": True},
        {"name": "Bo", "is_primary": False},
    ])
    assert company.contacts.get(is_primary=True).name == "Anne"
    assert company.contacts.count() == 2


@pytest.mark.parametrize(("cvr", "message"), [
    ("12345678", "12345678 er ikke et gyldigt CVR-nummer"),
    ("1234", "er ikke et gyldigt CVR-nummer"),
])
def test_invalid_cvr_is_refused_in_danish(cvr, message):
    with pytest.raises(ValidationError) as error:
        company_create(actor=None, data={**DATA, "cvr": cvr})
    assert message in str(error.value.message_dict["cvr"])


def test_duplicate_cvr_is_refused_in_danish():
    CompanyFactory(cvr="35487638")
    with pytest.raises(ValidationError) as error:
        company_create(actor=None, data=DATA)
    assert "Der findes allerede en virksomhed med dette CVR-nummer." in str(error.value)


def test_two_primary_contacts_are_refused_and_nothing_is_saved():
    with pytest.raises(ValidationError, match="præcis én primær"):
        company_create(actor=None, data=DATA, contacts=[{"name": "A", "is_primary": True},
                                            {"name": "B", "is_primary": True}])
    assert not ContactPerson.objects.exists()


def test_the_database_allows_only_one_primary_contact():
    company = CompanyFactory()
    ContactPerson.objects.create(company=company, name="A", is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactPerson.objects.create(company=company, name="B", is_primary=True)


def test_moving_the_primary_flag_between_contacts_and_deleting_one():
    company = company_create(actor=None, data=DATA, contacts=[{"name": "A", "is_primary": True},
                                                  {"name": "B"}, {"name": "C"}])
    a, b, c = company.contacts.order_by("name")
    company_update(actor=None, company=company, data={"name": "Alfa A/S"}, contacts=[
        {"id": a.pk, "name": "A", "is_primary": False},
        {"id": b.pk, "name": "B", "is_primary": True},
        {"id": c.pk, "name": "C", "delete": True},
    ])
    company.refresh_from_db()
    assert company.name == "Alfa A/S"
    assert list(company.contacts.values_list("name", "is_primary").order_by("name")) == [
        ("A", False), ("B", True)]


def test_another_companys_contact_cannot_be_edited_through_this_company():
    other = CompanyFactory()
    stranger = ContactPerson.objects.create(company=other, name="X", is_primary=True)
    company = CompanyFactory()
    with pytest.raises(ValidationError, match="hører ikke til virksomheden"):
        company_update(actor=None, company=company, data={}, contacts=[
            {"id": stranger.pk, "name": "Y", "is_primary": True}])


def test_criterion_save_validates(db):
    with pytest.raises(ValidationError):
        criterion_save(actor=None, data={"title_da": "", "title_en": "x"})
    saved = criterion_save(actor=None, data={"title_da": "Kriterie", "title_en": "Criterion"})
    assert saved.is_active


def test_assessment_is_eligible_at_the_programmes_threshold(programme, alice):
    programme.csr_threshold = 3
    programme.save()
    company = CompanyFactory()
    below = assessment(company=company, programme=programme, by=alice, met=2)
    at_threshold = assessment(company=company, programme=programme, by=alice, met=3)
    assert (below.met_count, below.threshold, below.is_eligible) == (2, 3, False)
    assert at_threshold.is_eligible
    # History: the first assessment is still there, unchanged, and now superseded.
    below.refresh_from_db()
    assert below.met_count == 2
    assert assessment_is_superseded(below)
    assert not assessment_is_superseded(at_threshold)
    assert CsrAssessment.objects.filter(company=company).count() == 2


def test_a_later_threshold_change_does_not_rewrite_old_assessments(programme, alice):
    done = assessment(company=CompanyFactory(), programme=programme, by=alice, met=3)
    programme.csr_threshold = 5
    programme.save()
    done.refresh_from_db()
    assert done.is_eligible


def test_assessment_needs_every_active_criterion_and_evidence_when_met(programme, alice):
    active = criteria(3)
    company = CompanyFactory()
    with pytest.raises(ValidationError, match="Alle aktive kriterier skal vurderes"):
        assessment_create(company=company, programme=programme, assessed_by=alice,
                          assessed_on=dt.date(2017, 8, 1),
                          answers={active[0].pk: (True, "Ja")})
    with pytest.raises(ValidationError) as error:
        assessment_create(company=company, programme=programme, assessed_by=alice,
                          assessed_on=dt.date(2017, 8, 1),
                          answers={c.pk: (True, "") for c in active})
    assert "Beskriv dokumentationen" in str(error.value)
    assert not CsrAssessment.objects.exists()


def test_inactive_criteria_are_not_part_of_new_assessments(programme, alice):
    criteria(3)
    retired = CsrCriterionFactory(is_active=False)
    done = assessment(company=CompanyFactory(), programme=programme, by=alice, met=3)
    assert not done.answers.filter(criterion=retired).exists()


def test_no_active_criteria_is_a_clear_error(programme, alice):
    with pytest.raises(ValidationError, match="ingen aktive CSR-kriterier"):
        assessment_create(company=CompanyFactory(), programme=programme, assessed_by=alice,
                          assessed_on=dt.date(2017, 8, 1), answers={})


def test_an_assessment_cannot_be_dated_in_the_future(programme, alice):
    active = criteria(3)
    with pytest.raises(ValidationError, match="fremtiden"):
        assessment_create(company=CompanyFactory(), programme=programme, assessed_by=alice,
                          assessed_on=dt.date.today() + dt.timedelta(days=5),
                          answers={c.pk: (False, "") for c in active})


def test_the_filter_offers_each_city_and_industry_once_in_order(db):
    """The list's filter choices: distinct, non-empty, sorted, one query each, read from the
    indexes step by step (companies.selectors._distinct_values)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from companies.selectors import filter_options
    from tests.companies.factories import CompanyFactory

    for city, industry in [("Randers", "Bageri"), ("Aarhus", ""), ("Randers", "Byggeri"),
                           ("", "Bageri"), ("Ålborg", "Anlæg")]:
        CompanyFactory(city=city, industry=industry)
    with CaptureQueriesContext(connection) as queries:
        options = filter_options()
    assert len(queries) == 2
    assert sorted(options["cities"]) == sorted(["Randers", "Aarhus", "Ålborg"])
    assert sorted(options["industries"]) == sorted(["Bageri", "Byggeri", "Anlæg"])
    # In the database's order, as ORDER BY gives it.
    from companies.models import Company

    assert options["cities"] == list(Company.objects.exclude(city="").order_by("city")
                                     .values_list("city", flat=True).distinct())
