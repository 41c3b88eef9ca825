"""Shared fixtures: named users per role (alice, bob, carol, dave, erin), frozen time helpers,
Celery in eager mode for unit tests, and Chromium for the browser tests."""

import importlib

import pytest
from django.apps import apps as django_apps

from csrprogram.celery import app as celery_app
from csrprogram.choices import Role
from tests.companies.factories import CompanyFactory, ContactPersonFactory
from tests.csrprogram.factories import ProgrammeFactory, UserFactory

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _celery_eager():
    """Unit tests run tasks in-process; tests marked celery_worker use a real worker instead."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _mail_backend(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _login_rules_for_the_suite(request, settings):
    """The suite's logins keep their meaning under the login rules of issue 12.

    Team leaders and administrators log in all over the suite (``force_login`` or the login
    form) without a second factor: their sessions count as verified unless the test is marked
    ``two_factor`` (the enforcement's own tests). Many tests log in and then travel in time
    (``time_machine``): the idle and absolute session limits apply only to tests marked
    ``session_limits``.
    """
    settings.CSR_TWO_FACTOR_ASSUME_VERIFIED = request.node.get_closest_marker("two_factor") is None
    # Hand-made fixtures change between requests: the home queue's verdicts are computed anew.
    settings.CSR_DASHBOARD_CACHE_SECONDS = 0
    if request.node.get_closest_marker("session_limits") is None:
        settings.CSR_SESSION_IDLE_SECONDS = settings.CSR_SESSION_ABSOLUTE_SECONDS = 10**10


@pytest.fixture
def programme(db, alice, bob):
    return ProgrammeFactory(name="CSR Strategi 2017", members=[alice, bob])


@pytest.fixture
def alice(db):
    """A consultant."""
    return UserFactory(email="alice@jobcenter.example", first_name="Alice",
                       roles=[Role.CONSULTANT])


@pytest.fixture
def bob(db):
    """A team leader."""
    return UserFactory(email="bob@jobcenter.example", first_name="Bob",
                       roles=[Role.TEAM_LEADER])


@pytest.fixture
def company_a(db):
    return CompanyFactory(name="Alfa Bageri ApS")


@pytest.fixture
def company_b(db):
    return CompanyFactory(name="Beta Byg A/S")


@pytest.fixture
def carol(db, company_a):
    """The contact person of company A."""
    user = UserFactory(email="carol@alfa.example", first_name="Carol",
                       roles=[Role.COMPANY_CONTACT])
    ContactPersonFactory(company=company_a, user=user, name="Carol Alfa", is_primary=True)
    return user


@pytest.fixture
def dave(db, company_b):
    """The contact person of company B."""
    user = UserFactory(email="dave@beta.example", first_name="Dave",
                       roles=[Role.COMPANY_CONTACT])
    ContactPersonFactory(company=company_b, user=user, name="Dave Beta", is_primary=True)
    return user


@pytest.fixture
def erin(db):
    """An administrator."""
    return UserFactory(email="erin@jobcenter.example", first_name="Erin", is_staff=True,
                       roles=[Role.ADMINISTRATOR])


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


def regrant_role_permissions() -> None:
    """Put back the role permissions that the apps' data migrations grant.

    A transactional test (``transaction=True``, ``live_server``) ends with a flush that empties
    every table, the groups' permissions included, so the next transactional test would run
    without them. Every migration module that defines ``GRANTS`` is applied again.
    """
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.db.migrations.loader import MigrationLoader

    for app_config in django_apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in sorted(loader.disk_migrations):
        module = importlib.import_module(loader.disk_migrations[key].__module__)
        for role, names in getattr(module, "GRANTS", {}).items():
            group, _created = Group.objects.get_or_create(name=role)
            for name in names:
                app_label, codename = name.split(".", 1)
                group.permissions.add(Permission.objects.get(
                    content_type__app_label=app_label, codename=codename))


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(transactional or {"transactional_db", "live_server"} & fixtures)


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """Every test starts in the default language (Danish): a request in English leaves English
    active in the worker's thread (LocaleMiddleware activates, nothing deactivates), and the
    next test in the same process would otherwise read English messages."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _role_permissions_after_flush(request):
    if _transactional(request.node):
        request.getfixturevalue("transactional_db")
        regrant_role_permissions()


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, the groups are put back for the tests after it in
    this process: a test in a transaction (``db``) that needs a role's group, such as the demo
    seeding, would otherwise depend on which tests the worker happened to run before it."""
    yield
    # After the last test the session's teardown has removed the test database.
    if nextitem is not None and _transactional(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            regrant_role_permissions()


@pytest.fixture(scope="session", autouse=True)
def _live_server_serves_collected_static():
    """The live server serves the collected static files, under their hashed names.

    pytest-django's live server answers /static/ through Django's StaticFilesHandler, which
    looks files up with the finders: they know only the unhashed names, while the pages (with
    the production storage, CompressedManifestStaticFilesStorage) link to hashed ones, so every
    stylesheet and script was a 404 and the browser tests saw pages without CSS. Served from
    STATIC_ROOT (``bin/test`` runs collectstatic first) a file missing from the manifest is
    still a 404.
    """
    from django.conf import settings
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.views.static import serve

    original = StaticFilesHandler.serve

    def serve_collected(handler, request):
        return serve(request, handler.file_path(request.path), document_root=settings.STATIC_ROOT)

    StaticFilesHandler.serve = serve_collected
    yield
    StaticFilesHandler.serve = original


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Danish users' browsers ask for Danish; the language switch is tested separately.
    return {**browser_context_args, "locale": "da-DK"}


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    """A real Celery worker process on the test database and the test Redis (not eager mode).

    Yields a function that waits for a condition, polling while the worker works.
    """
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.db import connection

    redis_url = os.environ.get("REDIS_URL")
    assert redis_url, "the test command provides REDIS_URL"
    db = connection.settings_dict
    database_url = (f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
                    if db["ENGINE"].endswith("postgresql") else None)
    assert database_url, "the worker test needs PostgreSQL"
    env = dict(os.environ, DATABASE_URL=database_url, REDIS_URL=redis_url)
    env.pop("CELERY_BROKER_URL", None)
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = redis_url
    log = Path(settings.MEDIA_ROOT).parent / "worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "csrprogram", "worker", "--pool", "solo",
             "--loglevel", "INFO", "--without-heartbeat", "--without-gossip",
             "--without-mingle"],
            env=env, stdout=handle, stderr=subprocess.STDOUT,
        )

    def wait_for(condition, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"the worker exited early:\n{log.read_text()}")
            result = condition()
            if result:
                return result
            time.sleep(0.2)
        raise AssertionError(f"condition not met within {timeout}s:\n{log.read_text()}")

    wait_for.process = process
    try:
        yield wait_for
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
