"""Writes for the casebank. Every service is keyword-only, checks the access policy, runs in a
transaction and refuses bad input with a Danish ValidationError, saving nothing."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.choices import (
    CollectionStatus,
    FindingStatus,
    PdfStatus,
    StoryEventKind,
    StoryStatus,
)
from cases.identifying import find_identifying, identity_of
from cases.models import (
    NARRATIVE_MAX_WORDS,
    STORY_MAX_WORDS,
    CaseCollection,
    CaseStory,
    CollectionItem,
    CompanyConsent,
    ProgrammeDescription,
    StoryEvent,
    StoryFinding,
)
from citizens.choices import ConsentKind
from csrprogram.duework import document_lease_until, document_next_attempt, failure_reason
from csrprogram.models import Programme, User
from csrprogram.policy import require

logger = logging.getLogger(__name__)


def word_count(*texts: str) -> int:
    """Words in ``texts`` together (runs of non-space characters)."""
    return sum(len((text or "").split()) for text in texts)


def ensure_word_limit(texts: dict[str, str], *, limit: int) -> None:
    """Refuse a text longer than ``limit`` words, saying how long it is (ValidationError)."""
    count = word_count(*texts.values())
    if count > limit:
        raise ValidationError(_(
            "Teksten er for lang: %(count)s ord. Højst %(limit)s ord i alt, så casen kan "
            "læses på en side eller to.") % {"count": f"{count:,}".replace(",", "."),
                                              "limit": f"{limit:,}".replace(",", ".")},
            code="too_long")


# --- Consent ------------------------------------------------------------------------------------


def citizen_has_publication_consent(citizen) -> bool:
    """Whether the citizen's consent to publication of an anonymised story is recorded and
    not withdrawn (``citizens.Consent`` of kind ``case_story``)."""
    return citizen.consents.filter(kind=ConsentKind.CASE_STORY,
                                   withdrawn_on__isnull=True).exists()


def company_has_consent(company) -> bool:
    """Whether the company's consent to be named is recorded and not withdrawn."""
    return company.case_consents.filter(withdrawn_on__isnull=True).exists()


@transaction.atomic
def company_consent_record(*, company, given_on: dt.date, given_by: str,
                           actor: User | None) -> CompanyConsent:
    """Record the company's consent to be named in published stories (one open at a time)."""
    require(actor, "cases.add_companyconsent")
    if company_has_consent(company):
        raise ValidationError(_("Virksomheden har allerede et gældende samtykke."))
    consent = CompanyConsent(company=company, given_on=given_on, given_by=given_by.strip(),
                             recorded_by=actor)
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def company_consent_withdraw(*, company, withdrawn_on: dt.date, actor: User | None) -> int:
    """Withdraw the company's consent; its name leaves every story and collection at once
    (the collections that name it are rendered again). Returns the number withdrawn."""
    require(actor, "cases.add_companyconsent")
    consents = list(company.case_consents.filter(withdrawn_on__isnull=True))
    for consent in consents:
        if withdrawn_on < consent.given_on:
            raise ValidationError(_("Et samtykke kan ikke trækkes tilbage før det er givet."))
        consent.withdrawn_on = withdrawn_on
        consent.save(update_fields=["withdrawn_on"])
    story_ids = CaseStory.objects.filter(placement__company=company, name_company=True)
    collections_touch(story_ids=list(story_ids.values_list("pk", flat=True)))
    return len(consents)


# --- Stories -----------------------------------------------------------------------------------


def _event(story: CaseStory, kind: str, actor: User | None, comment: str = "") -> StoryEvent:
    return StoryEvent.objects.create(story=story, kind=kind, actor=actor, comment=comment)


def story_findings_refresh(*, story: CaseStory) -> list[StoryFinding]:
    """Run the identifying-text check on ``story`` and store its findings; returns the open ones.

    A finding already marked as a false positive stays marked while the same text is found
    in the same field (its position may move); findings whose text is gone are deleted.
    """
    hits = find_identifying(story.texts(), identity_of(story.citizen, story.placement))
    existing = {(f.kind, f.field, f.text.lower()): f for f in story.findings.all()}
    keep: set[int] = set()
    for hit in hits:
        key = (hit.kind, hit.field, hit.text.lower())
        finding = existing.get(key)
        if finding is not None and finding.pk not in keep:
            keep.add(finding.pk)
            if (finding.start, finding.line, finding.column) != (hit.start, hit.line,
                                                                 hit.column):
                StoryFinding.objects.filter(pk=finding.pk).update(
                    start=hit.start, line=hit.line, column=hit.column)
            continue
        created = StoryFinding.objects.create(
            story=story, kind=hit.kind, field=hit.field, text=hit.text, start=hit.start,
            line=hit.line, column=hit.column)
        keep.add(created.pk)
    story.findings.exclude(pk__in=keep).delete()
    return list(story.findings.filter(status=FindingStatus.OPEN))


