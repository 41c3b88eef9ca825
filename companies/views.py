from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
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
from csrprogram.choices import Role
from csrprogram.permissions import LEADER_ROLES, STAFF_ROLES, RoleRequiredMixin
from csrprogram.selectors import programmes_visible_to
from csrprogram.views_base import FilteredListView, add_service_errors, import_response

EDITOR_ROLES = (Role.CONSULTANT, Role.ADMINISTRATOR)



class CompanyListView(FilteredListView):
    roles = STAFF_ROLES
    template_name = "companies/company_list.html"
    context_object_name = "companies"
    filterset_class = CompanyFilter

    def get_base_queryset(self):
        return selectors.company_list(user=self.request.user)


class CompanyDetailView(RoleRequiredMixin, DetailView):
    roles = STAFF_ROLES
    template_name = "companies/company_detail.html"
    context_object_name = "company"

    def get_object(self, queryset=None):
        try:
            return selectors.company_detail(user=self.request.user, pk=self.kwargs["pk"])
        except Company.DoesNotExist:
            raise Http404 from None

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


class CompanyCreateView(RoleRequiredMixin, CompanyFormMixin, TemplateView):
    roles = EDITOR_ROLES

    def company_form(self, data=None):
        return CompanyForm(data=data)

    def contact_formset(self, data=None):
        return ContactFormSet(data=data, prefix="contacts")

    def save(self, data, contacts):
        return services.company_create(data=data, contacts=contacts)


class CompanyUpdateView(RoleRequiredMixin, CompanyFormMixin, TemplateView):
    roles = EDITOR_ROLES

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_role():
            try:
                self.object = selectors.company_detail(user=request.user, pk=kwargs["pk"])
            except Company.DoesNotExist:
                raise Http404 from None
        return super().dispatch(request, *args, **kwargs)

    def company_form(self, data=None):
        return CompanyForm(data=data, instance=self.object)

    def contact_formset(self, data=None):
        initial = [{"id": c.pk, "name": c.name, "job_title": c.job_title, "email": c.email,
                    "phone": c.phone, "is_primary": c.is_primary}
                   for c in self.object.contacts.all()]
        return ContactFormSet(data=data, initial=initial, prefix="contacts")

    def save(self, data, contacts):
        # The form has already copied its data onto the instance; re-read a clean copy.
        company = selectors.company_detail(user=self.request.user, pk=self.object.pk)
        return services.company_update(company=company, data=data, contacts=contacts)


class CompanyImportView(RoleRequiredMixin, FormView):
    roles = EDITOR_ROLES
    template_name = "companies/company_import.html"
    form_class = CompanyImportForm
    success_message = ngettext_lazy("%(count)s virksomhed er importeret.",
                                    "%(count)s virksomheder er importeret.", "count")

    def form_valid(self, form):
        result = services.company_import(uploaded=form.cleaned_data["file"])
        return import_response(self, form, result, success_url=reverse("companies:company-list"),
                               success_message=self.success_message)


class AssessmentCreateView(RoleRequiredMixin, FormView):
    roles = (Role.CONSULTANT,)
    template_name = "companies/assessment_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_role():
            try:
                self.company = selectors.company_detail(user=request.user, pk=kwargs["pk"])
            except Company.DoesNotExist:
                raise Http404 from None
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        programmes = programmes_visible_to(self.request.user).filter(is_active=True)
        return AssessmentForm(**self.get_form_kwargs(), criteria=selectors.active_criteria(),
                              programmes=programmes)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["company"] = self.company
        return context

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
            messages.success(self.request, _("Vurderingen er gemt. Virksomheden opfylder %(met)s "
                                             "af %(threshold)s krævede kriterier og kan "
                                             "certificeres.")
                             % {"met": assessment.met_count, "threshold": assessment.threshold})
        else:
            messages.warning(self.request, _("Vurderingen er gemt. Virksomheden opfylder kun "
                                             "%(met)s af %(threshold)s krævede kriterier.")
                             % {"met": assessment.met_count, "threshold": assessment.threshold})
        return redirect("companies:assessment-detail", pk=assessment.pk)


class AssessmentDetailView(RoleRequiredMixin, DetailView):
    roles = STAFF_ROLES
    template_name = "companies/assessment_detail.html"
    context_object_name = "assessment"

    def get_object(self, queryset=None):
        try:
            return selectors.assessment_detail(user=self.request.user, pk=self.kwargs["pk"])
        except CsrAssessment.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_superseded"] = selectors.assessment_is_superseded(self.object)
        return context


class CriterionListView(RoleRequiredMixin, ListView):
    roles = STAFF_ROLES
    template_name = "companies/criterion_list.html"
    context_object_name = "criteria"

    def get_queryset(self):
        return selectors.criteria_all()


class CriterionCreateView(RoleRequiredMixin, FormView):
    roles = LEADER_ROLES
    template_name = "companies/criterion_form.html"
    form_class = CriterionForm

    def form_valid(self, form):
        try:
            services.criterion_save(data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Kriteriet er gemt."))
        return redirect("companies:criterion-list")


class CriterionUpdateView(CriterionCreateView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_role():
            try:
                self.criterion = selectors.criteria_all().get(pk=kwargs["pk"])
            except CsrCriterion.DoesNotExist:
                raise Http404 from None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.criterion}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "criterion": self.criterion}

    def form_valid(self, form):
        try:
            services.criterion_save(criterion=selectors.criteria_all().get(pk=self.criterion.pk),
                                    data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Kriteriet er gemt."))
        return redirect("companies:criterion-list")


class PortalView(RoleRequiredMixin, TemplateView):
    """The company contact's own page: their company and what other apps add to it."""

    roles = (Role.COMPANY_CONTACT,)
    template_name = "companies/portal.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        company = selectors.company_for_contact(user=self.request.user)
        if company is None:
            raise Http404
        context["company"] = company
        context["sections"] = sections_for(company, self.request.user, portal=True)
        return context


