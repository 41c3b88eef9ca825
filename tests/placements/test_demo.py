from django.core.management import call_command

from citizens.models import Citizen
from csrprogram.metrics import registry
from csrprogram.models import Programme
from placements.models import Candidacy, JobOpening, Placement


def _counts():
    return (Citizen.objects.count(), JobOpening.objects.count(), Candidacy.objects.count(),
            Placement.objects.count())


def test_demo_gives_both_programmes_50_citizens_and_a_realistic_flow(db):
    call_command("seed_demo", verbosity=0)
    first = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == first

    def count(programme, key):
        return registry.get(key).count(programme, start=programme.starts_on,
                                       end=programme.ends_on)

    strategy = Programme.objects.get(name="CSR Strategi 2017")
    retention = Programme.objects.get(name__startswith="Fastholdelse af medarbejdere")
    assert count(strategy, "citizens_enrolled") == 50
    assert count(retention, "citizens_enrolled") == 50
    assert 850 <= count(strategy, "internship_places_offered") <= 1000
    assert count(strategy, "internships_started") >= 30
    assert count(retention, "csr_jobs_started") >= 30
    assert count(retention, "citizens_into_job_or_education") >= 13
