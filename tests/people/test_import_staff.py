"""manage.py import_staff FILE.csv: the staff list from an HR export (people/hr_import.py), with
the same create/update/deactivate as the directory sync (people/directory.py)."""

import io

import pytest
from django.core.management import CommandError, call_command

from people.models import Department, Profile, User

HEADER = "Personalnummer;Vorname;Nachname;E-Mail;Telefon;Raum;Funktion;Organisationseinheit;Vorgesetzte E-Mail;Aktiv"
ROWS = [
    "1001;Anna;Müller;anna.mueller@stadt.test;+49 1;A 1.01;Amtsleitung;Bürgeramt;;ja",
    "1002;Jonas;Schmidt;Jonas.Schmidt@stadt.test;+49 2;A 1.02;Sachbearbeitung;Bürgeramt;anna.mueller@stadt.test;ja",
    "1003;Özlem;Yılmaz;oezlem.yilmaz@stadt.test;+49 3;B 2.01;Sachbearbeitung;Kämmerei;anna.mueller@stadt.test;ja",
]


def write(tmp_path, *lines, name="personal.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return str(path)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_staff", *args, stdout=out, stderr=err)
    return out.getvalue()


def failing(*args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_staff", *args, stdout=out, stderr=err)
    return str(raised.value), out.getvalue() + err.getvalue()


@pytest.mark.django_db
def test_import_creates_updates_and_deactivates(tmp_path):
    out = run(write(tmp_path, HEADER, *ROWS))
    assert "created 3, updated 0, deactivated 0, unchanged 0, skipped 0, errors 0" in out
    jonas = Profile.objects.select_related("user", "department", "manager").get(user__email="jonas.schmidt@stadt.test")
    assert (jonas.user.first_name, jonas.department.name, jonas.room) == ("Jonas", "Bürgeramt", "A 1.02")
    assert jonas.manager.email == "anna.mueller@stadt.test"
    assert jonas.directory_id == "hr:1002"
    assert "phone" in jonas.managed_fields
    assert Department.objects.filter(name="Kämmerei").exists()

    assert "unchanged 3" in run(write(tmp_path, HEADER, *ROWS))  # idempotent

    changed = ROWS[1].replace("A 1.02", "A 2.22")
    out = run(write(tmp_path, HEADER, ROWS[0], changed, ROWS[2].replace(";ja", ";nein")))
    assert "created 0, updated 1, deactivated 1, unchanged 1" in out
    out = run(write(tmp_path, HEADER, ROWS[0], changed))  # Özlem is no longer listed: stays inactive
    assert "deactivated 0, unchanged 2" in out
    out = run(write(tmp_path, HEADER, ROWS[0]))
    assert "deactivated 1" in out
    assert not User.objects.get(email="jonas.schmidt@stadt.test").is_active
    assert User.objects.count() == 3  # never deleted


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path):
    out = run(write(tmp_path, HEADER, *ROWS), "--dry-run")
    assert "would create: line 2 (anna.mueller@stadt.test)" in out
    assert "It would have: created 3" in out
    assert User.objects.count() == 0 and Department.objects.count() == 0


@pytest.mark.django_db
def test_a_wrong_header_imports_nothing(tmp_path):
    path = write(tmp_path, HEADER.replace("E-Mail", "Mail"), *ROWS)
    message, _ = failing(path)
    assert "lacks the column(s) 'E-Mail' (email)" in message and "Nothing was imported" in message
    assert User.objects.count() == 0
    # The same file with the column named by option imports.
    assert "created 3" in run(path, "--column", "email=Mail")
    message, _ = failing(path, "--column", "email=EMail", "--column", "bogus=X")
    assert "unknown field(s) in --column: bogus" in message
    message, _ = failing(path, "--column", "email")
    assert "expected FIELD=HEADER" in message


@pytest.mark.django_db
def test_bad_rows_are_reported_with_line_numbers_and_skipped(tmp_path):
    rows = [
        ROWS[0],
        "1002;Jonas;;jonas.schmidt@stadt.test;;;;Bürgeramt;;ja",  # no last name
        "1003;Özlem;Yılmaz;kein-mail;;;;Kämmerei;;ja",  # not an address
        "1004;Anna;Doppelt;ANNA.MUELLER@stadt.test;;;;Kämmerei;;ja",  # someone else's address
        ROWS[2].replace("1003", "1005"),
    ]
    message, output = failing(write(tmp_path, HEADER, *rows))
    assert "3 entries had errors" in message
    assert "line 3: Nachname is empty" in output
    assert "line 4: 'kein-mail' is not an e-mail address" in output
    assert "line 5: the e-mail address anna.mueller@stadt.test is already that of" in output
    assert "created 2" in output
    assert set(User.objects.values_list("last_name", flat=True)) == {"Müller", "Yılmaz"}


@pytest.mark.django_db
def test_an_unreadable_file_is_a_clear_error(tmp_path):
    message, _ = failing(str(tmp_path / "fehlt.csv"))
    assert "cannot read" in message
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "\n" + ROWS[0] + "\n").encode("latin-1"))
    message, _ = failing(str(latin))
    assert "is not utf-8-sig text" in message
    assert "created 1" in run(str(latin), "--encoding", "latin-1")
