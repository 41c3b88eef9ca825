"""The one way to validate input (csrprogram/validation.py), the login's email handling, and
dates in the active language's format."""

import datetime as dt
import importlib
import inspect

import pytest
import time_machine
from django import forms
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from csrprogram.validation import (
    PROGRAMME,
    RECORDED,
    SCHEDULED,
    RecordedDateField,
    SafeInputMixin,
    has_control_character,
)
from tests.csrprogram.factories import TEST_PASSWORD, UserFactory

APPS = ("csrprogram", "companies", "certificates", "citizens", "placements", "followups",
        "relations")


def our_form_classes() -> list[type]:
    found = []
    for app in APPS:
        module = importlib.import_module(f"{app}.forms")
        found += [value for value in vars(module).values()
                  if inspect.isclass(value) and issubclass(value, forms.BaseForm)
                  and value.__module__ == module.__name__]
    return found


def test_every_form_of_every_app_refuses_control_characters():
    classes = our_form_classes()
    assert len(classes) > 25
    missing = [cls.__qualname__ for cls in classes if not issubclass(cls, SafeInputMixin)]
    assert missing == []


def test_no_form_uses_a_bare_date_field():
    bare = [f"{cls.__qualname__}.{name}" for cls in our_form_classes()
            for name, field in cls.base_fields.items()
            if type(field) is forms.DateField]
    assert bare == []


@pytest.mark.parametrize(("text", "refused"), [
    ("Bøgholm Værktøj ApS", False), ("مرحبا", False), ("linje 1\r\nlinje 2\tfane", False),
    ("\x1b[31m", True), ("\x07", True), ("\x00", True), ("\x85", True), ("\x7f", True),
])
def test_control_characters(text, refused):
    assert has_control_character(text) is refused


@time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_the_date_ranges():
    assert RECORDED.bounds() == (dt.date(2011, 1, 1), dt.date(2027, 12, 31))
    assert SCHEDULED.bounds() == (dt.date(2011, 1, 1), dt.date(2031, 12, 31))
    assert PROGRAMME.bounds() == (dt.date(2001, 1, 1), dt.date(2036, 12, 31))
    field = RecordedDateField()
    assert field.clean("2027-12-31") == dt.date(2027, 12, 31)
    with translation.override("da"), pytest.raises(forms.ValidationError,
                                                   match=r"01\.01\.2011–31\.12\.2027"):
        field.clean("2028-01-01")
    with translation.override("da"):
        html = field.widget.render("d", None)
    # Text in the page's language, not the browser's picker (issue 13); the server checks
    # the range.
    assert 'type="text"' in html
    assert 'placeholder="dd.mm.åååå"' in html


@pytest.mark.parametrize(("language", "shown", "typed", "placeholder"), [
    ("da", "31.12.2026", ["31.12.2026", "31-12-2026", "31/12/2026", "2026-12-31"],
     "dd.mm.åååå"),
    ("en", "31 Dec 2026", ["31 Dec 2026", "31 dec 2026", "31 December 2026", "2026-12-31",
                           "31.12.2026", "31/12/2026"], "dd mmm yyyy"),
])
@time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_a_date_is_shown_and_read_in_the_active_languages_format(language, shown, typed,
                                                                 placeholder):
    field = RecordedDateField()
    with translation.override(language):
        html = field.widget.render("d", dt.date(2026, 12, 31))
        assert f'value="{shown}"' in html
        assert f'placeholder="{placeholder}"' in html
        for text in typed:
            assert field.clean(text) == dt.date(2026, 12, 31), text


@pytest.mark.parametrize(("language", "message"), [
    ("da", "Datoen kan ikke læses. Skriv den som dd.mm.åååå, f.eks. 31.12.2026."),
    ("en", "The date cannot be read. Write it as day, month and year, e.g. 31 Dec 2026."),
])
@pytest.mark.parametrize("text", ["31.13.2026", "12/31/2026", "i morgen"])
def test_an_unreadable_date_is_refused_with_its_format(language, message, text):
    with translation.override(language):
        with pytest.raises(forms.ValidationError) as refused:
            RecordedDateField().clean(text)
        assert refused.value.messages == [message]


@pytest.mark.parametrize(("language", "short", "long"), [
    ("da", "31.12.2026", "31. december 2026"),
    ("en", "31 Dec 2026", "31 December 2026"),
])
def test_dates_are_shown_in_the_active_languages_format(language, short, long):
    with translation.override(language):
        assert date_format(dt.date(2026, 12, 31), "SHORT_DATE_FORMAT") == short
        assert date_format(dt.date(2026, 12, 31)) == long


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "shown"), [("da", "01.01.2011"), ("en", "1 Jan 2011")])
@time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_a_refused_date_message_follows_the_language(client, programme, alice, language, shown):
    from tests.citizens.factories import CitizenFactory

    citizen = CitizenFactory(consultant=alice)
    client.force_login(alice)
    with translation.override(language):
        url = reverse("citizens:enrolment-create", args=[citizen.pk])
    response = client.post(url, {"programme": programme.pk, "enrolled_on": "0001-01-01"},
                           HTTP_ACCEPT_LANGUAGE=language)
    assert shown in response.text


@pytest.mark.django_db
def test_email_login_is_case_insensitive(client):
    UserFactory(email="konsulent@randers.example")
    response = client.post(reverse("login"), {"username": " Konsulent@Randers.example",
                                               "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_emails_are_unique_case_insensitively():
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    from csrprogram.models import User

    UserFactory(email="konsulent@randers.example")
    twin = UserFactory.build(email="KONSULENT@randers.example")
    with pytest.raises(ValidationError, match=r"eksisterer allerede|findes allerede"):
        twin.full_clean(exclude=["password"])
    assert twin.email == "konsulent@randers.example"
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="Konsulent@Randers.example")])


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "shown"), [("da", "19. juni 2017 – 31. december 2018"),
                                                 ("en", "19 June 2017 – 31 December 2018")])
def test_pages_show_dates_in_the_active_language(client, programme, bob, language, shown):
    client.force_login(bob)
    response = client.get(reverse("programme-detail", args=[programme.pk]),
                          HTTP_ACCEPT_LANGUAGE=language)
    assert shown in response.text
