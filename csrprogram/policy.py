"""The one access policy: who may do what, and to which records.

Roles are Django groups (``csrprogram.choices.Role``). Each role's abilities are declared once,
in ``ROLE_ABILITIES``, together with its *reach*:

- ``ALL``: every record (team leaders, administrators);
- ``PROGRAMMES``: the records of the programmes the user works in (``Programme.members``),
  plus records not bound to a programme at all (consultants);
- ``COMPANY``: the records of the company the user currently acts for as its contact
  (through ``ContactPerson.user``; a contact of several companies switches between them, see
  ``company_id_of``), never those of any other company.

Abilities are named ``"<app>.<action>_<model>"`` (``"citizens.change_citizen"``). The action
is a verb; besides Django's ``view``/``add``/``change`` the product uses ``issue``, ``revoke``,
``download``, ``decide``, ``portal`` (what a company contact sees in the portal), ``monitor``
(a programme's dashboard), ``carry`` (being the named consultant of a caseload), ``receive``
(escalations) and ``administer``. A superuser holds every ability with reach ``ALL``.

Every model with access rules uses ``RestrictedQuerySet`` (``objects =
RestrictedQuerySet.as_manager()``, or a subclass) and declares how each reach narrows it in
``access_scopes``: ``{PROGRAMMES: "programme__members", COMPANY: "company"}``. A value is a
lookup that is compared with the user (``PROGRAMMES``) or the user's company id
(``COMPANY``), a callable ``(user) -> Q``, or ``UNRESTRICTED`` for a model that the reach does
not narrow (the company register is shared by all staff). A reach missing from
``access_scopes`` gives nothing: an undeclared scope is closed, never open.

Then:

- ``Model.objects.restrict(user, "change")`` is the queryset of the records ``user`` may
  change (empty without the ability), what views fetch through (``ScopedObjectMixin`` in
  ``csrprogram.views_base``);
- ``can(user, ability, obj=None)`` answers for templates (``{% load policy_tags %}``
  ``{% if user|can:"citizens.change_citizen" %}``) and code;
- ``require(actor, ability, obj=None)`` raises ``PermissionDenied``: services that change data
  call it, so a service called from the shell cannot do what the page would refuse. Tasks and
  management commands act as ``SYSTEM`` (``None``), which ``require`` lets through; views
  always pass ``request.user``, which is never ``None``.

**Narrowing hook.** ``add_narrowing(fn)`` registers ``fn(queryset, user, ability) ->
queryset``; every ``restrict()`` (and so every view, selector and ``can``/``require`` with an
object) applies each registered narrowing after the reach. This is where one more dimension
will narrow every scope without touching a view: e.g. the organisation a user works for (a job
centre, or a partner in a pool project spanning several municipalities) would register
``lambda qs, user, ability: qs.filter(organisation__in=user.organisations.all())`` for the
models that have an organisation. A narrowing must only narrow (filter), never widen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from csrprogram.choices import Role

ALL: Final = "all"
PROGRAMMES: Final = "programmes"
COMPANY: Final = "company"
REACHES: Final = (ALL, PROGRAMMES, COMPANY)

# The actor of tasks and management commands: trusted, stored as "no user" on the rows.
SYSTEM: Final = None

UNRESTRICTED: Final = object()


@dataclass(frozen=True)
class Grant:
    """A role's reach and the abilities it holds within that reach."""

    reach: str
    abilities: frozenset[str]


