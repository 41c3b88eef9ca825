"""Signals the apps above the citizens app listen to, so this app never imports them.

``consent_withdrawn(sender=Consent, consent, actor)`` is sent inside the withdrawal's
transaction (``citizens.services.consent_withdraw``): a receiver's error rolls the withdrawal
back. A receiver returns ``None``, or one translated sentence that tells the staff member
what else the withdrawal did ("2 fortællinger ved kommende arrangementer er fjernet."); the
service returns those sentences and the page flashes them, so they never name the citizen.
"""

from django.dispatch import Signal

consent_withdrawn = Signal()
