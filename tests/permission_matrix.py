"""The permission matrix harness.

Every URL pattern of the project must have a declared expectation for each actor: anonymous,
company contact of the object's own company (carol), company contact of another company
(dave), consultant (alice), team leader (bob) and administrator (erin, also Django-admin staff).
The outcomes follow from one access policy (``csrprogram.policy.ROLE_ABILITIES``). Each app
declares its rows in ``tests/<app>/matrix.py`` as
``EXPECTATIONS = {"namespace:name": Expect(...)}``; a key ending in ``:*`` covers a whole
namespace (used for the Django admin) with one representative URL.

Expected outcomes are status codes, or LOGIN for a redirect to the login page.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

LOGIN = "login"
ACTORS = ("anonymous", "contact_own", "contact_other", "consultant", "team_leader",
          "administrator")


@dataclass(frozen=True)
class Expect:
    anonymous: int | str
    contact_own: int | str
    contact_other: int | str
    consultant: int | str
    team_leader: int | str
    administrator: int | str
    # Builds the URL's kwargs from the world (a dict of objects made by the matrix fixture).
    kwargs: Callable[[dict], dict] | None = None
    method: str = "get"
    data: Callable[[dict], dict] | None = None
    # For a namespace wildcard: the URL name to request.
    sample: str | None = None
    extra: dict = field(default_factory=dict)

    def outcome(self, actor: str) -> int | str:
        return getattr(self, actor)


def project_url_names(patterns=None, namespace: str = "") -> list[str]:
    """Every URL pattern's qualified name; an unnamed pattern is listed by its route."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    names: list[str] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names.extend(project_url_names(pattern.url_patterns, inner))
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name}" if pattern.name
                         else f"{namespace}<unnamed {pattern.pattern}>")
    return names


def undeclared(names: list[str], expectations: dict[str, Expect]) -> list[str]:
    wildcards = [key[:-1] for key in expectations if key.endswith(":*")]
    return sorted(
        name for name in set(names)
        if name not in expectations and not any(name.startswith(w) for w in wildcards)
    )


def collect_expectations() -> dict[str, Expect]:
    """Merge the EXPECTATIONS of every ``tests/<package>/matrix.py``."""
    merged: dict[str, Expect] = {}
    tests_dir = Path(__file__).parent
    for module_info in pkgutil.iter_modules([str(tests_dir)]):
        if not module_info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{module_info.name}.matrix")
        except ModuleNotFoundError as error:
            if error.name != f"tests.{module_info.name}.matrix":
                raise
            continue
        for key, expect in module.EXPECTATIONS.items():
            if key in merged:
                raise ValueError(f"{key} is declared twice in the permission matrix")
            merged[key] = expect
    return merged


def collect_world_builders() -> list[Callable[[dict], None]]:
    builders = []
    tests_dir = Path(__file__).parent
    for module_info in pkgutil.iter_modules([str(tests_dir)]):
        if not module_info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{module_info.name}.matrix")
        except ModuleNotFoundError:
            continue
        if hasattr(module, "build_world"):
            builders.append(module.build_world)
    return builders
