"""The identifying-text check: where a text names or points at the citizen.

``identity_of(citizen, placement)`` gathers what identifies the citizen from the record (name,
CPR, birth date, address, phone, email) and the names of the other people in it (consultants,
the company's contact persons); ``find_identifying(texts, identity)`` returns every place in
``texts`` (a dict field name → text) where one of them occurs, with the field, the line and
the column (both 1-based), so the writer is told exactly where.

What is found (issue 11, point 2):

- each part of the citizen's name, in any letter case, also inflected (genitive ``-s``/``'``,
  ``-e``, ``-en``, ``-ens``…) and with æ/ø/å written as ae/oe/aa;
- the CPR number in the common forms ``DDMMYYXXXX``, ``DDMMYY-XXXX``, ``DDMMYY XXXX`` and
  ``DD.MM.YY-XXXX`` (any of `` .-/`` between the groups), and any other valid CPR-shaped number;
- the birth date as ``31.12.1985``, ``31-12-85``, ``31/12/1985``, ``1985-12-31`` or
  ``31. december 1985``;
- the street address (street and number), the phone number with or without ``+45`` and
  spaces, the email address and any other email address;
- the names (and name parts of three letters or more) of the other people in the record.

A finding is a hint, not a verdict: a team leader can mark it as a false positive with a
reason (``cases.services.finding_dismiss``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from cases.choices import FindingKind

# Danish inflections of a name: genitive (Jens' / Annas / Ole's), plural/definite forms.
_NAME_SUFFIX = r"(?:['\u2019]s?|s|es|e|en|ens|ne|nes|er|ers)?"
_SEP = r"[\s.\-/]?"
_DANISH_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
                  "september", "oktober", "november", "december")
_ENGLISH_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
                   "september", "october", "november", "december")
_GENERIC_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.IGNORECASE)
_GENERIC_CPR = re.compile(r"(?<!\d)(\d{2})[.\-/ ]?(\d{2})[.\-/ ]?(\d{2})[\s\-]?(\d{4})(?!\d)")


@dataclass(frozen=True)
class Identity:
    """What identifies one citizen, read from the record (strings may be empty)."""

    name: str = ""
    cpr: str = ""  # ten digits
    birth_date: dt.date | None = None
    address: str = ""
    phone: str = ""
    email: str = ""
    other_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    """One place in one field: ``start``/``end`` are offsets in the field's text."""

    kind: str
    field: str
    start: int
    end: int
    text: str
    line: int
    column: int


@dataclass
class _Pattern:
    kind: str
    regex: re.Pattern
    validate: object = None  # optional callable(match) -> bool
    priority: int = 0
    extra: dict = field(default_factory=dict)


def _spelling_variants(part: str) -> set[str]:
    """The part and its spellings without æ, ø, å (Søren → Soeren, Soren)."""
    variants = {part}
    for danish, (two, one) in {"æ": ("ae", "a"), "ø": ("oe", "o"), "å": ("aa", "a")}.items():
        for variant in list(variants):
            if danish in variant.lower():
                variants.add(re.sub(danish, two, variant, flags=re.IGNORECASE))
                variants.add(re.sub(danish, one, variant, flags=re.IGNORECASE))
    return variants


def name_parts(name: str, *, min_length: int = 2) -> list[str]:
    """The parts of a person's name (split on spaces and hyphens), longest first."""
    parts = {part.strip(".,") for part in re.split(r"[\s\-]+", name or "")}
    return sorted((p for p in parts if len(p) >= min_length), key=lambda p: (-len(p), p))


def _name_regex(parts: list[str]) -> re.Pattern | None:
    alternatives = sorted({re.escape(v) for p in parts for v in _spelling_variants(p)},
                          key=lambda v: -len(v))
    if not alternatives:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)}){_NAME_SUFFIX}(?!\w)",
                      re.IGNORECASE)


def _digits_regex(digits: str, *, prefix: str = "") -> re.Pattern:
    """``digits`` with an optional separator between any two of them."""
    body = _SEP.join(re.escape(d) for d in digits)
    return re.compile(rf"(?<!\d){prefix}{body}(?!\d)")


def _cpr_regex(cpr: str) -> re.Pattern:
    day, month, year, serial = cpr[:2], cpr[2:4], cpr[4:6], cpr[6:]
    return re.compile(rf"(?<!\d){day}{_SEP}{month}{_SEP}{year}[\s\-]?{serial}(?!\d)")


def _valid_cpr_date(match: re.Match) -> bool:
    day, month = int(match.group(1)), int(match.group(2))
    return 1 <= day <= 31 and 1 <= month <= 12


def _birth_date_regex(born: dt.date) -> re.Pattern:
    day = rf"0?{born.day}" if born.day < 10 else str(born.day)
    month = rf"0?{born.month}" if born.month < 10 else str(born.month)
    year = rf"(?:{born.year}|{born.year % 100:02d})"
    months = "|".join({_DANISH_MONTHS[born.month - 1], _ENGLISH_MONTHS[born.month - 1],
                       _DANISH_MONTHS[born.month - 1][:3] + r"\.?",
                       _ENGLISH_MONTHS[born.month - 1][:3] + r"\.?"})
    forms = [
        rf"{day}[.\-/]{month}[.\-/]{year}",
        rf"{born.year}-{born.month:02d}-{born.day:02d}",
        rf"{day}\.?\s*(?:{months})\s*,?\s*{born.year}",
    ]
    return re.compile(rf"(?<![\d\w])(?:{'|'.join(forms)})(?![\d])", re.IGNORECASE)


