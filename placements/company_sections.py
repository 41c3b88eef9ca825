"""The openings and placements sections of the company page, and the portal's openings."""

from companies.sections import CompanySection, register
from placements import selectors

LIMIT = 20


def _staff_context(company, user) -> dict:
    openings = list(selectors.opening_list(user).filter(company=company)[:LIMIT])
    placements = list(selectors.placements_visible_to(user).filter(company=company)[:LIMIT])
    return {"openings": openings, "placements": placements, "company": company,
            "limit": LIMIT}


def _portal_context(company, user) -> dict:
    return {"openings": list(selectors.portal_openings(user)[:LIMIT])}


register(CompanySection(
    key="placements", template_name="placements/includes/company_section.html",
    context=_staff_context, order=20, on_detail=True, on_portal=False,
))
register(CompanySection(
    key="placements-portal", template_name="placements/includes/portal_section.html",
    context=_portal_context, order=20, on_detail=False, on_portal=True,
))
