"""The certificates section of the company page and of the company portal."""

from certificates.selectors import certificates_for_company
from companies.sections import CompanySection, register


def _staff_context(company, user) -> dict:
    return {"certificates": certificates_for_company(company), "portal": False}


def _portal_context(company, user) -> dict:
    return {"certificates": certificates_for_company(company), "portal": True}


register(CompanySection(
    key="certificates", template_name="certificates/includes/company_certificates.html",
    context=_staff_context, order=10, on_detail=True, on_portal=False,
))
register(CompanySection(
    key="certificates-portal", template_name="certificates/includes/company_certificates.html",
    context=_portal_context, order=10, on_detail=False, on_portal=True,
))
