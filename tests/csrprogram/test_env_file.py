import pytest
from django.core.exceptions import ImproperlyConfigured

from csrprogram.env import env_file


def test_env_file_reads_an_existing_file_of_an_allowed_type(monkeypatch, tmp_path):
    logo = tmp_path / "Logo.SVG"
    logo.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    monkeypatch.setenv("CSR_LOGO", f"  {logo}  ")
    assert env_file("CSR_LOGO", suffixes=(".svg", ".png")) == logo


def test_env_file_is_none_when_unset_or_blank(monkeypatch):
    monkeypatch.delenv("CSR_LOGO", raising=False)
    assert env_file("CSR_LOGO", suffixes=(".svg",)) is None
    monkeypatch.setenv("CSR_LOGO", " ")
    assert env_file("CSR_LOGO", suffixes=(".svg",)) is None


def test_env_file_refuses_a_missing_file_a_folder_and_another_type(monkeypatch, tmp_path):
    monkeypatch.setenv("CSR_LOGO", str(tmp_path / "missing.svg"))
    with pytest.raises(ImproperlyConfigured, match="is not a readable file"):
        env_file("CSR_LOGO", suffixes=(".svg",))
    monkeypatch.setenv("CSR_LOGO", str(tmp_path))
    with pytest.raises(ImproperlyConfigured, match="is not a readable file"):
        env_file("CSR_LOGO", suffixes=(".svg",))
    other = tmp_path / "logo.gif"
    other.write_bytes(b"GIF89a")
    monkeypatch.setenv("CSR_LOGO", str(other))
    with pytest.raises(ImproperlyConfigured, match=r"must be one of these file types: \.svg"):
        env_file("CSR_LOGO", suffixes=(".svg", ".png"))
