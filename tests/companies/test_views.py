import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from companies.models import Company, CsrAssessment, CsrCriterion
from tests.companies.factories import CompanyFactory, ContactPersonFactory, criteria

pytestmark = pytest.mark.django_db


def contacts_management(total, initial=0):
    return {"contacts-TOTAL_FORMS": str(total), "contacts-INITIAL_FORMS": str(initial),
            "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "20"}


def test_list_filters_by_search_city_industry_and_social_economy(client, alice):
    CompanyFactory(name="Alfa Bageri", cvr="35487638", city="Randers C",
                   industry="Detailhandel", is_social_economy=True)
    CompanyFactory(name="Beta Byg", city="Langå", industry="Bygge og anlæg")
    client.force_login(alice)
    url = reverse("companies:company-list")

    def names(**query):
        return [c.name for c in client.get(url, query).context["companies"]]

    assert names() == ["Alfa Bageri", "Beta Byg"]
    assert names(q="bageri") == ["Alfa Bageri"]
    assert names(q="3548 7638") == ["Alfa Bageri"]
    assert names(city="Langå") == ["Beta Byg"]
    assert names(industry="Detailhandel") == ["Alfa Bageri"]
    assert names(is_social_economy="true") == ["Alfa Bageri"]
    assert names(is_social_economy="false") == ["Beta Byg"]


def test_list_filters_by_certificate_status(client, programme, alice, bob):
    from certificates.services import certificate_revoke
    from tests.certificates.factories import certificate

    valid = certificate(programme=programme, leader=bob, consultant=alice,
                        company=CompanyFactory(name="Gyldig"),
                        issued_at=dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=2))
    revoked = certificate(programme=programme, leader=bob, consultant=alice,
                          company=CompanyFactory(name="Tilbagekaldt"))
    certificate_revoke(certificate=revoked, actor=bob, reason="Konkurs")
    CompanyFactory(name="Aldrig")
    client.force_login(alice)
    url = reverse("companies:company-list")

    def names(state):
        return [c.name for c in client.get(url, {"certificate": state}).context["companies"]]

    assert names("valid") == [valid.company.name]
    assert names("not_valid") == ["Tilbagekaldt"]
    assert names("never") == ["Aldrig"]


def test_consultant_creates_a_company_with_contacts(client, alice):
    client.force_login(alice)
    response = client.post(reverse("companies:company-create"), {
        "cvr": "35 48 76 38", "name": "Alfa ApS", "language": "da",
        **contacts_management(2),
        "contacts-0-name": "Anne", "contacts-0-email": "anne@alfa.example",
        "contacts-0-is_primary": "on",
        "contacts-1-name": "Bo",
    })
    company = Company.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("companies:company-detail", args=[company.pk])
    assert company.cvr == "35487638"
    assert company.contacts.get(is_primary=True).name == "Anne"


@pytest.mark.parametrize(("data", "message"), [
    ({"cvr": "12345678"}, "12345678 er ikke et gyldigt CVR-nummer"),
    ({"cvr": "35487646"}, "Der findes allerede en virksomhed med dette CVR-nummer."),
    ({"contacts-0-is_primary": ""}, "Vælg præcis én primær kontaktperson."),
])
def test_bad_company_input_gets_a_danish_message_and_saves_nothing(client, alice, data,
                                                                   message):
    CompanyFactory(cvr="35487646", name="Findes")
    client.force_login(alice)
    response = client.post(reverse("companies:company-create"), {
        "cvr": "35487638", "name": "Ny ApS", "language": "da", **contacts_management(1),
        "contacts-0-name": "Anne", "contacts-0-is_primary": "on", **data,
    })
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Company.objects.count() == 1


def test_consultant_edits_a_company_and_moves_the_primary_contact(client, alice):
    company = CompanyFactory(name="Gammelt Navn")
    first = ContactPersonFactory(company=company, name="A", is_primary=True)
    second = ContactPersonFactory(company=company, name="B")
    client.force_login(alice)
    url = reverse("companies:company-update", args=[company.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "cvr": company.cvr, "name": "Nyt Navn", "language": "da",
        **contacts_management(2, 2),
        "contacts-0-id": first.pk, "contacts-0-name": "A",
        "contacts-1-id": second.pk, "contacts-1-name": "B", "contacts-1-is_primary": "on",
    })
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.name == "Nyt Navn"
    assert company.contacts.get(is_primary=True).name == "B"


