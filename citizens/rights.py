"""A citizen's rights (issue 16, part 1): the mechanism behind export and erasure.

**Extension point.** Every installed app may have a module ``<app>/personal_data.py`` with two
functions, discovered like the admin (no app imports another app above it):

- ``citizen_export(citizen) -> dict``: everything the app holds about the citizen, JSON-able.
  The recommended shape is ``{"title": str, "records": [{label: value, ...}, ...]}`` (labels
  in Danish, values as people read them); any JSON-able dict is accepted and rendered.
- ``citizen_erase(citizen, *, actor) -> int``: remove the app's personal data about the
  citizen, keeping the anonymous rows that programme figures count (a placement counted in a
  target stays, its free text goes). Returns the number of rows changed or removed. It runs
  inside the erasure's transaction and must not write change-history entries that carry the
  old values (use ``QuerySet.update()``).

``citizens.services.citizen_erase`` calls every app's ``citizen_erase`` (the apps above first,
this app last), then removes what identifies the citizen from the places no app owns: the
change history (django-auditlog), the access log's purposes, stored files and stored e-mails
(``*_scrub`` below).
"""

from __future__ import annotations

import email
import email.policy
import importlib
import importlib.util
import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from citizens import cpr as cpr_tools

logger = logging.getLogger(__name__)

ERASED = "[slettet]"
# The separator django's file-based e-mail backend writes after every message.
_MAIL_SEPARATOR = "-" * 79


@dataclass(frozen=True)
class PersonalDataModule:
    """One app's ``personal_data`` module: its label, title and the two functions."""

    app_label: str
    title: str
    export: Callable
    erase: Callable


def personal_data_modules() -> list[PersonalDataModule]:
    """The ``<app>.personal_data`` modules of the installed apps, in INSTALLED_APPS order.

    An app without the module is skipped; one whose module lacks either function is an error
    (``ImproperlyConfigured``): a half-declared module would silently leave data behind.
    """
    from django.core.exceptions import ImproperlyConfigured

    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.personal_data"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        export, erase = (getattr(module, "citizen_export", None),
                         getattr(module, "citizen_erase", None))
        if not (callable(export) and callable(erase)):
            raise ImproperlyConfigured(
                f"{name} must define citizen_export(citizen) and citizen_erase(citizen, *, actor)")
        modules.append(PersonalDataModule(app_label=config.label,
                                          title=str(config.verbose_name),
                                          export=export, erase=erase))
    return modules


# --- Helpers for the apps' exports ---------------------------------------------------------------

def field_label(model: type[models.Model], field: str) -> str:
    """A field's verbose name, capitalised, in the active language (an export's label)."""
    return str(model._meta.get_field(field).verbose_name).capitalize()


def date_text(value) -> str:
    """A date (or datetime, in Copenhagen) as the active language writes it; ``""`` for none."""
    from django.utils import timezone
    from django.utils.formats import date_format

    if not value:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return date_format(value, "SHORT_DATE_FORMAT")


# --- What identifies a citizen ------------------------------------------------------------------

def cpr_forms(number: str) -> list[str]:
    """The ways people write a CPR number ``DDMMYYXXXX``: 0101901234, 010190-1234,
    010190 1234, 01.01.90-1234, 01.01.90 1234 and 01-01-90-1234 (all searched and removed)."""
    if len(number) != 10 or not number.isdigit():
        return []
    day, month, year, serial = number[:2], number[2:4], number[4:6], number[6:]
    return [number, f"{number[:6]}-{serial}", f"{number[:6]} {serial}",
            f"{day}.{month}.{year}-{serial}", f"{day}.{month}.{year} {serial}",
            f"{day}-{month}-{year}-{serial}"]


def identifiers(citizen) -> list[str]:
    """The strings that identify ``citizen`` wherever they are written: the name, the CPR
    number in every common form, the e-mail address, the phone number and the address.

    Longest first, so a replacement never leaves half of a longer identifier behind. Values
    shorter than four characters are left out (they would match everywhere).
    """
    number = cpr_tools.decrypt_cpr(citizen.cpr_encrypted) if citizen.cpr_encrypted else ""
    values = [citizen.name, citizen.email, citizen.phone, citizen.address,
              *cpr_forms(number)]
    unique = {value.strip() for value in values if value and len(value.strip()) >= 4}
    return sorted(unique, key=len, reverse=True)


