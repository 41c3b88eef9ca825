"""One way to validate input, used by every form of every app.

- ``SafeInputMixin`` (and the ``Form`` / ``ModelForm`` bases built on it): every text field of
  the form refuses control characters (NUL, BEL, ESC, …; tab and line breaks are allowed), the
  rule the importer applies to its cells (``has_control_character``). It is attached when the
  form is cleaned, so fields a form adds in ``__init__`` (an assessment's evidence per
  criterion) are covered too. ``tests/csrprogram/test_validation.py`` fails for a form class
  of our apps that does not inherit it.
- Dates typed as text in the active language's format (``LocalDateInput``; ISO is read too).
- Date fields with a plausible range per kind of date (``RecordedDateField``,
  ``ScheduledDateField``, ``ProgrammeDateField``; ranges below). A date outside its range is
  refused with a message naming the range: 0001-01-01 and 9999-12-31 are typos, and the latter
  overflows the date arithmetic behind follow-up visits, certificates and calendar feeds.
  ``within_period`` warns about a date outside a programme's period and asks for
  confirmation (a "Registrér alligevel" checkbox).
- ``bound_integer``: a lower and upper bound on a number field of a model form.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# Tab and line breaks are text; every other C0/C1 control character is refused.
ALLOWED_CONTROL = frozenset("\t\n\r")


def has_control_character(text: str) -> bool:
    """True when ``text`` holds a control character other than tab, CR or LF."""
    return any(unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROL
               for char in text)


def validate_no_control_characters(value) -> None:
    """Refuses a text with a control character (see ``has_control_character``).

    Raises ValidationError (code ``control_character``)."""
    if isinstance(value, str) and has_control_character(value):
        raise ValidationError(
            _("Teksten indeholder et kontroltegn (f.eks. ESC, BEL eller NUL). Skriv den igen "
              "uden det."), code="control_character")


class SafeInputMixin:
    """Refuses control characters in every text field (CharField and its subclasses: email,
    URL, regex, slug…) of the form. Put it first in the bases of every form."""

    def full_clean(self):
        for field in self.fields.values():
            if (isinstance(field, forms.CharField)
                    and validate_no_control_characters not in field.validators):
                field.validators.append(validate_no_control_characters)
        super().full_clean()


class Form(SafeInputMixin, forms.Form):
    """The base of every plain form."""


class ModelForm(SafeInputMixin, forms.ModelForm):
    """The base of every model form."""


# --- Dates --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateRange:
    """Dates from 1 January ``years_back`` years before Copenhagen's today to 31 December
    ``years_ahead`` years after it."""

    years_back: int
    years_ahead: int

    def bounds(self, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
        today = today or timezone.localdate()
        return (dt.date(today.year - self.years_back, 1, 1),
                dt.date(today.year + self.years_ahead, 12, 31))


# What happened or is being recorded: assessments, enrolments and exits, consents, visits done,
# the employer's answer, an opening's registration. 15 years back lets a programme that began
# in 2017 be entered late; one year ahead allows for a date typed ahead of the event.
RECORDED = DateRange(years_back=15, years_ahead=1)
# What is planned: a placement's start and end, visit dates, closing dates, a certificate's
# valid-from, a target's deadline.
SCHEDULED = DateRange(years_back=15, years_ahead=5)
# A programme's own start and end: programmes are planned up to ten years ahead.
PROGRAMME = DateRange(years_back=25, years_ahead=10)
# A file's dates (the importer's ``ImportDateField``): old registers, a decade ahead.
IMPORTED = DateRange(years_back=30, years_ahead=10)


def validate_date_in_range(value: dt.date | None, date_range: DateRange) -> None:
    """Refuses a date outside ``date_range`` (see ``DateRange.bounds``).

    Raises ValidationError (code ``out_of_range``) naming the range in the active language's
    date format."""
    if value is None:
        return
    first, last = date_range.bounds()
    if not first <= value <= last:
        raise ValidationError(
            _("Datoen %(value)s ligger uden for det mulige (%(first)s–%(last)s)."),
            code="out_of_range",
            params={"value": date_format(value, "SHORT_DATE_FORMAT"),
                    "first": date_format(first, "SHORT_DATE_FORMAT"),
                    "last": date_format(last, "SHORT_DATE_FORMAT")})


# What a date field shows when empty, and says when it cannot read a date: the active
# language's format (csrprogram/formats/<lang>/formats.py: DATE_INPUT_FORMATS).
DATE_PLACEHOLDER = _("dd.mm.åååå")
INVALID_DATE = _("Datoen kan ikke læses. Skriv den som dd.mm.åååå, f.eks. 31.12.2026.")


class LocalDateInput(forms.DateInput):
    """A date typed as text in the active language's format (Danish 31.12.2026, English
    31 Dec 2026: ``SHORT_DATE_FORMAT``), with the format as placeholder.

    Not the browser's ``<input type="date">``: that follows the browser's locale, not the
    page's language, so English pages showed mm/dd/yyyy (issue 13). The field reads every
    format of the language's ``DATE_INPUT_FORMATS``, ISO 2026-12-31 among them (Django adds
    it to every language), so a date typed either way, or posted by a test, is read."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": DATE_PLACEHOLDER, "autocomplete": "off",
                                "spellcheck": "false", **(attrs or {})})

    def format_value(self, value):
        # A date in the language's short format; text the user typed comes back as typed.
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return date_format(value, "SHORT_DATE_FORMAT")
        return super().format_value(value)


