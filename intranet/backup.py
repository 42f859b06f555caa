"""Backup and restore of a whole site (``manage.py backup DIR``, ``manage.py restore DIR``).

A backup is a folder::

    manifest.json        versions, database engine, applied migrations, time, and the size and
                         SHA-256 of every other file in the folder
    database.sqlite3     SQLite: a consistent copy made with SQLite's online backup API
    database.pgdump      PostgreSQL: ``pg_dump --format=custom``
    media/               MEDIA_ROOT (images and their renditions)
    documents/           DOCUMENTS_ROOT (the private files of documents)

The search index is not in it: ``restore`` rebuilds it (``update_index``). A backup is written into
a hidden folder beside DIR and renamed to DIR at the end, so a folder named DIR is always complete.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connections

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
FOLDERS = {"media": "MEDIA_ROOT", "documents": "DOCUMENTS_ROOT"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1 << 20

Say = Callable[[str], None]


# --- what there is -----------------------------------------------------------------------------


def engine() -> str:
    """The configured database's engine: "sqlite" or "postgresql" (anything else is refused)."""
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    if vendor not in ENGINE_NAMES:
        raise CommandError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def app_version() -> str:
    """``git describe`` of the checkout when it is one, else the version in pyproject.toml."""
    base = Path(settings.BASE_DIR)
    git = shutil.which("git")
    if git and (base / ".git").exists():
        result = subprocess.run(  # noqa: S603 — fixed arguments
            [git, "describe", "--tags", "--always", "--dirty"], cwd=base, capture_output=True, text=True, timeout=10
        )
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.strip()
    try:
        with open(base / "pyproject.toml", "rb") as f:
            return tomllib.load(f)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def applied_migrations() -> dict[str, str]:
    """The latest applied migration of each app (by the order they were applied in)."""
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connections[DEFAULT_DB_ALIAS])
    if not recorder.has_table():
        return {}
    latest = {}
    for app, name in recorder.migration_qs.order_by("applied", "id").values_list("app", "name"):
        latest[app] = name
    return dict(sorted(latest.items()))


def file_root(setting: str) -> Path:
    return Path(getattr(settings, setting))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _files_under(root: Path, *, skip: tuple[Path, ...] = ()) -> list[Path]:
    """Every regular file under ``root`` (following no symlinked folders), sorted, except those
    inside a folder of ``skip`` (e.g. DOCUMENTS_ROOT if it was put inside MEDIA_ROOT)."""
    if not root.is_dir():
        return []
    skip_resolved = [s.resolve() for s in skip]
    found = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if (here / d).resolve() not in skip_resolved)
        found.extend(here / name for name in sorted(files) if (here / name).is_file())
    return found


# --- backup ----------------------------------------------------------------------------------------