def scrub_text(text: str, needles: Iterable[str]) -> str:
    """``text`` with every occurrence of each needle (case-insensitive) replaced by
    ``[slettet]``."""
    import re

    for needle in needles:
        text = re.sub(re.escape(needle), ERASED, text, flags=re.IGNORECASE)
    return text


def scrub_value(value, needles: list[str]):
    """A JSON-able value with every string in it scrubbed (``scrub_text``)."""
    if isinstance(value, str):
        return scrub_text(value, needles)
    if isinstance(value, list):
        return [scrub_value(item, needles) for item in value]
    if isinstance(value, dict):
        return {scrub_text(str(key), needles): scrub_value(item, needles)
                for key, item in value.items()}
    return value


def mentions(text: str, needles: Iterable[str]) -> bool:
    lowered = text.lower()
    return any(needle.lower() in lowered for needle in needles)


# --- The change history --------------------------------------------------------------------------

def audit_entries_scrub(*, citizen, needles: list[str]) -> int:
    """Remove what identifies the citizen from django-auditlog's change history.

    The citizen's own entries lose every recorded value and their object's name; any other
    entry (a placement's "name – company") has each identifier replaced. The entries
    themselves stay: *that* a record changed, when and by whom, is not personal data about the
    citizen. Returns the number of entries rewritten.
    """
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from citizens.models import Citizen

    own = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Citizen),
                                  object_pk=str(citizen.pk))
    changed = 0
    for entry in own.iterator():
        entry.object_repr = ERASED
        entry.changes = {field: [ERASED, ERASED] for field in (entry.changes or {})}
        entry.changes_text = ""
        entry.serialized_data = None
        entry.additional_data = scrub_value(entry.additional_data, needles)
        entry.save(update_fields=["object_repr", "changes", "changes_text", "serialized_data",
                                  "additional_data"])
        changed += 1
    if not needles:
        return changed
    mention = Q()
    for needle in needles:
        mention |= (Q(object_repr__icontains=needle) | Q(changes_text__icontains=needle)
                    | Q(changes_as_text__icontains=needle)
                    | Q(serialized_as_text__icontains=needle)
                    | Q(additional_as_text__icontains=needle))
    others = (LogEntry.objects
              .annotate(changes_as_text=Cast("changes", TextField()),
                        serialized_as_text=Cast("serialized_data", TextField()),
                        additional_as_text=Cast("additional_data", TextField()))
              .filter(mention))
    for entry in others.iterator():
        entry.object_repr = scrub_text(entry.object_repr, needles)
        entry.changes_text = scrub_text(entry.changes_text, needles)
        entry.changes = scrub_value(entry.changes, needles)
        entry.serialized_data = scrub_value(entry.serialized_data, needles)
        entry.additional_data = scrub_value(entry.additional_data, needles)
        entry.save(update_fields=["object_repr", "changes", "changes_text", "serialized_data",
                                  "additional_data"])
        changed += 1
    return changed


# --- The access log -----------------------------------------------------------------------------

def access_log_scrub(*, needles: list[str]) -> int:
    """Replace the identifiers in access-log purposes (who read what stays; the text that
    names the citizen goes). Returns the number of rows rewritten.

    The access log is append-only; on PostgreSQL its trigger lets a purpose be rewritten only
    inside a transaction that set ``csr.erasure`` (migration citizens 0005), which is done here
    with ``SET LOCAL`` and so ends with the erasure's transaction.
    """
    from citizens.models import AccessLog

    if not needles:
        return 0
    mention = Q()
    for needle in needles:
        mention |= Q(purpose__icontains=needle)
    rows = list(AccessLog.objects.filter(mention).only("pk", "purpose"))
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL csr.erasure = 'on'")
    for row in rows:
        AccessLog.objects.filter(pk=row.pk).update(
            purpose=scrub_text(row.purpose, needles)[:200])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL csr.erasure = 'off'")
    return len(rows)


# --- Stored files and e-mails --------------------------------------------------------------------

