from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views import i18n as i18n_views
from django.views.generic import (
    CreateView,
    DeleteView,
    DetailView,
    ListView,
    TemplateView,
    UpdateView,
)

from csrprogram import emails, exports, policy, queues, reports, selectors, services
from csrprogram.choices import ReportJobStatus
from csrprogram.dashboard import dashboard_for_display, own_figures_for_display
from csrprogram.forms import ProgrammeForm, TargetForm
from csrprogram.models import Programme, ReportJob, User
from csrprogram.views_base import AbilityRequiredMixin, ScopedObjectMixin


class HomeView(LoginRequiredMixin, TemplateView):
    """One home page, whose content follows the user's role: the role's work queues
    (``csrprogram.queues``), each with a count and its first items, then the role's links."""

    template_name = "csrprogram/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        abilities = policy.abilities_of(user)
        context["abilities"] = abilities
        context["programmes"] = (selectors.programmes_visible_to(user)
                                 if "csrprogram.view_programme" in abilities else [])
        # The contact person of the company the user acts for now (policy.company_id_of);
        # read through the reverse relation, so the base imports nothing from companies/.
        company_id = (policy.company_id_of(user)
                      if "companies.view_portal" in abilities else None)
        contact = (user.company_contacts.select_related("company")
                   .filter(company_id=company_id).first() if company_id else None)
        context["contact"] = contact
        context["company"] = contact.company if contact else None
        if "csrprogram.administer_site" in abilities:
            context["site"] = selectors.site_overview()
        context["queues"] = queues.queues_for(user, today=timezone.localdate())
        queues.log_citizens_shown(user, context["queues"])
        return context


class QueueDetailView(LoginRequiredMixin, TemplateView):
    """One home-page queue in full ("Vis alle"); 404 for a queue the user may not see."""

    template_name = "csrprogram/queue_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queue = queues.queue_for(self.request.user, self.kwargs["key"])
        if queue is None:
            raise Http404
        shown = queues.shown_queue(self.request.user, queue, today=timezone.localdate())
        queues.log_citizens_shown(self.request.user, [shown])
        context["shown"] = shown
        context["full_limit"] = queues.FULL_LIMIT
        return context


class ProgrammeListView(AbilityRequiredMixin, ListView):
    ability = "csrprogram.view_programme"
    template_name = "csrprogram/programme_list.html"
    context_object_name = "programmes"
    paginate_by = 25

    def get_queryset(self):
        return selectors.programmes_visible_to(self.request.user)


class ProgrammeDetailView(ScopedObjectMixin, DetailView):
    model = Programme
    template_name = "csrprogram/programme_detail.html"
    context_object_name = "programme"

    def get_scoped_queryset(self):
        return selectors.programme_detail(self.request.user, self.action)


