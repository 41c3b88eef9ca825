from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from citizens.choices import AccessAction
from citizens.selectors import citizen_sort_name, citizens_visible_to, programmes_for_enrolment
from citizens.services import access_log_record
from citizens.views import CitizensShownLogMixin
from csrprogram.views_base import (
    AbilityRequiredMixin,
    FilteredListView,
    ScopedObjectMixin,
    ServiceFormMixin,
    add_service_errors,
    import_response,
)
from placements import matching, selectors, services
from placements.choices import CandidacyStatus, PlacementStatus
from placements.filters import OpeningFilter, PlacementFilter
from placements.forms import (
    DecisionForm,
    OpeningForm,
    OpeningImportForm,
    PlacementEndForm,
    PlacementStartForm,
    PortalAcceptForm,
    PortalDeclineForm,
    ProposeForm,
    SpotJobForm,
)
from placements.models import Candidacy, JobOpening, Placement


def flash_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


class OpeningMixin(ScopedObjectMixin):
    model = JobOpening
    scoped_context_name = "opening"

    def get_scoped_queryset(self):
        return selectors.openings_visible_to(self.request.user, self.action,
                                             ability=self.ability or None)

    def get_opening(self) -> JobOpening:
        return self.scoped_object


class CandidacyMixin(ScopedObjectMixin):
    model = Candidacy
    action = "change"

    def get_scoped_queryset(self):
        return selectors.candidacies_visible_to(self.request.user, self.action)

    def get_candidacy(self) -> Candidacy:
        return self.scoped_object


class PlacementMixin(ScopedObjectMixin):
    model = Placement

    def get_scoped_queryset(self):
        return selectors.placements_visible_to(self.request.user, self.action)

    def get_placement(self) -> Placement:
        return self.scoped_object


# --- Openings ------------------------------------------------------------------------------------

class OpeningListView(FilteredListView):
    ability = "placements.view_jobopening"
    template_name = "placements/opening_list.html"
    context_object_name = "openings"
    filterset_class = OpeningFilter
    sort_fields = {"title": ("title",), "company": ("company__name", "title"),
                   "registered": ("registered_on",), "hours": ("weekly_hours",)}

    def get_base_queryset(self):
        return selectors.opening_list(self.request.user)


