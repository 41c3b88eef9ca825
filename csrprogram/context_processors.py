from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from csrprogram.choices import Role

STAFF = {Role.CONSULTANT, Role.TEAM_LEADER, Role.ADMINISTRATOR}
LEADERS = {Role.TEAM_LEADER, Role.ADMINISTRATOR}
CONTACTS = {Role.COMPANY_CONTACT}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset


# The main navigation. An entry appears only for its roles and only once its URL exists,
# so apps can be listed here before their pages are built.
NAVIGATION = [
    NavItem(_("Forside"), "home", frozenset(STAFF | CONTACTS)),
    NavItem(_("Virksomheder"), "companies:company-list", frozenset(STAFF)),
    NavItem(_("Borgere"), "citizens:citizen-list", frozenset(STAFF)),
    NavItem(_("Jobåbninger"), "placements:opening-list", frozenset(STAFF)),
    NavItem(_("Forløb"), "placements:placement-list", frozenset(STAFF)),
    NavItem(_("Opfølgning"), "followups:visit-list", frozenset(STAFF)),
    NavItem(_("Certifikater"), "certificates:certificate-list", frozenset(STAFF)),
    NavItem(_("Programmer"), "programme-list", frozenset(STAFF)),
    NavItem(_("Min virksomhed"), "companies:portal", frozenset(CONTACTS)),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    roles = set(user.role_names)
    if user.is_superuser:
        roles |= {role.value for role in Role}
    items = []
    for item in NAVIGATION:
        if not roles.intersection(role.value for role in item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url,
                      "active": request.path == url or (
                          url != "/" and request.path.startswith(url))})
    return {"nav_items": items}
