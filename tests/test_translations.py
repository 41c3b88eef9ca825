"""The English translation is kept complete: every Danish string has an English msgstr."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _po_files(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("**/locale/en/LC_MESSAGES/django.po")
                  if ".venv" not in p.parts)


def test_english_catalogue_is_complete_and_current(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", "var", ".git",
                                                               "__pycache__", "*.mo"))
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete",
         "--ignore=tests/*", "--ignore=var/*"],
        cwd=copy, capture_output=True, text=True, check=False,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "true", "CSR_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    problems = []
    for po in _po_files(copy):
        stats = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(po)],
                               capture_output=True, text=True, check=True).stderr
        if "untranslated" in stats or "fuzzy" in stats:
            problems.append(f"{po.relative_to(copy)}: {stats.strip()}")
    assert _po_files(copy), "no English catalogue found"
    assert problems == [], "\n".join(problems)


def test_error_words_are_errors_in_english():
    """"Fejl" is an error, not a "problem": the page title's prefix after a failed submit
    ("Fejl: " → "Error: "), the import's error column and count (issue 13)."""
    from django.utils import translation
    from django.utils.translation import gettext, ngettext

    with translation.override("en"):
        assert gettext("Fejl") == "Error"
        assert ngettext("%(counter)s fejl", "%(counter)s fejl", 2) % {"counter": 2} == "2 errors"
        assert "errors" in gettext("Intet er importeret. Ret fejlene i filen, og prøv igen.")
