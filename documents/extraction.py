"""Text extraction for search, bounded: the parsers run in a child process (``extractor.py``) with
a wall-clock timeout, a CPU-time and a memory cap, and only on files up to a size limit. Nothing
here raises: a file that cannot be read gives an :class:`Extracted` with a status and a reason,
and the document is still saved (and found by its title).

Limits come from settings (defaults below): ``DOCUMENT_TEXT_MAX_BYTES``,
``DOCUMENT_TEXT_MAX_CHARS``, ``DOCUMENT_TEXT_MAX_PAGES``, ``DOCUMENT_TEXT_TIMEOUT`` (seconds),
``DOCUMENT_TEXT_MEMORY_BYTES``.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .extractor import READERS

logger = logging.getLogger(__name__)

EXTRACTOR = Path(__file__).with_name("extractor.py")
SUPPORTED_EXTENSIONS = frozenset(READERS)

# Status values stored on the document (IntranetDocument.text_status).
PENDING = "pending"  # queued for the worker (documents.tasks.extract_document_text)
OK = "ok"
EMPTY = "empty"  # readable, but no text (a scanned PDF without a text layer)
UNSUPPORTED = "unsupported"  # no maintained library for the format (.doc, .xls, .zip)
TOO_LARGE = "too_large"
FAILED = "failed"  # damaged, encrypted, timed out, out of memory


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_bytes() -> int:
    return _limit("DOCUMENT_TEXT_MAX_BYTES", 25 * 1024 * 1024)


@dataclass
class Extracted:
    text: str
    status: str
    reason: str = ""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANKS = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def clean(text: str) -> str:
    """No control characters (PostgreSQL rejects NUL in text), no runs of blanks."""
    text = _CONTROL.sub(" ", text)
    text = _BLANKS.sub(" ", text)
    return _BLANK_LINES.sub("\n", text).strip()


def extract_bytes(data: bytes, extension: str) -> Extracted:
    """Text of a file's content ``data`` of type ``extension`` (without the dot)."""
    extension = extension.lower().lstrip(".")
    if extension not in SUPPORTED_EXTENSIONS:
        return Extracted("", UNSUPPORTED, f"no text reader for .{extension}")
    if len(data) > max_bytes():
        return Extracted("", TOO_LARGE, f"{len(data)} bytes, more than {max_bytes()}")
    timeout = _limit("DOCUMENT_TEXT_TIMEOUT", 20)
    command = [
        sys.executable,
        "-I",  # isolated: no environment variables, no current directory on the path
        str(EXTRACTOR),
        extension,
        str(_limit("DOCUMENT_TEXT_MAX_CHARS", 200_000)),
        str(_limit("DOCUMENT_TEXT_MAX_PAGES", 300)),
        str(timeout),
        str(_limit("DOCUMENT_TEXT_MEMORY_BYTES", 1024 * 1024 * 1024)),
    ]
    try:
        completed = subprocess.run(command, input=data, capture_output=True, timeout=timeout, check=False)  # noqa: S603
    except subprocess.TimeoutExpired:
        return Extracted("", FAILED, f"took longer than {timeout} s")
    except OSError as exc:
        return Extracted("", FAILED, f"could not start the extractor: {exc}")
    try:
        result = json.loads(completed.stdout or b"{}")
    except ValueError:
        result = {}
    if "text" not in result:
        reason = result.get("error") or f"extractor ended with code {completed.returncode}"
        stderr = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        if not result.get("error") and stderr:
            reason += f": {stderr[-1][:300]}"
        return Extracted("", FAILED, reason)
    text = clean(result["text"])
    return Extracted(text, OK if text else EMPTY)


def extract_file(filelike, extension: str) -> Extracted:
    """Reads at most the size limit (plus one byte, to tell a larger file) from an open file."""
    data = filelike.read(max_bytes() + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    return extract_bytes(data, extension)
