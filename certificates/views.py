from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView
from django_ratelimit.decorators import ratelimit

from certificates import selectors, services
from certificates.choices import CertificateStatus
from certificates.filters import CertificateFilter
from certificates.forms import CertificateIssueForm, CertificateRevokeForm
from certificates.models import Certificate, RenderBatch
from companies.models import CsrAssessment
from companies.selectors import assessment_detail, assessment_is_superseded
from csrprogram.views_base import (
    AbilityRequiredMixin,
    FilteredListView,
    ScopedObjectMixin,
    ServiceFormMixin,
)

BULK_RENDER_LIMIT = 500


class CertificateListView(FilteredListView):
    ability = "certificates.view_certificate"
    template_name = "certificates/certificate_list.html"
    context_object_name = "certificates"
    filterset_class = CertificateFilter
    sort_fields = {"number": ("number",), "company": ("company__name",),
                   "issued": ("issued_on", "number"), "valid_until": ("valid_until",)}

    def get_base_queryset(self):
        return selectors.certificate_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["bulk_render_limit"] = BULK_RENDER_LIMIT
        return context


class CertificateDetailView(ScopedObjectMixin, DetailView):
    model = Certificate
    template_name = "certificates/certificate_detail.html"
    context_object_name = "certificate"

    def get_scoped_queryset(self):
        return selectors.certificate_detail(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["public_url"] = services.public_url(self.object)
        context["criteria"] = selectors.met_criteria_titles(self.object, get_language()[:2])
        return context


class CertificateIssueView(ServiceFormMixin, ScopedObjectMixin, FormView):
    """Issue a certificate from the URL's assessment."""

    model = CsrAssessment
    scoped_context_name = "assessment"
    ability = "certificates.issue_certificate"
    template_name = "certificates/certificate_issue.html"
    form_class = CertificateIssueForm

    def get_scoped_queryset(self):
        return assessment_detail(user=self.request.user, ability=self.ability)

    @property
    def assessment(self) -> CsrAssessment:
        return self.scoped_object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_superseded"] = assessment_is_superseded(self.assessment)
        context["current"] = (Certificate.objects.current()
                              .filter(company=self.assessment.company,
                                      programme=self.assessment.programme).first())
        return context

    def perform(self, form):
        certificate = services.certificate_issue(
            assessment=self.assessment, actor=self.request.user,
            valid_from=form.cleaned_data["valid_from"])
        self.success_message = _("Certifikat %(number)s er udstedt.") % {
            "number": certificate.number}
        return reverse("certificates:certificate-detail", kwargs={"pk": certificate.pk})


class CertificateRevokeView(ServiceFormMixin, ScopedObjectMixin, FormView):
    model = Certificate
    action = "revoke"
    template_name = "certificates/certificate_revoke.html"
    form_class = CertificateRevokeForm
    success_message = gettext_lazy("Certifikatet er tilbagekaldt.")

    def get_scoped_queryset(self):
        return selectors.certificate_detail(user=self.request.user, action=self.action)

    @property
    def certificate(self) -> Certificate:
        return self.scoped_object

    def perform(self, form):
        services.certificate_revoke(certificate=self.certificate, actor=self.request.user,
                                    reason=form.cleaned_data["reason"])
        return reverse("certificates:certificate-detail", kwargs={"pk": self.certificate.pk})


def _pdf_response(request, certificate: Certificate) -> HttpResponse:
    """The PDF, rendered on demand if the task has not (yet) made it; never a server error.

    When there is no PDF to give, a page says so (503 with Retry-After: it is temporary).
    """
    available = services.certificate_pdf_available(certificate_id=certificate.pk)
    if available is not None:
        try:
            return FileResponse(available.pdf.open("rb"), as_attachment=True,
                                filename=f"{available.number}.pdf",
                                content_type="application/pdf")
        except OSError:  # the file went missing between the check and the open
            pass
    response = render(request, "certificates/pdf_unavailable.html",
                      {"certificate": certificate}, status=503)
    response["Retry-After"] = "300"
    return response


class CertificatePdfView(ScopedObjectMixin, View):
    """The PDF for staff and for the certificate's own company contact (others get a 404)."""

    model = Certificate
    action = "download"

    def get(self, request, pk):
        return _pdf_response(request, self.scoped_object)


class CertificatePdfRetryView(ScopedObjectMixin, View):
    """Start a certificate's PDF over after it failed (whoever may issue may do this)."""

    model = Certificate
    action = "issue"
    http_method_names = ["post"]

    def get_scoped_queryset(self):
        return selectors.certificate_detail(user=self.request.user, action=self.action)

    def post(self, request, pk):
        certificate = services.certificate_pdf_retry(certificate=self.scoped_object,
                                                     actor=request.user)
        messages.success(request, _("PDF'en dannes igen. Det tager normalt under et minut."))
        return redirect("certificates:certificate-detail", pk=certificate.pk)


class RenderBatchCreateView(AbilityRequiredMixin, View):
    """Render the PDFs of the certificates the list's current filter shows."""

    ability = "certificates.add_renderbatch"
    http_method_names = ["post"]

    def post(self, request):
        filterset = CertificateFilter(request.POST or None,
                                      queryset=selectors.certificate_list(user=request.user))
        ids = list(filterset.qs.values_list("pk", flat=True)[:BULK_RENDER_LIMIT + 1])
        if len(ids) > BULK_RENDER_LIMIT:
            messages.error(request, _("Vælg højst %(limit)s certifikater ad gangen (afgræns "
                                      "med filteret).") % {"limit": BULK_RENDER_LIMIT})
            return redirect("certificates:certificate-list")
        if not ids:
            messages.error(request, _("Filteret viser ingen certifikater."))
            return redirect("certificates:certificate-list")
        batch = services.render_batch_create(
            certificates=Certificate.objects.filter(pk__in=ids), actor=request.user)
        return redirect("certificates:render-batch-detail", pk=batch.pk)


class RenderBatchDetailView(ScopedObjectMixin, View):
    model = RenderBatch

    def get(self, request, pk):
        batch = self.scoped_object
        done, failed, total = services.render_batch_progress(batch)
        percent = round(100 * done / total) if total else 100
        return render(request, "certificates/render_batch.html", {
            "batch": batch, "done": done, "failed": failed, "total": total, "percent": percent,
            "finished": done + failed >= total,
        })


# --- Public pages: no login, found only by the unguessable token ----------------------------------


def _public_rate(group, request):
    return settings.CSR_PUBLIC_CERTIFICATE_RATE


def _limited(request) -> HttpResponse | None:
    if getattr(request, "limited", False):
        response = render(request, "certificates/public_limited.html", status=429)
        response["Retry-After"] = "60"
        return response
    return None


def _not_found(request) -> HttpResponse:
    return render(request, "certificates/public_not_found.html", status=404)


def _live(request, response: HttpResponse, *, public: bool) -> HttpResponse:
    """Make a response showing a certificate's live status revalidate on every use.

    A revocation or an expiry must show at once, so caches (browsers, proxies, the pages that
    embed the badge) may keep a copy but must ask again each time (``no-cache``); the ETag of
    the content lets them do so with a 304 when nothing changed.
    """
    set_response_etag(response)
    visibility = {"public": True} if public else {"private": True}
    patch_cache_control(response, no_cache=True, max_age=0, **visibility)
    return get_conditional_response(request, etag=response["ETag"], response=response)


@ratelimit(group="certificates-public", key="ip", rate=_public_rate, block=False)
def public_certificate(request, token):
    if limited := _limited(request):
        return limited
    certificate = selectors.certificate_by_token(token)
    if certificate is None:
        return _not_found(request)
    language = get_language()[:2]
    response = render(request, "certificates/public.html", {
        "certificate": certificate,
        "status": certificate.status,
        "statuses": CertificateStatus,
        "criteria": selectors.met_criteria_titles(certificate, language),
        "today": timezone.localdate(),
        "public_url": services.public_url(certificate),
        "badge_url": services.public_url(certificate) + "badge.svg",
    })
    # Private: the page carries the visitor's session (language switch, CSRF token).
    return _live(request, response, public=False)


@ratelimit(group="certificates-public", key="ip", rate=_public_rate, block=False)
def public_certificate_pdf(request, token):
    if limited := _limited(request):
        return limited
    certificate = selectors.certificate_by_token(token)
    if certificate is None or certificate.revoked_at:
        return _not_found(request)
    return _pdf_response(request, certificate)


class PublicBadgeView(View):
    """An SVG badge for the company's web site: live status, linked to the public page."""

    @method_decorator(ratelimit(group="certificates-badge", key="ip", rate=_public_rate,
                                block=False))
    def get(self, request, token):
        if getattr(request, "limited", False):
            return HttpResponse(status=429)
        certificate = selectors.certificate_by_token(token)
        if certificate is None:
            raise Http404
        svg = render_to_string("certificates/badge.svg.html", {
            "certificate": certificate, "valid": certificate.is_valid,
            "status_label": certificate.get_status_display(),
        }, request=request)
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
        # Other sites embed the badge as an image.
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
        return _live(request, response, public=True)
