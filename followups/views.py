from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from citizens.choices import AccessAction
from citizens.selectors import citizen_sort_name
from citizens.services import access_log_record
from citizens.views import CitizensShownLogMixin
from csrprogram import policy
from csrprogram.views_base import (
    AbilityRequiredMixin,
    FilteredListView,
    ScopedObjectMixin,
    ServiceFormMixin,
)
from followups import ical, selectors, services, worklist
from followups.choices import Period, VisitKind, VisitStatus
from followups.filters import VisitFilter
from followups.forms import AftercareForm, ExtraVisitForm, VisitRecordForm, VisitRescheduleForm
from followups.models import Visit
from placements.models import Placement


class VisitMixin(ScopedObjectMixin):
    model = Visit

    def get_scoped_queryset(self):
        return selectors.visit_detail(self.request.user, self.action)

    def get_visit(self) -> Visit:
        return self.scoped_object


class PlacementVisitsMixin(ScopedObjectMixin):
    """A placement to plan visits for: the visit ability, the placement's scope."""

    model = Placement
    ability = "followups.add_visit"

    def get_scoped_queryset(self):
        return selectors.placement_for_visits(self.request.user)

    def get_placement(self) -> Placement:
        return self.scoped_object


class VisitListView(CitizensShownLogMixin, FilteredListView):
    """The consultant's work list: overdue, this week's and upcoming visits."""

    ability = "followups.view_visit"
    citizens_shown_path = "placement.citizen_id"
    citizens_shown_purpose = gettext_lazy("Visning af besøgslisten")
    template_name = "followups/visit_list.html"
    context_object_name = "visits"
    filterset_class = VisitFilter
    sort_fields = {"date": ("due_date",), "citizen": (citizen_sort_name("placement__citizen__"),),
                   "company": ("placement__company__name",)}

    def get_base_queryset(self):
        return selectors.visit_work_list(self.request.user)

    def get_filterset_kwargs(self):
        return {"today": self.today}

    def get_queryset(self):
        self.today = timezone.localdate()
        queryset = super().get_queryset()
        valid = not self.filterset.is_bound or self.filterset.form.is_valid()
        self.period = self.filterset.form.cleaned_data.get("period") if (
            self.filterset.is_bound and valid) else ""
        if not self.period:
            queryset = queryset.filter(status=VisitStatus.PLANNED)
        without_period = self.request.GET.copy()
        without_period.pop("period", None)
        without_period.pop("page", None)
        self.without_period = without_period
        counted = VisitFilter(without_period or None,
                              queryset=selectors.visit_work_list(self.request.user),
                              today=self.today)
        self.counts = selectors.work_list_counts(counted.qs, self.today)
        # The buckets' counts are the list's count too (open visits are the three buckets):
        # the paginator need not count again (issue 14). Not for "done", nor a form in error.
        self.known_count = None
        if valid and self.period != Period.DONE:
            self.known_count = (self.counts[self.period] if self.period
                                else sum(self.counts.values()))
        return queryset

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        if self.known_count is not None:
            paginator.count = self.known_count
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = self.counts
        context["querystring_without_period"] = self.without_period.urlencode()
        context["today"] = self.today
        context["this_week_end"] = selectors.week_bounds(self.today)[1]
        context["periods"] = Period
        context["can_edit"] = policy.can(self.request.user, "followups.change_visit")
        context["other_work"] = worklist.open_work(self.request.user, self.today)
        return context


class VisitDetailView(VisitMixin, TemplateView):
    template_name = "followups/visit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access_log_record(citizen=context["visit"].placement.citizen, actor=self.request.user,
                          action=AccessAction.VIEW, purpose=_("Visning af opfølgningsbesøg"))
        context["can_edit"] = context["may"]["change"]
        context["today"] = timezone.localdate()
        context["this_week_end"] = selectors.week_bounds(context["today"])[1]
        return context


