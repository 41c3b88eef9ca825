"""Reads of the companies app, scoped by the access policy: staff see every company, a company
contact only their own."""

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from companies.models import (
    Company,
    ContactInvitation,
    ContactPerson,
    CsrAssessment,
    CsrAssessmentAnswer,
    CsrCriterion,
)
from csrprogram import policy
from csrprogram.models import User


def _valid_certificate_q(prefix: str = "certificates__") -> Q:
    # The certificates app sits above this one; it is reached through its reverse relation
    # name only, so this module imports nothing from it.
    today = timezone.localdate()
    return Q(**{
        f"{prefix}revoked_at__isnull": True,
        f"{prefix}superseded_at__isnull": True,
        f"{prefix}valid_from__lte": today,
        f"{prefix}valid_until__gte": today,
    })


def company_list(*, user: User, action: str = "view") -> QuerySet[Company]:
    """The companies ``user`` may ``action``, with their certificate counts (for the list).

    ``certificate_count`` and ``valid_certificate_until`` are correlated subqueries rather
    than a join with GROUP BY: PostgreSQL computes them for the rows of the page only, after
    the sort and LIMIT (issue 14: the join aggregated all 10,000 companies to show 25).
    """
    certificates = Company.certificates.rel.related_model.objects.filter(
        company=OuterRef("pk")).order_by().values("company")
    counted = certificates.annotate(n=Count("pk")).values("n")
    valid_until = (certificates.filter(_valid_certificate_q(prefix=""))
                   .annotate(until=Max("valid_until")).values("until"))
    return (
        Company.objects.restrict(user, action).select_related("responsible_consultant").annotate(
            certificate_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0),
            valid_certificate_until=Subquery(valid_until, output_field=DateField()),
        )
        .order_by("name", "pk")
    )


def company_detail(*, user: User, action: str = "view") -> QuerySet[Company]:
    """The queryset a company page fetches its one company from (contacts, primary first)."""
    primary = ContactPerson.objects.order_by("-is_primary", "name", "pk")
    return (
        company_list(user=user, action=action)
        .prefetch_related(Prefetch("contacts", queryset=primary))
    )


def company_for_contact(*, user: User) -> Company | None:
    """The company the user currently acts for as its contact (``policy.company_id_of``: the
    one chosen in the session, else the first), or None."""
    company_id = policy.company_id_of(user)
    return None if company_id is None else Company.objects.filter(pk=company_id).first()


def companies_of_contact(*, user: User) -> QuerySet[Company]:
    """Every company whose contact ``user`` is, by name (for the company switch)."""
    return Company.objects.filter(pk__in=policy.company_ids_of(user)).order_by("name", "pk")


def contacts_with_access(*, company: Company) -> QuerySet[ContactPerson]:
    """The company's contact persons who have a login or an invitation, with the login and
    their newest invitation (``latest_invitations``, one element or none); two queries."""
    newest = ContactInvitation.objects.select_related("invited_by").order_by("-created_at", "-pk")
    return (company.contacts.filter(Q(user__isnull=False) | Q(invitations__isnull=False))
            .distinct().select_related("user")
            .prefetch_related(Prefetch("invitations", queryset=newest,
                                       to_attr="latest_invitations"))
            .order_by("name", "pk"))


def consultant_of_contact(*, user: User, company: Company) -> User | None:
    """The job centre's person who invited ``user`` to ``company`` (their consultant), from
    the newest accepted invitation, or None."""
    invitation = (ContactInvitation.objects
                  .filter(contact__company=company, contact__user=user,
                          accepted_at__isnull=False, invited_by__isnull=False)
                  .select_related("invited_by").order_by("-accepted_at").first())
    return invitation.invited_by if invitation else None


def assessments_for_company(*, company: Company) -> QuerySet[CsrAssessment]:
    return (
        CsrAssessment.objects.filter(company=company)
        .select_related("programme", "assessed_by")
        .order_by("-assessed_on", "-pk")
    )


def assessment_detail(*, user: User, action: str = "view",
                      ability: str | None = None) -> QuerySet[CsrAssessment]:
    """The queryset an assessment page fetches its one assessment from (answers in order).

    ``ability`` checks another ability against the assessment's scope (issuing a certificate).
    """
    answers = CsrAssessmentAnswer.objects.select_related("criterion").order_by(
        "criterion__order", "criterion__pk")
    return (
        CsrAssessment.objects.restrict(user, action, ability=ability)
        .select_related("company", "programme", "assessed_by")
        .prefetch_related(Prefetch("answers", queryset=answers))
    )


def assessment_is_superseded(assessment: CsrAssessment) -> bool:
    """A newer assessment of the same company in the same programme replaces this one."""
    return CsrAssessment.objects.filter(
        company_id=assessment.company_id, programme_id=assessment.programme_id,
        pk__gt=assessment.pk,
    ).exists()


def active_criteria() -> QuerySet[CsrCriterion]:
    return CsrCriterion.objects.filter(is_active=True).order_by("order", "pk")


def criteria_all(*, user: User, action: str = "view") -> QuerySet[CsrCriterion]:
    """The whole catalogue, active or not, as ``user`` may ``action`` it."""
    return CsrCriterion.objects.restrict(user, action).order_by("order", "pk")


def _distinct_values(field: str) -> list[str]:
    """The distinct non-empty values of the company ``field`` in order, read from its index
    one value at a time (a recursive "loose index scan": each step finds the next value
    above the last one). A few hundred index steps for a few hundred towns, instead of
    reading and de-duplicating the whole register (issue 14: 8 ms of each company list page
    at 10,000 companies). PostgreSQL and SQLite alike."""
    table = connection.ops.quote_name(Company._meta.db_table)
    column = connection.ops.quote_name(Company._meta.get_field(field).column)
    # Only the model's own table and column names (quoted) are written into the SQL; the
    # value is a parameter.
    sql = (f"WITH RECURSIVE found(value) AS ("  # noqa: S608
           f"SELECT MIN({column}) FROM {table} WHERE {column} > %s "
           f"UNION ALL SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > found.value) "
           f"FROM found WHERE found.value IS NOT NULL) "
           f"SELECT value FROM found WHERE value IS NOT NULL")
    with connection.cursor() as cursor:
        cursor.execute(sql, [""])
        return [row[0] for row in cursor.fetchall()]


def filter_options() -> dict[str, list[str]]:
    """Distinct cities and industries for the list's filter choices, in the database's order
    (two index-stepping queries, ``_distinct_values``)."""
    return {"cities": _distinct_values("city"), "industries": _distinct_values("industry")}


def company_autocomplete(*, user: User, term: str, limit: int = 20) -> list[Company]:
    """At most ``limit`` companies ``user`` may view that match ``term``, for a company picker.

    Digits (spaces, dots and a "DK" prefix allowed) match the start of the CVR number; other
    text matches the name anywhere, names that start with it first. Fewer than 2 characters
    match nothing (the register may hold tens of thousands of companies).
    """
    term = (term or "").strip()
    if len(term) < 2 or "\x00" in term:
        return []
    companies = Company.objects.restrict(user, "view").only("pk", "cvr", "name", "city")
    digits = "".join(ch for ch in term.upper().removeprefix("DK") if ch not in " .-")
    if digits.isdigit():
        return list(companies.filter(cvr__startswith=digits[:8]).order_by("cvr")[:limit])
    from django.db.models import Case, IntegerField, Value, When

    starts_first = Case(When(name__istartswith=term, then=Value(0)), default=Value(1),
                        output_field=IntegerField())
    return list(companies.filter(name__icontains=term[:100])
                .order_by(starts_first, "name", "pk")[:limit])
