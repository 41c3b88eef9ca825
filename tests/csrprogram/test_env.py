import pytest
from django.core.exceptions import ImproperlyConfigured

from csrprogram.env import env_bool, env_int, env_list, env_str


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("1", True), ("ON", True),
                                               ("false", False), ("0", False), ("no", False)])
def test_env_bool_reads_known_words(monkeypatch, raw, expected):
    monkeypatch.setenv("CSR_FLAG", raw)
    assert env_bool("CSR_FLAG", not expected) is expected


def test_env_bool_refuses_a_typo(monkeypatch):
    monkeypatch.setenv("CSR_FLAG", "flase")
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        env_bool("CSR_FLAG", True)


def test_env_bool_default_when_unset_or_blank(monkeypatch):
    monkeypatch.delenv("CSR_FLAG", raising=False)
    assert env_bool("CSR_FLAG", True) is True
    monkeypatch.setenv("CSR_FLAG", "  ")
    assert env_bool("CSR_FLAG", False) is False


def test_env_int(monkeypatch):
    monkeypatch.setenv("CSR_NUMBER", "42")
    assert env_int("CSR_NUMBER", 1) == 42
    monkeypatch.setenv("CSR_NUMBER", "4x2")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("CSR_NUMBER", 1)
    monkeypatch.setenv("CSR_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("CSR_NUMBER", 1, minimum=1)


def test_env_str_required(monkeypatch):
    monkeypatch.delenv("CSR_TEXT", raising=False)
    with pytest.raises(ImproperlyConfigured, match="must be set"):
        env_str("CSR_TEXT", required=True)
    assert env_str("CSR_TEXT", "fallback") == "fallback"


def test_env_list(monkeypatch):
    monkeypatch.setenv("CSR_HOSTS", "a.example, b.example,,")
    assert env_list("CSR_HOSTS", []) == ["a.example", "b.example"]
