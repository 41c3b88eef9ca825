from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from companies import selectors, services
from companies.filters import CompanyFilter
from companies.forms import (
    AssessmentForm,
    CompanyForm,
    CompanyImportForm,
    ContactFormSet,
    ContactInviteForm,
    CriterionForm,
    InvitationPasswordForm,
    company_choice,
)
from companies.models import Company, CsrAssessment, CsrCriterion
from companies.sections import evidence_for, sections_for
from csrprogram import policy
from csrprogram.models import User
from csrprogram.selectors import programmes_visible_to
from csrprogram.views_base import (
    AbilityRequiredMixin,
    FilteredListView,
    ScopedObjectMixin,
    ServiceFormMixin,
    add_service_errors,
    import_response,
)


class CompanyListView(FilteredListView):
    ability = "companies.view_company"
    template_name = "companies/company_list.html"
    context_object_name = "companies"
    filterset_class = CompanyFilter
    sort_fields = {"name": ("name",), "cvr": ("cvr",), "city": ("city", "name"),
                   "certificate": ("valid_certificate_until",)}

    def get_base_queryset(self):
        return selectors.company_list(user=self.request.user)


class CompanyAutocompleteView(AbilityRequiredMixin, View):
    """The company pickers' JSON: ``GET ?q=<name or CVR>`` → ``{"results": [{"id", "cvr",
    "name", "city", "label"}, …]}``, at most 20, scoped by the access policy
    (``selectors.company_autocomplete``)."""

    ability = "companies.view_company"

    def get(self, request, *args, **kwargs):
        companies = selectors.company_autocomplete(user=request.user,
                                                   term=request.GET.get("q", "")[:100])
        return JsonResponse({"results": [company_choice(c) for c in companies]})


