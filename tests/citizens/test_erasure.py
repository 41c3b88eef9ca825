"""The erasure test of issue 16: a citizen with a CPR number, a name, notes, a placement with
visits, a PDF and an export that mention them is erased through the team leader's two-step
page; then the whole database dump (pg_dump), the log file, the media directory and the e-mail
outbox are searched for the CPR number in every common form and for the name — nothing is
found — while the programme's dashboard figures are unchanged.

A flash message is pending in a consultant's session at the erasure (messages kept in the
session table, the worst case of Django's default cookie-then-session storage). The session
data is signed and compressed, so the dump alone could not see a name in it: the sessions are
decoded and their messages searched as well. Nothing is found because no message names a
citizen (tests/citizens/test_name_guards.py)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import connection
from django.test import Client
from django.urls import reverse

from citizens import rights, services
from citizens.choices import AccessAction, ConsentKind, ErasureKind
from citizens.models import AccessLog, Citizen, ErasureRecord
from csrprogram.dashboard import programme_dashboard
from csrprogram.metrics import registry
from csrprogram.models import ReportJob
from followups.models import Visit
from placements import services as placement_services
from placements.models import Placement
from tests.csrprogram.factories import TargetFactory
from tests.placements.factories import JobOpeningFactory

CPR = "0101901234"
CPR_FORMS = ["0101901234", "010190-1234", "010190 1234", "01.01.90-1234"]
NAME = "Mette Kjærsgaard Lindholm"

pytestmark = pytest.mark.django_db(transaction=True)


def _pg_dump() -> str:
    """The whole test database as SQL text, by the pg_dump of the server's own version."""
    db = connection.settings_dict
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"),
                      key=lambda p: int(p.parent.parent.name))
    pg_dump = str(binaries[-1]) if binaries else "pg_dump"
    result = subprocess.run(
        [pg_dump, "--no-owner", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432),
         "-U", db["USER"] or "postgres", db["NAME"]],
        capture_output=True, text=True, check=True, timeout=120)
    return result.stdout


def _figures(programme, as_of: dt.date) -> list:
    board = programme_dashboard(programme=programme, as_of=as_of, with_charts=False)
    rows = [(row.target.metric_key, row.actual, row.numerator, row.denominator)
            for row in board.rows]
    cells = [[(label, [cell.count if cell else None for cell in cells])
              for label, cells in table.rows] for table in board.breakdowns]
    return [rows, cells]


def _session_texts() -> str:
    """Every stored session decoded, its pending flash messages as their text."""
    from django.contrib.messages.storage.cookie import MessageDecoder
    from django.contrib.sessions.models import Session

    texts = []
    for session in Session.objects.all():
        for key, value in session.get_decoded().items():
            if key == "_messages":
                texts += [str(message.message)
                          for message in json.loads(value, cls=MessageDecoder)]
            else:
                texts.append(json.dumps(value, ensure_ascii=False))
    return "\n".join(texts)


def _found(text: str) -> list[str]:
    lowered = text.lower()
    return [needle for needle in [*CPR_FORMS, NAME] if needle.lower() in lowered]


