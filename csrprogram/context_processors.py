from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from csrprogram import policy


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    ability: str | None  # None: every logged-in user


# The main navigation. An entry appears only for the holders of its ability (the page's own)
# and only once its URL exists, so apps can be listed here before their pages are built.
NAVIGATION = [
    NavItem(_("Forside"), "home", None),
    NavItem(_("Virksomheder"), "companies:company-list", "companies.view_company"),
    NavItem(_("Borgere"), "citizens:citizen-list", "citizens.view_citizen"),
    NavItem(_("Jobåbninger"), "placements:opening-list", "placements.view_jobopening"),
    NavItem(_("Forløb"), "placements:placement-list", "placements.view_placement"),
    NavItem(_("Opfølgning"), "followups:visit-list", "followups.view_visit"),
    NavItem(_("Arrangementer"), "relations:event-list", "relations.view_event"),
    NavItem(_("Certifikater"), "certificates:certificate-list", "certificates.view_certificate"),
    NavItem(_("Casebank"), "cases:story-list", "cases.view_casestory"),
    NavItem(_("Programmer"), "programme-list", "csrprogram.view_programme"),
    NavItem(_("Min virksomhed"), "companies:portal", "companies.view_portal"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    abilities = policy.abilities_of(user)
    items = []
    for item in NAVIGATION:
        if item.ability is not None and item.ability not in abilities:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url,
                      "active": request.path == url or (
                          url != "/" and request.path.startswith(url))})
    return {"nav_items": items}
