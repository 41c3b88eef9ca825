"""Issue 16: a restricted citizen is not named outside their own record, and an erased one is
anonymous everywhere — the placement list, the visit work list, the home queues and their own
pages, the opening's candidates, the placement and visit pages, the company's portal, the
reminder and escalation e-mails and the Django admin — through the one ``display_name``.

Three citizens of Alice's caseload have a placement at Alfa Bageri with follow-up visits: one
is restricted, one erased, one ordinary (the control: the test can fail). The restricted and
the erased placements still show, without the name, so that the figures behind them and the
visits a consultant must still make stay in sight.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from citizens import services
from citizens.choices import AccessAction
from citizens.models import AccessLog, Citizen
from followups import tasks
from followups.choices import VisitKind
from placements import services as placement_services
from placements.choices import CandidacyStatus
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.csrprogram.factories import UserFactory
from tests.placements.factories import CandidacyFactory, JobOpeningFactory

# Monday 6 November 2017, 08:00 in Copenhagen.
TODAY = dt.datetime(2017, 11, 6, 7, 0, tzinfo=dt.UTC)
RESTRICTED = "Ragnhild Skjoldborg"
ERASED = "Svend Aagesen Mørk"
VISIBLE = "Ole Synnestvedt"


def _placement(*, name, start_date, programme, alice, company):
    citizen = CitizenFactory(name=name, consultant=alice, weekly_hours=20)
    EnrolmentFactory(citizen=citizen, programme=programme, enrolled_on=dt.date(2017, 8, 1))
    opening = JobOpeningFactory(programme=programme, company=company, weekly_hours=15)
    candidacy = CandidacyFactory(opening=opening, citizen=citizen)
    return placement_services.candidacy_accept(candidacy=candidacy, actor=alice,
                                               start_date=start_date, consultant=alice)


@pytest.fixture
def three(programme, alice, bob, company_a):
    """The restricted, the erased and the visible citizen, each with a placement and visits
    and a candidacy presented two weeks ago that waits for the employer's answer."""
    placements = {
        # The ½-month visit is due Tuesday 31 October: overdue on Monday 6 November.
        RESTRICTED: _placement(name=RESTRICTED, start_date=dt.date(2017, 10, 16),
                               programme=programme, alice=alice, company=company_a),
        # Due Wednesday 8 November: this week.
        ERASED: _placement(name=ERASED, start_date=dt.date(2017, 10, 24),
                           programme=programme, alice=alice, company=company_a),
        VISIBLE: _placement(name=VISIBLE, start_date=dt.date(2017, 10, 24),
                            programme=programme, alice=alice, company=company_a),
    }
    for placement in placements.values():
        CandidacyFactory(opening=JobOpeningFactory(programme=programme, company=company_a,
                                                   title="Bagerimedhjælper"),
                         citizen=placement.citizen, status=CandidacyStatus.PRESENTED,
                         presented_on=dt.date(2017, 10, 23))
    services.citizen_restrict(citizen=placements[RESTRICTED].citizen, actor=bob,
                              reason="Borgeren bestrider oplysningerne")
    services.citizen_erase(citizen=placements[ERASED].citizen, actor=bob,
                           reason="Borgerens anmodning")
    for placement in placements.values():
        placement.citizen.refresh_from_db()
    return placements


def _label(placement) -> str:
    return placement.citizen.display_name


def _assert_unnamed(text: str, three, *, where: str) -> None:
    assert RESTRICTED not in text, where
    assert "Skjoldborg" not in text, where
    assert ERASED not in text, where


def test_the_display_name_is_the_one_rule(three):
    restricted, erased, visible = (three[RESTRICTED].citizen, three[ERASED].citizen,
                                   three[VISIBLE].citizen)
    assert restricted.name == RESTRICTED  # the record keeps the name; pages do not show it
    assert restricted.display_name == f"Begrænset borger nr. {restricted.pk}"
    assert str(restricted) == restricted.display_name
    assert erased.display_name == f"Anonymiseret borger nr. {erased.pk}"
    assert visible.display_name == VISIBLE == str(visible)