def file_text(path: Path) -> str:
    """The readable text of a stored file: a PDF's extracted text, an XLSX's or DOCX's XML,
    anything else decoded leniently. Raw PDF bytes are compressed, so they are never searched
    as they are."""
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        from pypdf import PdfReader

        try:
            reader = PdfReader(io.BytesIO(data))
            return "\n".join(page.extract_text() or "" for page in reader.pages)
        except Exception:  # a damaged PDF is searched as bytes below
            logger.warning("Could not read the text of a stored PDF (%s)", path.name)
    if data.startswith(b"PK"):
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "\n".join(archive.read(name).decode("utf-8", "replace")
                                 for name in archive.namelist())
        except zipfile.BadZipFile:
            pass
    for encoding in ("utf-8", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", "replace")


def _file_fields() -> list[tuple[type[models.Model], str]]:
    return [(model, field.name) for model in apps.get_models()
            for field in model._meta.get_fields() if isinstance(field, models.FileField)]


def stored_files_scrub(*, needles: list[str], root: Path | None = None) -> int:
    """Delete every stored file (PDFs, exports, report files) under the media directory whose
    text mentions an identifier, and empty every file field that pointed at it (the document
    is rendered again, without the citizen, when asked for). Returns the number of files
    deleted."""
    root = Path(root or settings.MEDIA_ROOT)
    if not needles or not root.is_dir():
        return 0
    deleted = 0
    fields = _file_fields()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if not mentions(file_text(path), needles):
            continue
        relative = path.relative_to(root).as_posix()
        for model, field in fields:
            model._base_manager.filter(**{field: relative}).update(**{field: ""})
        path.unlink()
        deleted += 1
    return deleted


def _message_text(raw: str) -> str:
    message = email.message_from_string(raw, policy=email.policy.default)
    parts = [str(value) for value in message.values()]
    for part in message.walk():
        if part.is_multipart():
            continue
        try:
            parts.append(str(part.get_content()))
        except (LookupError, ValueError):
            parts.append(str(part.get_payload(decode=True) or b"", "utf-8", "replace"))
    return raw + "\n".join(parts)


def stored_mails_scrub(*, needles: list[str], directory: Path | None = None) -> int:
    """Remove every stored e-mail (the file-based outbox, ``EMAIL_FILE_PATH``) that mentions
    an identifier, decoded (quoted-printable and base64 bodies, encoded headers). Other
    messages in the same file are kept. Returns the number of messages removed."""
    directory = Path(directory or getattr(settings, "EMAIL_FILE_PATH", "") or "")
    if not needles or not str(directory) or not directory.is_dir():
        return 0
    removed = 0
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        text = path.read_text("utf-8", "replace")
        messages = [chunk for chunk in text.split(_MAIL_SEPARATOR) if chunk.strip()]
        kept = [chunk for chunk in messages if not mentions(_message_text(chunk.strip()),
                                                            needles)]
        if len(kept) == len(messages):
            continue
        removed += len(messages) - len(kept)
        if kept:
            path.write_text("".join(f"{chunk}{_MAIL_SEPARATOR}" for chunk in kept), "utf-8")
        else:
            path.unlink()
    return removed


# --- The export as a readable document -----------------------------------------------------------

@dataclass(frozen=True)
class ExportBlock:
    """One block of the PDF: a heading and its rows of (label, value)."""

    heading: str
    rows: list[tuple[str, str]]


def export_blocks(sections: dict) -> list[ExportBlock]:
    """Flatten the export's sections (``{"title": …, "records": [...]}`` or any JSON-able
    dict) into headed blocks of label/value rows for the PDF."""
    blocks: list[ExportBlock] = []

    def as_text(value) -> str:
        if value is None or value == "":
            return "–"
        if isinstance(value, bool):
            return "Ja" if value else "Nej"
        if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
            return ", ".join(str(v) for v in value) or "–"
        return str(value)

    def walk(heading: str, value) -> None:
        if isinstance(value, dict) and "records" in value:
            title = str(value.get("title") or heading)
            records = value.get("records") or []
            if not records:
                blocks.append(ExportBlock(title, []))
            for number, record in enumerate(records, start=1):
                walk(f"{title} ({number})" if len(records) > 1 else title, record)
            return
        if isinstance(value, dict):
            rows = [(str(key), as_text(item)) for key, item in value.items()
                    if not isinstance(item, dict)
                    and not (isinstance(item, list) and any(isinstance(i, dict) for i in item))]
            blocks.append(ExportBlock(heading, rows))
            for key, item in value.items():
                if isinstance(item, dict) or (isinstance(item, list)
                                              and any(isinstance(i, dict) for i in item)):
                    walk(f"{heading} – {key}", item if isinstance(item, dict)
                         else {"title": f"{heading} – {key}", "records": item})
            return
        blocks.append(ExportBlock(heading, [("", as_text(value))]))

    for heading, value in sections.items():
        walk(str(heading), value)
    return blocks
