"""Writes of the companies app: companies and contacts, the criteria catalogue, assessments."""

import datetime as dt
import hashlib
import secrets
from functools import partial

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from companies.forms import COMPANY_IMPORT_COLUMNS, CompanyImportRowForm
from companies.models import (
    Company,
    ContactInvitation,
    ContactPerson,
    CsrAssessment,
    CsrAssessmentAnswer,
    CsrCriterion,
)
from companies.sections import criterion_evidence
from csrprogram.choices import Role
from csrprogram.importing import ImportResult, tabular_import
from csrprogram.models import Programme, User
from csrprogram.policy import require

COMPANY_FIELDS = (
    "cvr", "p_number", "name", "address", "postcode", "city", "industry", "size_band",
    "is_social_economy", "website", "language", "notes",
)


def _contacts_save(*, company: Company, contacts: list[dict]) -> None:
    existing = {contact.pk: contact for contact in company.contacts.all()}
    for data in contacts:
        if data.get("id") and data["id"] not in existing:
            raise ValidationError(_("Kontaktpersonen hører ikke til virksomheden."))
    for data in contacts:
        if data.get("id") and data.get("delete"):
            existing.pop(data["id"]).delete()
    kept = [data for data in contacts if not data.get("delete")]
    if kept and sum(1 for data in kept if data.get("is_primary")) != 1:
        raise ValidationError(_("Vælg præcis én primær kontaktperson."))
    # Save the non-primary contacts first, so that moving the primary flag from one person to
    # another never has two primaries at once (a database constraint forbids it).
    for data in sorted(kept, key=lambda d: bool(d.get("is_primary"))):
        contact = existing.get(data.get("id")) or ContactPerson(company=company)
        for name in ("name", "job_title", "email", "phone", "is_primary"):
            setattr(contact, name, data.get(name, "") if name != "is_primary"
                    else bool(data.get(name)))
        contact.full_clean()
        contact.save()


@transaction.atomic
def company_create(*, actor: User | None, data: dict,
                   contacts: list[dict] | None = None) -> Company:
    """Register a company with its contacts. PermissionDenied unless ``actor`` may add one."""
    require(actor, "companies.add_company")
    company = Company(**{name: data[name] for name in COMPANY_FIELDS if name in data})
    company.full_clean()
    company.save()
    _contacts_save(company=company, contacts=contacts or [])
    return company


@transaction.atomic
def company_update(*, actor: User | None, company: Company, data: dict,
                   contacts: list[dict] | None = None) -> Company:
    """Change a company and its contacts. PermissionDenied unless ``actor`` may change it."""
    require(actor, "companies.change_company", company)
    for name in COMPANY_FIELDS:
        if name in data:
            setattr(company, name, data[name])
    company.full_clean()
    company.save()
    if contacts is not None:
        _contacts_save(company=company, contacts=contacts)
    return company


def _company_import_row(cleaned: dict, *, actor: User | None) -> Company:
    contacts = []
    if cleaned.get("contact_name"):
        contacts.append({"name": cleaned["contact_name"], "email": cleaned.get("contact_email", ""),
                         "phone": cleaned.get("contact_phone", ""), "is_primary": True})
    return company_create(actor=actor, data=cleaned, contacts=contacts)


@transaction.atomic
def company_import(*, actor: User | None, uploaded) -> ImportResult:
    """Create the companies of a CSV/XLSX file (columns: ``COMPANY_IMPORT_COLUMNS``), all or none.

    ``uploaded`` is a file object (an upload); each row becomes a company with its primary
    contact when a contact name is given. A CVR number already in the register or twice in the
    file refuses its row. Never raises for the file's content: see
    ``csrprogram.importing.tabular_import`` for the result and its Danish problems.
    PermissionDenied unless ``actor`` may add companies.
    """
    require(actor, "companies.add_company")
    return tabular_import(
        uploaded=uploaded,
        columns=COMPANY_IMPORT_COLUMNS,
        form_class=CompanyImportRowForm,
        save_row=partial(_company_import_row, actor=actor),
        unique_within_file=("cvr",),
    )


@transaction.atomic
def criterion_save(*, actor: User | None, criterion: CsrCriterion | None = None,
                   data: dict) -> CsrCriterion:
    """Create (no ``criterion``) or change a criterion of the catalogue, as ``actor``."""
    require(actor, "companies.change_csrcriterion" if criterion else "companies.add_csrcriterion")
    criterion = criterion or CsrCriterion()
    for name in ("title_da", "title_en", "description_da", "description_en", "is_active",
                 "order", "evidence_source"):
        if name in data:
            setattr(criterion, name, data[name])
    criterion.full_clean()
    criterion.save()
    return criterion