# Reading the programme's records: every member of the job centre's staff.
_STAFF_READ = frozenset({
    "companies.view_company", "companies.view_csrassessment", "companies.view_csrcriterion",
    "certificates.view_certificate", "certificates.download_certificate",
    "citizens.view_citizen",
    "placements.view_jobopening", "placements.view_placement",
    "followups.view_visit",
    "csrprogram.view_programme", "csrprogram.view_target",
    "relations.view_network", "relations.view_event", "relations.view_mentorcourse",
    "relations.view_contactlogentry", "relations.view_spottedopening",
    "cases.view_casestory", "cases.view_programmedescription", "cases.view_casecollection",
})
# Casework: registering and changing companies, citizens, openings, placements and visits.
_CASEWORK = frozenset({
    "companies.add_company", "companies.change_company", "companies.invite_contactperson",
    "citizens.add_citizen", "citizens.change_citizen",
    "placements.add_jobopening", "placements.change_jobopening",
    "placements.add_candidacy", "placements.change_candidacy", "placements.change_placement",
    "followups.add_visit", "followups.change_visit", "followups.change_calendarfeed",
    "relations.add_network", "relations.change_network", "relations.add_event",
    "relations.change_event", "relations.add_mentorcourse", "relations.change_mentorcourse",
    "relations.add_contactlogentry", "relations.change_contactlogentry",
    "relations.change_spottedopening",
    # Writing case stories from placements and recording a company's consent to be named.
    "cases.add_casestory", "cases.change_casestory", "cases.add_companyconsent",
})
# Leading the programme: certificates, criteria, targets, reports, the access logs.
_LEADING = frozenset({
    "companies.add_csrcriterion", "companies.change_csrcriterion",
    "certificates.issue_certificate", "certificates.revoke_certificate",
    "certificates.add_renderbatch", "certificates.view_renderbatch",
    "citizens.view_accesslog",
    # A citizen's rights (issue 16): access export, erasure, restriction, retention reports.
    "citizens.export_citizen", "citizens.erase_citizen", "citizens.restrict_citizen",
    "citizens.approve_retentionreview",
    "csrprogram.change_programme", "csrprogram.monitor_programme",
    "csrprogram.change_target", "csrprogram.add_reportjob", "csrprogram.view_reportjob",
    # Who is a company's responsible consultant: the leader decides, consultants hand over.
    "relations.change_responsibility",
    # Only team leaders review and publish stories and make the case collections.
    "cases.review_casestory", "cases.publish_casestory", "cases.change_programmedescription",
    "cases.add_casecollection", "cases.change_casecollection", "cases.publish_casecollection",
})

ROLE_ABILITIES: Final[dict[str, Grant]] = {
    Role.CONSULTANT: Grant(PROGRAMMES, _STAFF_READ | _CASEWORK | {
        # Only a consultant assesses a company and is the named consultant of a caseload.
        "companies.add_csrassessment", "csrprogram.carry_caseload",
        "relations.change_responsibility",
    }),
    Role.TEAM_LEADER: Grant(ALL, _STAFF_READ | _LEADING | {"followups.receive_escalation"}),
    Role.ADMINISTRATOR: Grant(ALL, _STAFF_READ | _CASEWORK | _LEADING | {
        "csrprogram.administer_site",
    }),
    Role.COMPANY_CONTACT: Grant(COMPANY, frozenset({
        "companies.view_portal", "certificates.download_certificate",
        "placements.portal_jobopening", "placements.decide_candidacy",
    })),
}

ABILITIES: Final[frozenset[str]] = frozenset().union(
    *(grant.abilities for grant in ROLE_ABILITIES.values()))

Narrowing = Callable[[models.QuerySet, Any, str], models.QuerySet]
_narrowings: list[Narrowing] = []


def add_narrowing(fn: Narrowing) -> Narrowing:
    """Register ``fn(queryset, user, ability) -> queryset``, applied by every ``restrict()``.

    Returns ``fn`` (usable as a decorator). See the module docstring for the intended use
    (the organisation dimension). Tests remove theirs with ``remove_narrowing``.
    """
    _narrowings.append(fn)
    return fn


def remove_narrowing(fn: Narrowing) -> None:
    """Unregister a narrowing added with ``add_narrowing`` (ValueError if it is not there)."""
    _narrowings.remove(fn)


def narrowed() -> bool:
    """Whether any narrowing is registered: a shortcut that proves a row is within a reach
    without ``restrict()`` may only be taken when none is."""
    return bool(_narrowings)