class VisitRecordView(ServiceFormMixin, VisitMixin, FormView):
    action = "change"
    template_name = "followups/visit_record.html"
    form_class = VisitRecordForm
    success_message = gettext_lazy("Besøget er registreret.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["ask_retention"] = self.get_visit().kind == VisitKind.TWO_AND_HALF_MONTHS
        return kwargs

    def get_initial(self):
        return {"done_on": min(self.get_visit().due_date, timezone.localdate())}

    def perform(self, form):
        visit = self.get_visit()
        data = form.cleaned_data
        services.visit_record(
            visit=visit, actor=self.request.user, done_on=data["done_on"],
            match_quality=data["match_quality"], met_whom=data["met_whom"],
            notes=data["notes"], agreed_actions=data["agreed_actions"],
            another_visit_needed=data["another_visit_needed"],
            next_visit_on=data["next_visit_on"], retained=form.retained_value())
        return reverse("followups:visit-detail", kwargs={"pk": visit.pk})


class VisitRescheduleView(ServiceFormMixin, VisitMixin, FormView):
    action = "change"
    template_name = "followups/visit_reschedule.html"
    form_class = VisitRescheduleForm
    success_message = gettext_lazy("Besøget er flyttet.")

    def perform(self, form):
        visit = self.get_visit()
        services.visit_reschedule(visit=visit, actor=self.request.user,
                                  due_date=form.cleaned_data["due_date"],
                                  reason=form.cleaned_data["reason"])
        return reverse("followups:visit-detail", kwargs={"pk": visit.pk})


class ExtraVisitView(ServiceFormMixin, PlacementVisitsMixin, FormView):
    template_name = "followups/visit_extra.html"
    form_class = ExtraVisitForm
    success_message = gettext_lazy("Det ekstra besøg er planlagt.")

    def perform(self, form):
        visit = services.visit_add_extra(placement=self.get_placement(),
                                         actor=self.request.user,
                                         due_date=form.cleaned_data["due_date"],
                                         notes=form.cleaned_data["notes"])
        return reverse("followups:visit-detail", kwargs={"pk": visit.pk})


class AftercarePlanView(ServiceFormMixin, PlacementVisitsMixin, FormView):
    template_name = "followups/aftercare_plan.html"
    form_class = AftercareForm

    def perform(self, form):
        visits = services.aftercare_plan(
            placement=self.get_placement(), actor=self.request.user,
            visits=form.cleaned_data["visits"],
            interval_months=form.cleaned_data["interval_months"])
        self.success_message = _("%(count)s efterværnsbesøg er planlagt.") % {
            "count": len(visits)}
        return reverse("followups:visit-detail", kwargs={"pk": visits[0].pk})


class CalendarSettingsView(AbilityRequiredMixin, TemplateView):
    """Create, replace or revoke the consultant's secret calendar address."""

    ability = "followups.change_calendarfeed"
    template_name = "followups/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feed = selectors.calendar_feed_of(self.request.user)
        context["feed"] = feed
        if feed is not None:
            from django.conf import settings
            from django.urls import reverse

            context["feed_url"] = settings.SITE_URL + reverse("followups:calendar-feed",
                                                              args=[feed.token])
        return context

    def post(self, request):
        services.calendar_feed_create(user=request.user)
        messages.success(request, _("Din kalenderadresse er oprettet. En tidligere adresse "
                                    "virker ikke længere."))
        return redirect("followups:calendar")


class CalendarRevokeView(AbilityRequiredMixin, View):
    ability = "followups.change_calendarfeed"

    def post(self, request):
        if services.calendar_feed_revoke(user=request.user):
            messages.success(request, _("Kalenderadressen er slettet og virker ikke længere."))
        return redirect("followups:calendar")


class CalendarFeedView(View):
    """The iCal feed. The secret token in the URL is the only credential."""

    def get(self, request, token: str):
        found = selectors.calendar_visits(token)
        if found is None:
            raise Http404
        user, visits = found
        text = ical.calendar_text(name=_("Opfølgningsbesøg – %(name)s") % {"name": user},
                                  visits=visits)
        response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="opfoelgning.ics"'
        response["Cache-Control"] = "private, max-age=900"
        return response
