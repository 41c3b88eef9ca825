"""Reads of the certificates app, scoped to the user: a company contact sees only their own."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from certificates.models import Certificate, RenderBatch
from companies.selectors import company_for_contact
from csrprogram.models import User


def _is_staff(user: User) -> bool:
    return bool(user.is_superuser or user.is_consultant or user.is_team_leader
                or user.is_administrator)


def certificates_visible_to(user: User) -> QuerySet[Certificate]:
    queryset = Certificate.objects.select_related("company", "programme")
    if _is_staff(user):
        return queryset
    if user.is_authenticated and user.is_company_contact:
        company = company_for_contact(user=user)
        if company is not None:
            return queryset.filter(company=company)
    return queryset.none()


def certificate_list(*, user: User) -> QuerySet[Certificate]:
    if not _is_staff(user):
        return Certificate.objects.none()
    return (certificates_visible_to(user).with_status(timezone.localdate())
            .order_by("-issued_at", "-pk"))


def first_in_programme(queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
    """Only each company's first certificate in the programme (what 'certified' counts)."""
    earlier = Certificate.objects.filter(
        company=OuterRef("company"), programme=OuterRef("programme"),
    ).filter(Q(issued_at__lt=OuterRef("issued_at"))
             | Q(issued_at=OuterRef("issued_at"), pk__lt=OuterRef("pk")))
    return queryset.filter(~Exists(earlier))


def certificate_detail(*, user: User, pk: int) -> Certificate:
    return (certificates_visible_to(user)
            .select_related("assessment", "issued_by", "revoked_by", "superseded_by")
            .get(pk=pk))


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


def render_batch_detail(*, user: User, pk: int) -> RenderBatch:
    if not (user.is_superuser or user.is_team_leader or user.is_administrator):
        raise RenderBatch.DoesNotExist
    return RenderBatch.objects.get(pk=pk)
