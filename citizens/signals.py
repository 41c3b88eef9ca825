"""Signals the apps above the citizens app listen to, so this app never imports them.

``consent_withdrawn(sender=Consent, consent, actor)`` is sent inside the withdrawal's
transaction (``citizens.services.consent_withdraw``).
"""

from django.dispatch import Signal

consent_withdrawn = Signal()
