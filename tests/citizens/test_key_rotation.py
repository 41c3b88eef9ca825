"""Part 5 of issue 16: the CPR encryption and index keys can be rotated on a live database."""

import pytest
from django.core.management import CommandError, call_command

from citizens import cpr as cpr_tools
from citizens import selectors, services
from citizens.models import Citizen
from tests.citizens.factories import CitizenFactory, next_cpr

pytestmark = pytest.mark.django_db

OLD_ENCRYPTION, NEW_ENCRYPTION = "old-encryption-key", "new-encryption-key"
OLD_INDEX, NEW_INDEX = "old-index-key", "new-index-key"


@pytest.fixture
def populated(settings, alice, programme):
    """Forty citizens stored under the old keys."""
    settings.CPR_ENCRYPTION_KEY, settings.CPR_ENCRYPTION_OLD_KEYS = OLD_ENCRYPTION, []
    settings.CPR_INDEX_KEY, settings.CPR_INDEX_OLD_KEY = OLD_INDEX, ""
    numbers = {CitizenFactory(consultant=alice, cpr=number).pk: number
               for number in (next_cpr() for _ in range(40))}
    return numbers


def _rows() -> dict[int, tuple[str, str]]:
    return {pk: (token, index) for pk, token, index in
                Citizen.objects.values_list("pk", "cpr_encrypted", "cpr_index")}


def test_both_keys_are_rotated_on_a_populated_database(settings, populated, alice, bob, capsys):
    before = _rows()
    # Step 1 of docs/security.md: new keys in front, the old ones kept for reading.
    settings.CPR_ENCRYPTION_KEY, settings.CPR_ENCRYPTION_OLD_KEYS = NEW_ENCRYPTION, [
        OLD_ENCRYPTION]
    settings.CPR_INDEX_KEY, settings.CPR_INDEX_OLD_KEY = NEW_INDEX, OLD_INDEX
    pk, number = next(iter(populated.items()))
    # Before the command runs, everything still works: reading, look-up, the duplicate check.
    assert Citizen.objects.get(pk=pk).get_cpr().replace("-", "") == number
    assert selectors.citizen_by_cpr(bob, number).pk == pk
    with pytest.raises(Exception, match="allerede en borger"):
        services.citizen_create(actor=alice, cpr=number, data={"name": "Dublet",
                                                             "target_group": "job_ready"})

    # Step 2: the command.
    call_command("rotate_cpr_keys")
    assert "Re-encrypted and re-indexed 40 citizen(s)." in capsys.readouterr().out
    after = _rows()
    assert after.keys() == before.keys()
    for pk, number in populated.items():
        assert after[pk][0] != before[pk][0]
        assert after[pk][1] == cpr_tools.cpr_index(number, key=NEW_INDEX) != before[pk][1]
    assert not any(number in str(after) for number in populated.values())

    # Step 3: the old keys removed; every number still reads and is found.
    settings.CPR_ENCRYPTION_OLD_KEYS, settings.CPR_INDEX_OLD_KEY = [], ""
    for pk, number in populated.items():
        assert Citizen.objects.get(pk=pk).get_cpr().replace("-", "") == number
        assert selectors.citizen_by_cpr(bob, number).pk == pk
    # The old key alone no longer opens anything.
    settings.CPR_ENCRYPTION_KEY = OLD_ENCRYPTION
    assert cpr_tools.decrypt_cpr(after[pk][0]) == ""

    # Running it again changes no index and loses nothing.
    settings.CPR_ENCRYPTION_KEY = NEW_ENCRYPTION
    call_command("rotate_cpr_keys")
    assert {pk: index for pk, (_token, index) in _rows().items()} == {
        pk: index for pk, (_token, index) in after.items()}


def test_a_row_no_key_opens_stops_the_rotation_before_anything_changes(settings, populated):
    # The old key is dropped entirely: the forty rows under it can no longer be read.
    settings.CPR_ENCRYPTION_KEY, settings.CPR_ENCRYPTION_OLD_KEYS = NEW_ENCRYPTION, []
    readable = CitizenFactory()
    before = _rows()
    with pytest.raises(CommandError, match="40 citizen") as error:
        call_command("rotate_cpr_keys")
    assert str(min(populated)) in str(error.value)
    assert f" {readable.pk}" not in str(error.value)
    assert _rows() == before


def test_dry_run_checks_without_writing(settings, populated, capsys):
    settings.CPR_ENCRYPTION_KEY, settings.CPR_ENCRYPTION_OLD_KEYS = NEW_ENCRYPTION, [
        OLD_ENCRYPTION]
    before = _rows()
    call_command("rotate_cpr_keys", "--dry-run")
    assert "nothing was changed" in capsys.readouterr().out
    assert _rows() == before
