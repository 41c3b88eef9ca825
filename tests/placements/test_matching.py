import pytest

from placements import matching
from placements.choices import OpeningKind
from placements.selectors import match_pool
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.placements.factories import CandidacyFactory, JobOpeningFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def test_ranking_explains_hours_wishes_accommodation_and_target_group(programme, company_a):
    opening = JobOpeningFactory(programme=programme, company=company_a, weekly_hours=15,
                                job_category="retail", kind=OpeningKind.CSR_JOB,
                                can_accommodate=False)
    best = CitizenFactory(name="Bedst", weekly_hours=20, wishes=["retail"],
                          target_group="mentally_vulnerable")
    few_hours = CitizenFactory(name="Få timer", weekly_hours=10, wishes=["retail"],
                               target_group="job_ready")
    needs = CitizenFactory(name="Skånebehov", weekly_hours=20, wishes=["warehouse"],
                           accommodation_needs="Kort arbejdsdag.", target_group="job_ready")

    ranked = matching.suggest(opening, [needs, few_hours, best])

    assert [s.citizen.name for s in ranked] == ["Bedst", "Få timer", "Skånebehov"]
    top = ranked[0]
    assert top.score == 3 + 3 + 2
    texts = [r.text for r in top.reasons]
    assert "Kan arbejde 20 timer; jobbet er på 15 timer." in texts
    assert "Ønsker job inden for Butik og detailhandel." in texts
    assert any("Målgruppen (Psykisk sårbar) passer til" in t for t in texts)
    assert ranked[1].hours_warning
    assert "Kan kun arbejde 10 timer; jobbet er på 15 timer." in [r.text for r in
                                                                   ranked[1].reasons]
    assert any("arbejdspladsen har ikke angivet" in r.text for r in ranked[2].reasons)


def test_accommodating_workplace_turns_needs_into_a_plus(programme, company_a):
    opening = JobOpeningFactory(programme=programme, company=company_a, can_accommodate=True)
    citizen = CitizenFactory(accommodation_needs="Pauser hver time.")
    reasons = matching.suggest(opening, [citizen])[0].reasons
    assert any(r.points == 1 and "kan tage hensyn" in r.text for r in reasons)


def test_flex_job_needs_a_flex_citizen(programme, company_a):
    opening = JobOpeningFactory(programme=programme, company=company_a,
                                kind=OpeningKind.FLEX_JOB)
    flex = CitizenFactory(name="Flex", target_group="flex")
    other = CitizenFactory(name="Andet", target_group="job_ready")
    ranked = matching.suggest(opening, [other, flex])
    assert [s.citizen.name for s in ranked] == ["Flex", "Andet"]
    assert any("Fleksjob kræver visitation" in r.text for r in ranked[1].reasons)


def test_pool_holds_active_enrolled_citizens_not_yet_proposed_or_placed(programme, company_a):
    opening = JobOpeningFactory(programme=programme, company=company_a)
    free = CitizenFactory(name="Ledig")
    proposed = CitizenFactory(name="Foreslået")
    placed = CitizenFactory(name="I forløb")
    dropped = CitizenFactory(name="Frafaldet")
    for citizen in (free, proposed, placed):
        EnrolmentFactory(citizen=citizen, programme=programme)
    EnrolmentFactory(citizen=dropped, programme=programme, status="dropped_out")
    CandidacyFactory(opening=opening, citizen=proposed)
    PlacementFactory(citizen=placed, opening=JobOpeningFactory(programme=programme))
    assert [c.name for c in match_pool(opening)] == ["Ledig"]
