"""The account pages around the login: the rate-limited password reset, the session's
keep-alive, and the two-factor enrolment and verification (django-otp)."""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django_ratelimit.core import is_ratelimited

from csrprogram import twofactor
from csrprogram.client_ip import client_ip
from csrprogram.forms import OneTimeCodeForm
from csrprogram.login_session import session_end_reason


def _reset_email_key(group, request) -> str:
    return (request.POST.get("email") or "").strip().lower()


def _reset_ip_key(group, request) -> str:
    return client_ip(request)


class RateLimitedPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited to ``CSR_PASSWORD_RESET_RATE`` requests per email
    address (and so per account) and per client address (``csrprogram.client_ip``); past the
    limit no email is sent and the form says so in Danish (HTTP 429)."""

    def form_valid(self, form):
        limited = False
        # Both keys are counted on every request, even once one of them is over its limit.
        for group, key in (("password-reset-email", _reset_email_key),
                           ("password-reset-ip", _reset_ip_key)):
            limited |= is_ratelimited(self.request, group=group, key=key, method="POST",
                                      rate=settings.CSR_PASSWORD_RESET_RATE, increment=True)
        if limited:
            form.add_error(None, _(
                "Der er bedt om for mange nulstillinger af adgangskoden. Vent en time, og "
                "prøv igen, eller kontakt jobcentret."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class SessionKeepAliveView(LoginRequiredMixin, View):
    """``GET``: the session's remaining idle seconds as JSON. A normal request counts as
    activity (the warning's "Stay logged in" button); with the header ``X-CSR-Session-Passive``
    it only reports. Never cached."""

    def get(self, request):
        import time

        from csrprogram.login_session import SEEN_AT_KEY

        now = time.time()
        remaining = settings.CSR_SESSION_IDLE_SECONDS - (now - request.session.get(SEEN_AT_KEY,
                                                                                  now))
        response = JsonResponse({"idle_seconds_left": max(0, int(remaining)),
                                 "ended": session_end_reason(request.session, now) is not None})
        response["Cache-Control"] = "no-store"
        return response


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return candidate
    return settings.LOGIN_REDIRECT_URL


class TwoFactorSetupView(LoginRequiredMixin, View):
    """Enrolment: a QR code and the secret for the authenticator app, then the first code;
    on success the device is confirmed, the session verified and the recovery codes shown
    once."""

    template_name = "registration/two_factor_setup.html"

    def _render(self, request, form, device, status=200):
        uri = device.config_url
        svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")
        qr = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        return render(request, self.template_name, {
            "form": form, "qr": qr, "secret": twofactor.secret_for_display(device),
            "next": _next_url(request), "has_device": twofactor.has_confirmed_totp(request.user),
        }, status=status)

    def get(self, request):
        return self._render(request, OneTimeCodeForm(), twofactor.totp_pending(request.user))

    def post(self, request):
        device = twofactor.totp_pending(request.user)
        form = OneTimeCodeForm(request.POST)
        if form.is_valid():
            codes = twofactor.totp_confirm(request=request, device=device,
                                           code=form.cleaned_data["code"])
            if codes is not None:
                return render(request, "registration/two_factor_codes.html",
                              {"codes": codes, "next": _next_url(request)})
            form.add_error("code", _("Koden passer ikke. Tjek uret på telefonen, og skriv den "
                                     "nyeste kode fra appen."))
        return self._render(request, form, device, status=400)


class TwoFactorVerifyView(LoginRequiredMixin, View):
    """The second step of a login: a code from the app or one of the recovery codes."""

    template_name = "registration/two_factor_verify.html"

    def get(self, request):
        if not twofactor.has_confirmed_totp(request.user) and not request.user.is_verified():
            return redirect("two-factor-setup")
        return render(request, self.template_name,
                      {"form": OneTimeCodeForm(), "next": _next_url(request)})

    def post(self, request):
        form = OneTimeCodeForm(request.POST)
        if form.is_valid() and twofactor.session_verify(request=request,
                                                       code=form.cleaned_data["code"]):
            messages.success(request, _("Du er logget ind med to trin."))
            return redirect(_next_url(request))
        if form.is_valid():
            form.add_error("code", _("Koden passer ikke, eller den er allerede brugt."))
        return render(request, self.template_name, {"form": form, "next": _next_url(request)},
                      status=400)


class RecoveryCodesView(LoginRequiredMixin, View):
    """``POST``: new recovery codes (the old ones stop working), shown once. Only for a
    verified session with a confirmed device."""

    def post(self, request):
        if not (request.user.is_verified() and twofactor.has_confirmed_totp(request.user)):
            return HttpResponse(status=403)
        codes = twofactor.recovery_codes_renew(user=request.user)
        return render(request, "registration/two_factor_codes.html",
                      {"codes": codes, "next": settings.LOGIN_REDIRECT_URL})
