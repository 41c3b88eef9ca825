"""The follow-up visits section of the company page (staff only, not the portal)."""

from companies.sections import CompanySection, register


def _context(company, user) -> dict:
    # The template tag reads the visits through a selector scoped to the logged-in user.
    return {"company": company}


register(CompanySection(
    key="followups", template_name="followups/includes/company_section.html",
    context=_context, order=30, on_detail=True, on_portal=False,
))
