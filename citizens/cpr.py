"""CPR numbers: validation, encryption at rest and the keyed blind index.

The clear CPR lives only in memory while a form is processed. The database holds a Fernet token
(``cpr_encrypted``) and an HMAC-SHA256 of the normalised number (``cpr_index``), which is unique
and lets a consultant find a citizen by typing the number without decrypting every row.
Both keys come from settings and are stretched with SHA-256 so any configured string works.

Keys can be rotated (docs/security.md): retired encryption keys stay in
``CPR_ENCRYPTION_OLD_KEYS`` so existing values still decrypt, the previous index key in
``CPR_INDEX_OLD_KEY`` so look-ups still find rows, and ``manage.py rotate_cpr_keys``
re-encrypts and re-indexes every row under the current keys.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.dk import cpr as stdnum_cpr

MASK = "XXXX"


def normalise_cpr(raw: str) -> str:
    """Return the ten digits of a valid CPR number, or raise a Danish ValidationError.

    Format and birth date are checked; the modulus-11 rule is deliberately not (it was dropped
    in 2007, so valid numbers fail it). The error message never repeats the number.
    """
    if not (raw or "").strip():
        raise ValidationError(_("Angiv et CPR-nummer."), code="cpr_required")
    try:
        return stdnum_cpr.validate(raw)
    except stdnum_exceptions.InvalidLength:
        raise ValidationError(_("Et CPR-nummer består af 10 cifre (DDMMÅÅ-XXXX)."),
                              code="cpr_length") from None
    except stdnum_exceptions.InvalidFormat:
        raise ValidationError(_("Et CPR-nummer må kun indeholde cifre og en bindestreg."),
                              code="cpr_format") from None
    except stdnum_exceptions.InvalidComponent:
        raise ValidationError(
            _("CPR-nummerets fødselsdato er ugyldig (f.eks. 31. februar eller en dato i "
              "fremtiden)."), code="cpr_date") from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(_("Ugyldigt CPR-nummer."), code="cpr_invalid") from None


def birth_date(cpr: str):
    return stdnum_cpr.get_birth_date(cpr)


def mask_cpr(cpr: str) -> str:
    """``DDMMYY-XXXX``: the birth-date part only."""
    return f"{cpr[:6]}-{MASK}"


def format_cpr(cpr: str) -> str:
    return f"{cpr[:6]}-{cpr[6:]}"


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    """The first key encrypts; every key decrypts (so old keys keep working during a rotation)."""
    return MultiFernet([
        Fernet(base64.urlsafe_b64encode(
            hashlib.sha256(b"csrprogram-cpr-encryption:" + key.encode()).digest()))
        for key in keys
    ])


def encryption_keys() -> tuple[str, ...]:
    """``CPR_ENCRYPTION_KEY`` (encrypts) followed by ``CPR_ENCRYPTION_OLD_KEYS`` (decrypt only)."""
    return (settings.CPR_ENCRYPTION_KEY, *settings.CPR_ENCRYPTION_OLD_KEYS)


def encrypt_cpr(cpr: str) -> str:
    return _fernet(encryption_keys()).encrypt(cpr.encode()).decode()


def decrypt_cpr(token: str) -> str:
    try:
        return _fernet(encryption_keys()).decrypt(token.encode()).decode()
    except InvalidToken:
        # A wrong key must not crash a page; the masked value then shows as unknown.
        return ""


def reencrypt_cpr(token: str) -> str:
    """The same CPR number encrypted under the current key.

    Raises ``cryptography.fernet.InvalidToken`` when no configured key opens ``token``.
    """
    return _fernet(encryption_keys()).rotate(token.encode()).decode()


def cpr_index(cpr: str, *, key: str | None = None) -> str:
    """The keyed blind index of a normalised CPR number (hex HMAC-SHA256).

    ``key`` defaults to the current ``CPR_INDEX_KEY``.
    """
    key = settings.CPR_INDEX_KEY if key is None else key
    return hmac.new(key.encode(), cpr.encode(), hashlib.sha256).hexdigest()


def cpr_index_candidates(cpr: str) -> list[str]:
    """Every index value a stored row of this CPR number may have.

    Normally one (the current key's). While the index key is being rotated
    (``CPR_INDEX_OLD_KEY`` set, ``manage.py rotate_cpr_keys`` not yet run), rows still carry
    the old key's value, so look-ups and the uniqueness check try both.
    """
    candidates = [cpr_index(cpr)]
    if settings.CPR_INDEX_OLD_KEY:
        candidates.append(cpr_index(cpr, key=settings.CPR_INDEX_OLD_KEY))
    return candidates
