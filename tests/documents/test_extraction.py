"""Text extraction on real files of each format, made in code (documents.samples), and the
limits: a broken, encrypted, oversized, unsupported or endless file gives a status, never an error."""

import io
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter

from documents import extraction, samples


def test_pdf_text_from_every_page_with_umlauts():
    data = samples.pdf_bytes(
        ["Dienstanweisung Reisekosten", "Übernachtungen werden bis 80 Euro erstattet (Straßenbahn inklusive)."]
    )
    result = extraction.extract_bytes(data, "pdf")
    assert result.status == extraction.OK
    assert "Dienstanweisung Reisekosten" in result.text
    assert "Übernachtungen werden bis 80 Euro erstattet (Straßenbahn inklusive)." in result.text


def test_word_paragraphs_headings_and_tables():
    data = samples.docx_bytes(
        ["Anträge auf Homeoffice stellen Sie bei der Amtsleitung."],
        heading="Merkblatt Telearbeit",
        table=[["Frist", "vier Wochen"], ["Zuständig", "Personalamt"]],
    )
    result = extraction.extract_bytes(data, ".DOCX")
    assert result.status == extraction.OK
    assert result.text.splitlines() == [
        "Merkblatt Telearbeit",
        "Anträge auf Homeoffice stellen Sie bei der Amtsleitung.",
        "Frist | vier Wochen",
        "Zuständig | Personalamt",
    ]


def test_spreadsheet_cells_by_row():
    data = samples.xlsx_bytes([["Kostenstelle", "Betrag"], ["Bürgeramt", 1200], [None, "Übertrag"]], sheet="Haushalt")
    result = extraction.extract_bytes(data, "xlsx")
    assert result.text.splitlines() == ["Haushalt", "Kostenstelle | Betrag", "Bürgeramt | 1200", "Übertrag"]


def test_slides_titles_and_bodies():
    data = samples.pptx_bytes([("Einarbeitung", "Willkommen im Rathaus"), ("Datenschutz", "Schulung für alle")])
    result = extraction.extract_bytes(data, "pptx")
    assert result.text.splitlines() == ["Einarbeitung", "Willkommen im Rathaus", "Datenschutz", "Schulung für alle"]


def test_opendocument_text():
    data = samples.odt_bytes(["Protokoll der Dienstbesprechung vom Montag."], heading="Personalversammlung")
    result = extraction.extract_bytes(data, "odt")
    assert result.text.splitlines() == ["Personalversammlung", "Protokoll der Dienstbesprechung vom Montag."]


def test_plain_text_in_utf8_or_windows_encoding_without_control_characters():
    assert extraction.extract_bytes("Grüße aus dem Bürgeramt".encode(), "txt").text == "Grüße aus dem Bürgeramt"
    assert extraction.extract_bytes("Grüße;Straße".encode("cp1252"), "csv").text == "Grüße;Straße"
    # PostgreSQL refuses NUL in text columns
    assert extraction.extract_bytes(b"Akte\x00 Nr.\x07 7", "txt").text == "Akte Nr. 7"


def test_a_scanned_pdf_without_text_is_empty_not_failed():
    result = extraction.extract_bytes(samples.pdf_bytes([""]), "pdf")
    assert (result.status, result.text) == (extraction.EMPTY, "")


@pytest.mark.parametrize(
    "data, extension",
    [
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog", "pdf"),  # cut off
        (b"PK\x03\x04 not really a zip", "docx"),
        (samples.docx_bytes(["x"]), "xlsx"),  # a Word file named .xlsx
        (zipfile.ZipFile.__doc__.encode(), "odt"),
    ],
)
def test_a_broken_file_fails_with_a_reason(data, extension):
    result = extraction.extract_bytes(data, extension)
    assert result.status == extraction.FAILED
    assert result.text == "" and result.reason


def test_an_encrypted_pdf_fails_with_a_reason():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.pdf_bytes(["Geheime Gehaltsliste"]))))
    writer.encrypt(user_password="geheim", owner_password="noch-geheimer", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    result = extraction.extract_bytes(out.getvalue(), "pdf")
    assert result.status == extraction.FAILED and "encrypted" in result.reason
    assert "Gehaltsliste" not in result.text


def test_formats_without_a_maintained_reader_are_unsupported():
    for extension in ("doc", "xls", "zip"):
        assert extraction.extract_bytes(b"\xd0\xcf\x11\xe0", extension).status == extraction.UNSUPPORTED


def test_files_over_the_size_limit_are_not_read(settings):
    settings.DOCUMENT_TEXT_MAX_BYTES = 100
    result = extraction.extract_bytes(b"Reisekosten " * 20, "txt")
    assert result.status == extraction.TOO_LARGE and result.text == ""
    # extract_file reads no more than the limit (plus one byte) from the file
    source = io.BytesIO(b"x" * 10_000)
    assert extraction.extract_file(source, "txt").status == extraction.TOO_LARGE
    assert source.tell() == 101


def test_text_is_cut_at_the_character_limit(settings):
    settings.DOCUMENT_TEXT_MAX_CHARS = 50
    result = extraction.extract_bytes(samples.docx_bytes(["Dienstanweisung Reisekosten"] * 20), "docx")
    assert result.status == extraction.OK and len(result.text) == 50


def test_only_the_first_pages_are_read(settings):
    settings.DOCUMENT_TEXT_MAX_PAGES = 2
    result = extraction.extract_bytes(samples.pdf_bytes(["Seite eins", "Seite zwei", "Seite drei"]), "pdf")
    assert result.text.splitlines() == ["Seite eins", "Seite zwei"]


def test_a_zip_that_unpacks_to_too_much_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(201):
                member.write(chunk)
    result = extraction.extract_bytes(out.getvalue(), "docx")
    assert result.status == extraction.FAILED and "unpacks to" in result.reason


def test_an_extractor_that_hangs_is_stopped(settings, monkeypatch, tmp_path):
    hanging = tmp_path / "hang.py"
    hanging.write_text("import time\ntime.sleep(60)\n")
    monkeypatch.setattr(extraction, "EXTRACTOR", hanging)
    settings.DOCUMENT_TEXT_TIMEOUT = 1
    result = extraction.extract_bytes(b"Reisekosten", "txt")
    assert result.status == extraction.FAILED and "longer than 1 s" in result.reason


def test_an_extractor_that_crashes_reports_its_last_words(monkeypatch, tmp_path):
    crashing = tmp_path / "crash.py"
    crashing.write_text("import sys\nsys.stderr.write('Segmentation fault in parser\\n')\nsys.exit(139)\n")
    monkeypatch.setattr(extraction, "EXTRACTOR", crashing)
    result = extraction.extract_bytes(b"Reisekosten", "txt")
    assert result.status == extraction.FAILED
    assert result.reason == "extractor ended with code 139: Segmentation fault in parser"
