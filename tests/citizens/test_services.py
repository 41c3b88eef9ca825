import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from citizens import services
from citizens.choices import AccessAction, ConsentKind, EnrolmentStatus, ExitReason
from citizens.models import AccessLog, Citizen, Enrolment
from csrprogram.choices import TargetGroup
from tests.citizens.conftest import CPR_MOD11_FAILS
from tests.csrprogram.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

DATA = {"name": "Karen Hansen", "target_group": TargetGroup.JOB_READY, "weekly_hours": 25,
        "wishes": ["retail"]}


def test_create_enrols_and_logs(programme, alice):
    citizen = services.citizen_create(actor=alice, cpr="010190-1235", data=DATA,
                                      programme=programme, enrolled_on=dt.date(2017, 9, 1))
    assert citizen.consultant == alice
    assert citizen.cpr_masked == "010190-XXXX"
    enrolment = citizen.enrolments.get()
    assert (enrolment.programme, enrolment.referring_consultant, enrolment.status) == (
        programme, alice, EnrolmentStatus.ACTIVE)
    assert list(AccessLog.objects.values_list("action", flat=True).order_by("pk")) == [
        AccessAction.CREATE, AccessAction.CHANGE]


def test_same_cpr_twice_is_refused_and_nothing_is_saved(programme, alice):
    services.citizen_create(actor=alice, cpr=CPR_MOD11_FAILS, data=DATA)
    with pytest.raises(ValidationError) as error:
        services.citizen_create(actor=alice, cpr="010190-1235", data=DATA, programme=programme,
                                enrolled_on=dt.date(2017, 9, 1))
    assert error.value.message_dict == {
        "cpr": ["Der findes allerede en borger med dette CPR-nummer."]}
    assert Citizen.objects.count() == 1
    assert Enrolment.objects.count() == 0


def test_invalid_cpr_saves_nothing(alice):
    with pytest.raises(ValidationError) as error:
        services.citizen_create(actor=alice, cpr="310290-1234", data=DATA)
    assert "fødselsdato er ugyldig" in error.value.message_dict["cpr"][0]
    assert Citizen.objects.count() == 0


def test_hours_outside_1_to_37_are_refused(alice):
    with pytest.raises(ValidationError) as error:
        services.citizen_create(actor=alice, cpr=CPR_MOD11_FAILS, data={**DATA,
                                                                         "weekly_hours": 38})
    assert "mellem 1 og 37" in str(error.value)


def test_enrolled_twice_in_the_same_programme_is_refused(programme, alice):
    citizen = services.citizen_create(actor=alice, cpr=CPR_MOD11_FAILS, data=DATA,
                                      programme=programme, enrolled_on=dt.date(2017, 9, 1))
    with pytest.raises(ValidationError, match="allerede visiteret"):
        services.enrolment_create(citizen=citizen, programme=programme,
                                  enrolled_on=dt.date(2017, 10, 1), referring_consultant=alice,
                                  actor=alice)
    other = ProgrammeFactory()
    services.enrolment_create(citizen=citizen, programme=other, enrolled_on=dt.date(2021, 9, 1),
                              referring_consultant=alice, actor=alice)
    assert citizen.enrolments.count() == 2


def test_close_enrolment_checks_dates(citizen, alice):
    enrolment = citizen.enrolments.get()
    with pytest.raises(ValidationError, match="før visitationsdatoen"):
        services.enrolment_close(enrolment=enrolment, actor=alice,
                                 status=EnrolmentStatus.CLOSED, exit_date=dt.date(2017, 7, 1),
                                 exit_reason=ExitReason.EDUCATION)
    services.enrolment_close(enrolment=enrolment, actor=alice, status=EnrolmentStatus.CLOSED,
                             exit_date=dt.date(2018, 1, 15), exit_reason=ExitReason.EDUCATION)
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.exit_reason) == ("closed", "education")


def test_update_changes_cpr_and_logs_which_fields(citizen, alice):
    services.citizen_update(citizen=citizen, actor=alice,
                            data={"name": "Jens Ny", "weekly_hours": 12}, cpr="020290-4321")
    citizen.refresh_from_db()
    assert citizen.get_cpr() == "020290-4321"
    entry = AccessLog.objects.filter(action=AccessAction.CHANGE).latest("pk")
    assert "navn" in entry.purpose
    assert "CPR-nummer" in entry.purpose
    assert "020290" not in entry.purpose


def test_consents_are_recorded_once_and_withdrawn(citizen, alice):
    consent = services.consent_record(citizen=citizen, kind=ConsentKind.CASE_STORY,
                                      given_on=dt.date(2017, 9, 1), actor=alice)
    assert consent.recorded_by == alice
    with pytest.raises(ValidationError, match="allerede givet"):
        services.consent_record(citizen=citizen, kind=ConsentKind.CASE_STORY,
                                given_on=dt.date(2017, 9, 2), actor=alice)
    with pytest.raises(ValidationError, match="før det er givet"):
        services.consent_withdraw(consent=consent, withdrawn_on=dt.date(2017, 8, 1),
                                  actor=alice)
    services.consent_withdraw(consent=consent, withdrawn_on=dt.date(2018, 1, 1), actor=alice)
    consent.refresh_from_db()
    assert not consent.is_active
    # After withdrawing, a new consent can be recorded.
    services.consent_record(citizen=citizen, kind=ConsentKind.CASE_STORY,
                            given_on=dt.date(2018, 2, 1), actor=alice)


def test_access_log_purpose_never_keeps_a_cpr(citizen, alice):
    entry = services.access_log_record(citizen=citizen, actor=alice, action=AccessAction.VIEW,
                                       purpose="Opslag på 010190-1235")
    assert entry.purpose == "Opslag på 010190-XXXX"
