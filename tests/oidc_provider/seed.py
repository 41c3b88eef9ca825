"""Make a client and a user in the running test provider's database:
``python -m tests.oidc_provider.seed DB CLIENT_ID SECRET REDIRECT_URI EMAIL PASSWORD [GROUP...]``.
"""

import os
import sys


def main() -> None:
    database, client_id, secret, redirect_uri, email, password, *groups = sys.argv[1:]
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    os.environ["OIDC_PROVIDER_DB"] = database
    os.environ.setdefault("OIDC_PROVIDER_URL", "http://127.0.0.1")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from oidc_provider.models import Client, ResponseType

    client, _ = Client.objects.update_or_create(client_id=client_id, defaults={
        "name": client_id, "client_type": "confidential", "client_secret": secret,
        "jwt_alg": "RS256", "require_consent": False, "_redirect_uris": redirect_uri,
        "_scope": "openid email profile groups"})
    client.response_types.set([ResponseType.objects.get(value="code")])
    user, _ = User.objects.get_or_create(username=email, defaults={
        "email": email, "first_name": "Sara", "last_name": "Sso"})
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups])


if __name__ == "__main__":
    main()
