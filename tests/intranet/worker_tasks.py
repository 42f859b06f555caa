"""Tasks the worker tests queue. They record each run in a file the test reads (the worker may be
another process), so a test sees how often and in which order a task ran."""

import time
from pathlib import Path

from django_tasks import task

#: how long a task waits for the test's "release" file before giving up (no test waits this long)
RELEASE_TIMEOUT = 120


def _record(path: str, line: str) -> int:
    with Path(path).open("a") as f:
        f.write(line + "\n")
    return len(Path(path).read_text().splitlines())


@task()
def wait_for_release(log: str, release: str) -> str:
    """Records its start, then waits until the file ``release`` exists and records its end."""
    _record(log, "started")
    deadline = time.monotonic() + RELEASE_TIMEOUT
    while not Path(release).exists():
        if time.monotonic() > deadline:
            raise TimeoutError("never released")
        time.sleep(0.05)
    _record(log, "finished")
    return "released"


@task()
def always_fails(log: str) -> None:
    run = _record(log, "run")
    raise RuntimeError(f"Fachverfahren nicht erreichbar (Versuch {run})")


@task()
def fails_once(log: str) -> int:
    run = _record(log, "run")
    if run == 1:
        raise ConnectionError("Mailserver antwortet nicht")
    return run
