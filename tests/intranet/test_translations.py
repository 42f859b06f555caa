"""Every user-facing string has a German translation (English is the source language)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["intranet", "home", "posts", "search", "people", "documents"]


def read_po(path: Path) -> dict[str, str]:
    """A small .po reader: msgid -> msgstr (plural entries: msgid -> first msgstr), fuzzy marked."""
    entries, msgid, msgstr, fuzzy, current = {}, None, None, False, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            msgid, current = line[7:-1], "id"
        elif line.startswith("msgid_plural"):
            current = "plural"
        elif line.startswith("msgstr"):
            msgstr, current = line.split(" ", 1)[1][1:-1], "str"
        elif line.startswith('"') and current == "id":
            msgid += line[1:-1]
        elif line.startswith('"') and current == "str":
            msgstr += line[1:-1]
        elif not line.strip() and msgid is not None:
            if msgid:
                entries[msgid] = "" if fuzzy else msgstr
            msgid, msgstr, fuzzy, current = None, None, False, None
    return entries


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
@pytest.mark.parametrize("app", APPS)
def test_every_string_is_translated_to_german(app, tmp_path):
    """Extracts the strings afresh from a copy of the app and checks the committed German file."""
    copy = tmp_path / app
    shutil.copytree(ROOT / app, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "migrations"))
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "-P", "-m", "django", "makemessages", "-l", "de", "--no-obsolete", "-v0"],
        cwd=copy,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": ""},
        capture_output=True,
    )
    extracted = read_po(copy / "locale" / "de" / "LC_MESSAGES" / "django.po")
    committed_path = ROOT / app / "locale" / "de" / "LC_MESSAGES" / "django.po"
    if not extracted:
        return  # the app has no user-facing strings yet
    committed = read_po(committed_path) if committed_path.exists() else {}
    missing = sorted(msgid for msgid in extracted if not committed.get(msgid))
    assert missing == [], f"{app}: untranslated strings — run `make messages-de` and translate them"
