"""The identifying-text check: the name in several forms, the CPR in four forms, the rest of
the record, and exactly where each finding is."""

import datetime as dt

import pytest

from cases.choices import FindingKind
from cases.identifying import Identity, find_identifying

IDENTITY = Identity(
    name="Jens Peter Sørensen", cpr="1203854321", birth_date=dt.date(1985, 3, 12),
    address="Vestergade 12, 2. tv", phone="+45 21 43 65 87", email="jps@mail.example",
    other_names=("Mette Kjær", "Peter Holm"),
)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(hit.kind, hit.text) for hit in find_identifying({"result": text}, IDENTITY)]


@pytest.mark.parametrize(("text", "found"), [
    ("Jens fik et job.", "Jens"),
    ("JENS fik et job.", "JENS"),
    ("jens fik et job.", "jens"),
    ("Jens' kollegaer tog godt imod ham.", "Jens'"),
    # Cautious: "Jensens" may be his name inflected; a team leader can dismiss it.
    ("Jensens kollegaer tog godt imod ham.", "Jensens"),
    ("Sørensens mentor hjalp.", "Sørensens"),
    ("Soerensen fik et job.", "Soerensen"),
    ("Sorensen fik et job.", "Sorensen"),
    ("Peters første dag gik godt.", "Peters"),
])
def test_the_citizens_name_in_several_forms(text, found):
    assert kinds(text) == [(FindingKind.NAME, found)]


def test_a_name_inside_another_word_is_not_found():
    assert kinds("Han ledte efter jensenske løsninger i petersilien.") == []


@pytest.mark.parametrize("form", ["1203854321", "120385-4321", "120385 4321", "12.03.85-4321",
                                  "12-03-85-4321"])
def test_the_cpr_in_its_common_forms(form):
    assert kinds(f"Borgeren ({form}) startede i praktik.") == [(FindingKind.CPR, form)]


def test_another_persons_cpr_shaped_number_is_found_too():
    assert kinds("Nummeret 010190-1234 stod i notatet.") == [(FindingKind.CPR, "010190-1234")]


@pytest.mark.parametrize("form", ["12.03.1985", "12-03-85", "12/3/1985", "1985-03-12",
                                  "12. marts 1985", "12. Marts 1985"])
def test_the_birth_date(form):
    assert kinds(f"Født {form} i Randers.") == [(FindingKind.BIRTH_DATE, form)]


@pytest.mark.parametrize(("text", "kind", "found"), [
    ("Hun bor på Vestergade 12 i byen.", FindingKind.ADDRESS, "Vestergade 12"),
    ("Bor på vestergade  12.", FindingKind.ADDRESS, "vestergade  12"),
    ("Ring på 21 43 65 87.", FindingKind.PHONE, "21 43 65 87"),
    ("Ring på +45 21436587.", FindingKind.PHONE, "+45 21436587"),
    ("Skriv til JPS@mail.example i dag.", FindingKind.EMAIL, "JPS@mail.example"),
    ("Eller til nogen@andet.example.", FindingKind.EMAIL, "nogen@andet.example"),
    ("Mette fulgte op.", FindingKind.OTHER_NAME, "Mette"),
    ("Kjærs opfølgning var god.", FindingKind.OTHER_NAME, "Kjærs"),
    ("Holm tog imod.", FindingKind.OTHER_NAME, "Holm"),
])
def test_the_rest_of_the_record(text, kind, found):
    assert (kind, found) in kinds(text)


def test_a_shared_name_part_counts_as_the_citizens_own():
    # "Peter" is both the citizen's middle name and the contact person's first name.
    assert kinds("Peter kom til tiden.") == [(FindingKind.NAME, "Peter")]


def test_the_finding_says_exactly_where():
    texts = {"situation": "Intet her.", "action": "Første linje.\nAnden linje med Jens her."}
    [hit] = find_identifying(texts, IDENTITY)
    assert (hit.field, hit.line, hit.column, hit.text) == ("action", 2, 17, "Jens")
    assert texts["action"][hit.start:hit.end] == "Jens"


def test_a_clean_story_has_no_findings():
    text = ("Kvinden i 40'erne fik en praktik på 15 timer om ugen. Efter tre måneder var hun "
            "stadig i job, og virksomheden har 12 ansatte.")
    assert kinds(text) == []
