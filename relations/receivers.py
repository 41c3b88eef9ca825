"""Receivers of the signals of the apps below (connected in ``RelationsConfig.ready``)."""

from django.dispatch import receiver
from django.utils.translation import ngettext

from citizens.choices import ConsentKind
from citizens.signals import consent_withdrawn


@receiver(consent_withdrawn, dispatch_uid="relations_remove_coming_stories")
def remove_coming_stories(sender, consent, actor, **kwargs) -> str | None:
    """Withdrawing the consent to tell one's story at events removes the citizen's stories
    at coming events (``relations.services.event_stories_remove_for_consent``); the sentence
    returned tells the staff member how many (the flash message names no citizen)."""
    if consent.kind != ConsentKind.EVENT_STORY:
        return None
    from relations.services import event_stories_remove_for_consent

    count = event_stories_remove_for_consent(citizen=consent.citizen, actor=actor)
    if not count:
        return None
    return ngettext("%(count)s fortælling ved et kommende arrangement er fjernet.",
                    "%(count)s fortællinger ved kommende arrangementer er fjernet.",
                    count) % {"count": count}