class CompanyDetailView(ScopedObjectMixin, DetailView):
    model = Company
    template_name = "companies/company_detail.html"
    context_object_name = "company"

    def get_scoped_queryset(self):
        return selectors.company_detail(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assessments"] = selectors.assessments_for_company(company=self.object)
        context["sections"] = sections_for(self.object, self.request.user, portal=False)
        if policy.can(self.request.user, "companies.invite_contactperson"):
            context["access"] = selectors.contacts_with_access(company=self.object)
            context["now"] = timezone.now()
        return context


class CompanyFormMixin:
    template_name = "companies/company_form.html"

    def get(self, request, *args, **kwargs):
        return self.render(self.company_form(), self.contact_formset())

    def post(self, request, *args, **kwargs):
        form = self.company_form(data=request.POST)
        formset = self.contact_formset(data=request.POST)
        if not (form.is_valid() and formset.is_valid()):
            return self.render(form, formset)
        try:
            company = self.save(form.cleaned_data, formset.contacts())
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render(form, formset)
        messages.success(request, _("Virksomheden er gemt."))
        return redirect("companies:company-detail", pk=company.pk)

    def render(self, form, formset):
        return self.render_to_response({"form": form, "formset": formset,
                                        "company": getattr(self, "object", None)})


class CompanyCreateView(AbilityRequiredMixin, CompanyFormMixin, TemplateView):
    ability = "companies.add_company"

    def company_form(self, data=None):
        return CompanyForm(data=data)

    def contact_formset(self, data=None):
        return ContactFormSet(data=data, prefix="contacts")

    def save(self, data, contacts):
        return services.company_create(actor=self.request.user, data=data, contacts=contacts)


class CompanyUpdateView(ScopedObjectMixin, CompanyFormMixin, TemplateView):
    model = Company
    action = "change"

    def get_scoped_queryset(self):
        return selectors.company_detail(user=self.request.user, action=self.action)

    @property
    def object(self) -> Company:
        return self.scoped_object

    def company_form(self, data=None):
        return CompanyForm(data=data, instance=self.object)

    def contact_formset(self, data=None):
        initial = [{"id": c.pk, "name": c.name, "job_title": c.job_title, "email": c.email,
                    "phone": c.phone, "is_primary": c.is_primary}
                   for c in self.object.contacts.all()]
        return ContactFormSet(data=data, initial=initial, prefix="contacts")

    def save(self, data, contacts):
        # The form has already copied its data onto the instance; re-read a clean copy.
        company = get_object_or_404(self.get_scoped_queryset(), pk=self.object.pk)
        return services.company_update(actor=self.request.user, company=company, data=data,
                                       contacts=contacts)


class CompanyImportView(AbilityRequiredMixin, FormView):
    ability = "companies.add_company"
    template_name = "companies/company_import.html"
    form_class = CompanyImportForm
    success_message = ngettext_lazy("%(count)s virksomhed er importeret.",
                                    "%(count)s virksomheder er importeret.", "count")

    def form_valid(self, form):
        result = services.company_import(actor=self.request.user,
                                         uploaded=form.cleaned_data["file"])
        return import_response(self, form, result, success_url=reverse("companies:company-list"),
                               success_message=self.success_message)


class AssessmentCreateView(ScopedObjectMixin, FormView):
    """A new assessment of the URL's company: the ability is the assessment's, the company is
    fetched in the user's view scope."""

    model = Company
    ability = "companies.add_csrassessment"
    template_name = "companies/assessment_form.html"

    @property
    def company(self) -> Company:
        return self.scoped_object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["evidence"] = evidence_for(self.company, self.request.user)
        return context

    def programmes(self):
        return programmes_visible_to(self.request.user).filter(is_active=True)

    def get_initial(self):
        """The criteria with an automatic source are pre-filled (met, with the evidence) for
        today's assessment in the first of the user's programmes (chosen in the form when it
        is the only one); the assessor may change the answer before saving."""
        initial = super().get_initial()
        if self.request.method != "GET":
            return initial
        programmes = list(self.programmes()[:2])
        if not programmes:
            return initial
        if len(programmes) == 1:
            initial["programme"] = programmes[0]
        prefill = services.assessment_prefill(
            company=self.company, user=self.request.user, programme=programmes[0],
            assessed_on=timezone.localdate())
        for criterion_id, (is_met, evidence) in prefill.items():
            initial[f"met_{criterion_id}"] = is_met
            initial[f"evidence_{criterion_id}"] = evidence
        return initial

    def get_form(self, form_class=None):
        return AssessmentForm(**self.get_form_kwargs(), criteria=selectors.active_criteria(),
                              programmes=self.programmes())

    def form_valid(self, form):
        try:
            assessment = services.assessment_create(
                company=self.company, programme=form.cleaned_data["programme"],
                assessed_by=self.request.user, assessed_on=form.cleaned_data["assessed_on"],
                answers=form.answers(), notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if assessment.is_eligible:
            messages.success(self.request, _("Vurderingen er gemt: %(met)s kriterier opfyldt "
                                             "(krav: %(threshold)s). Virksomheden kan "
                                             "certificeres.")
                             % {"met": assessment.met_count, "threshold": assessment.threshold})
        else:
            messages.warning(self.request, _("Vurderingen er gemt: %(met)s kriterier opfyldt "
                                             "(krav: %(threshold)s). Virksomheden kan endnu "
                                             "ikke certificeres.")
                             % {"met": assessment.met_count, "threshold": assessment.threshold})
        return redirect("companies:assessment-detail", pk=assessment.pk)


class AssessmentDetailView(ScopedObjectMixin, DetailView):
    model = CsrAssessment
    scoped_context_name = "assessment"
    template_name = "companies/assessment_detail.html"
    context_object_name = "assessment"

    def get_scoped_queryset(self):
        return selectors.assessment_detail(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_superseded"] = selectors.assessment_is_superseded(self.object)
        return context


class CriterionListView(AbilityRequiredMixin, ListView):
    ability = "companies.view_csrcriterion"
    template_name = "companies/criterion_list.html"
    context_object_name = "criteria"

    def get_queryset(self):
        return selectors.criteria_all(user=self.request.user)


class CriterionCreateView(ServiceFormMixin, AbilityRequiredMixin, FormView):
    ability = "companies.add_csrcriterion"
    template_name = "companies/criterion_form.html"
    form_class = CriterionForm
    success_message = gettext_lazy("Kriteriet er gemt.")

    def perform(self, form):
        services.criterion_save(actor=self.request.user, data=form.cleaned_data)
        return reverse("companies:criterion-list")


class CriterionUpdateView(ScopedObjectMixin, CriterionCreateView):
    model = CsrCriterion
    action = "change"
    ability = ""
    scoped_context_name = "criterion"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.scoped_object}

    def perform(self, form):
        # The form has copied its data onto the instance; the service saves a clean copy.
        criterion = get_object_or_404(self.get_scoped_queryset(), pk=self.scoped_object.pk)
        services.criterion_save(actor=self.request.user, criterion=criterion,
                                data=form.cleaned_data)
        return reverse("companies:criterion-list")


class PortalView(AbilityRequiredMixin, TemplateView):
    """The company contact's own page: their company and what other apps add to it."""

    ability = "companies.view_portal"
    template_name = "companies/portal.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        company = selectors.company_for_contact(user=self.request.user)
        if company is None:
            raise Http404
        context["company"] = company
        context["sections"] = sections_for(company, self.request.user, portal=True)
        # The switch shows only for a contact of several companies (no query otherwise).
        context["my_companies"] = (selectors.companies_of_contact(user=self.request.user)
                                   if len(policy.company_ids_of(self.request.user)) > 1
                                   else [company])
        context["consultant"] = selectors.consultant_of_contact(user=self.request.user,
                                                                company=company)
        return context


class CompanySwitchView(AbilityRequiredMixin, View):
    """``POST company``: a contact of several companies acts for another of them (kept in the
    session; the access policy's COMPANY reach follows it). 404 for a company the user is not
    a contact of."""

    ability = "companies.view_portal"

    def post(self, request):
        try:
            company_id = int(request.POST.get("company", ""))
        except ValueError:
            raise Http404 from None
        if not policy.choose_company(request.user, company_id):
            raise Http404
        request.session[policy.CURRENT_COMPANY_SESSION_KEY] = company_id
        return redirect("companies:portal")


class ContactInviteView(ScopedObjectMixin, FormView):
    """A consultant invites a person to the company portal (from the company page)."""

    model = Company
    ability = "companies.invite_contactperson"
    form_class = ContactInviteForm
    template_name = "companies/contact_invite.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(company=self.scoped_object, **kwargs)

    def form_valid(self, form):
        try:
            invitation = services.contact_invite(actor=self.request.user,
                                                 company=self.scoped_object,
                                                 **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Invitationen er sendt til %(email)s.")
                         % {"email": invitation.email})
        return redirect("companies:company-detail", self.scoped_object.pk)


class ContactAccessRevokeView(ScopedObjectMixin, View):
    """``POST``: take a contact person's portal access (and open invitations) away."""

    model = Company
    ability = "companies.invite_contactperson"
    http_method_names = ["post"]

    def post(self, request, pk, contact_pk):
        contact = get_object_or_404(self.scoped_object.contacts, pk=contact_pk)
        services.contact_access_revoke(actor=request.user, contact=contact)
        messages.success(request, _("%(name)s har ikke længere adgang til virksomhedens side.")
                         % {"name": contact.name})
        return redirect("companies:company-detail", self.scoped_object.pk)


class InvitationAcceptView(View):
    """The invitation link: set a password (a new account), accept as the logged-in account
    with the invitation's email, or sign in with MitID Erhverv when configured. Afterwards
    the contact is logged in and lands on the portal. An unknown, used, revoked or expired
    link shows a Danish explanation (HTTP 410)."""

    template_name = "companies/invitation_accept.html"

    def _render(self, request, token, form=None, status=200):
        from csrprogram.oidc import providers

        invitation = services.invitation_for_token(token)
        if invitation is None:
            return render(request, "companies/invitation_invalid.html", status=410)
        user = request.user
        return render(request, self.template_name, {
            "invitation": invitation, "company": invitation.contact.company,
            "form": form or InvitationPasswordForm(),
            "same_account": user.is_authenticated
            and user.email.lower() == invitation.email.lower(),
            "other_account": user.is_authenticated
            and user.email.lower() != invitation.email.lower(),
            "account_exists": not user.is_authenticated
            and User.objects.filter(email__iexact=invitation.email).exists(),
            "sso": "company" in providers(),
        }, status=status)

    def get(self, request, token):
        return self._render(request, token)

    def post(self, request, token):
        from django.contrib.auth import login

        from csrprogram.oidc import INVITATION_SESSION_KEY

        if request.POST.get("sso") == "company":
            if services.invitation_for_token(token) is None:
                return self._render(request, token)
            request.session[INVITATION_SESSION_KEY] = token
            return redirect("oidc-login", "company")
        invitation = services.invitation_for_token(token)
        if invitation is None:
            return self._render(request, token)
        form = None
        try:
            if request.user.is_authenticated:
                user = services.invitation_accept(token=token, user=request.user)
            else:
                form = InvitationPasswordForm(request.POST)
                if not form.is_valid():
                    return self._render(request, token, form, status=400)
                user = services.invitation_accept(token=token,
                                                  password=form.cleaned_data["password1"])
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        except ValidationError as error:
            code = getattr(error, "code", None)
            if form is None or code in ("invitation_invalid", "other_account"):
                messages.error(request, " ".join(error.messages))
                return self._render(request, token, status=400)
            form.add_error(None if code == "account_exists" else "password1", error)
            return self._render(request, token, form, status=400)
        company_id = invitation.contact.company_id
        policy.choose_company(user, company_id)
        request.session[policy.CURRENT_COMPANY_SESSION_KEY] = company_id
        messages.success(request, _("Velkommen. Du har nu adgang til virksomhedens side."))
        return redirect("companies:portal")


