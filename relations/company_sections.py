"""The company relationship on the company page (staff only, not the portal): the responsible
consultant and its history, the contact log with next steps, networks, events, jobs spotted at
events and what became of them, and the trained employee mentors."""

from companies.sections import CompanySection, register
from csrprogram import policy
from relations import selectors


def _context(company, user) -> dict:
    if not policy.can(user, "relations.view_contactlogentry"):
        return {"hidden": True}
    return {"company": company, **selectors.relationship_of(company, user)}


register(CompanySection(
    key="relations", template_name="relations/includes/company_section.html",
    context=_context, order=5, on_detail=True, on_portal=False,
))
