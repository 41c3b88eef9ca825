"""Template tags of the login: the session's idle warning and the account menu's entries."""

from django import template
from django.conf import settings
from django.urls import reverse

from csrprogram import policy

register = template.Library()


@register.inclusion_tag("includes/session_timeout.html", takes_context=True)
def session_timeout(context):
    """The hidden idle warning and its script (``static/js/session-timeout.js``), for a
    logged-in user only; the numbers are the settings' seconds."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "show": bool(user and user.is_authenticated),
        "idle_seconds": settings.CSR_SESSION_IDLE_SECONDS,
        "warning_seconds": min(settings.CSR_SESSION_WARNING_SECONDS,
                               settings.CSR_SESSION_IDLE_SECONDS),
        "keepalive_url": reverse("session-keepalive"),
        "login_url": reverse(settings.LOGIN_URL),
    }


@register.filter
def company_count(user) -> int:
    """How many companies ``user`` is a contact of (0 for staff); one query per user object."""
    return len(policy.company_ids_of(user))


@register.simple_tag
def sso_providers() -> list[dict]:
    """The configured single sign-on providers for the login page: ``[{"name", "label"}]``."""
    from django.utils.translation import gettext as _

    from csrprogram.oidc import providers

    labels = {"staff": _("Medarbejder i kommunen: log ind med din kommunekonto"),
              "company": _("Virksomhed: log ind med MitID Erhverv")}
    return [{"name": name, "label": labels.get(name, name)} for name in providers()]