class OpeningCreateView(ServiceFormMixin, AbilityRequiredMixin, FormView):
    ability = "placements.add_jobopening"
    template_name = "placements/opening_form.html"
    form_class = OpeningForm
    success_message = gettext_lazy("Jobåbningen er registreret.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["programmes"] = programmes_for_enrolment(self.request.user)
        return kwargs

    def get_initial(self):
        first = programmes_for_enrolment(self.request.user).first()
        return {"registered_on": timezone.localdate(), "programme": first, "positions": 1}

    def perform(self, form):
        opening = services.opening_create(actor=self.request.user, data=form.cleaned_data)
        return reverse("placements:opening-detail", kwargs={"pk": opening.pk})


class SpotJobView(OpeningCreateView):
    """The phone-friendly "Spot et job" form."""

    template_name = "placements/spot_job_form.html"
    form_class = SpotJobForm


class OpeningUpdateView(ServiceFormMixin, OpeningMixin, FormView):
    action = "change"
    template_name = "placements/opening_form.html"
    form_class = OpeningForm
    success_message = gettext_lazy("Jobåbningen er gemt.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["programmes"] = programmes_for_enrolment(self.request.user)
        kwargs["instance"] = self.get_opening()
        return kwargs

    def perform(self, form):
        opening = self.get_opening()
        services.opening_update(opening=opening, actor=self.request.user,
                                data=form.cleaned_data)
        return reverse("placements:opening-detail", kwargs={"pk": opening.pk})


class OpeningWithdrawView(OpeningMixin, View):
    action = "change"

    def post(self, request, pk):
        opening = self.get_opening()
        try:
            services.opening_withdraw(opening=opening, actor=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Jobåbningen er trukket tilbage."))
        return redirect("placements:opening-detail", pk=opening.pk)


class OpeningImportView(AbilityRequiredMixin, FormView):
    ability = "placements.add_jobopening"
    template_name = "placements/opening_import.html"
    form_class = OpeningImportForm
    success_message = ngettext_lazy("%(count)s jobåbning er importeret.",
                                    "%(count)s jobåbninger er importeret.", "count")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["programmes"] = programmes_for_enrolment(self.request.user)
        return kwargs

    def form_valid(self, form):
        result = services.openings_import(actor=self.request.user,
                                          programme=form.cleaned_data["programme"],
                                          uploaded=form.cleaned_data["file"])
        return import_response(self, form, result,
                               success_url=reverse("placements:opening-list"),
                               success_message=self.success_message)


class OpeningDetailView(OpeningMixin, TemplateView):
    template_name = "placements/opening_detail.html"

    def get_scoped_queryset(self):
        return selectors.opening_detail(self.request.user)


def _positive_int(value, default: int) -> int:
    """A positive whole number from the query string, or ``default`` for anything else."""
    if value and value.isascii() and value.isdigit() and len(value) < 6 and int(value):
        return int(value)
    return default


class OpeningMatchView(CitizensShownLogMixin, OpeningMixin, TemplateView):
    """Suggested candidates with their reasons; propose one or more."""

    ability = "placements.add_candidacy"
    citizens_shown_key = "suggestions"
    citizens_shown_path = "citizen.pk"
    citizens_shown_purpose = gettext_lazy("Matchforslag til jobåbning")
    template_name = "placements/opening_match.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        opening = self.get_opening()
        pool = selectors.match_pool_visible_to(self.request.user, opening)
        shown = _positive_int(self.request.GET.get("vis"), matching.SUGGESTIONS_STEP)
        suggestions, total = matching.suggest_top(opening, pool, limit=shown)
        context["suggestions"] = suggestions
        context["suggestions_total"] = total
        if len(suggestions) < min(total, matching.SUGGESTIONS_MAX):
            context["more_url"] = f"?vis={len(suggestions) + matching.SUGGESTIONS_STEP}"
        context["form"] = kwargs.get("form") or ProposeForm()
        context["failed_name"] = kwargs.get("failed_name")
        return context

    def post(self, request, pk):
        opening = self.get_opening()
        form = ProposeForm(request.POST)
        if not form.is_valid():
            if "citizen" in form.errors:
                raise Http404
            return self.render_to_response(self.get_context_data(form=form))
        citizen = get_object_or_404(citizens_visible_to(request.user),
                                    pk=form.cleaned_data["citizen"])
        try:
            services.candidacy_propose(
                opening=opening, citizen=citizen, actor=request.user,
                motivation=form.cleaned_data["motivation"],
                hours_override_reason=form.cleaned_data["hours_override_reason"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form,
                                                                 failed_name=citizen.display_name))
        # Flash messages never name a citizen: they can be stored in the session table, which
        # an erasure does not search (issue 16; tests/citizens/test_flash_messages.py).
        messages.success(request, _("Kandidaten er foreslået."))
        return redirect("placements:opening-match", pk=opening.pk)


# --- Candidacies (consultant side) ---------------------------------------------------------------

class CandidacyPresentView(CandidacyMixin, View):
    def post(self, request, pk):
        candidacy = self.get_candidacy()
        try:
            services.candidacy_present(candidacy=candidacy, actor=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Kandidaten er præsenteret for virksomheden."))
        return redirect("placements:opening-detail", pk=candidacy.opening_id)


class CandidacyWithdrawView(CandidacyMixin, View):
    def post(self, request, pk):
        candidacy = self.get_candidacy()
        try:
            services.candidacy_withdraw(candidacy=candidacy, actor=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Kandidaten er trukket tilbage."))
        return redirect("placements:opening-detail", pk=candidacy.opening_id)


class CandidacyDecisionView(ServiceFormMixin, CandidacyMixin, FormView):
    """The consultant records the employer's answer (accept starts the placement)."""

    template_name = "placements/candidacy_decision.html"
    form_class = DecisionForm

    def get_initial(self):
        return {"decided_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["candidacy"] = self.get_candidacy()
        return context

    def perform(self, form):
        candidacy = self.get_candidacy()
        data = form.cleaned_data
        if data["decision"] == DecisionForm.ACCEPT:
            placement = services.candidacy_accept(
                candidacy=candidacy, actor=self.request.user, decided_on=data["decided_on"],
                start_date=data["start_date"], planned_end=data["planned_end"],
                weekly_hours=data["weekly_hours"])
            self.success_message = _("Forløbet er startet.")
            return reverse("placements:placement-detail", kwargs={"pk": placement.pk})
        services.candidacy_decline(candidacy=candidacy, actor=self.request.user,
                                   decided_on=data["decided_on"], reason=data["decline_reason"])
        self.success_message = _("Fravalget er registreret.")
        return reverse("placements:opening-detail", kwargs={"pk": candidacy.opening_id})


# --- Placements ----------------------------------------------------------------------------------

class PlacementListView(CitizensShownLogMixin, FilteredListView):
    ability = "placements.view_placement"
    citizens_shown_path = "citizen_id"
    citizens_shown_purpose = gettext_lazy("Visning af forløbslisten")
    template_name = "placements/placement_list.html"
    context_object_name = "placements"
    filterset_class = PlacementFilter
    sort_fields = {"citizen": (citizen_sort_name("citizen__"),), "company": ("company__name",),
                   "start": ("start_date",)}

    def get_base_queryset(self):
        return selectors.placements_visible_to(self.request.user)


# The placement's follow-up visits come from the app above this one: its template-tag library
# is loaded by a template of ours, included only when the library is installed.
PLACEMENT_SECTIONS = (("followups_tags", "placements/includes/placement_followups.html"),
                      ("cases_tags", "cases/includes/placement_stories.html"))


class PlacementDetailView(PlacementMixin, TemplateView):
    template_name = "placements/placement_detail.html"

    def get(self, request, *args, **kwargs):
        access_log_record(citizen=self.get_placement().citizen, actor=request.user,
                          action=AccessAction.VIEW, purpose=_("Visning af forløb"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        placement = self.get_placement()
        context["can_edit"] = (context["may"]["change"]
                               and placement.status == PlacementStatus.ACTIVE)
        libraries = engines["django"].engine.template_libraries
        context["course_sections"] = [template for library, template in PLACEMENT_SECTIONS
                                      if library in libraries]
        return context


class PlacementEndView(ServiceFormMixin, PlacementMixin, FormView):
    action = "change"
    template_name = "placements/placement_end.html"
    form_class = PlacementEndForm
    success_message = gettext_lazy("Forløbet er afsluttet.")

    def get_initial(self):
        return {"end_date": timezone.localdate()}

    def perform(self, form):
        placement = self.get_placement()
        services.placement_end(placement=placement, actor=self.request.user,
                               **form.cleaned_data)
        return reverse("placements:placement-detail", kwargs={"pk": placement.pk})


class PlacementStartChangeView(PlacementEndView):
    template_name = "placements/placement_start.html"
    form_class = PlacementStartForm
    success_message = gettext_lazy("Startdatoen er rettet.")

    def get_initial(self):
        return {"start_date": self.get_placement().start_date}

    def perform(self, form):
        placement = self.get_placement()
        services.placement_change_start(placement=placement, actor=self.request.user,
                                        start_date=form.cleaned_data["start_date"])
        return reverse("placements:placement-detail", kwargs={"pk": placement.pk})


# --- The company portal --------------------------------------------------------------------------

class PortalOpeningListView(AbilityRequiredMixin, ListView):
    ability = "placements.portal_jobopening"
    template_name = "placements/portal_opening_list.html"
    context_object_name = "openings"
    paginate_by = 25

    def get_queryset(self):
        return selectors.portal_openings(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["company"] = selectors.company_of_contact(self.request.user)
        context["querystring_without_page"] = ""
        return context


class PortalOpeningDetailView(ScopedObjectMixin, TemplateView):
    model = JobOpening
    action = "portal"
    scoped_context_name = "opening"
    template_name = "placements/portal_opening_detail.html"

    def get_scoped_queryset(self):
        return selectors.portal_opening_detail(self.request.user)


class PortalCandidacyView(ScopedObjectMixin, TemplateView):
    """A presented candidate as the company sees them: name, competencies, wishes and the
    consultant's motivation; never the CPR number, target group or accommodation notes."""

    model = Candidacy
    action = "decide"
    template_name = "placements/portal_candidacy.html"

    def get_scoped_queryset(self):
        return selectors.portal_candidacy(self.request.user)

    def get_candidacy(self) -> Candidacy:
        return self.scoped_object

    def get(self, request, *args, **kwargs):
        candidacy = self.get_candidacy()
        access_log_record(citizen=candidacy.citizen, actor=request.user,
                          action=AccessAction.VIEW,
                          purpose=_("Virksomhedens vurdering af kandidat"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        candidacy = self.get_candidacy()
        context["citizen"] = candidacy.citizen
        context["disclosed"] = candidacy.identity_disclosed_at is not None
        context["may_meet"] = candidacy.status in (CandidacyStatus.PRESENTED,
                                                   CandidacyStatus.ACCEPTED)
        context["undecided"] = candidacy.status == CandidacyStatus.PRESENTED
        context["accept_form"] = kwargs.get("accept_form") or PortalAcceptForm()
        context["decline_form"] = kwargs.get("decline_form") or PortalDeclineForm()
        return context

    def post(self, request, pk):
        candidacy = self.get_candidacy()
        if "meet" in request.POST:
            try:
                services.candidacy_request_meeting(candidacy=candidacy, actor=request.user)
            except ValidationError as error:
                return self.render_to_response(self.get_context_data(
                    meet_form_errors=error.messages))
            messages.success(request, _("Jobcentret får besked. Her er kandidatens navn og "
                                        "kontaktoplysninger."))
            return redirect("placements:portal-candidacy", pk=candidacy.pk)
        if "decline" in request.POST:
            form = PortalDeclineForm(request.POST)
            if form.is_valid():
                try:
                    services.candidacy_decline(candidacy=candidacy, actor=request.user,
                                               reason=form.cleaned_data["decline_reason"])
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("Tak. Jobcentret får besked om dit svar."))
                    return redirect("placements:portal-opening-detail",
                                    pk=candidacy.opening_id)
            return self.render_to_response(self.get_context_data(decline_form=form))
        form = PortalAcceptForm(request.POST)
        if form.is_valid():
            try:
                services.candidacy_accept(candidacy=candidacy, actor=request.user,
                                          start_date=form.cleaned_data["start_date"],
                                          planned_end=form.cleaned_data["planned_end"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Du har valgt kandidaten. Forløbet er startet."))
                return redirect("placements:portal-opening-detail", pk=candidacy.opening_id)
        return self.render_to_response(self.get_context_data(accept_form=form))