def _check_name(ability: str) -> None:
    if ability not in ABILITIES:
        # A misspelt ability would silently deny everyone; say so instead.
        raise ValueError(f"Unknown ability {ability!r}: declare it in ROLE_ABILITIES.")


def role_names(user) -> frozenset[str]:
    """The names of the user's role groups, read once per user object."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_policy_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._policy_roles = cached
    return cached


def reaches(user, ability: str) -> frozenset[str]:
    """The reaches within which ``user`` holds ``ability``: empty when they do not hold it.

    A user in several roles holds the union (``{ALL}`` once any of them reaches all).
    Raises ValueError for an ability no role declares.
    """
    _check_name(ability)
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset({ALL})
    found = {grant.reach for role, grant in ROLE_ABILITIES.items()
             if role in role_names(user) and ability in grant.abilities}
    return frozenset({ALL}) if ALL in found else frozenset(found)


def abilities_of(user) -> frozenset[str]:
    """Every ability ``user`` holds (within some reach)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return ABILITIES
    return frozenset().union(*(grant.abilities for role, grant in ROLE_ABILITIES.items()
                               if role in role_names(user)))


# The session key holding the company a contact of several companies works for right now.
CURRENT_COMPANY_SESSION_KEY: Final = "csr_current_company"


def company_ids_of(user) -> tuple[int, ...]:
    """The ids of every company whose contact ``user`` is (``ContactPerson.user``), in the
    order the contacts were made; read once per user object.

    Read through the reverse relation's name, so the base imports nothing from companies/.
    """
    if user is None or not user.is_authenticated:
        return ()
    if not hasattr(user, "_policy_company_ids"):
        user._policy_company_ids = tuple(
            user.company_contacts.order_by("pk").values_list("company_id", flat=True))
    return user._policy_company_ids


def company_id_of(user) -> int | None:
    """The id of the company ``user`` currently acts for as its contact, or None.

    A contact of several companies chooses one (``choose_company``, kept in the session by
    ``csrprogram.middleware.CurrentCompanyMiddleware``); without a valid choice it is the
    first of ``company_ids_of``. A choice of a company the user is no longer a contact of
    (access revoked) is ignored, so the COMPANY reach never goes beyond the user's companies.
    """
    ids = company_ids_of(user)
    if not ids:
        return None
    chosen = getattr(user, "_policy_company_choice", None)
    return chosen if chosen in ids else ids[0]


def choose_company(user, company_id: int | None) -> bool:
    """Make ``company_id`` the company ``user`` acts for on this user object.

    Returns False (and changes nothing) when ``user`` is not a contact of that company. The
    caller keeps the choice across requests (the session, ``CURRENT_COMPANY_SESSION_KEY``).
    """
    if company_id not in company_ids_of(user):
        return False
    user._policy_company_choice = company_id
    return True


def _reach_q(model: type[models.Model], reach: str, user) -> Q | None:
    """The filter of ``model`` for one reach; None means nothing is within it."""
    if reach == ALL:
        return Q()
    scope = getattr(model, "access_scopes", {}).get(reach)
    if scope is None:
        return None
    if scope is UNRESTRICTED:
        return Q()
    if callable(scope):
        return scope(user)
    if reach == PROGRAMMES:
        return Q(**{scope: user})
    company_id = company_id_of(user)
    return None if company_id is None else Q(**{scope: company_id})


def ability_name(model: type[models.Model], action: str) -> str:
    """``"<app>.<action>_<model>"`` for a model class and an action (``"view"``)."""
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


class RestrictedQuerySet(models.QuerySet):
    """A queryset that can narrow itself to what a user may do (after NetBox's).

    ``restrict(user, action)`` checks the ability ``"<app>.<action>_<model>"``; pass
    ``ability=`` to check another one against this model's scope (e.g. the citizen whose
    access log ``citizens.view_accesslog`` shows).
    """

    def restrict(self, user, action: str = "view", *, ability: str | None = None):
        ability = ability or ability_name(self.model, action)
        if user is SYSTEM:
            return self
        filters = [_reach_q(self.model, reach, user) for reach in reaches(user, ability)]
        filters = [q for q in filters if q is not None]
        if not filters:
            return self.none()
        queryset = self
        if all(filters):  # an empty Q() is the whole table: no filter at all
            combined = filters[0]
            for q in filters[1:]:
                combined |= q
            queryset = self.filter(combined)
        for narrowing in _narrowings:
            queryset = narrowing(queryset, user, ability)
        return queryset