@time_machine.travel(TODAY, tick=False)
def test_lists_pages_and_home_queues_do_not_name_them(client, three, alice):
    restricted, erased = three[RESTRICTED], three[ERASED]
    client.force_login(alice)

    # The lists keep the rows (the figures count them; the visits are still due), unnamed.
    for url in (reverse("placements:placement-list"), reverse("followups:visit-list")):
        html = client.get(url).content.decode()
        _assert_unnamed(html, three, where=url)
        assert VISIBLE in html, url
        assert _label(restricted) in html, url
        assert _label(erased) in html, url
    # The overdue visit of the restricted citizen is on the work list, unnamed.
    html = client.get(reverse("followups:visit-list") + "?period=overdue").content.decode()
    _assert_unnamed(html, three, where="overdue")
    assert _label(restricted) in html

    # The name search finds the ordinary citizen, never the restricted one by their name.
    for url in (reverse("placements:placement-list"), reverse("followups:visit-list")):
        html = client.get(url, {"q": "Skjoldborg"}).content.decode()
        assert _label(restricted) not in html, url
        html = client.get(url, {"q": "Synnestvedt"}).content.decode()
        assert VISIBLE in html, url

    # The home page's queues: visits due this week and overdue, candidates awaiting an answer.
    home = client.get(reverse("home")).content.decode()
    _assert_unnamed(home, three, where="home")
    assert VISIBLE in home
    assert _label(restricted) in home
    for key in ("visits-due", "candidacies-awaiting"):
        response = client.get(reverse("queue-detail", args=[key]))
        assert response.status_code == 200, key
        html = response.content.decode()
        assert _label(restricted) in html, key
        _assert_unnamed(html, three, where=key)
        assert VISIBLE in html, key

    # The pages of one placement, visit and opening.
    visit = restricted.visits.get(kind=VisitKind.HALF_MONTH)
    for url in (reverse("placements:placement-detail", args=[restricted.pk]),
                reverse("placements:placement-detail", args=[erased.pk]),
                reverse("followups:visit-detail", args=[visit.pk]),
                reverse("followups:visit-record", args=[visit.pk]),
                reverse("placements:opening-detail", args=[restricted.opening_id])):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_unnamed(response.content.decode(), three, where=url)


@time_machine.travel(TODAY, tick=False)
def test_the_team_leader_and_the_company_do_not_see_the_names(
        client, three, bob, carol, settings, django_capture_on_commit_callbacks):
    # The restricted citizen's visit is 4 working days overdue: escalated to the team leader.
    settings.FOLLOWUP_ESCALATION_WORKING_DAYS = 3
    with django_capture_on_commit_callbacks(execute=True):
        tasks.followups_sweep.delay()
    client.force_login(bob)
    home = client.get(reverse("home")).content.decode()
    assert _label(three[RESTRICTED]) in home  # the escalated visit is there, unnamed
    _assert_unnamed(home, three, where="team leader's home")
    client.force_login(carol)
    home = client.get(reverse("home")).content.decode()
    _assert_unnamed(home, three, where="company's home")
    assert VISIBLE in home  # the next visits at the company name their employee
    # … and the others by the placement's number: the employer is not told of a restriction.
    assert "Begrænset borger" not in home
    assert "Anonymiseret borger" not in home
    assert f"Forløb nr. {three[RESTRICTED].pk}" in home


def test_the_employer_portal_keeps_a_restricted_candidate_a_number(three, carol):
    restricted = three[RESTRICTED].citizen
    candidacy = restricted.candidacies.get(status=CandidacyStatus.PRESENTED)
    candidacy.identity_disclosed_at = dt.datetime(2017, 10, 24, 9, 0, tzinfo=dt.UTC)
    candidacy.save(update_fields=["identity_disclosed_at"])
    assert candidacy.portal_name == f"Kandidat nr. {candidacy.pk}"
    visible = three[VISIBLE].citizen.candidacies.get(status=CandidacyStatus.PRESENTED)
    visible.identity_disclosed_at = candidacy.identity_disclosed_at
    visible.save(update_fields=["identity_disclosed_at"])
    assert visible.portal_name == VISIBLE


@time_machine.travel(TODAY, tick=False)
def test_the_reminder_and_escalation_emails_do_not_name_them(three, alice, bob, settings,
                                                             django_capture_on_commit_callbacks):
    settings.FOLLOWUP_ESCALATION_WORKING_DAYS = 3
    with django_capture_on_commit_callbacks(execute=True):
        tasks.followups_sweep.delay()
    assert {tuple(message.to) for message in mail.outbox} >= {(alice.email,), (bob.email,)}
    for message in mail.outbox:
        _assert_unnamed(f"{message.subject}\n{message.body}", three, where=message.subject)
        assert VISIBLE not in message.body  # the digests name no citizen at all


