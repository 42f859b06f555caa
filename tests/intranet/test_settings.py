"""Production settings refuse unsafe configurations; every variable in docs/deploy.md exists."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k9Q2vX7pL0sZ4mN8bR1tY6wE3uI5oP-aSdFgHjKlZxCvBnM_qWeRtYuIoP1234"


def import_production(**env):
    """Imports the production settings in a fresh interpreter with exactly this environment."""
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import intranet.settings.production"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = import_production(ALLOWED_HOSTS="intranet.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("key", ["dev-only-insecure-key-never-used-in-production", "short", "a" * 60])
def test_production_refuses_development_or_weak_keys(key):
    result = import_production(SECRET_KEY=key, ALLOWED_HOSTS="intranet.example")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = import_production(SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="intranet.example", DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_requires_allowed_hosts():
    result = import_production(SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_a_real_configuration():
    result = import_production(SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="intranet.example")
    assert result.returncode == 0, result.stderr


def test_every_environment_variable_read_by_the_settings_is_documented():
    read = set()
    for path in (ROOT / "intranet" / "settings").glob("*.py"):
        source = path.read_text()
        read |= set(re.findall(r"""os\.environ\.get\(\s*["']([A-Z_]+)["']""", source))
        read |= set(re.findall(r"""env_(?:bool|list)\(\s*["']([A-Z_]+)["']""", source))
    documented = (ROOT / "docs" / "deploy.md").read_text()
    missing = sorted(name for name in read if f"`{name}`" not in documented)
    assert read, "no environment variables found — the pattern above is broken"
    assert missing == []
