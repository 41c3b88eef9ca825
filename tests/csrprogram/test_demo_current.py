"""The demo looks alive (issue 13): a current programme whose period holds today, with work in
every home-page queue; names without titles; unique company names; dates in order."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from citizens.models import Citizen
from companies.models import Company
from csrprogram import queues
from csrprogram.dashboard import Status, programme_dashboard
from csrprogram.demo import CURRENT_PROGRAMME, NAME_TITLES, person_name
from csrprogram.models import Programme, User
from placements.models import Candidacy, Placement

pytestmark = pytest.mark.django_db


def test_person_name_drops_titles():
    assert person_name("Univ.Prof. Lena Karlsen") == "Lena Karlsen"
    assert person_name("Hr Simon Møller") == "Simon Møller"
    assert person_name("Bøje Kjeldsen-Lassen") == "Bøje Kjeldsen-Lassen"


def test_the_demo_has_today_s_work_in_every_queue():
    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()
    current = Programme.objects.get(name=CURRENT_PROGRAMME)
    assert current.starts_on < today < current.ends_on

    def counts(email):
        user = User.objects.get(email=email)
        return {s.queue.key: s.count for s in queues.queues_for(user, today=today)}

    consultant = counts("konsulent@randers.example")
    for key in ("visits-due", "candidacies-awaiting", "openings-without-candidate",
                "citizens-without-proposal"):
        assert consultant[key] > 0, key
    leader = counts("teamleder@randers.example")
    for key in ("assessments-awaiting-certificate", "certificates-expiring",
                "escalated-visits", "targets-behind"):
        assert leader[key] > 0, key
    contact = counts("virksomhed@randers.example")
    for key in ("candidates-for-company", "company-certificate", "next-visit",
                "company-consultant"):
        assert contact[key] > 0, key
    statuses = {row.status for row in programme_dashboard(programme=current, as_of=today).rows}
    assert {Status.ON_TRACK, Status.BEHIND} <= statuses

    names = Counter(Company.objects.values_list("name", flat=True))
    assert [name for name, count in names.items() if count > 1] == []
    assert not [name for name in Citizen.objects.values_list("name", flat=True)
                if set(name.split()) & NAME_TITLES]
    for candidacy in Candidacy.objects.exclude(decided_on=None):
        assert candidacy.proposed_at.date() <= candidacy.decided_on, candidacy.pk
        assert candidacy.presented_on is None or candidacy.presented_on <= candidacy.decided_on
    for placement in Placement.objects.prefetch_related("visits"):
        assert all(visit.due_date >= placement.start_date for visit in placement.visits.all())