def test_import_reports_row_errors_and_imports_nothing(client, alice):
    client.force_login(alice)
    upload = SimpleUploadedFile("v.csv", b"cvr;navn\n35487638;Alfa\n12345678;Beta\n")
    response = client.post(reverse("companies:company-import"), {"file": upload})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Intet er importeret" in text
    assert [(p.row, p.column) for p in response.context["result"].errors] == [(3, "cvr")]
    assert "<td>12345678 er ikke et gyldigt CVR-nummer" in text
    assert not Company.objects.exists()


def test_import_of_a_good_file_redirects_with_the_count(client, alice):
    client.force_login(alice)
    upload = SimpleUploadedFile("v.csv", b"cvr;navn\n35487638;Alfa\n35487646;Beta\n")
    response = client.post(reverse("companies:company-import"), {"file": upload}, follow=True)
    assert "2 virksomheder er importeret." in response.content.decode()
    assert Company.objects.count() == 2


def test_import_of_an_unreadable_file_says_why(client, alice):
    client.force_login(alice)
    upload = SimpleUploadedFile("v.docx", b"whatever")
    response = client.post(reverse("companies:company-import"), {"file": upload})
    assert "Vælg en CSV-fil (.csv) eller en Excel-fil (.xlsx)." in response.content.decode()


def test_consultant_records_an_assessment(client, alice, programme):
    active = criteria(4)
    company = CompanyFactory()
    client.force_login(alice)
    url = reverse("companies:assessment-create", args=[company.pk])
    page = client.get(url)
    assert active[0].title_da in page.content.decode()
    data = {"programme": programme.pk, "assessed_on": "2017-08-01"}
    for criterion in active[:3]:
        data[f"met_{criterion.pk}"] = "on"
        data[f"evidence_{criterion.pk}"] = "Set ved besøg."
    response = client.post(url, data, follow=True)
    done = CsrAssessment.objects.get()
    assert (done.met_count, done.is_eligible) == (3, True)
    assert ("3 kriterier opfyldt (krav: 3). Virksomheden kan certificeres"
            in response.content.decode())


def test_met_without_evidence_is_refused_on_the_form(client, alice, programme):
    active = criteria(3)
    client.force_login(alice)
    response = client.post(
        reverse("companies:assessment-create", args=[CompanyFactory().pk]),
        {"programme": programme.pk, "assessed_on": "2017-08-01", f"met_{active[0].pk}": "on"})
    assert "Beskriv dokumentationen for et opfyldt kriterie." in response.content.decode()
    assert not CsrAssessment.objects.exists()


def test_team_leader_adds_and_edits_a_criterion(client, bob):
    client.force_login(bob)
    client.post(reverse("companies:criterion-create"), {
        "title_da": "Nyt kriterie", "title_en": "New criterion", "is_active": "on",
        "order": "11"})
    criterion = CsrCriterion.objects.get()
    client.post(reverse("companies:criterion-update", args=[criterion.pk]), {
        "title_da": "Nyt kriterie", "title_en": "New criterion", "order": "11"})
    criterion.refresh_from_db()
    assert criterion.is_active is False


def test_the_portal_shows_only_the_contacts_own_company_and_its_certificates(
    client, carol, dave, company_a, company_b, programme, alice, bob
):
    from tests.certificates.factories import certificate

    own = certificate(programme=programme, leader=bob, consultant=alice, company=company_a)
    other = certificate(programme=programme, leader=bob, consultant=alice, company=company_b)
    client.force_login(carol)
    text = client.get(reverse("companies:portal")).content.decode()
    assert company_a.name in text
    assert own.number in text
    assert reverse("certificates:certificate-pdf", args=[own.pk]) in text
    assert other.number not in text
    assert client.get(reverse("certificates:certificate-pdf", args=[other.pk])).status_code == 404