def evidence_period(*, programme: Programme, assessed_on: dt.date) -> tuple[dt.date, dt.date]:
    """The period whose records count as automatic evidence in an assessment on
    ``assessed_on``: the programme's certificate validity (``certificate_validity_months``)
    back from the assessment date, both ends included. A certificate runs that long, so what
    a company did during the last certificate period is what a renewal weighs."""
    since = assessed_on - relativedelta(months=programme.certificate_validity_months)
    return since, assessed_on


def assessment_prefill(*, company: Company, user: User, programme: Programme,
                       assessed_on: dt.date, criteria=None) -> dict[int, tuple[bool, str]]:
    """The answers the catalogue gives by itself: ``{criterion id: (is_met, evidence)}`` for
    every criterion of ``criteria`` (default: the active ones) with an ``evidence_source``.

    Met, with the source's evidence text, when the source finds records of ``company`` in
    ``evidence_period`` (as ``user`` may see them); not met with no evidence otherwise. A
    source no app registered answers "not met". One query per sourced criterion.
    """
    if criteria is None:
        criteria = CsrCriterion.objects.filter(is_active=True).exclude(evidence_source="")
    since, until = evidence_period(programme=programme, assessed_on=assessed_on)
    prefill = {}
    for criterion in criteria:
        if not criterion.evidence_source:
            continue
        text = criterion_evidence(criterion.evidence_source, company, user, since=since,
                                  until=until)
        prefill[criterion.pk] = (bool(text), text)
    return prefill


@transaction.atomic
def assessment_create(
    *,
    company: Company,
    programme: Programme,
    assessed_by: User,
    assessed_on: dt.date,
    answers: dict[int, tuple[bool, str]],
    notes: str = "",
) -> CsrAssessment:
    """Record a new assessment against the active criteria. Old assessments are kept as they are.

    ``answers`` maps every active criterion's id to ``(is_met, evidence)``. A criterion with an
    ``evidence_source`` that ``answers`` leaves out is answered from its source
    (``assessment_prefill``); one it includes is the assessor's judgement and kept as given
    (the assessor may override the automatic answer). PermissionDenied unless
    ``assessed_by`` may assess (a consultant).
    """
    require(assessed_by, "companies.add_csrassessment")
    criteria = list(CsrCriterion.objects.filter(is_active=True).order_by("order", "pk"))
    if not criteria:
        raise ValidationError(_("Der er ingen aktive CSR-kriterier at vurdere efter."),
                              code="no_criteria")
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("Vurderingsdatoen kan ikke ligge i fremtiden.")})
    answers = {**assessment_prefill(
        company=company, user=assessed_by, programme=programme, assessed_on=assessed_on,
        criteria=[c for c in criteria if c.evidence_source and c.pk not in answers]), **answers}
    missing = [c for c in criteria if c.pk not in answers]
    if missing:
        raise ValidationError(
            _("Alle aktive kriterier skal vurderes. Mangler: %(names)s.")
            % {"names": ", ".join(c.title_da for c in missing)}, code="missing_answers",
        )
    errors = {}
    for criterion in criteria:
        is_met, evidence = answers[criterion.pk]
        if is_met and not (evidence or "").strip():
            errors[f"evidence_{criterion.pk}"] = _(
                "Beskriv dokumentationen for et opfyldt kriterie."
            )
    if errors:
        raise ValidationError(errors)

    met_count = sum(1 for c in criteria if answers[c.pk][0])
    assessment = CsrAssessment(
        company=company, programme=programme, assessed_by=assessed_by, assessed_on=assessed_on,
        met_count=met_count, threshold=programme.csr_threshold, notes=notes,
    )
    assessment.full_clean()
    assessment.save()
    CsrAssessmentAnswer.objects.bulk_create([
        CsrAssessmentAnswer(assessment=assessment, criterion=criterion,
                            is_met=answers[criterion.pk][0],
                            evidence=(answers[criterion.pk][1] or "").strip())
        for criterion in criteria
    ])
    return assessment


