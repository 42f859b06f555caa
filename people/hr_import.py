"""The staff list from an HR export (CSV) for the directory sync (people.directory;
manage.py import_staff), for administrations without a directory the intranet may read.

The columns are named by `DEFAULT_COLUMNS` (German headers as an HR system exports them), each of
which `--column field=Header` renames. A file whose header lacks a required or a named column is
refused whole (`SourceError`), before anything is read; a bad row is reported with its line
number and skipped. Semicolons or commas (as the header shows), UTF-8 with or without BOM.

A person's key is "hr:<personnel number>" when the file has the "id" column, else their e-mail
("hr:<e-mail>"): without a personnel number a changed address is a new person. Managers are
named by their e-mail address."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from .directory import InvalidRecord, PersonRecord, Source, SourceError, email_problem

DEFAULT_COLUMNS = {
    "id": "Personalnummer",
    "email": "E-Mail",
    "first_name": "Vorname",
    "last_name": "Nachname",
    "phone": "Telefon",
    "room": "Raum",
    "job_title": "Funktion",
    "department": "Organisationseinheit",
    "manager": "Vorgesetzte E-Mail",
    "active": "Aktiv",
}
REQUIRED = ("email", "first_name", "last_name")
INACTIVE = {"0", "nein", "no", "false", "inaktiv", "ausgeschieden"}
PAGE = 500


class CsvSource(Source):
    manager_key = "email"

    def __init__(self, path: str | Path, columns: dict[str, str] | None = None, encoding: str = "utf-8-sig"):
        self.path, self.encoding = Path(path), encoding
        self.label = f"the file {self.path.name}"
        unknown = set(columns or {}) - set(DEFAULT_COLUMNS)
        if unknown:
            raise SourceError(
                f"unknown field(s) in --column: {', '.join(sorted(unknown))} (known: {', '.join(DEFAULT_COLUMNS)})"
            )
        self.named = set(columns or {})
        self.columns = {**DEFAULT_COLUMNS, **(columns or {})}
        header = self._header()
        missing = [
            f"{self.columns[f]!r} ({f})"
            for f in self.columns
            if (f in REQUIRED or f in self.named) and self.columns[f] not in header
        ]
        if missing:
            raise SourceError(
                f"the header of {self.path.name} lacks the column(s) {', '.join(missing)}; it has: "
                f"{', '.join(header)}. Nothing was imported."
            )
        self.present = {f: c for f, c in self.columns.items() if c in header}
        self.fields = tuple(f for f in self.present if f not in {"id", "active"})

    def _open(self):
        try:
            return open(self.path, encoding=self.encoding, newline="")
        except OSError as error:
            raise SourceError(f"cannot read {self.path}: {error.strerror}") from None

    def _reader(self, file):
        sample = file.readline()
        file.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        return csv.DictReader(file, delimiter=delimiter)

    def _header(self) -> list[str]:
        with self._open() as file:
            try:
                return [name.strip() for name in (self._reader(file).fieldnames or [])]
            except UnicodeDecodeError:
                raise SourceError(f"{self.path.name} is not {self.encoding} text (--encoding)") from None

    def _rows(self) -> Iterator[tuple[int, dict]]:
        with self._open() as file:
            reader = self._reader(file)
            reader.fieldnames = [name.strip() for name in reader.fieldnames or []]
            try:
                for row in reader:
                    yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}
            except (UnicodeDecodeError, csv.Error) as error:
                raise SourceError(f"{self.path.name}, line {reader.line_num + 1}: {error}") from None

    def _get(self, row: dict, field: str) -> str:
        column = self.present.get(field)
        return row.get(column, "") if column else ""

    def _key(self, row: dict) -> str:
        number = self._get(row, "id")
        if number:
            return f"hr:{number.lower()}"[:64]
        email = self._get(row, "email").lower()
        return f"hr:{email}"[:64] if email and "id" not in self.present else ""

    def count(self) -> int:
        return sum(1 for _ in self._rows())

    def people(self) -> Iterator[list[PersonRecord | InvalidRecord]]:
        page = []
        for line, row in self._rows():
            page.append(self._person(line, row))
            if len(page) >= PAGE:
                yield page
                page = []
        if page:
            yield page

    def _person(self, line: int, row: dict) -> PersonRecord | InvalidRecord:
        where = f"line {line}"
        key = self._key(row)
        missing = [self.columns[f] for f in REQUIRED if not self._get(row, f)]
        if "id" in self.present and not self._get(row, "id"):
            missing.insert(0, self.columns["id"])
        if missing:
            return InvalidRecord(where, f"{', '.join(missing)} is empty", key)
        email = self._get(row, "email").lower()
        if problem := email_problem(email):
            return InvalidRecord(where, problem, key)
        return PersonRecord(
            source=where,
            directory_id=key,
            email=email,
            first_name=self._get(row, "first_name"),
            last_name=self._get(row, "last_name"),
            values={f: self._get(row, f) for f in ("phone", "room", "job_title") if f in self.present},
            unit=self._get(row, "department") if "department" in self.present else None,
            active=self._get(row, "active").lower() not in INACTIVE,
        )

    def managers(self) -> Iterator[list[tuple[str, str]]]:
        page = []
        for _, row in self._rows():
            key = self._key(row)
            if key:
                page.append((key, self._get(row, "manager").lower()))
            if len(page) >= PAGE:
                yield page
                page = []
        if page:
            yield page
