import json
from operator import attrgetter

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.gzip import gzip_page
from django.views.generic import FormView, ListView, TemplateView

from citizens import selectors, services
from citizens.choices import AccessAction, RetentionReviewStatus
from citizens.filters import CitizenFilter
from citizens.forms import (
    CitizenForm,
    ConsentForm,
    ConsentWithdrawForm,
    CprLookupForm,
    EnrolmentCloseForm,
    EnrolmentForm,
    ErasureConfirmForm,
    ErasureRequestForm,
    PurposeForm,
    RestrictionForm,
    RetentionDecisionForm,
)
from citizens.models import Citizen, Enrolment
from csrprogram.exports import CSV_CONTENT_TYPE, CsvExportWriter, download_response
from csrprogram.views_base import (
    AbilityRequiredMixin,
    FilteredListView,
    ScopedObjectMixin,
    ServiceFormMixin,
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
class CitizenCreateView(ServiceFormMixin, AbilityRequiredMixin, FormView):
    ability = "citizens.add_citizen"
    template_name = "citizens/citizen_form.html"
    form_class = CitizenForm
    success_message = gettext_lazy("Borgeren er oprettet.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["programmes"] = selectors.programmes_for_enrolment(self.request.user)
        return kwargs

    def get_initial(self):
        return {"consultant": self.request.user, "weekly_hours": 37,
                "enrolled_on": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
        citizen = services.citizen_create(
            actor=self.request.user, cpr=data["cpr"], data=data,
            programme=data.get("programme"), enrolled_on=data.get("enrolled_on"))
        return reverse("citizens:citizen-detail", kwargs={"pk": citizen.pk})


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
class CitizenUpdateView(ServiceFormMixin, CitizenMixin, FormView):
    action = "change"
    template_name = "citizens/citizen_form.html"
    form_class = CitizenForm
    success_message = gettext_lazy("Borgerens oplysninger er gemt.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_citizen()
        return kwargs

    def perform(self, form):
        # The form has copied its data onto the instance; re-read a clean copy, still scoped.
        citizen = get_object_or_404(self.get_scoped_queryset(), pk=self.get_citizen().pk)
        services.citizen_update(citizen=citizen, actor=self.request.user,
                                data=form.cleaned_data, cpr=form.cleaned_data.get("cpr"))
        return reverse("citizens:citizen-detail", kwargs={"pk": citizen.pk})


class EnrolmentCreateView(ServiceFormMixin, CitizenMixin, FormView):
    action = "change"
    template_name = "citizens/enrolment_form.html"
    form_class = EnrolmentForm
    success_message = gettext_lazy("Borgeren er visiteret.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["programmes"] = selectors.programmes_for_enrolment(self.request.user)
        return kwargs

    def get_initial(self):
        return {"enrolled_on": timezone.localdate()}

    def perform(self, form):
        citizen = self.get_citizen()
        services.enrolment_create(
            citizen=citizen, programme=form.cleaned_data["programme"],
            enrolled_on=form.cleaned_data["enrolled_on"],
            referring_consultant=self.request.user, actor=self.request.user,
            notes=form.cleaned_data["notes"])
        return reverse("citizens:citizen-detail", kwargs={"pk": citizen.pk})


class EnrolmentCloseView(ServiceFormMixin, CitizenMixin, FormView):
    action = "change"
    template_name = "citizens/enrolment_close.html"
    form_class = EnrolmentCloseForm
    success_message = gettext_lazy("Visiteringen er afsluttet.")

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

    def perform(self, form):
        enrolment = self.get_enrolment()
        services.enrolment_close(enrolment=enrolment, actor=self.request.user,
                                 **form.cleaned_data)
        return reverse("citizens:citizen-detail", kwargs={"pk": enrolment.citizen_id})


class ConsentCreateView(ServiceFormMixin, CitizenMixin, FormView):
    action = "change"
    template_name = "citizens/consent_form.html"
    form_class = ConsentForm

    def get_initial(self):
        return {"given_on": timezone.localdate()}

    def perform(self, form):
        citizen = self.get_citizen()
        services.consent_record(citizen=citizen, actor=self.request.user,
                                **form.cleaned_data)
        return reverse("citizens:citizen-detail", kwargs={"pk": citizen.pk})
    success_message = gettext_lazy("Samtykket er registreret.")


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
            withdrawal = services.consent_withdraw(
                consent=consent, actor=request.user,
                withdrawn_on=form.cleaned_data["withdrawn_on"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            # What the other apps did because of it (e.g. stories at coming events removed).
            messages.success(request, " ".join([_("Samtykket er trukket tilbage."),
                                                *withdrawal.consequences]))
        return redirect("citizens:citizen-detail", pk=citizen.pk)


class AccessLogView(CitizenMixin, ListView):
    ability = "citizens.view_accesslog"
    template_name = "citizens/access_log.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self):
        return selectors.access_log_for(self.get_citizen())


# Sent gzip-compressed to a browser that accepts it (all do): a long log is several hundred KB
# of CSV and a tenth of that compressed (issue 14). The file holds no secret that a page could
# reflect beside attacker-chosen text, so compression does not expose one (BREACH).
@method_decorator(gzip_page, name="get")
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
        # Plain rows and each action's label translated once: a long log is thousands of
        # rows, and a model instance and get_action_display() per row made the export
        # 14 times a list page (issue 14).
        actions = {value: str(label) for value, label in AccessAction.choices}
        rows = selectors.access_log_for(citizen).values_list(
            "at", "actor", "actor__first_name", "actor__last_name", "actor__email", "action",
            "purpose")
        for at, actor, first_name, last_name, email, action, purpose in rows.iterator(
                chunk_size=1000):
            # The user as ``str(user)`` shows them: the full name, or else the email.
            name = f"{first_name} {last_name}".strip() or email if actor else ""
            writer.writerow([at, name, email or "", actions.get(action, action), purpose])
        return response




# --- A citizen's rights (issue 16): team leaders, every step logged with a purpose --------------

ERASURE_SALT = "citizens.erasure"
# The confirmation step must follow the first step soon; a stale page starts again.
ERASURE_CONFIRM_SECONDS = 15 * 60


class CitizenRightsView(CitizenMixin, TemplateView):
    """Access/export, restriction and erasure of one citizen's data, for a team leader."""

    ability = "citizens.export_citizen"
    template_name = "citizens/citizen_rights.html"

    def get(self, request, *args, **kwargs):
        services.access_log_record(citizen=self.get_citizen(), actor=request.user,
                                   action=AccessAction.VIEW,
                                   purpose=_("Borgerens rettigheder"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["purpose_form"] = kwargs.get("purpose_form") or PurposeForm()
        context["restriction_form"] = RestrictionForm()
        return context


class CitizenExportView(CitizenMixin, View):
    """Everything about the citizen as JSON or as a Danish PDF (POST: the purpose is logged)."""

    ability = "citizens.export_citizen"
    export_format = "json"

    def post(self, request, pk):
        citizen = self.get_citizen()
        form = PurposeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Angiv formålet med indsigten."))
            return redirect("citizens:citizen-rights", pk=citizen.pk)
        export = services.citizen_export(citizen=citizen, actor=request.user,
                                         purpose=form.cleaned_data["purpose"])
        if self.export_format == "pdf":
            filename, content = services.citizen_export_pdf(export=export, citizen=citizen,
                                                            language="da")
            return download_response(content, filename=filename,
                                     content_type="application/pdf")
        content = json.dumps(export, ensure_ascii=False, indent=2, default=str).encode()
        return download_response(content, filename=f"indsigt-borger-{citizen.pk}.json",
                                 content_type="application/json; charset=utf-8")


class CitizenRestrictView(CitizenMixin, View):
    """Restrict processing, or lift the restriction (POST with a reason)."""

    ability = "citizens.restrict_citizen"

    def post(self, request, pk):
        citizen = self.get_citizen()
        form = RestrictionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Angiv en begrundelse."))
            return redirect("citizens:citizen-rights", pk=citizen.pk)
        service = (services.citizen_restriction_lift if citizen.restricted_at
                   else services.citizen_restrict)
        try:
            service(citizen=citizen, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Begrænsningen er ophævet.") if citizen.restricted_at
                             else _("Behandlingen er begrænset."))
        return redirect("citizens:citizen-rights", pk=citizen.pk)


class CitizenEraseView(CitizenMixin, TemplateView):
    """Erasure in two steps: the reason, then an explicit confirmation of a signed first step
    (which expires after a quarter of an hour)."""

    ability = "citizens.erase_citizen"
    template_name = "citizens/citizen_erase.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("request_form", ErasureRequestForm())
        return context

    def post(self, request, pk):
        citizen = self.get_citizen()
        if citizen.erased_at is not None:
            messages.error(request, _("Borgerens oplysninger er allerede slettet."))
            return redirect("citizens:erasure-list")
        if "token" not in request.POST:
            form = ErasureRequestForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(request_form=form))
            token = signing.dumps({"pk": citizen.pk, "reason": form.cleaned_data["reason"]},
                                  salt=ERASURE_SALT)
            return self.render_to_response(self.get_context_data(
                confirm_form=ErasureConfirmForm(initial={"token": token}),
                reason=form.cleaned_data["reason"],
                preview=services.citizen_erasure_preview(citizen=citizen)))
        form = ErasureConfirmForm(request.POST)
        payload = None
        if form.is_valid():
            try:
                payload = signing.loads(form.cleaned_data["token"], salt=ERASURE_SALT,
                                        max_age=ERASURE_CONFIRM_SECONDS)
            except signing.BadSignature:
                payload = None
            if payload is None or payload.get("pk") != citizen.pk:
                messages.error(request, _("Bekræftelsen er udløbet. Start sletningen forfra."))
                return redirect("citizens:citizen-erase", pk=citizen.pk)
        if payload is None:
            return self.render_to_response(self.get_context_data(
                confirm_form=form, reason="",
                preview=services.citizen_erasure_preview(citizen=citizen)))
        try:
            services.citizen_erase(citizen=citizen, actor=request.user,
                                   reason=payload["reason"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("citizens:citizen-rights", pk=citizen.pk)
        messages.success(request, _("Borgerens personoplysninger er slettet."))
        return redirect("citizens:erasure-list")


class ErasureListView(AbilityRequiredMixin, ListView):
    """The record that erasures happened: when, by whom, why (never what)."""

    ability = "citizens.erase_citizen"
    template_name = "citizens/erasure_list.html"
    context_object_name = "erasures"
    paginate_by = 50

    def get_queryset(self):
        return selectors.erasure_records()


class RetentionReviewListView(AbilityRequiredMixin, ListView):
    ability = "citizens.approve_retentionreview"
    template_name = "citizens/retention_review_list.html"
    context_object_name = "reviews"
    paginate_by = 25

    def get_queryset(self):
        return selectors.retention_reviews()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["default_months"] = settings.CSR_CITIZEN_RETENTION_MONTHS
        return context


class RetentionReviewDetailView(AbilityRequiredMixin, TemplateView):
    """The dry-run report: who would be anonymised and why; approve or reject it."""

    ability = "citizens.approve_retentionreview"
    template_name = "citizens/retention_review_detail.html"

    def get_review(self):
        return get_object_or_404(selectors.retention_reviews(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = self.get_review()
        rows = [(citizen, services.citizen_retention_due_on(citizen))
                for citizen in selectors.retention_review_citizens(review)]
        if review.status == RetentionReviewStatus.PENDING:
            services.access_log_record_many(
                citizen_ids=[citizen.pk for citizen, _due in rows], actor=self.request.user,
                action=AccessAction.LIST, purpose=_("Gennemgang af opbevaringsperiode"))
        context.update(review=review, rows=rows,
                       pending=review.status == RetentionReviewStatus.PENDING)
        return context

    def post(self, request, pk):
        review = self.get_review()
        form = RetentionDecisionForm(request.POST)
        if not form.is_valid():
            raise Http404
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.retention_review_decide(review=review, actor=request.user,
                                             approve=approve)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Gennemgangen er godkendt. Borgerne anonymiseres i "
                                        "løbet af de næste timer.") if approve
                             else _("Gennemgangen er afvist. Ingen borgere anonymiseres."))
        return redirect("citizens:retention-review-detail", pk=review.pk)
