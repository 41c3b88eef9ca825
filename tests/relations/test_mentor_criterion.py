"""Trained employee mentors answer the criterion flagged for them (``evidence_source``) in a
new assessment by themselves, with the evidence written out; the assessor may override."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from companies.choices import EvidenceSource
from companies.models import CsrCriterion
from companies.services import assessment_create, assessment_prefill, criterion_save
from tests.companies.factories import CompanyFactory, CsrCriterionFactory
from tests.relations.factories import MentorCourseFactory, TraineeFactory

NOW = dt.datetime(2018, 3, 1, 12, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    """Two plain criteria and the mentor criterion between them."""
    return [CsrCriterionFactory(title_da="Praktikpladser", order=1),
            CsrCriterionFactory(title_da="Uddannede medarbejdermentorer", order=2,
                                evidence_source=EvidenceSource.MENTORS),
            CsrCriterionFactory(title_da="Småjob", order=3)]


@pytest.fixture
def mentors(programme, company_a):
    """Alfa Bageri: two mentors trained on hold 1 (in the last 12 months before 1 March
    2018), one still on the course, one trained in 2016 (outside the period)."""
    course = MentorCourseFactory(title="Medarbejdermentoruddannelse, hold 1",
                                 programme=programme, starts_on=dt.date(2017, 9, 4),
                                 ends_on=dt.date(2017, 9, 15))
    TraineeFactory(course=course, company=company_a, name="Lone Lager",
                   completed_on=dt.date(2017, 9, 15))
    TraineeFactory(course=course, company=company_a, name="Per Pakker",
                   completed_on=dt.date(2017, 9, 15))
    TraineeFactory(course=course, company=company_a, name="Ikke Færdig")
    old = MentorCourseFactory(title="Gammelt hold", programme=programme,
                              starts_on=dt.date(2016, 1, 4), ends_on=dt.date(2016, 1, 8))
    TraineeFactory(course=old, company=company_a, name="Gammel Mentor",
                   completed_on=dt.date(2016, 1, 8))
    return course


def _answers(catalogue):
    """Every criterion answered "not met" except the mentor criterion, left to the
    catalogue."""
    return {c.pk: (False, "") for c in catalogue if not c.evidence_source}


@time_machine.travel(NOW, tick=False)
def test_two_trained_mentors_meet_the_criterion_with_the_evidence(
        catalogue, mentors, programme, alice, company_a):
    assessment = assessment_create(company=company_a, programme=programme, assessed_by=alice,
                                   assessed_on=dt.date(2018, 3, 1), answers=_answers(catalogue))
    answer = assessment.answers.get(criterion=catalogue[1])
    assert answer.is_met is True
    assert answer.evidence.splitlines() == [
        "2 medarbejdermentorer uddannet 01.03.2017–01.03.2018:",
        "Medarbejdermentoruddannelse, hold 1, 04.09.2017–15.09.2017: Lone Lager (gennemført "
        "15.09.2017), Per Pakker (gennemført 15.09.2017)",
    ]
    assert assessment.met_count == 1
    assert not assessment.answers.get(criterion=catalogue[0]).is_met


@time_machine.travel(NOW, tick=False)
def test_a_company_without_trained_mentors_does_not_meet_it(
        catalogue, mentors, programme, alice, company_b):
    assessment = assessment_create(company=company_b, programme=programme, assessed_by=alice,
                                   assessed_on=dt.date(2018, 3, 1), answers=_answers(catalogue))
    answer = assessment.answers.get(criterion=catalogue[1])
    assert (answer.is_met, answer.evidence) == (False, "")
    assert assessment.met_count == 0


@time_machine.travel(NOW, tick=False)
def test_the_period_is_the_certificate_validity_back_from_the_assessment_date(
        catalogue, mentors, programme, alice, company_a):
    # Assessed 16 September 2018: 15 September 2017 is more than 12 months back.
    with time_machine.travel(dt.datetime(2018, 9, 16, 12, tzinfo=dt.UTC), tick=False):
        prefill = assessment_prefill(company=company_a, user=alice, programme=programme,
                                     assessed_on=dt.date(2018, 9, 16))
    assert prefill == {catalogue[1].pk: (False, "")}
    programme.certificate_validity_months = 36
    prefill = assessment_prefill(company=company_a, user=alice, programme=programme,
                                 assessed_on=dt.date(2018, 3, 1))
    assert prefill[catalogue[1].pk][0] is True
    assert prefill[catalogue[1].pk][1].startswith("3 medarbejdermentorer uddannet 01.03.2015")
    assert "Gammel Mentor (gennemført 08.01.2016)" in prefill[catalogue[1].pk][1]


@time_machine.travel(NOW, tick=False)
def test_the_assessor_may_override_the_automatic_answer(
        catalogue, mentors, programme, alice, company_a):
    assessment = assessment_create(
        company=company_a, programme=programme, assessed_by=alice,
        assessed_on=dt.date(2018, 3, 1),
        answers=_answers(catalogue) | {catalogue[1].pk: (False, "")})
    assert not assessment.answers.get(criterion=catalogue[1]).is_met


@time_machine.travel(NOW, tick=False)
def test_the_assessment_form_opens_pre_filled_and_the_override_is_saved(
        client, catalogue, mentors, programme, alice, company_a):
    client.force_login(alice)
    url = reverse("companies:assessment-create", args=[company_a.pk])
    response = client.get(url)
    form = response.context["form"]
    assert form[f"met_{catalogue[1].pk}"].value() is True
    assert "Lone Lager (gennemført 15.09.2017)" in form[f"evidence_{catalogue[1].pk}"].value()
    assert form[f"met_{catalogue[0].pk}"].value() in (None, False)
    assert "Udfyldt automatisk ud fra" in response.content.decode()
    # The assessor unticks it: saved as not met.
    response = client.post(url, {"programme": programme.pk, "assessed_on": "2018-03-01",
                                 f"evidence_{catalogue[1].pk}": ""})
    assert response.status_code == 302
    assessment = company_a.assessments.get()
    assert not assessment.answers.get(criterion=catalogue[1]).is_met


def test_one_criterion_per_evidence_source(catalogue, erin):
    with pytest.raises(ValidationError, match="allerede denne automatiske dokumentation"):
        criterion_save(actor=erin, data={"title_da": "Mentorer igen", "title_en": "Mentors",
                                         "evidence_source": EvidenceSource.MENTORS})
    assert CsrCriterion.objects.filter(evidence_source=EvidenceSource.MENTORS).count() == 1


def test_the_administrator_flags_a_criterion_in_the_catalogue(client, erin):
    criterion = CsrCriterionFactory(title_da="Mentorer")
    client.force_login(erin)
    response = client.post(reverse("companies:criterion-update", args=[criterion.pk]), {
        "title_da": "Mentorer", "title_en": "Mentors", "is_active": "on", "order": "5",
        "evidence_source": EvidenceSource.MENTORS})
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.evidence_source == EvidenceSource.MENTORS


def test_an_unflagged_catalogue_answers_nothing_by_itself(programme, alice, mentors):
    CsrCriterionFactory(title_da="Mentorer")
    assert assessment_prefill(company=CompanyFactory(), user=alice, programme=programme,
                              assessed_on=dt.date(2018, 3, 1)) == {}
