"""What a login is allowed to be: how long a session lives, which company a contact acts for,
and the second factor that team leaders and administrators must show.

- ``SessionLimitsMiddleware``: the session ends after ``CSR_SESSION_IDLE_SECONDS`` without a
  request and ``CSR_SESSION_ABSOLUTE_SECONDS`` after the login, whatever happens (OWASP ASVS
  3.3.1/3.3.2); the cookie itself dies with the browser (``SESSION_EXPIRE_AT_BROWSER_CLOSE``).
  ``static/js/session-timeout.js`` warns ``CSR_SESSION_WARNING_SECONDS`` before the idle end and
  can keep the session alive (``SessionKeepAliveView``).
- ``CurrentCompanyMiddleware``: a contact of several companies acts for the one kept in the
  session (``policy.CURRENT_COMPANY_SESSION_KEY``), which the access policy's COMPANY reach
  reads (``policy.company_id_of``).
- ``TwoFactorRequiredMiddleware``: a user in one of ``CSR_TWO_FACTOR_ROLES`` (or a superuser)
  who logged in with a local password reaches nothing but the two-factor pages and the logout
  until the session is verified by django-otp (TOTP or a recovery code).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import get_user
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from csrprogram import policy

LOGIN_AT_KEY = "csr_login_at"
SEEN_AT_KEY = "csr_seen_at"
# The resolution of "last seen" (seconds).
TOUCH_SECONDS = 60
# Requests that must not count as activity: the warning's own status check.
_PASSIVE_HEADER = "HTTP_X_CSR_SESSION_PASSIVE"
# Backends whose login is a local password (the others, single sign-on, bring their own MFA).
PASSWORD_BACKENDS = frozenset({
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
})


@receiver(user_logged_in, dispatch_uid="csrprogram.login_session.stamp_login")
def _stamp_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGIN_AT_KEY] = now
        request.session[SEEN_AT_KEY] = now


def session_end_reason(session, now: float) -> str | None:
    """Why a logged-in session has ended at ``now`` (epoch seconds): ``"idle"``,
    ``"absolute"`` or None while it is alive. A session without stamps (made before this
    rule) counts from ``now``."""
    login_at = session.get(LOGIN_AT_KEY, now)
    seen_at = session.get(SEEN_AT_KEY, now)
    if now - login_at >= settings.CSR_SESSION_ABSOLUTE_SECONDS:
        return "absolute"
    if now - seen_at >= settings.CSR_SESSION_IDLE_SECONDS:
        return "idle"
    return None


class SessionLimitsMiddleware:
    """Logs out a session past its idle or absolute limit, with a Danish message on the
    login page; otherwise records the request as activity (unless it is passive)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            reason = session_end_reason(request.session, now)
            if reason:
                logout(request)
                messages.info(request, _(
                    "Du er blevet logget ud, fordi du ikke har brugt siden i et stykke tid. "
                    "Log ind igen.") if reason == "idle" else _(
                    "Du er blevet logget ud, fordi du har været logget ind i mange timer. "
                    "Log ind igen."))
            else:
                request.session.setdefault(LOGIN_AT_KEY, now)
                # Activity is written at most once a minute: a session write per request would
                # cost a query on every page, and a minute is nothing against a 30-minute limit.
                seen_at = request.session.get(SEEN_AT_KEY, 0)
                if not request.META.get(_PASSIVE_HEADER) and now - seen_at >= TOUCH_SECONDS:
                    request.session[SEEN_AT_KEY] = now
        return self.get_response(request)


def _user_acting_for(request, company_id):
    user = get_user(request)
    if user.is_authenticated:
        policy.choose_company(user, company_id)
    return user


class CurrentCompanyMiddleware:
    """Gives the request's user the company chosen in the session (see the module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        company_id = request.session.get(policy.CURRENT_COMPANY_SESSION_KEY)
        if company_id is not None:
            request.user = SimpleLazyObject(lambda: _user_acting_for(request, company_id))
        return self.get_response(request)


def two_factor_required(request) -> bool:
    """Whether this session must still show a second factor: the user holds a role of
    ``CSR_TWO_FACTOR_ROLES`` (or is a superuser), logged in with a local password, and the
    session is not verified by django-otp."""
    user = request.user
    if not user.is_authenticated or settings.CSR_TWO_FACTOR_ASSUME_VERIFIED:
        return False
    if not (user.is_superuser or policy.role_names(user) & set(settings.CSR_TWO_FACTOR_ROLES)):
        return False
    if request.session.get("_auth_user_backend") not in PASSWORD_BACKENDS:
        return False
    return not user.is_verified()


class TwoFactorRequiredMiddleware:
    """Sends an unverified session that needs a second factor to the verification page (or,
    without a confirmed device yet, to the enrolment); the two-factor pages, the logout, the
    language switch and static files stay reachable. After django-otp's ``OTPMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if two_factor_required(request) and not self._is_open(request.path_info):
            from django_otp import user_has_device

            target = ("two-factor-verify" if user_has_device(request.user)
                      else "two-factor-setup")
            if request.method == "GET":
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _is_open(path: str) -> bool:
        open_paths = (reverse("two-factor-setup"), reverse("two-factor-verify"),
                      reverse("logout"), reverse("session-keepalive"), "/i18n/",
                      settings.STATIC_URL)
        return path.startswith(open_paths)
