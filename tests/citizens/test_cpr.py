import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from stdnum.dk import cpr as stdnum_cpr

from citizens import cpr
from csrprogram.logging import RedactCprFilter
from tests.citizens.conftest import CPR_MOD11_FAILS
from tests.citizens.factories import CitizenFactory


def test_a_valid_cpr_failing_modulus_11_is_accepted():
    assert stdnum_cpr.checksum(CPR_MOD11_FAILS) != 0
    assert cpr.normalise_cpr("010190-1235") == CPR_MOD11_FAILS


@pytest.mark.parametrize(("raw", "message"), [
    ("310290-1234", "fødselsdato er ugyldig"),  # 31 February
    ("0101901", "10 cifre"),
    ("01019O-1234", "kun indeholde cifre"),
    ("", "Angiv et CPR-nummer"),
])
def test_invalid_cpr_numbers_get_a_danish_message_without_the_number(raw, message):
    with pytest.raises(ValidationError) as error:
        cpr.normalise_cpr(raw)
    text = " ".join(error.value.messages)
    assert message in text
    assert raw.replace("-", "")[:6] not in text or not raw


def test_encryption_round_trip_and_keyed_index(settings):
    token = cpr.encrypt_cpr(CPR_MOD11_FAILS)
    assert CPR_MOD11_FAILS not in token
    assert cpr.decrypt_cpr(token) == CPR_MOD11_FAILS
    index = cpr.cpr_index(CPR_MOD11_FAILS)
    assert len(index) == 64
    assert CPR_MOD11_FAILS not in index
    settings.CPR_INDEX_KEY = "another-key"
    assert cpr.cpr_index(CPR_MOD11_FAILS) != index


def test_decrypting_with_a_wrong_key_gives_nothing(settings):
    token = cpr.encrypt_cpr(CPR_MOD11_FAILS)
    settings.CPR_ENCRYPTION_KEY = "not-the-key"
    assert cpr.decrypt_cpr(token) == ""


def test_masked_display():
    assert cpr.mask_cpr(CPR_MOD11_FAILS) == "010190-XXXX"


@pytest.mark.django_db
def test_the_clear_cpr_is_not_stored_anywhere_in_the_table():
    citizen = CitizenFactory(cpr=CPR_MOD11_FAILS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM citizens_citizen WHERE id = %s", [citizen.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
    assert CPR_MOD11_FAILS not in row
    assert "010190-1235" not in row
    assert "1235" not in row.replace(citizen.cpr_encrypted, "").replace(citizen.cpr_index, "")
    assert citizen.cpr_masked == "010190-XXXX"
    assert citizen.get_cpr() == "010190-1235"


def test_log_filter_redacts_cpr_numbers():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1,
                               "bad value %s and %s", ("010190-1235", "0101901235"), None)
    RedactCprFilter().filter(record)
    assert record.getMessage() == "bad value 010190-XXXX and 010190-XXXX"
