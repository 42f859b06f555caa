"""The progress bar of long commands: redrawn in place on a terminal, a few plain lines in logs."""

import io

from django.core.management.base import OutputWrapper

from intranet.shared.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_in_a_log_it_writes_a_line_per_interval_and_the_last_state():
    log = io.StringIO()
    progress = Progress("posts", 1000, OutputWrapper(log), interval=3600)
    for _ in range(1000):
        progress.advance()
    progress.finish()
    lines = log.getvalue().splitlines()
    assert len(lines) == 1 and "\r" not in log.getvalue()
    assert lines[0].startswith("posts  [##############################] 100% 1000/1000 ")


def test_on_a_terminal_it_redraws_one_line():
    screen = Terminal()
    progress = Progress("pages", 4, OutputWrapper(screen))
    for _ in range(4):
        progress.advance()
    progress.finish()
    assert screen.getvalue().count("\r") == 5 and screen.getvalue().count("\n") == 1
    assert screen.getvalue().rsplit("\r", 1)[1].startswith("pages  [##############################] 100% 4/4 ")