def test_the_admin_lists_them_unnamed_and_keeps_a_restricted_citizen_read_only(client, erin,
                                                                              three):
    restricted = three[RESTRICTED].citizen
    client.force_login(erin)
    changelist = client.get(reverse("admin:citizens_citizen_changelist")).content.decode()
    _assert_unnamed(changelist, three, where="admin list")
    assert restricted.display_name in changelist
    assert VISIBLE in changelist
    # Not ordered by the name: the erased ("Anonymiseret borger …") come after the named.
    assert changelist.index(VISIBLE) < changelist.index(three[ERASED].citizen.display_name)
    searched = client.get(reverse("admin:citizens_citizen_changelist"),
                          {"q": "Skjoldborg"}).content.decode()
    assert restricted.display_name not in searched

    # Read-only: the page shows the record without a save button, a change is refused, and
    # the view is in the access log; there is no delete.
    url = reverse("admin:citizens_citizen_change", args=[restricted.pk])
    before = AccessLog.objects.filter(citizen=restricted, actor=erin,
                                      action=AccessAction.VIEW).count()
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert AccessLog.objects.filter(citizen=restricted, actor=erin,
                                    action=AccessAction.VIEW).count() == before + 1
    response = client.post(url, {"name": "Omdøbt", "target_group": restricted.target_group,
                                 "weekly_hours": 10})
    assert response.status_code == 403
    assert Citizen.objects.get(pk=restricted.pk).name == RESTRICTED
    assert client.get(reverse("admin:citizens_citizen_delete",
                              args=[restricted.pk])).status_code == 403

    # An ordinary citizen stays editable in the admin.
    visible = three[VISIBLE].citizen
    page = client.get(reverse("admin:citizens_citizen_change", args=[visible.pk]))
    assert 'name="_save"' in page.content.decode()


# The admin of the rows that belong to a citizen (``citizens.admin.CitizenRowAdmin``):
# (admin URL name, the row of a placement of ``three``, the index of the citizen column).
CITIZEN_ROWS = [
    ("placements_placement", lambda placement: placement, 1),
    ("placements_candidacy", lambda placement: placement.candidacy, 1),
    ("followups_visit", lambda placement: placement.visits.order_by("pk").first(), 2),
]


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@jobcenter.example", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(("name", "row_of", "column"), CITIZEN_ROWS)
def test_the_admin_lists_their_rows_unnamed(client, superuser, three, name, row_of, column):
    restricted, erased = three[RESTRICTED].citizen, three[ERASED].citizen
    client.force_login(superuser)
    url = reverse(f"admin:{name}_changelist")
    before = AccessLog.objects.filter(citizen=restricted, actor=superuser,
                                      action=AccessAction.LIST).count()
    html = client.get(url).content.decode()
    _assert_unnamed(html, three, where=url)
    assert restricted.display_name in html
    assert VISIBLE in html
    assert AccessLog.objects.filter(citizen=restricted, actor=superuser,
                                    action=AccessAction.LIST).count() == before + 1
    # Sorted by the citizen column: the erased citizen's row ("Anonymiseret borger …" by
    # name) sorts with the unnamed rows after the named one, not first by its name.
    html = client.get(url, {"o": str(column)}).content.decode()
    assert html.index(VISIBLE) < html.index(erased.display_name)
    # The search finds a row by the citizen's name, never a restricted citizen's.
    html = client.get(url, {"q": "Skjoldborg"}).content.decode()
    assert restricted.display_name not in html
    html = client.get(url, {"q": "Synnestvedt"}).content.decode()
    assert VISIBLE in html
    assert restricted.display_name not in html


@pytest.mark.parametrize(("name", "row_of", "column"), CITIZEN_ROWS)
def test_the_admin_keeps_a_restricted_citizens_rows_read_only(client, superuser, three, name,
                                                              row_of, column):
    restricted = three[RESTRICTED].citizen
    row = row_of(three[RESTRICTED])
    client.force_login(superuser)
    url = reverse(f"admin:{name}_change", args=[row.pk])
    before = AccessLog.objects.filter(citizen=restricted, actor=superuser,
                                      action=AccessAction.VIEW).count()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html
    _assert_unnamed(html, three, where=url)
    assert AccessLog.objects.filter(citizen=restricted, actor=superuser,
                                    action=AccessAction.VIEW).count() == before + 1
    assert client.post(url, {}).status_code == 403
    assert client.get(reverse(f"admin:{name}_delete", args=[row.pk])).status_code == 403
    assert client.post(reverse(f"admin:{name}_delete", args=[row.pk]),
                       {"post": "yes"}).status_code == 403
    assert type(row).objects.filter(pk=row.pk).exists()

    # The rows of an ordinary citizen stay editable.
    page = client.get(reverse(f"admin:{name}_change", args=[row_of(three[VISIBLE]).pk]))
    assert 'name="_save"' in page.content.decode()