def backup(target: Path, *, say: Say) -> dict:
    """Writes a backup of this site into ``target``, which must not exist or be empty.
    Returns the manifest."""
    target = Path(target).absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CommandError(f"{target} exists and is not empty; a backup goes into a new or empty folder.")
    target.parent.mkdir(parents=True, exist_ok=True)
    kind = engine()
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.incomplete-", dir=target.parent))
    try:
        if kind == "sqlite":
            say("Database (SQLite, online backup) ...")
            _dump_sqlite(work / SQLITE_FILE)
            database = {"engine": kind, "file": SQLITE_FILE}
        else:
            say("Database (PostgreSQL, pg_dump) ...")
            server = _dump_postgres(work / PG_FILE)
            database = {"engine": kind, "file": PG_FILE, "server_version": server}
        for folder, setting in FOLDERS.items():
            root = file_root(setting)
            skip = tuple(file_root(other) for other in FOLDERS.values() if other != setting)
            files = _files_under(root, skip=skip)
            say(f"{setting} ({root}): {len(files)} files ...")
            for path in files:
                copy = work / folder / path.relative_to(root)
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, copy)
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "app_version": app_version(),
            "versions": {
                "django": django.get_version(),
                "wagtail": wagtail.__version__,
                "python": platform.python_version(),
            },
            "database": database,
            "migrations": applied_migrations(),
            "files": {},
        }
        for path in _files_under(work):
            name = path.relative_to(work).as_posix()
            manifest["files"][name] = {"size": path.stat().st_size, "sha256": sha256_of(path)}
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        if target.exists():
            target.rmdir()  # empty, checked above
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _sqlite_path() -> Path:
    return Path(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"])


def _dump_sqlite(destination: Path) -> None:
    """SQLite's online backup API: a consistent copy even while other processes write (WAL);
    the copy is one file (journal mode DELETE), whatever mode the site runs in."""
    source = sqlite3.connect(_sqlite_path(), timeout=20)
    copy = sqlite3.connect(destination)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()


def _pg_environment() -> dict[str, str]:
    conf = connections[DEFAULT_DB_ALIAS].settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if conf.get(key):
            env[var] = str(conf[key])
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if conf.get("OPTIONS", {}).get(option):
            env[f"PG{option.upper()}"] = str(conf["OPTIONS"][option])
    env["PGDATABASE"] = conf["NAME"]
    return env


def _pg_tool(name: str) -> str:
    """The path of ``pg_dump``/``pg_restore``, checked to be of the server's major version or
    newer (an older one refuses to talk to the server)."""
    path = shutil.which(name)
    server = _server_major()
    if path is None:
        raise CommandError(
            f"{name} is not installed; it comes with the PostgreSQL client of the server's version "
            f"(Debian: apt-get install postgresql-client-{server})."
        )
    output = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10).stdout  # noqa: S603
    client = client_major(output)
    if client is None:
        raise CommandError(f"Could not read the version of {path}: {output!r}")
    if client < server:
        raise CommandError(
            f"{path} is version {client}, the server is PostgreSQL {server}: {name} must be of the "
            f"server's major version (Debian: apt-get install postgresql-client-{server}, or put its "
            f"bin folder, e.g. /usr/lib/postgresql/{server}/bin, first in PATH)."
        )
    return path


def client_major(version_output: str) -> int | None:
    """The major version in ``pg_dump --version``'s answer, e.g. 15 from
    "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"."""
    match = re.search(r"\(PostgreSQL\) (\d+)", version_output)
    return int(match[1]) if match else None


def _server_major() -> int:
    connection = connections[DEFAULT_DB_ALIAS]
    connection.ensure_connection()
    return connection.pg_version // 10000


