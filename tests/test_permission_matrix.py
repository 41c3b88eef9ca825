import pytest
from django.conf import settings
from django.urls import path, reverse

from tests.permission_matrix import (
    ACTORS,
    LOGIN,
    Expect,
    collect_expectations,
    collect_world_builders,
    project_url_names,
    undeclared,
)

EXPECTATIONS = collect_expectations()


def test_every_url_pattern_has_a_declared_expectation():
    missing = undeclared(project_url_names(), EXPECTATIONS)
    assert missing == [], f"URL patterns without a permission-matrix row: {missing}"


def test_every_declared_expectation_names_a_real_url_pattern():
    names = set(project_url_names())
    stale = [key for key in EXPECTATIONS
             if not key.endswith(":*") and key not in names]
    assert stale == [], f"Matrix rows for URL patterns that no longer exist: {stale}"


def test_harness_reports_an_unlisted_pattern():
    """The harness itself must fail when a pattern has no row (here a made-up one)."""

    def view(request):  # pragma: no cover - never called
        raise AssertionError

    patterns = [path("listed/", view, name="listed"), path("forgotten/", view, name="forgotten"),
                path("anonymous/", view)]
    expectations = {"listed": Expect(200, 200, 200, 200, 200, 200)}
    assert undeclared(project_url_names(patterns), expectations) == [
        "<unnamed anonymous/>", "forgotten",
    ]


@pytest.fixture
def world(programme, alice, bob, carol, dave, erin, company_a, company_b):
    world = {
        "programme": programme, "consultant": alice, "team_leader": bob, "administrator": erin,
        "contact_own": carol, "contact_other": dave,
        "company_own": company_a, "company_other": company_b,
    }
    for build in collect_world_builders():
        build(world)
    return world


def _cases():
    for name in sorted(EXPECTATIONS):
        for actor in ACTORS:
            yield pytest.param(name, actor, id=f"{name}-{actor}")


@pytest.mark.parametrize(("url_name", "actor"), list(_cases()))
def test_permission_matrix(client, world, url_name, actor):
    expect = EXPECTATIONS[url_name]
    target = expect.sample or url_name
    url = reverse(target, kwargs=expect.kwargs(world) if expect.kwargs else None)
    if actor != "anonymous":
        client.force_login(world[actor])
    data = expect.data(world) if expect.data else {}
    response = getattr(client, expect.method)(url, data)
    wanted = expect.outcome(actor)
    if wanted == LOGIN:
        assert response.status_code == 302, (url, actor, response.status_code)
        assert response["Location"].startswith(reverse(settings.LOGIN_URL)), response["Location"]
    else:
        assert response.status_code == wanted, (url, actor, response.status_code)
