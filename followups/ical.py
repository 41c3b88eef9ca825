"""The consultant's calendar feed as iCalendar text (RFC 5545), written by hand.

A visit has a date but no time, so each is an all-day event (``DTSTART;VALUE=DATE``): a date
has no time zone, and Outlook, Google and Apple show it on that day wherever they are. The
calendar still names Europe/Copenhagen (``X-WR-TIMEZONE``) for clients that ask.

The feed travels to phones and cloud calendars, so it carries the company and the kind of visit
but never the citizen's name, CPR number or notes; the event links back to the visit here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from csrprogram.ical import PRODID, escape, fold, ical_date
from followups.models import Visit

# The escaping and folding rules live in the base, shared with the event invitations.
_escape, _fold, _date = escape, fold, ical_date


def visit_event(visit: Visit, stamp: str) -> list[str]:
    summary = _("Opfølgningsbesøg (%(kind)s): %(company)s") % {
        "kind": visit.get_kind_display(), "company": visit.placement.company.name}
    url = settings.SITE_URL + reverse("followups:visit-detail", args=[visit.pk])
    # An all-day event ends the next day; without DTEND it lasts one day (RFC 5545 §3.6.1),
    # which is how the last representable date (a visit saved before dates were bounded)
    # is written instead of failing the whole feed.
    end = ([f"DTEND;VALUE=DATE:{_date(visit.due_date + dt.timedelta(days=1))}"]
           if visit.due_date < dt.date.max else [])
    return [
        "BEGIN:VEVENT",
        f"UID:visit-{visit.pk}@csrprogram",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date(visit.due_date)}",
        *end,
        f"SUMMARY:{_escape(summary)}",
        f"LOCATION:{_escape(visit.placement.company.name)}",
        f"URL:{url}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar_text(*, name: str, visits: Iterable[Visit]) -> str:
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        "X-WR-TIMEZONE:Europe/Copenhagen",
        # Clients poll a subscribed feed; ask for hourly refreshes.
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for visit in visits:
        lines.extend(visit_event(visit, stamp))
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
