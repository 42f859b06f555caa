"""The directory sync at size (issue 16: 10,000 entries in under 2 minutes, constant memory).

A throw-away slapd (tests/people/ldap/server.py) loaded with N people of the fictional Stadt
Musterhausen (tests/people/ldap/generate.py), a scratch SQLite site in var/bench/directory-sync/
(migrated once), then `manage.py sync_directory` three times, each timed with its peak RSS
(/usr/bin/time): the first run creates everyone, the second finds everyone unchanged, the third
after 1% of the entries changed. Search entries are queued (the database task backend) and not
part of the timing. Results into docs/performance.md by hand, with the machine and its load.

    .venv/bin/python bench/directory_sync.py --people 10000
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.people.ldap.generate import ORG, SERVICE_DN, SERVICE_PASSWORD, SUFFIX, ldif, people  # noqa: E402
from tests.people.ldap.server import Slapd  # noqa: E402


def timed(command: list[str], env: dict) -> tuple[float, int, str]:
    """Seconds, peak RSS in MB and the output of one command."""
    started = time.monotonic()
    result = subprocess.run(
        ["/usr/bin/time", "-v", *command], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.monotonic() - started
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1)) // 1024
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr[-3000:]}")
    return seconds, rss, result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--page-size", type=int, default=500)
    args = parser.parse_args()

    site = ROOT / "var" / "bench" / "directory-sync"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    folder = Path(tempfile.mkdtemp(prefix="wn-slapd-"))
    started = time.monotonic()
    server = Slapd(folder, ldif(args.people)).start()
    print(f"slapd with {args.people} people loaded in {time.monotonic() - started:.1f} s")
    (folder / "password").write_text(SERVICE_PASSWORD)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "intranet.settings.dev",
        "VAR_DIR": str(site),
        "DATABASE_URL": f"sqlite:///{site / 'db.sqlite3'}",
        "LDAP_URL": server.url,
        "LDAP_BIND_DN": SERVICE_DN,
        "LDAP_BIND_PASSWORD_FILE": str(folder / "password"),
        "LDAP_SCHEMA": "openldap",
        "LDAP_PEOPLE_BASE": SUFFIX,
        "LDAP_UNITS_BASE": ORG,
        "LDAP_ATTR_UNIT_HEAD": "manager",
        "LDAP_PAGE_SIZE": str(args.page_size),
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    try:
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        for label in ("first run (creates)", "second run (unchanged)"):
            seconds, rss, summary = timed([python, "manage.py", "sync_directory", "-v1"], env)
            print(f"{label}: {seconds:.1f} s, peak RSS {rss} MB — {summary}")
        import ldap3

        changed = people(args.people)[::100]
        with server.admin() as connection:
            for person in changed:
                connection.modify(person["dn"], {"roomNumber": [(ldap3.MODIFY_REPLACE, ["Rathaus 9.999"])]})
        seconds, rss, summary = timed([python, "manage.py", "sync_directory", "-v1"], env)
        print(f"third run ({len(changed)} changed): {seconds:.1f} s, peak RSS {rss} MB — {summary}")
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