def _story_fields_set(story: CaseStory, fields: dict) -> None:
    for name in (*CaseStory.TEXT_FIELDS, "name_company"):
        if name in fields:
            value = fields[name]
            setattr(story, name, value.strip() if isinstance(value, str) else value)
    ensure_word_limit(story.texts(), limit=STORY_MAX_WORDS)
    if story.name_company and not company_has_consent(story.placement.company):
        raise ValidationError({"name_company": _(
            "Virksomheden må kun nævnes med virksomhedens registrerede samtykke. Registrér "
            "samtykket først, eller fjern markeringen.")})
    story.full_clean()


@transaction.atomic
def story_create(*, placement, actor: User | None, **fields) -> CaseStory:
    """Write a story from ``placement`` (fields: title, situation, action, result, quote,
    illustration, name_company); the identifying-text check runs on the saved text."""
    require(actor, "cases.add_casestory", placement)
    story = CaseStory(placement=placement, programme_id=placement.programme_id,
                      citizen_id=placement.citizen_id, created_by=actor)
    _story_fields_set(story, fields)
    story.save()
    _event(story, StoryEventKind.CREATED, actor)
    story_findings_refresh(story=story)
    return story


@transaction.atomic
def story_update(*, story: CaseStory, actor: User | None, **fields) -> CaseStory:
    """Change a draft (or withdrawn) story; the identifying-text check runs again."""
    require(actor, "cases.change_casestory", story)
    story = CaseStory.objects.select_for_update().get(pk=story.pk)
    if not story.is_editable:
        raise ValidationError(_("Casebeskrivelsen kan kun rettes som kladde. Den er %(status)s.")
                              % {"status": story.get_status_display().lower()})
    _story_fields_set(story, fields)
    story.save()
    story_findings_refresh(story=story)
    return story


@transaction.atomic
def story_submit(*, story: CaseStory, actor: User | None) -> CaseStory:
    """Send a draft to a team leader for review."""
    require(actor, "cases.change_casestory", story)
    story = CaseStory.objects.select_for_update().get(pk=story.pk)
    if not story.is_editable:
        raise ValidationError(_("Kun en kladde kan sendes til godkendelse."))
    if not story.title or not (story.situation or story.action or story.result):
        raise ValidationError(_("Skriv overskriften og mindst ét af afsnittene, før "
                                "casebeskrivelsen sendes til godkendelse."))
    story.status = StoryStatus.SUBMITTED
    story.submitted_at = timezone.now()
    story.save(update_fields=["status", "submitted_at", "updated_at"])
    _event(story, StoryEventKind.SUBMITTED, actor)
    return story


@transaction.atomic
def story_return(*, story: CaseStory, actor: User | None, comment: str) -> CaseStory:
    """A team leader sends a submitted story back to its writer with a review comment."""
    require(actor, "cases.review_casestory", story)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Skriv en kommentar til konsulenten.")})
    story = CaseStory.objects.select_for_update().get(pk=story.pk)
    if story.status != StoryStatus.SUBMITTED:
        raise ValidationError(_("Kun en casebeskrivelse, der er sendt til godkendelse, kan "
                                "sendes tilbage."))
    story.status = StoryStatus.DRAFT
    story.save(update_fields=["status", "updated_at"])
    _event(story, StoryEventKind.RETURNED, actor, comment)
    return story


def publication_problems(story: CaseStory) -> list[str]:
    """Why ``story`` cannot be published now (empty: it can). Runs the check again."""
    problems = []
    if not citizen_has_publication_consent(story.citizen):
        problems.append(_("Borgeren har ikke givet (eller har trukket) samtykke til "
                          "offentliggørelse af en anonymiseret casebeskrivelse."))
    if story.name_company and not company_has_consent(story.placement.company):
        problems.append(_("Virksomheden har ikke givet samtykke til at blive nævnt."))
    open_findings = story_findings_refresh(story=story)
    if open_findings:
        problems.append(ngettext(
            "Teksten har %(count)d åbent fund af oplysninger, der kan identificere borgeren.",
            "Teksten har %(count)d åbne fund af oplysninger, der kan identificere borgeren.",
            len(open_findings)) % {"count": len(open_findings)})
    return problems


