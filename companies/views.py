from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy
from django.views.generic import DetailView, FormView, ListView, TemplateView

from companies import selectors, services
from companies.filters import CompanyFilter
from companies.forms import (
    AssessmentForm,
    CompanyForm,
    CompanyImportForm,
    ContactFormSet,
    CriterionForm,
)
from companies.models import Company, CsrAssessment, CsrCriterion
from companies.sections import sections_for
from csrprogram.selectors import programmes_visible_to
from csrprogram.views_base import (
    AbilityRequiredMixin,
    FilteredListView,
    ScopedObjectMixin,
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

    def get_form(self, form_class=None):
        programmes = programmes_visible_to(self.request.user).filter(is_active=True)
        return AssessmentForm(**self.get_form_kwargs(), criteria=selectors.active_criteria(),
                              programmes=programmes)

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


class CriterionCreateView(AbilityRequiredMixin, FormView):
    ability = "companies.add_csrcriterion"
    template_name = "companies/criterion_form.html"
    form_class = CriterionForm

    def form_valid(self, form):
        try:
            services.criterion_save(actor=self.request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Kriteriet er gemt."))
        return redirect("companies:criterion-list")


class CriterionUpdateView(ScopedObjectMixin, CriterionCreateView):
    model = CsrCriterion
    action = "change"
    ability = ""
    scoped_context_name = "criterion"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.scoped_object}

    def form_valid(self, form):
        # The form has copied its data onto the instance; the service saves a clean copy.
        criterion = get_object_or_404(self.get_scoped_queryset(), pk=self.scoped_object.pk)
        try:
            services.criterion_save(actor=self.request.user, criterion=criterion,
                                    data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Kriteriet er gemt."))
        return redirect("companies:criterion-list")


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
        return context


