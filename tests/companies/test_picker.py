"""Company pickers that scale (issue 14, item 3): the scoped autocomplete endpoint and the
picker field that renders only the chosen company."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from companies.forms import CompanyPickerField
from companies.models import Company
from tests.companies.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_autocomplete_finds_by_name_and_cvr_and_shows_cvr_and_city(client, alice):
    CompanyFactory(name="Alfa Bageri", cvr="35487638", city="Randers C")
    CompanyFactory(name="Alfa Bageri", cvr="30000013", city="Aarhus N")
    CompanyFactory(name="Bageriet Alfa", cvr="12345674", city="Viborg")
    CompanyFactory(name="Beta Tømrer", cvr="10000009", city="Randers C")
    client.force_login(alice)
    url = reverse("companies:company-autocomplete")

    by_name = client.get(url, {"q": "alfa"}).json()["results"]
    assert [c["name"] for c in by_name] == ["Alfa Bageri", "Alfa Bageri", "Bageriet Alfa"]
    assert {c["label"] for c in by_name[:2]} == {"Alfa Bageri (CVR 35487638, Randers C)",
                                                 "Alfa Bageri (CVR 30000013, Aarhus N)"}
    by_cvr = client.get(url, {"q": "DK 3548"}).json()["results"]
    assert [c["cvr"] for c in by_cvr] == ["35487638"]
    assert client.get(url, {"q": "a"}).json() == {"results": []}
    assert client.get(url, {"q": "x\x00y"}).json() == {"results": []}


def test_autocomplete_returns_at_most_twenty(client, alice):
    for n in range(25):
        CompanyFactory(name=f"Gartneri {n}")
    client.force_login(alice)
    results = client.get(reverse("companies:company-autocomplete"), {"q": "Gartneri"}).json()
    assert len(results["results"]) == 20


def test_autocomplete_is_refused_to_a_company_contact(client, carol):
    client.force_login(carol)
    assert client.get(reverse("companies:company-autocomplete"), {"q": "Alfa"}).status_code == 403


@pytest.mark.parametrize(("typed", "found"), [
    ("35487638", "Alfa Bageri"), ("DK 35 48 76 38", "Alfa Bageri"), ("alfa bageri", "Alfa Bageri"),
    ("Tømrer", "Beta Tømrer"),
])
def test_picker_field_takes_a_cvr_or_a_name_that_names_one(typed, found):
    CompanyFactory(name="Alfa Bageri", cvr="35487638")
    CompanyFactory(name="Beta Tømrer", cvr="10000009")
    field = CompanyPickerField(queryset=Company.objects.all())
    assert field.clean(typed).name == found


@pytest.mark.parametrize(("typed", "message"), [
    ("Bageri", "Flere virksomheder passer"), ("Gamma", "Ingen virksomhed passer"),
    ("99999999", "Ingen virksomhed passer"), ("x\x00", "Ingen virksomhed passer"),
])
def test_picker_field_refuses_what_names_none_or_several_in_danish(typed, message):
    CompanyFactory(name="Alfa Bageri", cvr="35487638")
    CompanyFactory(name="Beta Bageri", cvr="10000009")
    field = CompanyPickerField(queryset=Company.objects.all(), required=False)
    with pytest.raises(ValidationError, match=message):
        field.clean(typed)


def test_filter_renders_only_the_chosen_company(client, alice):
    chosen = CompanyFactory(name="Alfa Bageri", cvr="35487638", city="Randers C")
    CompanyFactory.create_batch(30)
    client.force_login(alice)
    for name in ("placements:opening-list", "placements:placement-list",
                 "followups:visit-list"):
        page = client.get(reverse(name), {"company": chosen.pk}).content.decode()
        assert "<option" not in page.split('name="company"')[1].split(">")[0]
        assert 'value="35487638"' in page
        assert "Alfa Bageri (CVR 35487638, Randers C)" in page
        assert "Virksomhed 1 ApS" not in page
        assert "/static/js/company-picker." in page


def test_opening_form_lists_no_company_and_only_the_companys_contacts(client, alice,
                                                                       programme, company_a):
    from tests.companies.factories import ContactPersonFactory

    ContactPersonFactory(company=company_a, name="Anna Andersen")
    ContactPersonFactory(company=CompanyFactory(), name="Ole Olsen")
    client.force_login(alice)
    page = client.get(reverse("placements:opening-create")).content.decode()
    assert company_a.name not in page
    assert "Anna Andersen" not in page
    page = client.post(reverse("placements:opening-create"), {
        "programme": programme.pk, "company": company_a.cvr, "title": ""}).content.decode()
    assert "Anna Andersen" in page
    assert "Ole Olsen" not in page
