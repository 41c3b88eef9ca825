from tests.permission_matrix import LOGIN, Expect


def build_world(world: dict) -> None:
    """Objects the base's URLs need. ``world`` already holds the users and companies."""


EXPECTATIONS = {
    "home": Expect(anonymous=LOGIN, contact_own=200, contact_other=200, consultant=200,
                   team_leader=200),
    "health": Expect(anonymous=200, contact_own=200, contact_other=200, consultant=200,
                     team_leader=200),
    "programme-list": Expect(anonymous=LOGIN, contact_own=403, contact_other=403,
                             consultant=200, team_leader=200),
    "programme-detail": Expect(anonymous=LOGIN, contact_own=403, contact_other=403,
                               consultant=200, team_leader=200,
                               kwargs=lambda w: {"pk": w["programme"].pk}),
    "programme-update": Expect(anonymous=LOGIN, contact_own=403, contact_other=403,
                               consultant=403, team_leader=200,
                               kwargs=lambda w: {"pk": w["programme"].pk}),
    "login": Expect(anonymous=200, contact_own=302, contact_other=302, consultant=302,
                    team_leader=302),
    # Logging out is a POST; a GET is not allowed.
    "logout": Expect(anonymous=405, contact_own=405, contact_other=405, consultant=405,
                     team_leader=405),
    "password_change": Expect(anonymous=LOGIN, contact_own=200, contact_other=200,
                              consultant=200, team_leader=200),
    "password_change_done": Expect(anonymous=LOGIN, contact_own=200, contact_other=200,
                                   consultant=200, team_leader=200),
    "password_reset": Expect(anonymous=200, contact_own=200, contact_other=200,
                             consultant=200, team_leader=200),
    "password_reset_done": Expect(anonymous=200, contact_own=200, contact_other=200,
                                  consultant=200, team_leader=200),
    "password_reset_confirm": Expect(anonymous=200, contact_own=200, contact_other=200,
                                     consultant=200, team_leader=200,
                                     kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"}),
    "password_reset_complete": Expect(anonymous=200, contact_own=200, contact_other=200,
                                      consultant=200, team_leader=200),
    # Switching language is allowed for everyone and redirects back.
    "set_language": Expect(anonymous=302, contact_own=302, contact_other=302,
                           consultant=302, team_leader=302, method="post",
                           data=lambda w: {"language": "en", "next": "/"}),
    # The admin is for administrators only: everyone else is sent to the admin's login.
    "admin:*": Expect(anonymous=302, contact_own=302, contact_other=302, consultant=302,
                      team_leader=302, sample="admin:index"),
}
