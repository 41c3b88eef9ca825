"""Casebank metrics for programme targets and the dashboard (see csrprogram.metrics)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.choices import CollectionStatus, StoryStatus
from cases.models import CaseCollection, CaseStory
from csrprogram import metrics


def _daily(queryset, *, start, end) -> dict:
    rows = (queryset.filter(published_on__gte=start, published_on__lte=end)
            .values("published_on").annotate(n=Count("pk")).order_by("published_on"))
    return {row["published_on"]: row["n"] for row in rows}


@metrics.register
class CaseStoriesPublished(metrics.Metric):
    key = "case_stories_published"
    label = _("Casebeskrivelser offentliggjort")
    description = _("Anonymiserede casebeskrivelser fra programmets forløb, der er "
                    "offentliggjort og ikke trukket tilbage, talt på dagen for "
                    "offentliggørelsen.")

    def daily(self, programme, *, start, end):
        return _daily(CaseStory.objects.filter(programme=programme,
                                               status=StoryStatus.PUBLISHED),
                      start=start, end=end)

    def records_url(self, programme, *, start, end):
        return (f"{reverse('cases:story-list')}?programme={programme.pk}"
                f"&status={StoryStatus.PUBLISHED}")


@metrics.register
class CaseCollectionsPublished(metrics.Metric):
    key = "case_collections_published"
    label = _("Casesamlinger offentliggjort")
    description = _("Casesamlinger for programmet, der er offentliggjort, talt på dagen for "
                    "offentliggørelsen.")

    def daily(self, programme, *, start, end):
        return _daily(CaseCollection.objects.filter(programme=programme,
                                                    status=CollectionStatus.PUBLISHED),
                      start=start, end=end)

    def records_url(self, programme, *, start, end):
        return f"{reverse('cases:collection-list')}?programme={programme.pk}"
