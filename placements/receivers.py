"""Receivers of the signals of the apps below (connected in ``PlacementsConfig.ready``)."""

from django.dispatch import receiver

from citizens.choices import ConsentKind
from citizens.signals import consent_withdrawn


@receiver(consent_withdrawn, dispatch_uid="placements_withdraw_presentations")
def withdraw_presentations(sender, consent, actor, **kwargs) -> None:
    """Withdrawing the consent to share the profile withdraws the open presentations."""
    if consent.kind != ConsentKind.EMPLOYER_SHARING:
        return
    from placements.services import candidacies_withdraw_for_consent

    candidacies_withdraw_for_consent(citizen=consent.citizen, actor=actor)
