"""Production settings refuse unsafe configurations; every variable in docs/deploy.md exists."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k9Q2vX7pL0sZ4mN8bR1tY6wE3uI5oP-aSdFgHjKlZxCvBnM_qWeRtYuIoP1234"


def run_python(code: str, *, drop=lambda name: False, **env):
    """Runs ``code`` in a fresh interpreter from the project folder, with this process's
    environment minus the variables ``drop`` names, plus ``env``."""
    environment = {k: v for k, v in os.environ.items() if not drop(k)}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


def import_production(**env):
    """Imports the production settings in a fresh interpreter with exactly this environment."""
    return run_python(
        "import intranet.settings.production", drop=lambda k: k in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}, **env
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


def test_sso_provider_origin_is_allowed_as_a_form_target_only_when_configured():
    """The SSO button posts to our own URL, which redirects to the provider; browsers check that
    redirect against the CSP's form-action, so the provider's origin must be listed — and only it."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    )
    no_sso = {"drop": lambda k: k.startswith("OIDC_"), "DJANGO_SETTINGS_MODULE": "intranet.settings.test"}
    with_sso = run_python(code, OIDC_SERVER_URL="https://sso.stadt.de/realms/verwaltung", **no_sso)
    without = run_python(code, **no_sso)
    assert with_sso.stdout.strip() == "[\"'self'\", 'https://sso.stadt.de']"
    assert without.stdout.strip() == "[\"'self'\"]"


def search_backends_for(**env) -> dict:
    """WAGTAILSEARCH_BACKENDS of the base settings imported with this environment."""
    import ast

    result = run_python(
        "import intranet.settings.base as s; print(repr(s.WAGTAILSEARCH_BACKENDS['default']))",
        drop=lambda k: k.startswith("SEARCH_"),
        **env,
    )
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip())


def test_the_search_backend_is_chosen_by_environment_variables_only():
    assert search_backends_for()["BACKEND"] == "search.whoosh"
    assert search_backends_for(SEARCH_BACKEND="postgres")["BACKEND"] == "search.postgres"
    assert search_backends_for(SEARCH_BACKEND="database")["BACKEND"] == "search.database"
    opensearch = search_backends_for(
        SEARCH_BACKEND="opensearch",
        SEARCH_URLS="https://a.intern:9200, https://b.intern:9200",
        SEARCH_INDEX_PREFIX="wn_",
    )
    assert opensearch == {
        "BACKEND": "wagtail.search.backends.opensearch3",
        "URLS": ["https://a.intern:9200", "https://b.intern:9200"],
        "INDEX_PREFIX": "wn_",
    }
    assert search_backends_for(SEARCH_BACKEND="elasticsearch")["URLS"] == ["http://localhost:9200"]


@pytest.mark.parametrize("value", ["0755", "666", "0o646", "rw-r--r--", "06440"])
def test_a_file_mode_that_executes_or_lets_others_write_is_refused(value):
    result = import_production(ALLOWED_HOSTS="intranet.example", SECRET_KEY=GOOD_KEY, FILE_UPLOAD_PERMISSIONS=value)
    assert result.returncode != 0
    assert "FILE_UPLOAD_PERMISSIONS must be an octal file mode" in result.stderr


@pytest.mark.parametrize(("value", "mode"), [("", 0o640), ("0644", 0o644), ("644", 0o644), ("0o600", 0o600)])
def test_the_media_file_mode_comes_from_the_environment(value, mode):
    result = run_python(
        "import intranet.settings.production as s; print(oct(s.FILE_UPLOAD_PERMISSIONS))",
        drop=lambda k: k in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"},
        ALLOWED_HOSTS="intranet.example",
        SECRET_KEY=GOOD_KEY,
        FILE_UPLOAD_PERMISSIONS=value,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == oct(mode)