@transaction.atomic
def story_publish(*, story: CaseStory, actor: User | None) -> CaseStory:
    """A team leader publishes a submitted story: refused without the citizen's consent, with
    the company named without its consent, or while any finding is open."""
    require(actor, "cases.publish_casestory", story)
    story = CaseStory.objects.select_for_update().select_related(
        "citizen", "placement__company").get(pk=story.pk)
    if story.status != StoryStatus.SUBMITTED:
        raise ValidationError(_("Kun en casebeskrivelse, der er sendt til godkendelse, kan "
                                "offentliggøres."))
    problems = publication_problems(story)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    story.status = StoryStatus.PUBLISHED
    story.published_at = now
    story.published_on = timezone.localdate(now)
    story.published_by = actor
    story.save(update_fields=["status", "published_at", "published_on", "published_by",
                              "updated_at"])
    _event(story, StoryEventKind.PUBLISHED, actor)
    collections_touch(story_ids=[story.pk])
    return story


@transaction.atomic
def story_withdraw(*, story: CaseStory, actor: User | None, comment: str = "") -> CaseStory:
    """A team leader withdraws a published story; collections holding it are rendered again."""
    require(actor, "cases.publish_casestory", story)
    story = CaseStory.objects.select_for_update().get(pk=story.pk)
    if story.status != StoryStatus.PUBLISHED:
        raise ValidationError(_("Kun en offentliggjort casebeskrivelse kan trækkes tilbage."))
    _unpublish(story, StoryEventKind.WITHDRAWN, actor, comment)
    return story


def _unpublish(story: CaseStory, kind: str, actor: User | None, comment: str) -> None:
    story.status = StoryStatus.WITHDRAWN
    story.withdrawn_at = timezone.now()
    story.save(update_fields=["status", "withdrawn_at", "updated_at"])
    _event(story, kind, actor, comment)
    collections_touch(story_ids=[story.pk])


@transaction.atomic
def stories_unpublish_for_citizen(*, citizen) -> int:
    """The citizen withdrew their publication consent: every published or submitted story of
    theirs is withdrawn at once (the system acts); returns how many."""
    stories = list(CaseStory.objects.select_for_update().filter(
        citizen=citizen, status__in=[StoryStatus.PUBLISHED, StoryStatus.SUBMITTED]))
    for story in stories:
        _unpublish(story, StoryEventKind.CONSENT_WITHDRAWN, None, "")
    return len(stories)


@transaction.atomic
def finding_dismiss(*, finding: StoryFinding, actor: User | None, reason: str) -> StoryFinding:
    """A team leader marks a finding as a false positive, with a reason (kept in the change
    history and the story's events)."""
    require(actor, "cases.review_casestory", finding.story)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Angiv en begrundelse for, at fundet er falsk "
                                           "alarm.")})
    finding = StoryFinding.objects.select_for_update().get(pk=finding.pk)
    finding.status = FindingStatus.FALSE_POSITIVE
    finding.reason = reason[:300]
    finding.decided_by = actor
    finding.decided_at = timezone.now()
    finding.full_clean()
    finding.save()
    _event(finding.story, StoryEventKind.FINDING_DISMISSED, actor,
           f"{finding.get_kind_display()} »{finding.text}«: {finding.reason}")
    return finding


# --- Programme descriptions ---------------------------------------------------------------------


@transaction.atomic
def description_save(*, programme: Programme, actor: User | None,
                     **fields) -> ProgrammeDescription:
    """Create or change a programme's case description (the funder's structure)."""
    require(actor, "cases.change_programmedescription", programme)
    description, _created = ProgrammeDescription.objects.select_for_update().get_or_create(
        programme=programme)
    for name, value in fields.items():
        setattr(description, name, value.strip() if isinstance(value, str) else value)
    ensure_word_limit(description.texts(), limit=NARRATIVE_MAX_WORDS)
    description.updated_by = actor
    description.full_clean()
    description.save()
    collections_touch(description_ids=[description.pk])
    return description


# --- Collections ------------------------------------------------------------------------------


def _collection_fields_set(collection: CaseCollection, fields: dict) -> None:
    for name in ("title", "foreword", "language", "public_page"):
        if name in fields:
            value = fields[name]
            setattr(collection, name, value.strip() if isinstance(value, str) else value)
    ensure_word_limit({"foreword": collection.foreword}, limit=NARRATIVE_MAX_WORDS)
    collection.full_clean()


