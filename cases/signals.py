"""A withdrawn publication consent unpublishes the citizen's stories.

The consent lives in ``citizens`` (below this app), which must not know about stories, so this
app listens to the consent's save and acts in the same transaction: the moment the withdrawal
is recorded, no story of that citizen is published any more.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from citizens.choices import ConsentKind
from citizens.models import Consent


@receiver(post_save, sender=Consent, dispatch_uid="cases_consent_withdrawn")
def consent_withdrawn(sender, instance: Consent, **kwargs) -> None:
    if instance.kind == ConsentKind.CASE_STORY and instance.withdrawn_on is not None:
        from cases.services import citizen_has_publication_consent, stories_unpublish_for_citizen

        if not citizen_has_publication_consent(instance.citizen):
            stories_unpublish_for_citizen(citizen=instance.citizen)
