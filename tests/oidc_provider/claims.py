"""The provider's claims: email and names, and a ``groups`` scope with the user's groups (as
Entra ID sends group claims)."""

from django.utils.translation import gettext_lazy as _
from oidc_provider.lib.claims import ScopeClaims


def userinfo(claims, user):
    claims.update(email=user.email, email_verified=True, given_name=user.first_name,
                  family_name=user.last_name, name=user.get_full_name())
    return claims


class GroupsScopeClaims(ScopeClaims):
    info_groups = (_("Groups"), _("Your groups."))

    def scope_groups(self):
        return {"groups": list(self.user.groups.values_list("name", flat=True))}
