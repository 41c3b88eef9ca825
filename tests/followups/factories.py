import datetime as dt

import factory

from followups.choices import VisitKind, VisitStatus
from followups.models import Visit
from tests.placements.factories import PlacementFactory


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    placement = factory.SubFactory(PlacementFactory)
    kind = VisitKind.EXTRA
    due_date = dt.date(2017, 10, 17)
    status = VisitStatus.PLANNED
