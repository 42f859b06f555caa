"""The container route: the Dockerfile installs what the Makefile installs (both through
scripts/install.sh), the image's health check, and compose.yaml's settings start production."""

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from modelsearch.backends import get_search_backend

ROOT = Path(__file__).resolve().parents[2]
INSTALL = "scripts/install.sh"


def dockerfile_runs() -> list[str]:
    """The Dockerfile's RUN instructions, continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    return [line.strip()[4:] for line in text.splitlines() if line.strip().startswith("RUN ")]


def makefile_recipes() -> dict[str, str]:
    """Each Makefile target's recipe (its tab-indented lines, continuations joined)."""
    recipes: dict[str, list[str]] = {}
    target = None
    for line in re.sub(r"\\\n", " ", (ROOT / "Makefile").read_text()).splitlines():
        if line.startswith("\t") and target:
            recipes[target].append(line.strip())
        elif match := re.match(r"^([\w$()./-]+):(?!=)", line):
            target = match.group(1)
            recipes.setdefault(target, [])
        elif line and not line.startswith("#"):
            target = None
    return {name: "\n".join(lines) for name, lines in recipes.items()}


def install_steps(command: str) -> list[str]:
    return re.findall(rf"{re.escape(INSTALL)} (\w+)", command)


def test_the_image_and_the_virtualenv_install_through_the_same_script():
    runs = "\n".join(dockerfile_runs())
    recipes = makefile_recipes()
    make = recipes["$(STAMP)"] + "\n" + recipes["messages"] + "\n" + recipes["static"]
    # The same steps, and the runtime lock in the image, the dev lock (its superset) in the venv.
    assert install_steps(runs) == ["deps", "messages", "static"]
    assert install_steps(make) == ["deps", "messages", "static"]
    assert f"{INSTALL} deps /opt/venv/bin/python requirements.txt" in runs
    assert f"{INSTALL} deps $(BIN)/python requirements-dev.txt" in make
    # Neither installs, compiles or collects by itself, where it could drift from the other.
    for name, text in [("Dockerfile", runs), *recipes.items()]:
        for own in ("pip install", "compilemessages", "collectstatic"):
            assert own not in text, f"{name} runs '{own}' itself instead of {INSTALL}"


def test_the_image_runs_gunicorn_as_a_user_with_production_settings_and_checks_healthz():
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", text, re.M)
    assert re.search(r"^ARG BASE=\S*python:3\.11-slim", text, re.M) and stages[-1] == "${BASE}"
    runtime = text.rsplit("\nFROM ", 1)[1]
    user = re.findall(r"^USER (\S+)", runtime, re.M)
    assert user and user[-1].split(":")[0] not in ("root", "0")
    assert "DJANGO_SETTINGS_MODULE=intranet.settings.production" in runtime
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", runtime, re.M).group(1))
    assert cmd[:2] == ["gunicorn", "intranet.wsgi:application"]
    healthcheck = re.search(r"^HEALTHCHECK .*?CMD (\[.*\])$", re.sub(r"\\\n", " ", runtime), re.M)
    assert json.loads(healthcheck.group(1)) == ["python", "deploy/healthcheck.py"]


def test_the_build_context_leaves_out_local_data_and_secrets():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".git", ".venv", "var", ".env", "**/*.mo"} <= ignored


