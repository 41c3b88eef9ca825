from operator import attrgetter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template import engines
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, ListView, TemplateView

from citizens import selectors, services
from citizens.choices import AccessAction
from citizens.filters import CitizenFilter
from citizens.forms import (
    CitizenForm,
    ConsentForm,
    ConsentWithdrawForm,
    CprLookupForm,
    EnrolmentCloseForm,
    EnrolmentForm,
)
from citizens.models import Citizen, Enrolment
from csrprogram.exports import CSV_CONTENT_TYPE, CsvExportWriter, download_response
from csrprogram.views_base import (
    AbilityRequiredMixin,
    FilteredListView,
    ScopedObjectMixin,
    add_service_errors,
)

# More of the citizen's course from the apps above this one (the follow-up visits): each
# section is a template of ours that loads the other app's template-tag library, included only
# when that library is installed, so this app needs no import from the apps above it.
COURSE_SECTIONS = (("followups_tags", "citizens/includes/course_followups.html"),)
# Error reports (and the admins' error e-mails) show the CPR field as stars.
hide_cpr = method_decorator(sensitive_post_parameters("cpr"), name="dispatch")


# Changing a citizen record (and seeing the full CPR number) is "citizens.change_citizen".


class CitizenMixin(ScopedObjectMixin):
    """The citizen of the URL, in the user's scope for ``action`` (404 outside it)."""

    model = Citizen

    def get_scoped_queryset(self):
        return selectors.citizens_visible_to(self.request.user, self.action,
                                             ability=self.ability or None)

    def get_citizen(self) -> Citizen:
        return self.scoped_object


class CitizensShownLogMixin:
    """Logs a read of every citizen a page lists (DESIGN.md §6: every read is logged).

    Only the rows on the page are logged, not the whole filtered result. Set
    ``citizens_shown_key`` (the context entry holding the rows), ``citizens_shown_path``
    (the attribute path from a row to the citizen's primary key) and
    ``citizens_shown_purpose``.
    """

    citizens_shown_key = "object_list"
    citizens_shown_path = "pk"
    citizens_shown_purpose = gettext_lazy("Visning i liste")

    def render_to_response(self, context, **response_kwargs):
        # Here, not in get_context_data: the view's own context is complete only now.
        citizen_pk = attrgetter(self.citizens_shown_path)
        services.access_log_record_many(
            citizen_ids=[citizen_pk(row) for row in context[self.citizens_shown_key]],
            actor=self.request.user, action=AccessAction.LIST,
            purpose=self.citizens_shown_purpose)
        return super().render_to_response(context, **response_kwargs)


class CitizenListView(CitizensShownLogMixin, FilteredListView):
    ability = "citizens.view_citizen"
    citizens_shown_purpose = gettext_lazy("Visning af borgerlisten")
    template_name = "citizens/citizen_list.html"
    context_object_name = "citizens"
    filterset_class = CitizenFilter
    sort_fields = {"name": ("name",), "target_group": ("target_group", "name")}

    def get_base_queryset(self):
        return selectors.citizen_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lookup_form"] = CprLookupForm()
        return context


@hide_cpr
class CitizenLookupView(AbilityRequiredMixin, FormView):
    """Find a citizen by typing the CPR number: a POST, so the number is never in a URL."""

    ability = "citizens.view_citizen"
    template_name = "citizens/citizen_lookup.html"
    form_class = CprLookupForm

    def form_valid(self, form):
        citizen = selectors.citizen_by_cpr(self.request.user, form.cleaned_data["cpr"])
        if citizen is None:
            return self.render_to_response(self.get_context_data(form=CprLookupForm(),
                                                                 not_found=True))
        services.access_log_record(citizen=citizen, actor=self.request.user,
                                   action=AccessAction.LOOKUP, purpose=_("CPR-opslag"))
        return redirect("citizens:citizen-detail", pk=citizen.pk)


@hide_cpr
class CitizenCreateView(AbilityRequiredMixin, FormView):
    ability = "citizens.add_citizen"
    template_name = "citizens/citizen_form.html"
    form_class = CitizenForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["programmes"] = selectors.programmes_for_enrolment(self.request.user)
        return kwargs

    def get_initial(self):
        return {"consultant": self.request.user, "weekly_hours": 37,
                "enrolled_on": timezone.localdate()}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            citizen = services.citizen_create(
                actor=self.request.user, cpr=data["cpr"], data=data,
                programme=data.get("programme"), enrolled_on=data.get("enrolled_on"))
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Borgeren er oprettet."))
        return redirect("citizens:citizen-detail", pk=citizen.pk)


