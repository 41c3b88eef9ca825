"""CPR numbers: validation, encryption at rest and the keyed blind index.

The clear CPR lives only in memory while a form is processed. The database holds a Fernet token
(``cpr_encrypted``) and an HMAC-SHA256 of the normalised number (``cpr_index``), which is unique
and lets a consultant find a citizen by typing the number without decrypting every row.
Both keys come from settings and are stretched with SHA-256 so any configured string works.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
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


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    derived = hashlib.sha256(b"csrprogram-cpr-encryption:" + key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt_cpr(cpr: str) -> str:
    return _fernet(settings.CPR_ENCRYPTION_KEY).encrypt(cpr.encode()).decode()


def decrypt_cpr(token: str) -> str:
    try:
        return _fernet(settings.CPR_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        # A wrong key must not crash a page; the masked value then shows as unknown.
        return ""


def cpr_index(cpr: str) -> str:
    """The keyed blind index of a normalised CPR number (hex HMAC-SHA256)."""
    return hmac.new(settings.CPR_INDEX_KEY.encode(), cpr.encode(), hashlib.sha256).hexdigest()
