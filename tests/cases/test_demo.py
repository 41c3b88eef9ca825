import pytest
from django.core.management import call_command

from cases.models import CaseCollection, CaseStory, ProgrammeDescription

pytestmark = pytest.mark.django_db


def test_demo_has_the_four_randers_cases_the_collection_and_the_description():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    stories = CaseStory.objects.filter(status="published")
    assert stories.count() == 4
    assert all(s.title.startswith("Casebeskrivelse Randers Kommune") for s in stories)
    assert not stories.filter(findings__status="open").exists()
    collection = CaseCollection.objects.get(title="Casesamling CSR Strategi 2017")
    assert collection.status == "published"
    assert collection.items.count() == 5
    description = ProgrammeDescription.objects.get(programme__name="CSR Strategi 2017")
    assert "13 ud af 50" in description.target_figure
    assert "900" in description.target_figure
