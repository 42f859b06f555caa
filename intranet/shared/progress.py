"""A one-line progress bar for long management commands (generate_data, import_pages,
extract_document_text): ``pages [#####.....] 50% 500/1000 123/s`` on the command's stderr,
redrawn in place on a terminal. Where stderr is not a terminal (cron, systemd, a log file) it
writes a plain line at most every ``interval`` seconds and at the end, so logs stay short.
Shared with the apps (``intranet.shared``): imports nothing of the project."""

from __future__ import annotations

import time


class Progress:
    def __init__(self, label: str, total: int, stream, *, interval: float = 10.0):
        self.label, self.total, self.stream = label, total, stream
        self.started = self._shown = time.monotonic()
        self.done = 0
        self.interval = interval
        isatty = getattr(stream, "isatty", None)  # Django's OutputWrapper asks the stream it wraps
        self.terminal = bool(isatty and isatty())

    def line(self) -> str:
        width = 30
        share = self.done / self.total if self.total else 1
        elapsed = max(time.monotonic() - self.started, 1e-6)
        bar = "#" * int(share * width) + "." * (width - int(share * width))
        return f"{self.label:<6} [{bar}] {share:4.0%} {self.done}/{self.total} {self.done / elapsed:,.0f}/s"

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.terminal:
            self.stream.write(ending="", msg="\r" + self.line())
            self.stream.flush()
        elif time.monotonic() - self._shown >= self.interval:
            self._shown = time.monotonic()
            self.stream.write(self.line())

    def finish(self) -> float:
        """Ends the bar (the last state on its own line) and returns the seconds it took."""
        elapsed = time.monotonic() - self.started
        self.stream.write(("\r" if self.terminal else "") + self.line())
        self.stream.flush()
        return elapsed
