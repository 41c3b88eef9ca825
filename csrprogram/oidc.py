"""Single sign-on with OpenID Connect (mozilla-django-oidc), off unless configured.

Two providers, each configured only from the environment (``CSR_OIDC_<PROVIDER>_*``, read in
settings into ``CSR_OIDC_PROVIDERS``):

- ``staff``: the municipality's identity provider (Microsoft Entra ID or AD FS). The user is
  found by the ``email`` claim (made on first login); the groups claim (``groups_claim``)
  maps to roles by ``role_map`` (``CSR_OIDC_STAFF_ROLE_MAP="<group>=consultant,..."``). When
  some group maps, the user's staff roles become exactly the mapped ones; when none maps
  (an unknown staff member), the roles are left as they are: a new user has none until a
  team leader or administrator grants one. A company contact role is never given by it.
- ``company``: a MitID Erhverv broker (NemLog-in offers OIDC) for company contacts; its
  backend lives in ``companies/sso.py`` (it accepts invitations, which the base cannot know).

The flow (state, nonce, PKCE, signature by the provider's JWKS) is mozilla-django-oidc's; the
provider chosen is kept in the session between the two requests.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from csrprogram.choices import Role

logger = logging.getLogger("csrprogram.security")

PROVIDER_SESSION_KEY = "csr_oidc_provider"
# The invitation whose link the visitor opened before choosing MitID Erhverv.
INVITATION_SESSION_KEY = "csr_invitation_token"
STAFF_ROLES = frozenset({Role.CONSULTANT.value, Role.TEAM_LEADER.value,
                         Role.ADMINISTRATOR.value})


def providers() -> dict[str, dict]:
    """The configured providers by name (``staff``, ``company``); empty when SSO is off."""
    return getattr(settings, "CSR_OIDC_PROVIDERS", {})


def _provider_settings(name: str) -> dict:
    config = providers().get(name)
    if config is None:
        raise Http404
    return {
        "OIDC_RP_CLIENT_ID": config["client_id"],
        "OIDC_RP_CLIENT_SECRET": config["client_secret"],
        "OIDC_OP_AUTHORIZATION_ENDPOINT": config["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": config["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": config["userinfo_endpoint"],
        "OIDC_OP_JWKS_ENDPOINT": config["jwks_endpoint"],
        "OIDC_RP_SIGN_ALGO": config["signing_algorithm"],
        "OIDC_RP_SCOPES": config["scopes"],
        "OIDC_USE_PKCE": True,
        "OIDC_AUTHENTICATION_CALLBACK_URL": f"oidc-callback-{name}",
        "LOGIN_REDIRECT_URL": settings.LOGIN_REDIRECT_URL,
        "LOGIN_REDIRECT_URL_FAILURE": reverse("login") + "?sso=fejl",
        "OIDC_TIMEOUT": 10,
    }


class _ProviderSettingsMixin:
    provider = ""

    def get_settings(self, attr, *args):
        values = _provider_settings(self.provider)
        if attr in values:
            return values[attr]
        return import_from_settings(attr, *args)


class OidcLoginView(_ProviderSettingsMixin, OIDCAuthenticationRequestView):
    """Starts a login at the provider named in the URL (404 when it is not configured)."""

    def __init__(self, **kwargs):
        # The parent reads its settings in __init__, before the URL's provider is known.
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request, provider):
        self.provider = provider
        self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        request.session[PROVIDER_SESSION_KEY] = provider
        return super().get(request)


class OidcCallbackView(_ProviderSettingsMixin, OIDCAuthenticationCallbackView):
    """The provider's redirect back with the code; the backend does the rest."""

    def get(self, request, provider):
        self.provider = provider
        _provider_settings(provider)  # 404 for an unknown provider
        if request.session.get(PROVIDER_SESSION_KEY) != provider:
            return self.login_failure()
        return super().get(request)


class ProviderBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend for one provider (``provider_name``), used only when the
    login was started at that provider (the session says so). Subclasses map the claims to a
    user in ``user_for_claims``."""

    provider_name = ""

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        # The parent reads fixed settings here; ours are per provider (get_settings).
        self.UserModel = get_user_model()
        self.provider = self.provider_name

    def get_settings(self, attr, *args):
        values = _provider_settings(self.provider) if self.provider in providers() else {}
        if attr in values:
            return values[attr]
        return import_from_settings(attr, *args)

    def authenticate(self, request, **kwargs):
        if request is None or not hasattr(request, "session"):
            return None
        if (request.session.get(PROVIDER_SESSION_KEY) != self.provider
                or self.provider not in providers() or "code" not in request.GET):
            return None
        for name in ("OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT",
                     "OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_RP_SIGN_ALGO"):
            setattr(self, name, self.get_settings(name))
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims):
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("The provider gave no verified email address.")
        return self.user_for_claims(claims["email"].strip().lower(), claims)

    def user_for_claims(self, email: str, claims: dict):  # pragma: no cover - abstract
        raise NotImplementedError


class StaffOidcBackend(ProviderBackend):
    """The job centre's staff (Entra ID / AD FS): user by email, roles by groups."""

    provider_name = "staff"

    def user_for_claims(self, email: str, claims: dict):
        user = self.UserModel.objects.filter(email__iexact=email).first()
        if user is None:
            user = self.UserModel.objects.create_user(
                email, first_name=(claims.get("given_name") or "")[:150],
                last_name=(claims.get("family_name") or "")[:150])
            logger.info("sso staff user created user=%s", user.pk)
        config = providers()["staff"]
        groups = claims.get(config["groups_claim"]) or []
        if isinstance(groups, str):
            groups = [groups]
        mapped = {config["role_map"][g] for g in groups if g in config["role_map"]}
        mapped &= STAFF_ROLES
        if mapped:
            current = set(user.groups.filter(name__in=STAFF_ROLES).values_list("name",
                                                                                flat=True))
            if current != mapped:
                user.groups.remove(*Group.objects.filter(name__in=current - mapped))
                for name in mapped - current:
                    user.groups.add(Group.objects.get_or_create(name=name)[0])
                logger.info("sso roles set user=%s roles=%s", user.pk, sorted(mapped))
        return user