def _server_version() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def _dump_postgres(destination: Path) -> str:
    pg_dump = _pg_tool("pg_dump")
    version = _server_version()
    result = subprocess.run(  # noqa: S603 — fixed arguments, the database from settings
        [pg_dump, "--format=custom", "--no-password", f"--file={destination}"],
        env=_pg_environment(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
    return version


# --- restore -------------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not Path(source).is_dir():
        raise CommandError(f"{source} is not a folder.")
    if not path.is_file():
        raise CommandError(
            f"{source} has no {MANIFEST}: it is not a backup made by manage.py backup, or it is incomplete."
        )
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise CommandError(f"{path} cannot be read: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or "files" not in manifest:
        raise CommandError(f"{path} is not a manifest this version can read (format {FORMAT}).")
    return manifest


def verify(source: Path, manifest: dict, *, say: Say) -> None:
    """Every file in the manifest is there with its size and checksum, and no other file is."""
    source = Path(source)
    listed = manifest["files"]
    for name, expected in sorted(listed.items()):
        path = source / name
        if not path.is_file():
            raise CommandError(f"The backup is damaged: {name} is missing.")
        if path.stat().st_size != expected["size"] or sha256_of(path) != expected["sha256"]:
            raise CommandError(f"The backup is damaged: {name} does not match its checksum in {MANIFEST}.")
    extra = [p.relative_to(source).as_posix() for p in _files_under(source)]
    extra = sorted(name for name in extra if name != MANIFEST and name not in listed)
    if extra:
        raise CommandError(f"The backup is damaged: {extra[0]} is not listed in {MANIFEST}.")
    database = manifest.get("database", {}).get("file")
    if database not in listed:
        raise CommandError(f"The backup is damaged: its database file ({database}) is not listed in {MANIFEST}.")
    say(f"Checked {len(listed)} files: all checksums match.")


def unknown_migrations(manifest: dict) -> list[str]:
    """Migrations applied in the backup that this version's code does not have ("app.name"): the
    backup comes from a newer version, whose database this code cannot use."""
    from django.db.migrations.loader import MigrationLoader

    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    apps = {app for app, _ in known}
    return [
        f"{app}.{name}"
        for app, name in sorted(manifest.get("migrations", {}).items())
        if app in apps and (app, name) not in known
    ]


def site_contents() -> dict[str, int]:
    """What the site holds beyond what migrations create: user accounts, pages other than the
    tree's root and the start page, documents and images. All zero on an empty site (also on a
    database without tables)."""
    from django.contrib.auth import get_user_model
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    tables = set(connections[DEFAULT_DB_ALIAS].introspection.table_names())
    counts = {}
    for label, model, queryset in (
        ("users", get_user_model(), lambda m: m.objects.all()),
        ("pages", Page, lambda m: m.objects.filter(depth__gt=2)),
        ("documents", get_document_model(), lambda m: m.objects.all()),
        ("images", get_image_model(), lambda m: m.objects.all()),
    ):
        counts[label] = queryset(model).count() if model._meta.db_table in tables else 0
    return counts


def restore(source: Path, *, force: bool, say: Say) -> dict:
    """Restores the backup in ``source`` into the configured database and file folders, then
    migrates and rebuilds the search index. Returns the manifest."""
    source = Path(source).absolute()
    manifest = read_manifest(source)
    verify(source, manifest, say=say)
    kind = engine()
    theirs = manifest["database"]["engine"]
    if theirs != kind:
        raise CommandError(
            f"This backup is of a {ENGINE_NAMES.get(theirs, theirs)} database; this site runs on "
            f"{ENGINE_NAMES[kind]}. A backup can only be restored into the engine it was made from."
        )
    unknown = unknown_migrations(manifest)
    if unknown:
        raise CommandError(
            f"This backup is from a newer version ({manifest['app_version']}): this version does not know "
            f"the migration {unknown[0]}. Install that version (or a newer one) and restore again."
        )
    contents = site_contents()
    if any(contents.values()) and not force:
        held = ", ".join(f"{n} {label}" for label, n in contents.items() if n)
        raise CommandError(
            f"This site is not empty ({held}). Restoring replaces its database and files; "
            "run again with --force to do so. (Empty: no user accounts, documents or images, and "
            "no pages other than the root and the start page that migrations create.)"
        )
    say(f"Backup of {manifest['created_at']}, version {manifest['app_version']}.")
    if kind == "sqlite":
        say("Database (SQLite, online backup) ...")
        _restore_sqlite(source / manifest["database"]["file"])
    else:
        say("Database (PostgreSQL, pg_restore) ...")
        _restore_postgres(source / manifest["database"]["file"])
    for folder, setting in FOLDERS.items():
        root = file_root(setting)
        others = tuple(file_root(other) for other in FOLDERS.values() if other != setting)
        count = _replace_folder(source / folder, root, keep=others)
        say(f"{setting} ({root}): {count} files.")
    say("Migrations ...")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    say("Search index ...")
    call_command("update_index", verbosity=0)
    return manifest


def _restore_sqlite(backup_file: Path) -> None:
    connections.close_all()
    target = _sqlite_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    destination = sqlite3.connect(target, timeout=20)
    try:
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=WAL")
    finally:
        destination.close()
        source.close()


def _restore_postgres(dump: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    env = _pg_environment()
    connections.close_all()
    result = subprocess.run(  # noqa: S603 — fixed arguments, the database from settings
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",  # all or nothing
            "--no-password",
            f"--dbname={env['PGDATABASE']}",
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise CommandError(f"pg_restore failed (the database is unchanged): {result.stderr.strip()}")


def _replace_folder(backup_folder: Path, root: Path, *, keep: tuple[Path, ...] = ()) -> int:
    """Makes ``root`` hold exactly the files of ``backup_folder`` (``root`` itself is kept: it
    may be a mount point; so is a folder of ``keep`` inside it)."""
    root.mkdir(parents=True, exist_ok=True)
    kept = [k.resolve() for k in keep]
    for entry in root.iterdir():
        if entry.resolve() in kept:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    count = 0
    for path in _files_under(backup_folder):
        copy = root / path.relative_to(backup_folder)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy)
        count += 1
    return count
