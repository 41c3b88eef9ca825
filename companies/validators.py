from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.dk import cvr
from stdnum.exceptions import ValidationError as StdnumValidationError


def normalise_cvr(value: str) -> str:
    return cvr.compact(value or "")


def validate_cvr(value: str) -> None:
    """CVR numbers: 8 digits that pass the modulus-11 check."""
    try:
        cvr.validate(value)
    except StdnumValidationError:
        raise ValidationError(
            _("%(value)s er ikke et gyldigt CVR-nummer (8 cifre med korrekt kontrolciffer)."),
            code="invalid_cvr",
            params={"value": value},
        ) from None


def validate_p_number(value: str) -> None:
    if not (value.isdigit() and len(value) == 10):
        raise ValidationError(
            _("Et P-nummer består af 10 cifre."), code="invalid_p_number"
        )
