"""The company relationship on the company page (staff only, not the portal): the responsible
consultant and its history, the contact log with next steps, networks, events, jobs spotted at
events and what became of them, and the trained employee mentors."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies.choices import EvidenceSource
from companies.sections import (
    CompanySection,
    register,
    register_criterion_evidence,
    register_evidence,
)
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


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


@register_criterion_evidence(EvidenceSource.MENTORS)
def mentor_criterion_evidence(company, user, since, until) -> str:
    """The criterion "trained employee mentors" (seed 001): the company's employees who
    completed a mentor course between ``since`` and ``until`` (both included), as ``user`` may
    see the courses. Returns the evidence text (how many mentors, which courses, the dates),
    or ``""`` when there are none. One query."""
    if not policy.can(user, "relations.view_mentorcourse"):
        return ""
    trainees = list(selectors.trainees_visible_to(user).filter(
        company=company, completed_on__gte=since, completed_on__lte=until,
    ).order_by("course__starts_on", "course_id", "completed_on", "name", "pk"))
    if not trainees:
        return ""
    courses: dict[int, list] = {}
    for trainee in trainees:
        courses.setdefault(trainee.course_id, []).append(trainee)
    lines = [ngettext(
        "%(count)s medarbejdermentor uddannet %(since)s–%(until)s:",
        "%(count)s medarbejdermentorer uddannet %(since)s–%(until)s:", len(trainees)) % {
        "count": len(trainees), "since": _day(since), "until": _day(until)}]
    for group in courses.values():
        course = group[0].course
        names = ", ".join(_("%(name)s (gennemført %(date)s)") % {
            "name": trainee.name, "date": _day(trainee.completed_on)} for trainee in group)
        lines.append(_("%(course)s, %(starts)s–%(ends)s: %(names)s") % {
            "course": course.title, "starts": _day(course.starts_on),
            "ends": _day(course.ends_on), "names": names})
    return "\n".join(lines)