class PlausibleDateField(forms.DateField):
    """A date limited to ``date_range``, typed in the active language's format
    (``LocalDateInput``); a date that cannot be read gets ``INVALID_DATE``.

    Subclasses name the kind of date; a model form uses them through ``Meta.field_classes``.
    The server checks the range (``validate_date_in_range``)."""

    date_range: DateRange = RECORDED
    default_error_messages = {"invalid": INVALID_DATE}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", LocalDateInput())
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        validate_date_in_range(value, self.date_range)


class RecordedDateField(PlausibleDateField):
    """A date something happened (``RECORDED``: today - 15 years … today + 1 year)."""

    date_range = RECORDED


class ScheduledDateField(PlausibleDateField):
    """A planned date (``SCHEDULED``: today - 15 years … today + 5 years)."""

    date_range = SCHEDULED


class ProgrammeDateField(PlausibleDateField):
    """A programme's start or end (``PROGRAMME``: today - 25 years … today + 10 years)."""

    date_range = PROGRAMME


# The checkbox a form gets when a date lies outside the programme's period (issue 13).
CONFIRM_OUTSIDE_PERIOD = "confirm_outside_period"


def _outside_period_confirmed(form: forms.BaseForm) -> bool:
    """Whether the user ticked "Registrér alligevel" in this submission. Read from the raw
    data: the checkbox is added to the form only when the date is found outside."""
    if not form.is_bound:
        return False
    value = form.data.get(form.add_prefix(CONFIRM_OUTSIDE_PERIOD))
    return forms.BooleanField().to_python(value)


def within_period(form: forms.BaseForm, field: str, *, programme) -> None:
    """Warns when ``form[field]``'s cleaned date lies outside ``programme``'s period
    (starts_on–ends_on) and asks for confirmation.

    Work is sometimes registered a little before a programme starts or followed up after it
    ends, so such a date is not refused: the form gets an error on the field naming the
    period and a checkbox "Registrér alligevel" (``CONFIRM_OUTSIDE_PERIOD``); submitted again
    with the box ticked, the date is accepted. Implausible dates (typos such as 0001-01-01)
    are refused by the date fields' own ranges before this check runs.
    """
    value = form.cleaned_data.get(field)
    if value is None or programme is None:
        return
    if programme.starts_on <= value <= programme.ends_on:
        return
    form.fields[CONFIRM_OUTSIDE_PERIOD] = forms.BooleanField(
        label=_("Registrér alligevel"), required=False,
        help_text=_("Sæt kryds, hvis datoen er rigtig, selv om den ligger uden for "
                    "programmets periode."))
    if _outside_period_confirmed(form):
        form.cleaned_data[CONFIRM_OUTSIDE_PERIOD] = True
        return
    form.add_error(field, ValidationError(
        _("Datoen ligger uden for programmets periode (%(start)s – %(end)s). Ret datoen, "
          "eller sæt kryds i »Registrér alligevel«, hvis den er rigtig."),
        code="outside_period",
        params={"start": date_format(programme.starts_on, "SHORT_DATE_FORMAT"),
                "end": date_format(programme.ends_on, "SHORT_DATE_FORMAT")}))


# --- Numbers ------------------------------------------------------------------------------------


def bound_integer(field: forms.Field, *, low: int, high: int) -> None:
    """Limits an integer field (e.g. of a model form) to ``low``–``high``, for the browser
    (``min``/``max``) and the server."""
    field.min_value, field.max_value = low, high
    field.validators += [MinValueValidator(low), MaxValueValidator(high)]
    field.widget.attrs.update({"min": low, "max": high})


# The number of active CSR criteria, which bounds a programme's threshold. Criteria live in
# ``companies``, above the base; the app registers the count here when it is ready.
_criteria_count: Callable[[], int] | None = None


def register_criteria_count(count: Callable[[], int]) -> None:
    """Called by ``companies.apps`` with a function that counts the active criteria."""
    global _criteria_count
    _criteria_count = count


def criteria_count() -> int | None:
    """The number of active CSR criteria, or None when no app registered a count."""
    return _criteria_count() if _criteria_count else None
