"""The systemd route: deploy/systemd's units start commands this checkout has, share one
environment file and sandbox, and pass `systemd-analyze verify` (where systemd is installed)."""

import configparser
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
COMMON = UNITS / "wissensnetz-.service.d" / "common.conf"
APP = "/opt/wissensnetz"  # where docs/deploy.md installs the checkout; the venv in APP/venv


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path)
    return parser


def unit_files() -> list[Path]:
    return sorted(path for path in UNITS.glob("wissensnetz-*.*") if path.is_file())


def services() -> list[Path]:
    return [path for path in unit_files() if path.suffix == ".service"]


def test_the_units_are_the_ones_the_docs_name():
    names = {path.name for path in unit_files()}
    assert names == {
        "wissensnetz-web.service",
        "wissensnetz-worker.service",
        "wissensnetz-digest.service",
        "wissensnetz-digest.timer",
        "wissensnetz-review-reminders.service",
        "wissensnetz-review-reminders.timer",
        "wissensnetz-directory-sync.service",
        "wissensnetz-directory-sync.timer",
    }
    docs = (ROOT / "docs" / "deploy.md").read_text()
    assert all(name in docs for name in names)


def worker_command_installed() -> bool:
    return "db_worker" in get_commands() and "django_tasks_db" in settings.INSTALLED_APPS


@pytest.mark.parametrize("path", services(), ids=lambda path: path.name)
def test_every_service_starts_a_command_of_this_checkout(path):
    argv = shlex.split(unit(path)["Service"]["ExecStart"])
    if argv[0] == f"{APP}/venv/bin/gunicorn":
        assert argv[1] == "intranet.wsgi:application"
        return
    assert argv[:2] == [f"{APP}/venv/bin/python", f"{APP}/manage.py"]
    if argv[2] == "db_worker" and not worker_command_installed():
        pytest.xfail("db_worker comes with django-tasks-db (the worker branch)")
    assert argv[2] in get_commands(), f"{path.name}: manage.py has no command {argv[2]!r}"


def test_the_worker_restarts_always_and_each_timer_starts_its_service():
    assert unit(UNITS / "wissensnetz-worker.service")["Service"]["Restart"] == "always"
    for timer in UNITS.glob("*.timer"):
        parsed = unit(timer)
        assert parsed["Timer"]["OnCalendar"] and parsed["Timer"]["Persistent"] == "true"
        assert (UNITS / timer.name.replace(".timer", ".service")).is_file()
        assert parsed["Install"]["WantedBy"] == "timers.target"


def test_every_service_shares_one_environment_file_and_the_sandbox():
    common = unit(COMMON)["Service"]
    assert common["EnvironmentFile"] == "/etc/wissensnetz/env"
    assert common["User"] == "wissensnetz"
    assert common["NoNewPrivileges"] == "yes" and common["ProtectSystem"] == "strict"
    assert common["ReadWritePaths"] == "/srv/wissensnetz"  # VAR_DIR: database, index, media, documents
    # No service overrides what the shared drop-in decides.
    for path in services():
        own = set(unit(path)["Service"])
        assert not own & set(common), f"{path.name} sets {own & set(common)} itself"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_the_units_pass_systemd_analyze_verify(tmp_path):
    """Verifies copies whose paths point into this checkout and its venv (verify checks that each
    ExecStart exists), with the shared drop-in found on the unit path like in /etc/systemd/system."""
    venv = tmp_path / "venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "python").symlink_to(sys.executable)
    (venv / "gunicorn").symlink_to(Path(sys.executable).parent / "gunicorn")
    units = tmp_path / "units"
    for path in [*unit_files(), COMMON]:
        target = units / path.relative_to(UNITS)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text().replace(f"{APP}/venv/bin", str(venv)).replace(APP, str(ROOT))
        target.write_text(text)
    names = [path.name for path in unit_files()]
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *names],
        cwd=units,
        env={"PATH": "/usr/bin:/bin", "SYSTEMD_UNIT_PATH": f"{units}:", "SYSTEMD_LOG_LEVEL": "warning"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr  # systemd only warns about unknown keys and typos