def test_the_install_script_collects_static_files_as_production_serves_them(tmp_path):
    env = {**os.environ, "STATIC_ROOT": str(tmp_path / "static")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("SECRET_KEY", None)
    subprocess.run([INSTALL, "static", sys.executable], cwd=ROOT, env=env, check=True)
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    css = [name for name in manifest["paths"] if name.endswith(".css")]
    assert css and (tmp_path / "static" / manifest["paths"][css[0]]).is_file()


def test_the_install_script_names_its_steps_for_an_unknown_one():
    result = subprocess.run([INSTALL, "depps", sys.executable], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert "unknown step 'depps' (deps, messages or static)" in result.stderr


# --- the health check -------------------------------------------------------------------------


def healthcheck(url: str, allowed_hosts: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HEALTHCHECK_URL": url, "ALLOWED_HOSTS": allowed_hosts}
    return subprocess.run(
        [sys.executable, "deploy/healthcheck.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
    )


@pytest.mark.django_db(transaction=True)
def test_the_health_check_passes_only_on_a_healthy_site_asking_as_an_allowed_host(live_server, settings):
    settings.ALLOWED_HOSTS = ["intranet.stadt.example"]
    url = f"{live_server.url}/healthz"

    if getattr(get_search_backend(), "store", None) is not None:
        # Whoosh, no index folder yet: /healthz answers 503, the container is unhealthy. (On
        # PostgreSQL the index is a table that migrate created: healthy from the start.)
        result = healthcheck(url, ".intranet.stadt.example,localhost")
        assert result.returncode == 1 and result.stdout.startswith("healthz: 503")
        assert "search index missing" in result.stdout

    call_command("update_index", verbosity=0, stderr=StringIO())
    result = healthcheck(url, ".intranet.stadt.example,localhost")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith('healthz: 200 {"status": "ok"')

    result = healthcheck(url, "other.example")  # a Host the site refuses
    assert result.returncode == 1 and result.stdout.startswith("healthz: 400")


def test_the_health_check_fails_when_nothing_answers():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free while no one listens
    result = healthcheck(f"http://127.0.0.1:{port}/healthz", "localhost")
    assert result.returncode == 1 and "healthz: no answer from" in result.stderr


# --- compose.yaml -----------------------------------------------------------------------------


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def resolved(env: dict, given: dict) -> dict:
    """Compose's ${NAME:?message} / ${NAME:-default} with the values of an operator's .env."""

    def one(match):
        name, kind, rest = match.group(1), match.group(2), match.group(3)
        if name in given:
            return given[name]
        if kind == ":?":
            raise AssertionError(f"{name} is required: {rest}")
        return rest

    return {key: re.sub(r"\$\{(\w+)(:\?|:-)([^}]*)\}", one, str(value)) for key, value in env.items()}


def test_compose_runs_the_scaled_shape():
    services = compose()["services"]
    assert {"web", "worker", "db", "redis", "nginx"} <= services.keys()
    assert services["worker"]["command"] == ["python", "manage.py", "db_worker"]
    assert services["db"]["image"].rsplit(":", 1)[1].startswith("15")
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["nginx"]["volumes"]
    env = services["web"]["environment"]
    assert env["SEARCH_BACKEND"] == "postgres"
    assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    # Document files are never in a volume nginx mounts.
    nginx_mounts = " ".join(services["nginx"]["volumes"])
    assert "documents" not in nginx_mounts and "media:/srv/wissensnetz/media:ro" in nginx_mounts


def test_compose_refuses_to_start_without_the_secrets():
    env = compose()["services"]["web"]["environment"]
    with pytest.raises(AssertionError, match="SECRET_KEY is required"):
        resolved(env, {"ALLOWED_HOSTS": "x", "BASE_URL": "https://x", "POSTGRES_PASSWORD": "x"})


def tasks_db_installed() -> bool:
    from django.conf import settings

    return "django_tasks_db" in settings.INSTALLED_APPS


@pytest.mark.xfail(
    condition=not tasks_db_installed(),
    reason="TASKS_BACKEND=django_tasks_db.DatabaseBackend needs django-tasks-db in INSTALLED_APPS (the worker branch)",
    strict=True,
)
def test_the_compose_environment_passes_the_production_deploy_check():
    env = resolved(
        compose()["services"]["web"]["environment"],
        {
            "SECRET_KEY": "k" + "".join(f"{i:x}" for i in range(40)),
            "ALLOWED_HOSTS": "intranet.stadt.example",
            "BASE_URL": "https://intranet.stadt.example",
            "POSTGRES_PASSWORD": "secret",
        },
    )
    # The folders are the image's (/var/lib/wissensnetz); here the checkout's var/ stands in.
    env = {key: value for key, value in env.items() if not key.endswith(("_ROOT", "VAR_DIR"))}
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = subprocess.run(
        command, cwd=ROOT, env={"PATH": os.environ["PATH"], **env}, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, shlex.join(command) + "\n" + result.stdout + result.stderr


def test_the_health_check_refuses_an_address_that_is_not_http():
    result = healthcheck("file:///etc/passwd", "localhost")
    assert result.returncode == 2 and "must be an http(s) address" in result.stderr


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose is not installed")
def test_compose_accepts_the_file_and_names_a_missing_secret(tmp_path):
    """docker-compose's own validation of compose.yaml (schema, interpolation), as an operator runs it."""
    (tmp_path / "compose.yaml").write_text((ROOT / "compose.yaml").read_text())
    example = (ROOT / "deploy" / "compose.env.example").read_text()
    filled = {"SECRET_KEY": "s" * 64, "POSTGRES_PASSWORD": "p" * 32}
    env_file = "".join(
        f"{line}{filled.get(line[:-1], '')}\n" if line[:-1] in filled else f"{line}\n" for line in example.splitlines()
    )
    (tmp_path / ".env").write_text(env_file)
    config = subprocess.run(["docker-compose", "config"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert config.returncode == 0, config.stderr
    resolved_env = yaml.safe_load(config.stdout)["services"]["web"]["environment"]
    assert resolved_env["ALLOWED_HOSTS"] == "intranet.stadt.example" and resolved_env["SECRET_KEY"] == "s" * 64

    (tmp_path / ".env").write_text(example)  # the example as it is: no secret filled in
    config = subprocess.run(
        ["docker-compose", "config", "-q"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert config.returncode != 0 and "set SECRET_KEY in .env" in config.stderr
