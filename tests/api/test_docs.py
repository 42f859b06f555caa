"""The curl examples of docs/api.md, executed against the live server with a real token."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ensure_start_page, make_user

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"
EXAMPLE = re.compile(r"```bash\n# expect: (\d{3})\n(.*?)```", re.S)


def examples():
    return [(int(status), command.strip()) for status, command in EXAMPLE.findall(DOCS.read_text(encoding="utf-8"))]


def test_the_documentation_has_examples_for_every_endpoint_kind():
    commands = " ".join(command for _status, command in examples())
    for path in ["/api/v1/people", "/api/v1/pages", "/api/v1/posts", "/reactions"]:
        assert path in commands


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_every_curl_example_works_against_the_live_server(live_server, transactional_db, tmp_path):
    from intranet import tokens
    from people.models import Department
    from posts import actions

    ensure_start_page()
    department = Department.objects.create(name="Bürgeramt", short_name="BA")
    user = make_user("anna.schmidt", department=department, first_name="Anna", last_name="Schmidt")
    user.profile.expertise.add("Meldewesen")
    post = actions.create_post(author=user, channel=actions.general_channel(), text="Willkommen", check_limits=False)
    _token, plain = tokens.create_token(user=user, name="Doku", scope="write")
    # curl reads ~/.curlrc: print the status after the body, without touching the commands
    (tmp_path / ".curlrc").write_text('write-out = "\\n%{http_code}"\n')
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "WISSENSNETZ": live_server.url,
        "TOKEN": plain,
        "POST_ID": str(post.pk),
    }
    found = examples()
    assert len(found) >= 7
    for expected, command in found:
        result = subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, (command, result.stderr)
        body, _, status = result.stdout.rpartition("\n")
        assert int(status) == expected, (command, body)
        assert body.startswith("{"), (command, body)  # JSON, for successes and errors alike
