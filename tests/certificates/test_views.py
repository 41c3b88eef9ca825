import pytest
from django.urls import reverse

from certificates.models import Certificate, RenderBatch
from tests.certificates.factories import at, certificate
from tests.companies.factories import CompanyFactory, assessment

pytestmark = pytest.mark.django_db


def test_team_leader_issues_from_an_eligible_assessment(client, programme, alice, bob):
    found = assessment(company=CompanyFactory(), programme=programme, by=alice, met=3)
    client.force_login(bob)
    detail = client.get(reverse("companies:assessment-detail", args=[found.pk]))
    issue_url = reverse("certificates:certificate-issue", args=[found.pk])
    assert issue_url in detail.content.decode()
    response = client.post(issue_url, {"valid_from": ""}, follow=True)
    issued = Certificate.objects.get()
    assert f"Certifikat {issued.number} er udstedt." in response.content.decode()


def test_the_issue_button_is_not_offered_to_a_consultant(client, programme, alice):
    found = assessment(company=CompanyFactory(), programme=programme, by=alice, met=3)
    client.force_login(alice)
    detail = client.get(reverse("companies:assessment-detail", args=[found.pk]))
    assert reverse("certificates:certificate-issue", args=[found.pk]) not in (
        detail.content.decode())


def test_issue_from_a_non_eligible_assessment_shows_the_danish_reason(client, programme,
                                                                     alice, bob):
    found = assessment(company=CompanyFactory(), programme=programme, by=alice, met=1)
    client.force_login(bob)
    response = client.post(reverse("certificates:certificate-issue", args=[found.pk]), {})
    assert response.status_code == 200
    assert "Vurderingen opfylder ikke kravet: 1 af 3 kriterier er opfyldt." in (
        response.content.decode())
    assert not Certificate.objects.exists()


def test_revocation_without_reason_is_refused_in_danish(client, programme, alice, bob):
    issued = certificate(programme=programme, leader=bob, consultant=alice)
    client.force_login(bob)
    url = reverse("certificates:certificate-revoke", args=[issued.pk])
    response = client.post(url, {"reason": ""})
    assert "Angiv en begrundelse for tilbagekaldelsen." in response.content.decode()
    issued.refresh_from_db()
    assert issued.revoked_at is None
    client.post(url, {"reason": "Konkurs"})
    issued.refresh_from_db()
    assert issued.revocation_reason == "Konkurs"


def test_list_filters_by_status_and_search(client, programme, alice, bob):
    from certificates.services import certificate_revoke

    kept = certificate(programme=programme, leader=bob, consultant=alice,
                       company=CompanyFactory(name="Beholdt"))
    gone = certificate(programme=programme, leader=bob, consultant=alice,
                       company=CompanyFactory(name="Tilbagekaldt"))
    certificate_revoke(certificate=gone, actor=bob, reason="Konkurs")
    client.force_login(alice)
    url = reverse("certificates:certificate-list")

    def numbers(**query):
        return [c.number for c in client.get(url, query).context["certificates"]]

    assert numbers(status="revoked") == [gone.number]
    assert numbers(q="beholdt") == [kept.number]
    assert numbers(q=kept.number) == [kept.number]


def test_bulk_render_shows_progress_until_done(client, programme, alice, bob, private_media,
                                              django_capture_on_commit_callbacks):
    for day in (1, 2):
        certificate(programme=programme, leader=bob, consultant=alice,
                    issued_at=at(2017, 9, day))
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("certificates:render-batch-create"),
                               {"programme": programme.pk})
    batch = RenderBatch.objects.get()
    assert response["Location"] == reverse("certificates:render-batch-detail", args=[batch.pk])
    page = client.get(response["Location"])
    assert "0 af 2 certifikater er klar." in page.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page.content.decode()
    for callback in callbacks:  # the queued render tasks (eager)
        callback()
    page = client.get(response["Location"])
    assert "2 af 2 certifikater er klar." in page.content.decode()
    assert "http-equiv" not in page.content.decode()
    assert all(c.pdf_hash for c in Certificate.objects.all())


def test_bulk_render_of_an_empty_selection_says_so(client, programme, bob):
    client.force_login(bob)
    response = client.post(reverse("certificates:render-batch-create"),
                           {"programme": programme.pk}, follow=True)
    assert "Filteret viser ingen certifikater." in response.content.decode()
    assert not RenderBatch.objects.exists()


def test_company_page_shows_its_certificates(client, programme, alice, bob):
    issued = certificate(programme=programme, leader=bob, consultant=alice)
    client.force_login(alice)
    text = client.get(reverse("companies:company-detail", args=[issued.company.pk])).content
    assert issued.number in text.decode()
