from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView, UpdateView

from csrprogram import selectors, services
from csrprogram.forms import ProgrammeForm
from csrprogram.models import Programme
from csrprogram.permissions import LEADER_ROLES, STAFF_ROLES, RoleRequiredMixin


class HomeView(LoginRequiredMixin, TemplateView):
    """One home page, whose content follows the user's role."""

    template_name = "csrprogram/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["programmes"] = (
            selectors.programmes_visible_to(user) if (user.is_consultant or
                                                      user.is_team_leader) else []
        )
        contact = getattr(user, "company_contact", None) if user.is_company_contact else None
        context["contact"] = contact
        context["company"] = contact.company if contact else None
        return context


class ProgrammeListView(RoleRequiredMixin, ListView):
    roles = STAFF_ROLES
    template_name = "csrprogram/programme_list.html"
    context_object_name = "programmes"
    paginate_by = 25

    def get_queryset(self):
        return selectors.programmes_visible_to(self.request.user)


class ProgrammeDetailView(RoleRequiredMixin, DetailView):
    roles = STAFF_ROLES
    template_name = "csrprogram/programme_detail.html"
    context_object_name = "programme"

    def get_object(self, queryset=None):
        try:
            return selectors.programme_detail(self.request.user, self.kwargs["pk"])
        except Programme.DoesNotExist:
            raise Http404 from None


class ProgrammeUpdateView(RoleRequiredMixin, UpdateView):
    roles = LEADER_ROLES
    template_name = "csrprogram/programme_form.html"
    form_class = ProgrammeForm
    context_object_name = "programme"

    def get_object(self, queryset=None):
        try:
            return selectors.programme_detail(self.request.user, self.kwargs["pk"])
        except Programme.DoesNotExist:
            raise Http404 from None

    def form_valid(self, form):
        try:
            services.programme_update(programme=self.object, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Programmet er gemt."))
        return redirect("programme-detail", pk=self.object.pk)


class HealthView(View):
    """Liveness for the load balancer and the compose health check: the database answers."""

    def get(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return HttpResponse("ok", content_type="text/plain")
