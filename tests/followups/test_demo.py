from django.core.management import call_command
from django.utils import timezone

from csrprogram.metrics import registry
from csrprogram.models import Programme
from followups.choices import VisitStatus
from followups.models import Visit


def test_demo_has_a_mix_of_visits_and_the_retained_share(db):
    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()
    open_visits = Visit.objects.filter(status=VisitStatus.PLANNED)
    assert open_visits.filter(due_date__lt=today).exists(), "some visits are overdue"
    assert open_visits.filter(due_date__gte=today).exists(), "some visits are coming up"
    assert Visit.objects.filter(status=VisitStatus.DONE, done_on__gte=today.replace(day=1)
                                .replace(year=today.year - 1)).exists(), "recent visits done"
    retention = Programme.objects.get(name__startswith="Fastholdelse")
    period = {"start": retention.starts_on, "end": today}
    retained = registry.get("retained_at_3_months").count(retention, **period)
    share = registry.get("share_retained").count(retention, **period)
    assert 25 <= retained <= 40
    assert 55 <= share <= 85