# --- Portal access: invitations, acceptance, revocation -------------------------------------------
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invitation_email(*, invitation: ContactInvitation, token: str) -> EmailMessage:
    company = invitation.contact.company
    context = {
        "contact": invitation.contact, "company": company,
        "url": f"{settings.SITE_URL}{reverse('companies:invitation-accept', args=[token])}",
        "expires_at": invitation.expires_at,
    }
    with translation.override(company.language or settings.LANGUAGE_CODE):
        subject = render_to_string("companies/email/invitation_subject.txt", context)
        body = render_to_string("companies/email/invitation_body.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[invitation.email])


@transaction.atomic
def contact_invite(*, actor: User | None, company: Company, name: str, email: str,
                   job_title: str = "") -> ContactInvitation:
    """Invite a person to the company portal: a contact person (the existing one with this
    email, or a new one) and an emailed one-time link valid ``CSR_INVITATION_DAYS`` days.

    Earlier open invitations of the same contact are revoked, so only the newest link works.
    The email is sent after commit. Raises PermissionDenied unless ``actor`` may invite
    contacts of ``company``; ValidationError for a bad name or email.
    """
    require(actor, "companies.invite_contactperson", company)
    email = (email or "").strip().lower()
    contact = company.contacts.filter(email__iexact=email).first() if email else None
    if contact is None:
        contact = ContactPerson(company=company, name=name, email=email, job_title=job_title,
                                is_primary=not company.contacts.exists())
    else:
        contact.name = name or contact.name
    contact.full_clean()
    contact.save()
    now = timezone.now()
    ContactInvitation.objects.filter(contact=contact, accepted_at__isnull=True,
                                     revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = ContactInvitation(
        contact=contact, email=email, token_hash=_token_hash(token), invited_by=actor,
        expires_at=now + dt.timedelta(days=settings.CSR_INVITATION_DAYS))
    invitation.full_clean()
    invitation.save()
    message = _invitation_email(invitation=invitation, token=token)
    transaction.on_commit(message.send)
    return invitation


def invitation_for_token(token: str) -> ContactInvitation | None:
    """The invitation of a link's token if it is still open (not used, revoked or expired),
    else None. The token itself is never stored; its hash is looked up."""
    invitation = (ContactInvitation.objects.select_related("contact__company")
                  .filter(token_hash=_token_hash(token or "")).first())
    if invitation is None or not invitation.is_open(timezone.now()):
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str | None = None,
                      user: User | None = None) -> User:
    """Accept an invitation: the contact person gets a login and the company contact role.

    Either ``user`` (the logged-in account whose email is the invitation's, linked as it is)
    or ``password`` (a new account with the invitation's email; validated by Django's password
    validators) is given. The invitation is claimed under a row lock, so a link works once
    even when clicked twice at the same moment. Raises ValidationError (Danish) for an
    unknown, used, revoked or expired link, or an account whose email is not the invitation's.
    """
    from django.contrib.auth.models import Group
    from django.contrib.auth.password_validation import validate_password

    refused = ValidationError(
        _("Linket er ugyldigt, allerede brugt eller udløbet. Bed din jobkonsulent om en ny "
          "invitation."), code="invitation_invalid")
    invitation = (ContactInvitation.objects.select_for_update()
                  .filter(token_hash=_token_hash(token or "")).first())
    now = timezone.now()
    if invitation is None or not invitation.is_open(now):
        raise refused
    contact = ContactPerson.objects.select_for_update().get(pk=invitation.contact_id)
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("Der findes allerede en konto med denne e-mailadresse. "
                                    "Log ind for at tage imod invitationen."),
                                  code="account_exists")
        user = User(email=invitation.email, first_name=contact.name.split(" ")[0][:150],
                    last_name=" ".join(contact.name.split(" ")[1:])[:150])
        validate_password(password, user)
        user.set_password(password)
        user.full_clean()
        user.save()
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(_("Invitationen er sendt til en anden e-mailadresse end den, "
                                "du er logget ind med."), code="other_account")
    group, _created = Group.objects.get_or_create(name=Role.COMPANY_CONTACT.value)
    user.groups.add(group)
    if contact.user_id not in (None, user.pk):
        raise refused
    contact.user = user
    contact.full_clean()
    contact.save()
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_at"])
    return user


@transaction.atomic
def contact_access_revoke(*, actor: User | None, contact: ContactPerson) -> None:
    """Take portal access from a contact person: the login is unlinked from this company (the
    account keeps its other companies) and open invitations are revoked. The contact person
    stays on the company. PermissionDenied unless ``actor`` may invite the company's
    contacts."""
    require(actor, "companies.invite_contactperson", contact.company)
    ContactInvitation.objects.filter(contact=contact, accepted_at__isnull=True,
                                     revoked_at__isnull=True).update(revoked_at=timezone.now())
    if contact.user_id is not None:
        contact.user = None
        contact.save(update_fields=["user"])