@pytest.fixture
def places(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": settings.MEDIA_ROOT, "base_url": None}}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    log_file = tmp_path / "app.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield {"media": settings.MEDIA_ROOT, "mail": settings.EMAIL_FILE_PATH, "log": log_file}
    root.removeHandler(handler)
    root.setLevel(previous)
    handler.close()


@time_machine.travel(dt.datetime(2017, 11, 20, 10, 0, tzinfo=dt.UTC), tick=False)
def test_erasure_leaves_no_trace_and_keeps_the_figures(client, places, programme, alice, bob,
                                                       carol, company_a, settings):
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    citizen = services.citizen_create(actor=alice, cpr=CPR, programme=programme,
                                      enrolled_on=dt.date(2017, 8, 1), data={
        "name": NAME, "email": "mette.lindholm@example.dk", "phone": "20304050",
        "address": "Kirkevej 12", "postcode": "8900", "city": "Randers",
        "target_group": "activity_ready", "competencies": "Lager; spørg Mette Kjærsgaard "
        "Lindholm om truck.", "accommodation_needs": "Højst 4 timer om dagen.",
        "weekly_hours": 20, "wishes": ["warehouse"]})
    services.consent_record(citizen=citizen, kind=ConsentKind.EMPLOYER_SHARING,
                            given_on=dt.date(2017, 8, 1), actor=alice,
                            note=f"Givet af {NAME} på mødet")
    enrolment = citizen.enrolments.get()
    enrolment.notes = f"{NAME}, CPR 010190-1234, ringede."
    enrolment.save()
    opening = JobOpeningFactory(programme=programme, company=company_a, weekly_hours=15)
    candidacy = placement_services.candidacy_propose(
        opening=opening, citizen=citizen, actor=alice,
        motivation=f"{NAME} har erfaring fra lager.")
    placement_services.candidacy_present(candidacy=candidacy, actor=alice)
    placement_services.candidacy_request_meeting(candidacy=candidacy, actor=carol)
    placement = placement_services.candidacy_accept(candidacy=candidacy, actor=carol,
                                                    start_date=dt.date(2017, 10, 2))
    visit = placement.visits.order_by("due_date").first()
    visit.notes = f"Talte med {NAME} (01.01.90-1234)."
    visit.met_whom = f"{NAME} og lederen"
    visit.save()
    services.access_log_record(citizen=citizen, actor=alice, action=AccessAction.VIEW,
                               purpose=f"Samtale med {NAME}")
    # A PDF and an export that mention the citizen, stored as generated files are.
    export = services.citizen_export(citizen=citizen, actor=bob, purpose="Indsigtsanmodning")
    _name, pdf = services.citizen_export_pdf(export=export, citizen=citizen)
    job = ReportJob.objects.create(programme=programme, requested_by=bob,
                                   as_of=dt.date(2017, 11, 20), status="done")
    job.file.save("rapport.pdf", ContentFile(pdf))
    default_storage.save("exports/borgere.json",
                         ContentFile(json.dumps(export, ensure_ascii=False).encode()))
    default_storage.save("exports/andet.csv", ContentFile(b"Ingen personer her\n"))
    # Stored e-mails: one naming the citizen (quoted-printable Danish), one unrelated.
    EmailMessage(subject=f"Om {NAME}", body=f"Borgeren {NAME}, 010190 1234, møder mandag.",
                 to=["alice@jobcenter.example"]).send()
    EmailMessage(subject="Møde", body="Teammøde fredag.", to=["bob@jobcenter.example"]).send()
    for key in [metric.key for metric in registry.all()]:
        TargetFactory(programme=programme, metric_key=key, value=5,
                      deadline=dt.date(2018, 12, 31))
    # The consultant proposes the citizen for another opening; the page's flash message is
    # still pending in her session (she has not seen the next page) when the erasure runs.
    second = JobOpeningFactory(programme=programme, company=company_a, weekly_hours=15,
                               title="Pakkeri")
    consultant = Client()
    consultant.force_login(alice)
    proposed = consultant.post(reverse("placements:opening-match", kwargs={"pk": second.pk}),
                               {"citizen": citizen.pk, "motivation": ""})
    assert proposed.status_code == 302
    assert "Kandidaten er foreslået." in _session_texts()
    figures_before = _figures(programme, dt.date(2017, 11, 20))
    visits_before = Visit.objects.count()

    # Everything is there before: the search below can find what it looks for.
    dump = _pg_dump()
    assert NAME in dump
    assert "mette.lindholm@example.dk" in dump
    assert _found(rights.file_text(places["media"] / job.file.name))
    assert any(_found(p.read_text("utf-8")) or NAME in rights._message_text(p.read_text())
               for p in places["mail"].iterdir())

    # The team leader's two steps.
    client.force_login(bob)
    url = reverse("citizens:citizen-erase", kwargs={"pk": citizen.pk})
    step1 = client.post(url, {"reason": "Borgerens anmodning af 20.11.2017"})
    assert step1.status_code == 200
    assert Citizen.objects.get(pk=citizen.pk).erased_at is None  # nothing erased yet
    token = re.search(r'name="token" value="([^"]+)"', step1.content.decode()).group(1)
    refused = client.post(url, {"token": token})  # the box not ticked
    assert refused.status_code == 200
    assert Citizen.objects.get(pk=citizen.pk).erased_at is None
    done = client.post(url, {"token": token, "confirm": "on"})
    assert done.status_code == 302
    client.logout()

    dump = _pg_dump()
    assert _found(dump) == []
    sessions = _session_texts()
    assert "Kandidaten er foreslået." in sessions  # the message is still pending
    assert _found(sessions) == []
    for needle in ("mette.lindholm@example.dk", "20304050", "Kirkevej 12",
                   "Højst 4 timer om dagen"):
        assert needle not in dump
    for path in places["media"].rglob("*"):
        if path.is_file():
            assert _found(rights.file_text(path)) == [], path
    assert (places["media"] / "exports" / "andet.csv").exists()  # unrelated files stay
    mail_text = "".join(rights._message_text(p.read_text()) for p in places["mail"].iterdir())
    assert _found(mail_text) == []
    assert "Teammøde fredag" in mail_text
    assert _found(places["log"].read_text("utf-8")) == []
    assert ReportJob.objects.get(pk=job.pk).file.name == ""

    # The counts stay right, and a record that the erasure happened.
    assert _figures(programme, dt.date(2017, 11, 20)) == figures_before
    assert Visit.objects.count() == visits_before
    assert Placement.objects.filter(citizen_id=citizen.pk).count() == 1
    record = ErasureRecord.objects.get(citizen_id=citizen.pk)
    assert (record.erased_by, record.kind) == (bob, ErasureKind.REQUEST)
    assert record.reason == "Borgerens anmodning af 20.11.2017"
    assert AccessLog.objects.filter(citizen_id=citizen.pk, action=AccessAction.ERASE).exists()