class CitizenDetailView(CitizenMixin, TemplateView):
    template_name = "citizens/citizen_detail.html"
    full_cpr = False

    def get_scoped_queryset(self):
        return selectors.citizen_detail(self.request.user)

    def get(self, request, *args, **kwargs):
        citizen = self.get_citizen()
        services.access_log_record(citizen=citizen, actor=request.user,
                                   action=AccessAction.VIEW, purpose=_("Visning af borgerside"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        citizen = context["citizen"]
        # The course from the placements app, read through the reverse relations its models
        # add to Citizen (no import of an app above this one).
        context["candidacies"] = (citizen.candidacies.select_related("opening__company")
                                  .order_by("-proposed_at", "-pk"))
        context["placements"] = (citizen.placements.select_related("company", "consultant")
                                 .order_by("-start_date", "-pk"))
        libraries = engines["django"].engine.template_libraries
        context["course_sections"] = [template for library, template in COURSE_SECTIONS
                                      if library in libraries]
        return context


class CitizenRevealCprView(CitizenMixin, View):
    """Shows the full CPR number once, on a POST, and logs it."""

    action = "change"

    def post(self, request, pk):
        citizen = self.get_citizen()
        services.access_log_record(citizen=citizen, actor=request.user,
                                   action=AccessAction.VIEW,
                                   purpose=_("Visning af fuldt CPR-nummer"))
        view = CitizenDetailView(request=request, kwargs={"pk": pk}, args=())
        view._scoped_object = citizen
        context = view.get_context_data()
        context["full_cpr"] = citizen.get_cpr()
        response = view.render_to_response(context)
        response["Cache-Control"] = "no-store"
        return response


@hide_cpr
class CitizenUpdateView(CitizenMixin, FormView):
    action = "change"
    template_name = "citizens/citizen_form.html"
    form_class = CitizenForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_citizen()
        return kwargs

    def form_valid(self, form):
        # The form has copied its data onto the instance; re-read a clean copy, still scoped.
        citizen = get_object_or_404(self.get_scoped_queryset(), pk=self.get_citizen().pk)
        try:
            services.citizen_update(citizen=citizen, actor=self.request.user,
                                    data=form.cleaned_data, cpr=form.cleaned_data.get("cpr"))
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Borgerens oplysninger er gemt."))
        return redirect("citizens:citizen-detail", pk=citizen.pk)


class EnrolmentCreateView(CitizenMixin, FormView):
    action = "change"
    template_name = "citizens/enrolment_form.html"
    form_class = EnrolmentForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["programmes"] = selectors.programmes_for_enrolment(self.request.user)
        return kwargs

    def get_initial(self):
        return {"enrolled_on": timezone.localdate()}

    def form_valid(self, form):
        citizen = self.get_citizen()
        try:
            services.enrolment_create(
                citizen=citizen, programme=form.cleaned_data["programme"],
                enrolled_on=form.cleaned_data["enrolled_on"],
                referring_consultant=self.request.user, actor=self.request.user,
                notes=form.cleaned_data["notes"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Borgeren er visiteret."))
        return redirect("citizens:citizen-detail", pk=citizen.pk)


class EnrolmentCloseView(CitizenMixin, FormView):
    action = "change"
    template_name = "citizens/enrolment_close.html"
    form_class = EnrolmentCloseForm

    def get_enrolment(self) -> Enrolment:
        if not hasattr(self, "_enrolment"):
            self._enrolment = get_object_or_404(
                self.get_citizen().enrolments.select_related("programme"),
                pk=self.kwargs["enrolment_pk"])
        return self._enrolment

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["enrolment"] = self.get_enrolment()
        return context

    def get_initial(self):
        return {"exit_date": timezone.localdate()}

    def form_valid(self, form):
        enrolment = self.get_enrolment()
        try:
            services.enrolment_close(enrolment=enrolment, actor=self.request.user,
                                     **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Visiteringen er afsluttet."))
        return redirect("citizens:citizen-detail", pk=enrolment.citizen_id)


class ConsentCreateView(CitizenMixin, FormView):
    action = "change"
    template_name = "citizens/consent_form.html"
    form_class = ConsentForm

    def get_initial(self):
        return {"given_on": timezone.localdate()}

    def form_valid(self, form):
        citizen = self.get_citizen()
        try:
            services.consent_record(citizen=citizen, actor=self.request.user,
                                    **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Samtykket er registreret."))
        return redirect("citizens:citizen-detail", pk=citizen.pk)


class ConsentWithdrawView(CitizenMixin, View):
    action = "change"

    def post(self, request, pk, consent_pk):
        citizen = self.get_citizen()
        consent = get_object_or_404(citizen.consents, pk=consent_pk)
        form = ConsentWithdrawForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Angiv datoen for tilbagetrækningen."))
            return redirect("citizens:citizen-detail", pk=citizen.pk)
        try:
            services.consent_withdraw(consent=consent, actor=request.user,
                                      withdrawn_on=form.cleaned_data["withdrawn_on"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Samtykket er trukket tilbage."))
        return redirect("citizens:citizen-detail", pk=citizen.pk)


class AccessLogView(CitizenMixin, ListView):
    ability = "citizens.view_accesslog"
    template_name = "citizens/access_log.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self):
        return selectors.access_log_for(self.get_citizen())


class AccessLogExportView(CitizenMixin, View):
    """The citizen's access log as CSV (for a data-protection request)."""

    ability = "citizens.view_accesslog"

    def get(self, request, pk):
        citizen = self.get_citizen()
        services.access_log_record(citizen=citizen, actor=request.user,
                                   action=AccessAction.EXPORT,
                                   purpose=_("Eksport af adgangslog"))
        response = download_response(b"", filename=f"adgangslog-borger-{citizen.pk}.csv",
                                     content_type=CSV_CONTENT_TYPE)
        writer = CsvExportWriter(response).start()
        writer.writerow([_("Tidspunkt"), _("Bruger"), _("E-mail"), _("Handling"),
                         _("Formål")])
        for entry in selectors.access_log_for(citizen).iterator():
            writer.writerow([
                entry.at,
                str(entry.actor) if entry.actor else "",
                entry.actor.email if entry.actor else "",
                entry.get_action_display(), entry.purpose,
            ])
        return response


