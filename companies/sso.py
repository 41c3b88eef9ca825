"""Company contacts' single sign-on through a MitID Erhverv broker (``csrprogram.oidc``).

It never makes an account on its own: it logs in an existing contact (found by the ``email``
claim), or accepts the invitation whose link the visitor opened just before
(``InvitationAcceptView`` keeps its token in the session), for the invitation's email address
only.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from companies.services import invitation_accept, invitation_for_token
from csrprogram.oidc import INVITATION_SESSION_KEY, ProviderBackend, logger


class CompanyContactOidcBackend(ProviderBackend):
    provider_name = "company"

    def user_for_claims(self, email: str, claims: dict):
        user = self.UserModel.objects.filter(email__iexact=email).first()
        token = self.request.session.get(INVITATION_SESSION_KEY)
        invitation = invitation_for_token(token) if token else None
        if invitation is not None and invitation.email.lower() == email:
            if user is None:
                user = self.UserModel.objects.create_user(email)
            try:
                invitation_accept(token=token, user=user)
            except ValidationError:
                return None
            self.request.session.pop(INVITATION_SESSION_KEY, None)
            return user
        if user is not None and user.company_contacts.exists():
            return user
        logger.warning("sso company login refused: no contact with that email")
        return None
