"""Two-factor authentication with django-otp: a TOTP device per user (any authenticator app)
and a static device holding ten one-time recovery codes.

Required of team leaders and administrators who log in with a local password
(``csrprogram.login_session.TwoFactorRequiredMiddleware``). Enrolment, verification and the
renewal of recovery codes are written to the security log (logger ``csrprogram.security``);
the device rows themselves are kept out of the change history because they hold the secrets.
"""

from __future__ import annotations

import base64
import logging
import secrets

from django.db import transaction
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

security_log = logging.getLogger("csrprogram.security")

RECOVERY_CODE_COUNT = 10


def has_confirmed_totp(user) -> bool:
    """Whether ``user`` has a confirmed authenticator-app device."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_pending(user) -> TOTPDevice:
    """The user's unconfirmed TOTP device for enrolment, made on first call (one per user)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=False)


def secret_for_display(device: TOTPDevice) -> str:
    """The device's secret in base32 groups of four, for typing into an app by hand."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [f"{secrets.token_hex(4)[:4]}-{secrets.token_hex(4)[:4]}"
             for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=code.replace("-", "")) for code in codes])
    return codes


@transaction.atomic
def totp_confirm(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the enrolment with the first code from the app.

    On success: the device is confirmed (any other TOTP device of the user is removed), the
    session is verified, and ten new recovery codes are returned (shown once, stored by
    django-otp). On a wrong code: None, nothing changed.
    """
    if not device.verify_token(code):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    security_log.info("two-factor enrolled user=%s", device.user_id)
    return _new_recovery_codes(device.user)


def session_verify(*, request, code: str) -> bool:
    """Verify the session with a TOTP code or a recovery code (used up)."""
    device = match_token(request.user, code)
    if device is None:
        security_log.warning("two-factor refused user=%s", request.user.pk)
        return False
    otp_login(request, device)
    security_log.info("two-factor verified user=%s device=%s", request.user.pk,
                      type(device).__name__)
    return True


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """Ten new recovery codes for ``user``; the old ones stop working."""
    security_log.info("two-factor recovery codes renewed user=%s", user.pk)
    return _new_recovery_codes(user)