def _items_set(collection: CaseCollection, entries: list[tuple[str, int]]) -> None:
    """``entries``: ("story" | "description", pk) in the collection's order."""
    if not entries:
        raise ValidationError(_("En casesamling skal indeholde mindst én case."))
    stories = {s.pk: s for s in CaseStory.objects.filter(
        pk__in=[pk for kind, pk in entries if kind == "story"])}
    descriptions = {d.pk: d for d in ProgrammeDescription.objects.filter(
        pk__in=[pk for kind, pk in entries if kind == "description"])}
    collection.items.all().delete()
    items = []
    for position, (kind, pk) in enumerate(entries, start=1):
        if kind == "story":
            story = stories.get(pk)
            if story is None or story.programme_id != collection.programme_id:
                raise ValidationError(_("En af de valgte casebeskrivelser hører ikke til "
                                        "samlingens program."))
            if story.status != StoryStatus.PUBLISHED:
                raise ValidationError(_("»%(title)s« er ikke offentliggjort og kan ikke "
                                        "komme med i samlingen.") % {"title": story.title})
            items.append(CollectionItem(collection=collection, position=position, story=story))
        else:
            description = descriptions.get(pk)
            if description is None:
                raise ValidationError(_("Projektbeskrivelsen findes ikke."))
            items.append(CollectionItem(collection=collection, position=position,
                                        description=description))
    CollectionItem.objects.bulk_create(items)


@transaction.atomic
def collection_create(*, programme: Programme, actor: User | None,
                      entries: list[tuple[str, int]], **fields) -> CaseCollection:
    """A team leader binds published stories and programme descriptions, in ``entries``'
    order, with a title, foreword and language; the PDF is then rendered in the background."""
    require(actor, "cases.add_casecollection", programme)
    collection = CaseCollection(programme=programme, created_by=actor)
    _collection_fields_set(collection, fields)
    collection.save()
    _items_set(collection, entries)
    collection_render_request(collection=collection)
    return collection


@transaction.atomic
def collection_update(*, collection: CaseCollection, actor: User | None,
                      entries: list[tuple[str, int]] | None = None,
                      **fields) -> CaseCollection:
    """Change a collection's text or cases; its PDF is rendered again."""
    require(actor, "cases.change_casecollection", collection)
    collection = CaseCollection.objects.select_for_update().get(pk=collection.pk)
    _collection_fields_set(collection, fields)
    collection.save()
    if entries is not None:
        _items_set(collection, entries)
    if collection.status == CollectionStatus.PUBLISHED:
        _ensure_publishable(collection)
    collection_render_request(collection=collection)
    return collection


def _ensure_publishable(collection: CaseCollection) -> None:
    items = list(collection.items.select_related("story__citizen", "story__placement__company",
                                                 "description"))
    if not items:
        raise ValidationError(_("En casesamling skal indeholde mindst én case."))
    problems = []
    for item in items:
        if item.story is None:
            description = item.description
            hits = find_identifying(description.texts(), identity_of_nobody())
            if hits:
                problems.append(_("Projektbeskrivelsen »%(title)s« indeholder et CPR-nummer "
                                  "eller en e-mailadresse.") % {"title": description})
            continue
        story = item.story
        if story.status != StoryStatus.PUBLISHED:
            problems.append(_("»%(title)s« er ikke længere offentliggjort.")
                            % {"title": story.title})
            continue
        for problem in publication_problems(story):
            problems.append(f"»{story.title}«: {problem}")
    if problems:
        raise ValidationError(problems)


def identity_of_nobody():
    """The check without a citizen: only CPR-shaped numbers and email addresses are found."""
    from cases.identifying import Identity

    return Identity()


@transaction.atomic
def collection_publish(*, collection: CaseCollection, actor: User | None) -> CaseCollection:
    """Publish a collection. The identifying-text check and the consents are checked again on
    every story in it; refused (nothing saved) with every problem named."""
    require(actor, "cases.publish_casecollection", collection)
    collection = CaseCollection.objects.select_for_update().get(pk=collection.pk)
    _ensure_publishable(collection)
    now = timezone.now()
    collection.status = CollectionStatus.PUBLISHED
    collection.published_at = now
    collection.published_on = timezone.localdate(now)
    collection.published_by = actor
    collection.save(update_fields=["status", "published_at", "published_on", "published_by",
                                   "updated_at"])
    collection_render_request(collection=collection)
    return collection


# --- The collection's PDF (due work) --------------------------------------------------------


