"""Text of one office file, in a process of its own.

``documents.extraction`` runs this file as a script (``python -I extractor.py EXT MAX_CHARS
MAX_PAGES CPU_SECONDS MEMORY_BYTES``) with the file's bytes on standard input and reads one JSON
object from standard output: ``{"text": "..."}`` or ``{"error": "..."}``. A file that loops,
explodes in memory or crashes a parser takes only this process down: the CPU time and address
space are capped here, the wall-clock time by the caller. It imports no Django.

Formats and their maintained libraries: PDF (pypdf), Word .docx (python-docx), Excel .xlsx
(openpyxl), PowerPoint .pptx (python-pptx), OpenDocument .odt/.ods/.odp (the standard library's
zip and XML parser: the format is a zip with a ``content.xml``), plain .txt/.csv.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile

#: A zip-based file (docx, xlsx, pptx, odt) may unpack to at most this much (a "zip bomb" guard).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
ZIP_FORMATS = {"docx", "xlsx", "pptx", "odt", "ods", "odp"}


class Unreadable(Exception):
    """The file cannot be read (encrypted, damaged, too large when unpacked)."""


class _Collector:
    """Text parts up to ``max_chars``; ``full`` tells the parsers to stop early."""

    def __init__(self, max_chars: int):
        self.parts: list[str] = []
        self.size = 0
        self.max_chars = max_chars

    @property
    def full(self) -> bool:
        return self.size >= self.max_chars

    def add(self, text) -> None:
        if text is None or self.full:
            return
        text = str(text).strip()
        if text:
            self.parts.append(text)
            self.size += len(text) + 1

    def text(self) -> str:
        return "\n".join(self.parts)[: self.max_chars]


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise Unreadable(f"not a valid file of this type ({exc})") from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise Unreadable(f"unpacks to {unpacked} bytes, more than {MAX_UNPACKED_BYTES}")


def _pdf(data: bytes, out: _Collector, max_pages: int) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:
            raise Unreadable(f"encrypted ({exc})") from exc
        if not opened:
            raise Unreadable("encrypted with a password")
    for number, page in enumerate(reader.pages):
        if number >= max_pages or out.full:
            break
        out.add(page.extract_text())


def _docx(data: bytes, out: _Collector, max_pages: int) -> None:
    import docx

    document = docx.Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        out.add(paragraph.text)
    for table in document.tables:
        for row in table.rows:
            if out.full:
                return
            out.add(" | ".join(cell.text.strip() for cell in row.cells if cell.text.strip()))


def _xlsx(data: bytes, out: _Collector, max_pages: int) -> None:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets[:max_pages]:
            out.add(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                if out.full:
                    return
                out.add(" | ".join(str(value) for value in row if value not in (None, "")))
    finally:
        workbook.close()


def _pptx(data: bytes, out: _Collector, max_pages: int) -> None:
    import pptx

    presentation = pptx.Presentation(io.BytesIO(data))
    for number, slide in enumerate(presentation.slides):
        if number >= max_pages or out.full:
            return
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.add(shape.text_frame.text)
            elif getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    out.add(" | ".join(cell.text.strip() for cell in row.cells if cell.text.strip()))
        if slide.has_notes_slide:
            out.add(slide.notes_slide.notes_text_frame.text)


_ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODF_BLOCKS = {_ODF_TEXT + "p", _ODF_TEXT + "h"}


def _odf(data: bytes, out: _Collector, max_pages: int) -> None:
    from xml.etree import ElementTree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            content = archive.open("content.xml")
        except KeyError as exc:
            raise Unreadable("no content.xml: not an OpenDocument file") from exc
        with content:
            # Paragraphs and headings; the parser is the standard library's (expat >= 2.4 refuses
            # entity-expansion bombs), and elements are dropped as soon as they are read.
            for _event, element in ElementTree.iterparse(content, events=("end",)):  # noqa: S314
                if element.tag in _ODF_BLOCKS:
                    out.add("".join(element.itertext()))
                    element.clear()
                    if out.full:
                        return


def _plain(data: bytes, out: _Collector, max_pages: int) -> None:
    try:
        out.add(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        out.add(data.decode("cp1252", errors="replace"))  # Windows files from German offices


READERS = {
    "pdf": _pdf,
    "docx": _docx,
    "xlsx": _xlsx,
    "pptx": _pptx,
    "odt": _odf,
    "ods": _odf,
    "odp": _odf,
    "txt": _plain,
    "csv": _plain,
}


def extract(data: bytes, extension: str, *, max_chars: int, max_pages: int) -> str:
    """The text of ``data`` read as ``extension``; raises on anything it cannot read."""
    reader = READERS.get(extension)
    if reader is None:
        raise Unreadable(f"no reader for .{extension}")
    if extension in ZIP_FORMATS:
        _check_zip(data)
    out = _Collector(max_chars)
    reader(data, out, max_pages)
    return out.text()


def _limit(cpu_seconds: int, memory_bytes: int) -> None:
    try:
        import resource
    except ImportError:  # not on POSIX: the caller's wall-clock timeout still applies
        return
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def main(argv: list[str]) -> int:
    extension, max_chars, max_pages, cpu_seconds, memory_bytes = argv[1], *map(int, argv[2:6])
    _limit(cpu_seconds, memory_bytes)
    data = sys.stdin.buffer.read()
    try:
        result = {"text": extract(data, extension, max_chars=max_chars, max_pages=max_pages)}
    except MemoryError:
        result = {"error": "needs more memory than allowed"}
    except Exception as exc:
        result = {"error": f"{type(exc).__name__}: {exc}"[:500]}
    sys.stdout.write(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
