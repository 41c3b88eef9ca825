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


@pytest.mark.parametrize("kind", [OpeningKind.CSR_JOB, OpeningKind.FLEX_JOB,
                                  OpeningKind.INTERNSHIP, OpeningKind.ORDINARY_JOB])
@pytest.mark.parametrize("can_accommodate", [True, False])
def test_sql_score_equals_the_explained_score(programme, company_a, kind, can_accommodate):
    opening = JobOpeningFactory(programme=programme, company=company_a, weekly_hours=15,
                                job_category="retail", kind=kind,
                                can_accommodate=can_accommodate)
    variants = [
        {"weekly_hours": 20, "wishes": ["retail"], "target_group": "mentally_vulnerable"},
        {"weekly_hours": 15, "wishes": [], "target_group": "flex"},
        {"weekly_hours": 10, "wishes": ["warehouse", "retail"], "target_group": "job_ready",
         "accommodation_needs": "Kort dag."},
        {"weekly_hours": 9, "wishes": ["warehouse"], "target_group": "integration",
         "accommodation_needs": "  "},
        {"weekly_hours": 1, "wishes": ["retail_x"], "target_group": "activity_ready"},
    ]
    for n, fields in enumerate(variants):
        EnrolmentFactory(citizen=CitizenFactory(name=f"Borger {n}", **fields),
                         programme=programme)
    pool = match_pool(opening)
    in_sql = {c.pk: c.match_score for c in matching.ranked_pool(opening, pool)}
    explained = {s.citizen.pk: s.score for s in matching.suggest(opening, pool)}
    assert in_sql == explained
    assert len(in_sql) == len(variants)


def test_suggest_top_cuts_the_ranked_pool_and_counts_it(programme, company_a):
    opening = JobOpeningFactory(programme=programme, company=company_a, weekly_hours=15)
    for n in range(7):
        EnrolmentFactory(citizen=CitizenFactory(name=f"Borger {n}", weekly_hours=10 + n),
                         programme=programme)
    top, total = matching.suggest_top(opening, match_pool(opening), limit=3)
    assert total == 7
    assert [s.score for s in top] == sorted((s.score for s in top), reverse=True)
    assert [s.citizen.name for s in top] == [
        s.citizen.name for s in matching.suggest(opening, match_pool(opening))][:3]