def collection_render_request(*, collection: CaseCollection) -> None:
    """Put the collection's PDF back in the queue (rendered after this transaction commits)."""
    from cases.tasks import collection_render_task

    CaseCollection.objects.filter(pk=collection.pk).update(
        pdf_status=PdfStatus.PENDING, pdf_progress=0, pdf_attempts=0, pdf_error="",
        pdf_next_attempt_at=document_lease_until(timezone.now()))
    collection_render_task.delay_on_commit(collection.pk)


def collections_touch(*, story_ids: list[int] = (), description_ids: list[int] = ()) -> int:
    """Render again the collections that hold any of these stories or descriptions (their
    content changed); returns how many."""
    ids = list(CaseCollection.objects.filter(
        Q(items__story_id__in=list(story_ids))
        | Q(items__description_id__in=list(description_ids))).distinct()
        .values_list("pk", flat=True))
    for pk in ids:
        collection_render_request(collection=CaseCollection(pk=pk))
    return len(ids)


# Longer than the task time limit, so a live rendering is never taken over.
RENDER_STALE_SECONDS = 15 * 60


def _progress(collection_id: int, progress: int) -> None:
    CaseCollection.objects.filter(pk=collection_id, pdf_status=PdfStatus.RUNNING).update(
        pdf_progress=progress)


def collection_render(*, collection_id: int) -> CaseCollection | None:
    """Render a collection's PDF; claims the row first, so a re-delivered task does nothing.

    Progress is saved outside a transaction on purpose: the progress page reads it.
    """
    from cases import documents

    now = timezone.now()
    stale = now - dt.timedelta(seconds=RENDER_STALE_SECONDS)
    claimed = CaseCollection.objects.filter(
        Q(pdf_status=PdfStatus.PENDING)
        | Q(pdf_status=PdfStatus.RUNNING, pdf_started_at__lt=stale),
        pk=collection_id,
    ).update(pdf_status=PdfStatus.RUNNING, pdf_progress=10, pdf_started_at=now)
    if not claimed:
        return None
    collection = CaseCollection.objects.select_related("programme").get(pk=collection_id)
    try:
        filename, content = documents.collection_pdf(
            collection, progress=lambda value: _progress(collection_id, value))
        old_name = collection.pdf_file.name
        storage = collection.pdf_file.storage
        name = storage.save(collection.pdf_file.field.generate_filename(collection, filename),
                            ContentFile(content))
        updated = CaseCollection.objects.filter(
            pk=collection_id, pdf_status=PdfStatus.RUNNING, pdf_started_at=now).update(
            pdf_file=name, pdf_status=PdfStatus.DONE, pdf_progress=100,
            pdf_rendered_at=timezone.now(), pdf_next_attempt_at=None, pdf_error="")
        if not updated:
            storage.delete(name)  # the content changed meanwhile: a newer rendering follows
        elif old_name and old_name != name:
            storage.delete(old_name)
    except Exception as error:  # a failed render must end the run, not leave it running
        logger.exception("Case collection %s failed to render", collection_id)
        _render_failure_record(collection_id=collection_id, error=error)
    collection.refresh_from_db()
    return collection


def _render_failure_record(*, collection_id: int, error: BaseException) -> None:
    now = timezone.now()
    with transaction.atomic():
        collection = CaseCollection.objects.select_for_update().get(pk=collection_id)
        failures = collection.pdf_attempts + 1
        next_attempt = document_next_attempt(failures=failures, now=now)
        CaseCollection.objects.filter(pk=collection_id).update(
            pdf_attempts=failures, pdf_error=failure_reason(error),
            pdf_next_attempt_at=next_attempt, pdf_progress=0,
            pdf_status=PdfStatus.PENDING if next_attempt else PdfStatus.FAILED)


SWEEP_BATCH = 50


def collections_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue again the collection PDFs that are due (lost task, back-off over, dead worker);
    claimed under row locks so two sweeps never queue one twice. Returns how many."""
    from cases.tasks import collection_render_task

    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=RENDER_STALE_SECONDS)
    with transaction.atomic():
        ids = list(CaseCollection.objects.select_for_update(skip_locked=True).filter(
            Q(pdf_status=PdfStatus.PENDING, pdf_next_attempt_at__isnull=True)
            | Q(pdf_status=PdfStatus.PENDING, pdf_next_attempt_at__lte=now)
            | Q(pdf_status=PdfStatus.RUNNING, pdf_started_at__lt=stale),
        ).order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH])
        CaseCollection.objects.filter(pk__in=ids).update(
            pdf_next_attempt_at=document_lease_until(now))
        for pk in ids:
            collection_render_task.delay_on_commit(pk)
    return len(ids)
