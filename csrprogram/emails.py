"""Every email the product sends: one sender, one greeting and sign-off, the recipient's
language.

An email is rendered with ``email_render`` under the recipient's language (``language_of``:
the user's ``language``, else the given fallback, else the site's), so its words and its dates
(``|date:"SHORT_DATE_FORMAT"``, through ``csrprogram/formats``) are the recipient's. Body
templates start with ``{% include "email/greeting.txt" %}`` and end with
``{% include "email/signoff.txt" %}``: "Kære <name>," and "Med venlig hilsen / <programme> /
<job centre>", with the programme and the job centre as sender (``sender_lines``).
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def language_of(user=None, fallback: str | None = None) -> str:
    """The language to write to ``user`` in: their stored preference, else ``fallback``
    (e.g. a company's language), else ``settings.LANGUAGE_CODE``."""
    for candidate in (getattr(user, "language", None), fallback):
        if candidate in LANGUAGE_CODES:
            return candidate
    return settings.LANGUAGE_CODE


def job_centre_of(programme=None) -> str:
    """The job centre that signs: the programme's first partner job centre, else
    "Jobcenter <municipality>" (Randers Kommune → Jobcenter Randers), else the setting."""
    if programme is not None:
        partners = [p.strip() for p in (programme.partner_job_centres or "").replace(
            "\n", ",").split(",") if p.strip()]
        if partners:
            return partners[0]
        municipality = (programme.municipality or "").removesuffix(" Kommune").strip()
        if municipality:
            return f"Jobcenter {municipality}"
    return settings.CSR_JOB_CENTRE_NAME


def sender_lines(programme=None) -> list[str]:
    """The sign-off's sender lines: the programme's name (if any) and the job centre."""
    lines = [programme.name] if programme is not None else []
    return [*lines, job_centre_of(programme)]


def email_render(*, subject_template: str | None = None, subject: str | None = None,
                 body_template: str, context: dict, language: str,
                 programme=None, name: str = "") -> tuple[str, str]:
    """Render ``(subject, body)`` under ``language``.

    ``subject`` may be given as a callable's result computed by the caller inside
    ``translation.override(language)``; otherwise ``subject_template`` is rendered (and
    collapsed to one line). ``name`` is the greeting's name ("Kære <name>,"); the sign-off
    names ``programme`` and its job centre. ``context`` also gets ``site_url``.
    """
    full = {**context, "greeting_name": name, "sender_lines": sender_lines(programme),
            "site_url": settings.SITE_URL}
    with translation.override(language):
        if subject is None:
            subject = render_to_string(subject_template, full)
        body = render_to_string(body_template, full)
    return " ".join(str(subject).split()), body
