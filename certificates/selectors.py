"""Reads of the certificates app, scoped to the user: a company contact sees only their own."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from certificates.models import Certificate
from csrprogram.models import User


def certificates_visible_to(user: User, action: str = "view") -> QuerySet[Certificate]:
    """The certificates ``user`` may ``action`` (a company contact: their own company's)."""
    return Certificate.objects.restrict(user, action).select_related("company", "programme")


def certificate_list(*, user: User) -> QuerySet[Certificate]:
    return (certificates_visible_to(user).with_status(timezone.localdate())
            .order_by("-issued_at", "-pk"))


def first_in_programme(queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
    """Only each company's first certificate in the programme (what 'certified' counts)."""
    earlier = Certificate.objects.filter(
        company=OuterRef("company"), programme=OuterRef("programme"),
    ).filter(Q(issued_at__lt=OuterRef("issued_at"))
             | Q(issued_at=OuterRef("issued_at"), pk__lt=OuterRef("pk")))
    return queryset.filter(~Exists(earlier))


def certificate_detail(*, user: User, action: str = "view") -> QuerySet[Certificate]:
    """The queryset a certificate page fetches its one certificate from."""
    return (certificates_visible_to(user, action)
            .select_related("assessment", "issued_by", "revoked_by", "superseded_by"))


def certificate_by_token(token: str) -> Certificate | None:
    if not token or len(token) > 64:
        return None
    return (Certificate.objects.select_related("company", "programme", "assessment",
                                               "superseded_by")
            .filter(public_token=token).first())


def certificates_for_company(company) -> list[Certificate]:
    return list(Certificate.objects.filter(company=company).select_related("programme")
                .order_by("-issued_at", "-pk"))


def met_criteria_titles(certificate: Certificate, language: str) -> list[str]:
    answers = certificate.assessment.answers.filter(is_met=True).select_related(
        "criterion").order_by("criterion__order", "criterion__pk")
    return [answer.criterion.title_in(language) for answer in answers]

