"""Start the test OpenID Connect provider: ``python -m tests.oidc_provider.serve PORT DB``.

Migrates its own SQLite database, makes a signing key, and serves with Django's threaded
development server (no reloader) on 127.0.0.1:PORT until killed. Clients and users are made by
the test through ``tests.oidc_provider.seed`` in the same database.
"""

import os
import sys


def main() -> None:
    port, database = sys.argv[1], sys.argv[2]
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    os.environ["OIDC_PROVIDER_DB"] = database
    os.environ["OIDC_PROVIDER_URL"] = f"http://127.0.0.1:{port}"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("creatersakey")
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True,
                 verbosity=0)


if __name__ == "__main__":
    main()