class ProgrammeUpdateView(ScopedObjectMixin, UpdateView):
    model = Programme
    action = "change"
    template_name = "csrprogram/programme_form.html"
    form_class = ProgrammeForm
    context_object_name = "programme"

    def get_scoped_queryset(self):
        return selectors.programme_detail(self.request.user, self.action)

    def form_valid(self, form):
        try:
            services.programme_update(programme=self.object, actor=self.request.user,
                                      data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Programmet er gemt."))
        return redirect("programme-detail", pk=self.object.pk)


class LanguageSetView(View):
    """Django's ``set_language``, which also stores a logged-in user's choice as their
    preferred language: emails to them are written in it (``csrprogram.emails``)."""

    def post(self, request):
        response = i18n_views.set_language(request)
        language = request.POST.get("language")
        if (request.user.is_authenticated and language in emails.LANGUAGE_CODES
                and request.user.language != language):
            User.objects.filter(pk=request.user.pk).update(language=language)
        return response

    def get(self, request):
        return i18n_views.set_language(request)  # redirects back, changing nothing


class HealthView(View):
    """Liveness for the load balancer and the compose health check: the database answers."""

    def get(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return HttpResponse("ok", content_type="text/plain")


class ProgrammeScopedMixin(ScopedObjectMixin):
    """The URL's programme in the user's scope (404 outside it); ``ability`` is the page's."""

    model = Programme

    @property
    def programme(self) -> Programme:
        return self.scoped_object


class DashboardView(ProgrammeScopedMixin, TemplateView):
    """The team leader's dashboard of one programme's targets against actuals."""

    ability = "csrprogram.monitor_programme"
    template_name = "csrprogram/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["board"] = dashboard_for_display(
            programme=self.programme, as_of=timezone.localdate(),
            refresh=self.request.GET.get("refresh") == "1")
        context["cache_minutes"] = -(-settings.CSR_DASHBOARD_CACHE_SECONDS // 60)
        return context


class DashboardChartView(ProgrammeScopedMixin, View):
    """One chart of the dashboard drawn for a phone, as an SVG image: the page loads it
    below the md breakpoint only, so a wide screen never downloads the second drawing
    (issue 14: the dashboard page stays under 300 KB with dozens of targets). 404 for a
    metric without a chart."""

    ability = "csrprogram.monitor_programme"

    def get(self, request, *args, **kwargs):
        board = dashboard_for_display(programme=self.programme, as_of=timezone.localdate())
        chart = board.chart(kwargs["key"])
        if chart is None:
            raise Http404
        return HttpResponse(chart.svg_phone, content_type="image/svg+xml; charset=utf-8")


class DashboardExportView(ProgrammeScopedMixin, View):
    ability = "csrprogram.monitor_programme"
    export_format = "csv"

    def get(self, request, *args, **kwargs):
        board = dashboard_for_display(programme=self.programme, as_of=timezone.localdate())
        if self.export_format == "xlsx":
            filename, content = reports.dashboard_xlsx(board)
            content_type = exports.XLSX_CONTENT_TYPE
        else:
            filename, content = reports.dashboard_csv(board)
            content_type = exports.CSV_CONTENT_TYPE
        return exports.download_response(content, filename=filename, content_type=content_type)


class MyFiguresView(ProgrammeScopedMixin, TemplateView):
    """A consultant's own figures in a programme they work in."""

    template_name = "csrprogram/my_figures.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        own = own_figures_for_display(programme=self.programme, user=self.request.user,
                                      as_of=timezone.localdate(),
                                      refresh=self.request.GET.get("refresh") == "1")
        context["figures"], context["computed_at"] = own.figures, own.computed_at
        context["cache_minutes"] = -(-settings.CSR_DASHBOARD_CACHE_SECONDS // 60)
        return context


class TargetListView(ProgrammeScopedMixin, ListView):
    """The programme's targets; consultants read them, team leaders also edit them."""

    ability = "csrprogram.view_target"
    template_name = "csrprogram/target_list.html"
    context_object_name = "targets"

    def get_queryset(self):
        return selectors.programme_targets(self.programme)


class TargetFormMixin(ProgrammeScopedMixin):
    ability = "csrprogram.change_target"
    form_class = TargetForm
    template_name = "csrprogram/target_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.programme}

    def get_success_url(self):
        return reverse("target-list", args=[self.programme.pk])


class TargetCreateView(TargetFormMixin, CreateView):
    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in services.TARGET_FIELDS}
        try:
            services.target_create(programme=self.programme, actor=self.request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Måltallet er oprettet."))
        return redirect(self.get_success_url())


class TargetUpdateView(TargetFormMixin, UpdateView):
    context_object_name = "target"

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.programme_targets(self.programme),
                                 pk=self.kwargs["target_pk"])

    def form_valid(self, form):
        # The form has already applied its data to the instance; reload so the service
        # validates and saves in its own transaction from a clean state.
        target = get_object_or_404(selectors.programme_targets(self.programme),
                                   pk=self.object.pk)
        data = {name: form.cleaned_data[name] for name in services.TARGET_FIELDS}
        try:
            services.target_update(target=target, actor=self.request.user, data=data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Måltallet er gemt."))
        return redirect(self.get_success_url())


class TargetDeleteView(ProgrammeScopedMixin, DeleteView):
    ability = "csrprogram.change_target"
    template_name = "csrprogram/target_confirm_delete.html"
    context_object_name = "target"

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.programme_targets(self.programme),
                                 pk=self.kwargs["target_pk"])

    def form_valid(self, form):
        try:
            services.target_delete(target=self.object, actor=self.request.user)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect("target-list", self.programme.pk)
        messages.success(self.request, _("Måltallet er slettet."))
        return redirect("target-list", self.programme.pk)


class ReportListView(ProgrammeScopedMixin, ListView):
    """The funder reports of a programme; POST orders a new one, generated in the background."""

    ability = "csrprogram.view_reportjob"
    template_name = "csrprogram/report_list.html"
    context_object_name = "jobs"
    paginate_by = 10

    def get_queryset(self):
        return selectors.report_jobs_of(self.programme)

    def post(self, request, *args, **kwargs):
        job = services.report_job_request(
            programme=self.programme, actor=request.user, as_of=timezone.localdate(),
            language=translation.get_language() or "da",
        )
        return redirect("report-detail", self.programme.pk, job.pk)


class ReportJobMixin(ProgrammeScopedMixin):
    ability = "csrprogram.view_reportjob"

    @cached_property
    def job(self) -> ReportJob:
        return get_object_or_404(selectors.report_jobs_of(self.programme),
                                 pk=self.kwargs["job_pk"])


class ReportDetailView(ReportJobMixin, TemplateView):
    """Shows the progress (the page refreshes itself without JavaScript) and the download."""

    template_name = "csrprogram/report_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["job"] = self.job
        return context


class ReportDownloadView(ReportJobMixin, View):
    def get(self, request, *args, **kwargs):
        job = self.job
        if job.status != ReportJobStatus.DONE or not job.file:
            raise Http404
        return FileResponse(job.file.open("rb"), as_attachment=True,
                            filename=reports.funder_filename(job),
                            content_type="application/pdf")
