"""Single sign-on against a real OpenID Connect provider (issue 12, point 2).

The provider is django-oidc-provider in a second Django process (``tests/oidc_provider``),
started by the test on a free port; the browser's side of the flow is a ``requests`` session
that logs in at the provider, our side is the Django test client. Everything between them is
the real protocol: authorization code with state, nonce and PKCE, the token endpoint, an
RS256-signed ID token checked against the provider's JWKS, and the userinfo endpoint.
"""

import html
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse

from companies.models import ContactInvitation
from csrprogram.choices import Role
from csrprogram.models import User
from tests.companies.factories import CompanyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]

ROOT = Path(__file__).resolve().parents[2]
SECRET = "sso-test-secret"
IDP_PASSWORD = "idp-password-123"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """The running provider: ``{"url", "db"}``."""
    port = _free_port()
    database = str(tmp_path_factory.mktemp("idp") / "idp.sqlite3")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port), database], cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if requests.get(f"{url}/.well-known/openid-configuration",
                                timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.2)
        else:
            pytest.fail("the OpenID Connect provider did not start")
        yield {"url": url, "db": database}
    finally:
        process.terminate()
        process.wait(10)


def _seed(provider, client_id, redirect_path, email, *groups):
    subprocess.run(
        [sys.executable, "-m", "tests.oidc_provider.seed", provider["db"], client_id, SECRET,
         f"http://testserver{redirect_path}", email, IDP_PASSWORD, *groups],
        cwd=ROOT, check=True, env={"PATH": "/usr/bin:/bin", "OIDC_PROVIDER_URL": provider["url"]})


def _configure(settings, provider, name, client_id, **extra):
    settings.CSR_OIDC_PROVIDERS = {**settings.CSR_OIDC_PROVIDERS, name: {
        "client_id": client_id, "client_secret": SECRET,
        "authorization_endpoint": f"{provider['url']}/authorize",
        "token_endpoint": f"{provider['url']}/token",
        "userinfo_endpoint": f"{provider['url']}/userinfo",
        "jwks_endpoint": f"{provider['url']}/jwks",
        "scopes": "openid email profile groups", "signing_algorithm": "RS256",
        "groups_claim": "groups", "role_map": {}, **extra}}
    backend = {"staff": "csrprogram.oidc.StaffOidcBackend",
               "company": "companies.sso.CompanyContactOidcBackend"}[name]
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, backend]


def _sign_in_at_provider(client, start_url: str, email: str):
    """Follow the flow as a browser would; returns our callback's response."""
    response = client.get(start_url)
    assert response.status_code == 302, response
    browser = requests.Session()
    authorize = response["Location"]
    at_idp = browser.get(authorize, allow_redirects=False)
    login_url = requests.compat.urljoin(authorize, at_idp.headers["Location"])
    page = browser.get(login_url)
    assert page.status_code == 200
    next_url = re.search(r'name="next" value="([^"]*)"', page.text).group(1)
    signed_in = browser.post(login_url, data={
        "username": email, "password": IDP_PASSWORD, "next": html.unescape(next_url),
        "csrfmiddlewaretoken": browser.cookies["csrftoken"]}, allow_redirects=False)
    assert signed_in.status_code == 302, signed_in.text
    back = browser.get(authorize, allow_redirects=False)
    callback = back.headers["Location"]
    assert callback.startswith("http://testserver/"), callback
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}")


def test_staff_sign_in_maps_groups_to_a_role_and_needs_no_local_second_factor(
        client, settings, provider):
    callback = reverse("oidc-callback-staff")
    _seed(provider, "csr-staff", callback, "sara@randers.dk", "CSR-Teamledere", "Alle")
    _configure(settings, provider, "staff", "csr-staff",
               role_map={"CSR-Teamledere": Role.TEAM_LEADER.value,
                         "CSR-Konsulenter": Role.CONSULTANT.value})
    response = _sign_in_at_provider(client, reverse("oidc-login", args=["staff"]),
                                    "sara@randers.dk")
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    user = User.objects.get(email="sara@randers.dk")
    assert (user.first_name, user.last_name) == ("Sara", "Sso")
    assert set(user.groups.values_list("name", flat=True)) == {Role.TEAM_LEADER.value}
    # A team leader signed in through the identity provider: its MFA, not ours.
    assert client.get(reverse("programme-list")).status_code == 200


