"""Two employers' acceptances at the same moment cannot both take the last position."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from placements import services
from placements.choices import CandidacyStatus, OpeningStatus
from placements.models import Candidacy, JobOpening, Placement
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.placements.factories import CandidacyFactory, JobOpeningFactory


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_acceptances_fill_a_one_position_opening_once(programme, company_a,
                                                                      carol, alice):
    assert connection.vendor == "postgresql"
    opening = JobOpeningFactory(programme=programme, company=company_a, positions=1)
    candidacies = []
    for name in ("Første Kandidat", "Anden Kandidat"):
        citizen = CitizenFactory(name=name, weekly_hours=30)
        EnrolmentFactory(citizen=citizen, programme=programme, enrolled_on=dt.date(2017, 8, 1))
        candidacies.append(CandidacyFactory(opening=opening, citizen=citizen,
                                            status=CandidacyStatus.PRESENTED))

    barrier = threading.Barrier(2)
    outcomes: list[object] = []
    lock = threading.Lock()

    def accept(candidacy, actor):
        try:
            barrier.wait(timeout=10)
            placement = services.candidacy_accept(candidacy=candidacy, actor=actor,
                                                  start_date=dt.date(2017, 10, 2))
            result: object = placement.pk
        except ValidationError as error:
            result = error
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=accept, args=(candidacies[0], carol)),
               threading.Thread(target=accept, args=(candidacies[1], alice))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    errors = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(outcomes) == 2
    assert len(errors) == 1, outcomes
    # The loser's candidacy was closed by the winner's fill (issue 13), so it is told why.
    assert ("Stillingen er besat af en anden kandidat, så kandidaturet er lukket."
            in errors[0].messages)
    opening = JobOpening.objects.get(pk=opening.pk)
    assert (opening.positions_filled, opening.status) == (1, OpeningStatus.FILLED)
    assert Placement.objects.count() == 1
    assert Candidacy.objects.filter(status=CandidacyStatus.ACCEPTED).count() == 1
    assert Candidacy.objects.filter(status=CandidacyStatus.CLOSED).count() == 1