def _needs_query(user, ability: str) -> bool:
    return bool(_narrowings) or reaches(user, ability) != frozenset({ALL})


def can(user, ability: str, obj: models.Model | None = None) -> bool:
    """Whether ``user`` holds ``ability`` (and, given ``obj``, whether ``obj`` is in its reach).

    Without ``obj`` this reads the user's groups only (once per user object). With ``obj`` of a
    model outside ``ALL`` reach it costs one ``EXISTS`` query. Raises ValueError for an
    ability no role declares.
    """
    if not reaches(user, ability):
        return False
    if obj is None or not _needs_query(user, ability):
        return True
    queryset = type(obj)._default_manager.all()
    return queryset.restrict(user, ability=ability).filter(pk=obj.pk).exists()


def permits(actor, ability: str, obj: models.Model | None = None) -> bool:
    """``can`` for services: the ``SYSTEM`` actor (tasks, management commands) may anything."""
    if actor is SYSTEM:
        _check_name(ability)
        return True
    return can(actor, ability, obj)


def require(actor, ability: str, obj: models.Model | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may use ``ability`` (on ``obj``).

    ``SYSTEM`` (tasks, management commands) is always allowed. Services call this first, so
    the rule is the pages' rule wherever the service is called from.
    """
    if not permits(actor, ability, obj):
        raise PermissionDenied(ability)


def may_for(user, obj: models.Model, fetched_action: str | None = None) -> MayMap:
    """What ``user`` may do to ``obj``, for templates: ``may.change``, ``may.revoke``."""
    return MayMap(user, obj, fetched_action)


class MayMap:
    """A lazy mapping action → bool for one object (``{% if may.change %}``).

    ``obj`` was fetched through ``restrict(user, fetched_action)``, so it is within the user's
    reach; another action's answer needs no query when its reaches are the same.
    """

    def __init__(self, user, obj: models.Model, fetched_action: str | None):
        self._user, self._obj, self._cache = user, obj, {}
        self._fetched = (ability_name(type(obj), fetched_action) if fetched_action else None)

    def __getitem__(self, action: str) -> bool:
        if action not in self._cache:
            ability = ability_name(type(self._obj), action)
            if ability not in ABILITIES:
                self._cache[action] = False
            elif (self._fetched and not _narrowings
                  and reaches(self._user, ability) == reaches(self._user, self._fetched)):
                self._cache[action] = bool(reaches(self._user, ability))
            else:
                self._cache[action] = can(self._user, ability, self._obj)
        return self._cache[action]


def users_with(ability: str) -> models.QuerySet:
    """Active users whose role groups hold ``ability`` (e.g. the consultants who can carry a
    caseload, for a filter's choices). Only the columns a choice label needs are read; the
    rest load on access."""
    from django.contrib.auth import get_user_model

    _check_name(ability)
    roles = [role.value for role, grant in ROLE_ABILITIES.items()
             if ability in grant.abilities]
    return (get_user_model().objects.filter(is_active=True)
            .filter(groups__name__in=roles).distinct()
            .only("pk", "first_name", "last_name", "email"))


def users_per_role() -> list[tuple[Role, int]]:
    """Each role of ``ROLE_ABILITIES`` with its number of active users (one query)."""
    from django.contrib.auth.models import Group

    counts = dict(Group.objects.filter(name__in=[role.value for role in ROLE_ABILITIES])
                  .annotate(n=models.Count("user", filter=Q(user__is_active=True)))
                  .values_list("name", "n"))
    return [(Role(role), counts.get(role.value, 0)) for role in ROLE_ABILITIES]