def test_unknown_staff_get_no_role_until_one_is_granted(client, settings, provider):
    callback = reverse("oidc-callback-staff")
    _seed(provider, "csr-staff", callback, "ukendt@randers.dk", "Rengøring")
    _configure(settings, provider, "staff", "csr-staff",
               role_map={"CSR-Teamledere": Role.TEAM_LEADER.value})
    response = _sign_in_at_provider(client, reverse("oidc-login", args=["staff"]),
                                    "ukendt@randers.dk")
    assert response.status_code == 302
    user = User.objects.get(email="ukendt@randers.dk")
    assert not user.groups.exists()
    assert client.get(reverse("programme-list")).status_code == 403


def test_a_tampered_state_is_refused(client, settings, provider):
    _configure(settings, provider, "staff", "csr-staff")
    client.get(reverse("oidc-login", args=["staff"]))
    response = client.get(reverse("oidc-callback-staff"),
                          {"code": "forged", "state": "forged"})
    assert response.status_code == 400  # SuspiciousOperation
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_company_contact_accepts_an_invitation_with_the_mitid_erhverv_broker(
        client, settings, provider, alice):
    from companies.services import contact_invite

    company = CompanyFactory(name="Delta Data ApS")
    callback = reverse("oidc-callback-company")
    _seed(provider, "csr-company", callback, "lone@delta.example")
    _configure(settings, provider, "company", "csr-company")
    invitation = contact_invite(actor=alice, company=company, name="Lone Delta",
                                email="lone@delta.example")
    from django.core import mail

    assert not mail.outbox  # sent after commit; the token is in the link only
    import hashlib
    import secrets

    token = secrets.token_urlsafe(16)
    ContactInvitation.objects.filter(pk=invitation.pk).update(
        token_hash=hashlib.sha256(token.encode()).hexdigest())
    accept = reverse("companies:invitation-accept", args=[token])
    assert "MitID Erhverv" in client.get(accept).content.decode()
    response = client.post(accept, {"sso": "company"})
    assert response["Location"] == reverse("oidc-login", args=["company"])
    response = _sign_in_at_provider(client, response["Location"], "lone@delta.example")
    assert response.status_code == 302
    user = User.objects.get(email="lone@delta.example")
    assert user.company_contacts.get().company == company
    assert client.get(reverse("companies:portal")).context["company"] == company
    assert client.get(accept).status_code == 410


def test_company_provider_never_makes_an_account_without_an_invitation(client, settings,
                                                                       provider):
    callback = reverse("oidc-callback-company")
    _seed(provider, "csr-company", callback, "fremmed@example.com")
    _configure(settings, provider, "company", "csr-company")
    response = _sign_in_at_provider(client, reverse("oidc-login", args=["company"]),
                                    "fremmed@example.com")
    assert response["Location"].startswith(reverse("login"))
    assert not User.objects.filter(email="fremmed@example.com").exists()


def test_sso_is_configured_from_the_environment_and_a_bad_role_map_refuses_to_start(tmp_path):
    base = {"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "true", "CSR_DATA_DIR": str(tmp_path),
            "CSR_OIDC_STAFF_CLIENT_ID": "csr", "CSR_OIDC_STAFF_CLIENT_SECRET": "s",
            "CSR_OIDC_STAFF_ISSUER": "https://login.example/tenant/"}
    show = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.CSR_OIDC_PROVIDERS['staff']['token_endpoint'], "
            "settings.CSR_OIDC_PROVIDERS['staff']['role_map'], "
            "settings.AUTHENTICATION_BACKENDS[-1])")
    env = {**base, "DJANGO_SETTINGS_MODULE": "csrprogram.settings",
           "CSR_OIDC_STAFF_ROLE_MAP": "CSR-Ledere=team_leader, CSR-Konsulenter=consultant"}
    result = subprocess.run([sys.executable, "-c", show], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    assert result.stdout.split(" ", 1)[0] == "https://login.example/tenant/token", result.stderr
    assert "'CSR-Ledere': 'team_leader'" in result.stdout
    assert result.stdout.strip().endswith("csrprogram.oidc.StaffOidcBackend")
    bad = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, check=False,
                         env={**base, "CSR_OIDC_STAFF_ROLE_MAP": "Alle=superhelt"},
                         capture_output=True, text=True)
    assert bad.returncode != 0
    assert "unknown staff roles ['superhelt']" in bad.stderr