def _address_regex(address: str) -> re.Pattern | None:
    street = (address or "").split(",")[0].strip()
    match = re.match(r"^(.*?\D)\s*(\d+\s*[a-zA-Z]?)\b", street)
    if not match or len(match.group(1).strip()) < 3:
        return None
    name = r"\s+".join(re.escape(word) for word in match.group(1).split())
    number = re.escape(match.group(2).replace(" ", ""))
    return re.compile(rf"(?<!\w){name}\s*{number}(?![\d])", re.IGNORECASE)


def _phone_regex(phone: str) -> re.Pattern | None:
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0045"):
        digits = digits[4:]
    elif digits.startswith("45") and len(digits) == 10:
        digits = digits[2:]
    if len(digits) < 8:
        return None
    return _digits_regex(digits[-8:], prefix=r"(?:(?:\+|00)45\s?)?")


def _patterns(identity: Identity) -> list[_Pattern]:
    patterns: list[_Pattern] = []
    if identity.cpr:
        patterns.append(_Pattern(FindingKind.CPR, _cpr_regex(identity.cpr), priority=9))
    patterns.append(_Pattern(FindingKind.CPR, _GENERIC_CPR, validate=_valid_cpr_date,
                             priority=8))
    if identity.birth_date:
        patterns.append(_Pattern(FindingKind.BIRTH_DATE, _birth_date_regex(identity.birth_date),
                                 priority=7))
    if identity.email:
        patterns.append(_Pattern(FindingKind.EMAIL, re.compile(
            rf"(?<![\w.]){re.escape(identity.email)}(?!\w)", re.IGNORECASE), priority=6))
    patterns.append(_Pattern(FindingKind.EMAIL, _GENERIC_EMAIL, priority=6))
    phone = _phone_regex(identity.phone)
    if phone:
        patterns.append(_Pattern(FindingKind.PHONE, phone, priority=5))
    address = _address_regex(identity.address)
    if address:
        patterns.append(_Pattern(FindingKind.ADDRESS, address, priority=4))
    citizen_parts = name_parts(identity.name)
    name = _name_regex(citizen_parts)
    if name:
        patterns.append(_Pattern(FindingKind.NAME, name, priority=3))
    own = {p.lower() for p in citizen_parts}
    others = [p for other in identity.other_names for p in name_parts(other, min_length=3)
              if p.lower() not in own]
    other = _name_regex(others)
    if other:
        patterns.append(_Pattern(FindingKind.OTHER_NAME, other, priority=2))
    return patterns


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def find_identifying(texts: dict[str, str], identity: Identity) -> list[Hit]:
    """Every place in ``texts`` that may identify the citizen, in field and text order.

    Where two patterns match overlapping text, the more specific one is kept (a CPR number
    rather than the birth date inside it; the citizen's name rather than another person's).
    """
    patterns = _patterns(identity)
    hits: list[Hit] = []
    for field_name, text in texts.items():
        if not text:
            continue
        found: list[tuple[int, int, int, str]] = []  # (start, end, priority, kind)
        for pattern in patterns:
            for match in pattern.regex.finditer(text):
                if pattern.validate and not pattern.validate(match):
                    continue
                if match.end() > match.start():
                    found.append((match.start(), match.end(), pattern.priority, pattern.kind))
        kept: list[tuple[int, int, int, str]] = []
        for start, end, priority, kind in sorted(found, key=lambda f: (-f[2], f[0])):
            if any(start < k_end and k_start < end for k_start, k_end, _p, _k in kept):
                continue
            kept.append((start, end, priority, kind))
        for start, end, _priority, kind in sorted(kept):
            line, column = _line_and_column(text, start)
            hits.append(Hit(kind=kind, field=field_name, start=start, end=end,
                            text=text[start:end][:200], line=line, column=column))
    return hits


def identity_of(citizen, placement=None) -> Identity:
    """What identifies ``citizen`` and the other people in their record (a few queries).

    Other people: the citizen's consultant, the referring consultants of their enrolments,
    the placement's follow-up consultant and the contact persons of the placement's company.
    """
    from citizens import cpr as cpr_tools

    cpr = cpr_tools.decrypt_cpr(citizen.cpr_encrypted) if citizen.cpr_encrypted else ""
    try:
        born = cpr_tools.birth_date(cpr) if cpr else None
    except Exception:  # an unreadable CPR only loses the birth-date check
        born = None
    people = [citizen.consultant]
    people += [e.referring_consultant for e in
               citizen.enrolments.select_related("referring_consultant")]
    others = [person.get_full_name() for person in people if person is not None]
    if placement is not None:
        if placement.consultant_id:
            others.append(placement.consultant.get_full_name())
        others += list(placement.company.contacts.values_list("name", flat=True))
    return Identity(
        name=citizen.name, cpr=cpr, birth_date=born, address=citizen.address,
        phone=citizen.phone, email=citizen.email,
        other_names=tuple(dict.fromkeys(name for name in others if name and name.strip())),
    )
