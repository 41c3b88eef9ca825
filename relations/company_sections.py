"""The company relationship on the company page (staff only, not the portal): the responsible
consultant and its history, the contact log with next steps, networks, events, jobs spotted at
events and what became of them, and the trained employee mentors."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from companies.sections import CompanySection, register, register_evidence
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


@register_evidence
def mentor_evidence(company, user) -> list[str]:
    """Trained employee mentors count as evidence for a CSR criterion (seed 001)."""
    if not policy.can(user, "relations.view_mentorcourse"):
        return []
    trainees = selectors.trainees_visible_to(user).filter(
        company=company, completed_on__isnull=False).order_by("completed_on", "pk")
    return [_("Uddannet medarbejdermentor: %(name)s (%(course)s, %(date)s)") % {
        "name": trainee.name, "course": trainee.course.title,
        "date": date_format(trainee.completed_on, "SHORT_DATE_FORMAT")} for trainee in trainees]
