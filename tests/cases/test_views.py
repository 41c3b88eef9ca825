"""Pages: bad input answered in Danish with nothing saved, query budgets on the lists, the
access log, the public page."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import CaseCollection, CaseStory
from citizens.models import AccessLog
from citizens.services import citizen_restrict
from tests.cases.conftest import STORY
from tests.cases.matrix import build_world
from tests.csrprogram.factories import UserFactory
from tests.query_budget import assert_query_budget

pytestmark = pytest.mark.django_db


def _form(**overrides):
    return {**STORY, "name_company": "", **overrides}


def test_a_10000_word_story_gets_a_danish_message_and_nothing_is_saved(client, alice,
                                                                       placement):
    client.force_login(alice)
    url = reverse("cases:story-create", args=[placement.pk])
    response = client.post(url, _form(situation=" ".join(["ord"] * 10_000)))
    assert response.status_code == 200
    assert "Casebeskrivelsen er for lang" in response.content.decode()
    assert not CaseStory.objects.exists()


def test_naming_the_company_without_consent_is_refused_on_the_form(client, alice, placement):
    client.force_login(alice)
    response = client.post(reverse("cases:story-create", args=[placement.pk]),
                           _form(name_company="on"))
    assert response.status_code == 200
    assert "samtykke" in response.content.decode()
    assert not CaseStory.objects.exists()


def test_the_editor_logs_the_citizen_view_and_shows_findings_in_place(client, alice,
                                                                      placement):
    client.force_login(alice)
    response = client.post(reverse("cases:story-create", args=[placement.pk]),
                           _form(result="Sørensens mentor fulgte op."))
    story = CaseStory.objects.get()
    assert response.status_code == 302
    response = client.get(reverse("cases:story-detail", args=[story.pk]))
    page = response.content.decode()
    assert "<mark" in page
    assert "Sørensens" in page
    assert "linje 1, tegn 1" in page
    assert AccessLog.objects.filter(citizen=placement.citizen, actor=alice).exists()


def test_publishing_without_consent_says_why(client, bob, submitted):
    client.force_login(bob)
    response = client.post(reverse("cases:story-publish", args=[submitted.pk]), follow=True)
    assert "samtykke" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_a_collection_with_no_cases_is_refused(client, bob, programme, published):
    client.force_login(bob)
    url = reverse("cases:collection-create") + f"?programme={programme.pk}"
    response = client.post(url, {"programme": programme.pk, "title": "Tom samling",
                                 "language": "da"})
    assert response.status_code == 200
    assert "mindst én case" in response.content.decode()
    assert not CaseCollection.objects.exists()


def test_the_collection_form_orders_the_cases(client, bob, programme, published,
                                              django_capture_on_commit_callbacks):
    description = services.description_save(programme=programme, actor=bob, summary="Kort.")
    client.force_login(bob)
    url = reverse("cases:collection-create") + f"?programme={programme.pk}"
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url, {
            "programme": programme.pk, "title": "Samling", "language": "da",
            f"story_{published.pk}": "2", f"description_{description.pk}": "1"})
    assert response.status_code == 302
    collection = CaseCollection.objects.get()
    assert [(i.description_id, i.story_id) for i in collection.items.all()] == [
        (description.pk, None), (None, published.pk)]


def test_the_public_page_shows_a_published_collection_only(client, programme, bob, published):
    collection = services.collection_create(
        programme=programme, actor=bob, entries=[("story", published.pk)], title="Samling",
        foreword="Forord her.", language="da", public_page=True)
    url = reverse("cases:public", args=[collection.public_token])
    assert client.get(url).status_code == 404
    services.collection_publish(collection=collection, actor=bob)
    page = client.get(url).content.decode()
    assert STORY["title"] in page
    assert "Jens" not in page


def _world(programme, alice, bob, carol, dave, erin, company_a, company_b):
    world = {"programme": programme, "consultant": alice, "team_leader": bob,
             "administrator": erin, "contact_own": carol, "contact_other": dave,
             "company_own": company_a, "company_other": company_b}
    return world


def test_story_list_query_budget(client, bob, programme, alice, carol, dave, erin, company_a,
                                 company_b):
    client.force_login(bob)
    world = _world(programme, alice, bob, carol, dave, erin, company_a, company_b)

    def add_rows(n):
        for _ in range(max(n // 3, 1)):
            build_world(dict(world))

    assert_query_budget(client, reverse("cases:story-list"), add_rows=add_rows, budget=12)


def test_collection_list_query_budget(client, bob, programme, alice, carol, dave, erin,
                                      company_a, company_b):
    client.force_login(bob)
    world = _world(programme, alice, bob, carol, dave, erin, company_a, company_b)

    def add_rows(n):
        for _ in range(n):
            build_world(dict(world))

    assert_query_budget(client, reverse("cases:collection-list"), add_rows=add_rows,
                        budget=12, few=1, many=4)


def test_the_admin_keeps_a_restricted_citizens_story_read_only(client, bob, story):
    """Issue 16 (``citizens.admin.CitizenRowAdmin``): a story of a restricted citizen can be
    read in the admin, not changed or deleted, and the read is in the access log."""
    root = UserFactory(email="root@jobcenter.example", is_staff=True, is_superuser=True)
    client.force_login(root)
    url = reverse("admin:cases_casestory_change", args=[story.pk])
    assert 'name="_save"' in client.get(url).content.decode()
    citizen_restrict(citizen=story.citizen, actor=bob, reason="Bestrider oplysningerne")
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert "Jens Peter Sørensen" not in page.content.decode()
    assert client.post(url, {}).status_code == 403
    assert client.get(reverse("admin:cases_casestory_delete",
                              args=[story.pk])).status_code == 403
    assert AccessLog.objects.filter(citizen=story.citizen, actor=root,
                                    purpose="Casebeskrivelse i administrationen").count() == 2
