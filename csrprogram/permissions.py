"""View access by role.

Anonymous visitors are sent to the login page; a logged-in user without the role gets 403.
Objects are then fetched through selectors scoped to the user, so another company's or
programme's record is a 404, never a bare primary-key look-up.
"""

from collections.abc import Iterable

from django.contrib.auth.mixins import AccessMixin

from csrprogram.choices import Role


class RoleRequiredMixin(AccessMixin):
    roles: Iterable[Role] = ()

    def has_role(self) -> bool:
        user = self.request.user
        if user.is_superuser:
            return True
        return any(user.has_role(role) for role in self.roles)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.has_role():
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


STAFF_ROLES = (Role.CONSULTANT, Role.TEAM_LEADER, Role.ADMINISTRATOR)
LEADER_ROLES = (Role.TEAM_LEADER, Role.ADMINISTRATOR)
