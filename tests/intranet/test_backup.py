"""`manage.py backup` and `manage.py restore` (intranet/backup.py), run as an operator runs them:
in fresh interpreters against sites of their own, never the test database (pytest-django's
transaction would hide everything from another process).

The engine is this run's: SQLite in the SQLite stage, PostgreSQL (a database created here and
dropped after, `SEARCH_BACKEND=postgres`) when DATABASE_URL names a PostgreSQL server."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN_URL = os.environ.get("DATABASE_URL", "")
SHAPE = "postgres" if RUN_URL.startswith(("postgres://", "postgresql://")) else "sqlite"
PG_SERVER = RUN_URL.rsplit("/", 1)[0] if SHAPE == "postgres" else "postgres://postgres@127.0.0.1:5432"


def pg_reachable() -> bool:
    import psycopg

    try:
        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3, autocommit=True).close()
    except psycopg.OperationalError:
        return False
    return True


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


class Site:
    """A site of its own: a database (a SQLite file or a fresh PostgreSQL database), MEDIA_ROOT,
    DOCUMENTS_ROOT and a search index folder, driven through manage.py in fresh interpreters."""

    def __init__(self, folder: Path, shape: str, like: "Site | None" = None):
        """``like``: a site of the same shape whose database this one starts as a copy of (a
        migrated, empty one: a migration run costs more than the rest of a test)."""
        self.folder = folder
        self.shape = shape
        folder.mkdir(parents=True)
        if shape == "postgres":
            self.database = f"wn_backup_{uuid.uuid4().hex[:12]}"
            pg_admin(f'CREATE DATABASE "{self.database}"' + (f' TEMPLATE "{like.database}"' if like else ""))
            url = f"{PG_SERVER}/{self.database}"
        else:
            self.database = None
            url = f"sqlite:///{folder / 'db.sqlite3'}"
            if like:
                shutil.copyfile(like.folder / "db.sqlite3", folder / "db.sqlite3")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_")) and k != "REDIS_URL"}
        self.env.update(
            DJANGO_SETTINGS_MODULE="intranet.settings.dev",
            DATABASE_URL=url,
            SEARCH_BACKEND="postgres" if shape == "postgres" else "whoosh",
            VAR_DIR=str(folder),
            MEDIA_ROOT=str(folder / "media"),
            DOCUMENTS_ROOT=str(folder / "private-documents"),
            SEARCH_INDEX_DIR=str(folder / "search-index"),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )

    def run(self, *args, **env) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args], cwd=ROOT, env={**self.env, **env}, capture_output=True, text=True, timeout=300
        )

    def manage(self, *args, **env) -> subprocess.CompletedProcess:
        return self.run("manage.py", *args, **env)

    def ok(self, *args) -> str:
        result = self.manage(*args)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def python(self, code: str):
        """Runs ``code`` with Django set up; returns what it printed as JSON."""
        result = self.run("-c", "import django; django.setup()\n" + code)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    def drop(self):
        if self.database:
            pg_admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


BUILD = r"""
import io, json
from django.core.files.base import ContentFile
from django.contrib.auth.models import Group
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, PageViewRestriction
from home.models import DepartmentPage, HomePage, WikiPage
from people.models import Department, Profile, User
from posts import actions
from posts.models import Channel

def rich(text):
    return [("paragraph", f"<p>{text}</p>")]

def add(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page

amt = Department.objects.create(name="Bürgeramt", short_name="BA")
users = {}
for name, first, last in [("petra.schreiber", "Petra", "Schreiber"), ("jonas.weber", "Jonas", "Weber")]:
    user = User.objects.create_user(username=name, email=f"{name}@stadt.test", password="correct-horse-battery",
                                    first_name=first, last_name=last)
    profile = Profile.objects.get(user=user)  # create_user made it
    profile.department, profile.job_title, profile.phone = amt, "Sachbearbeitung", "0301234"
    profile.save()
    users[name] = user
User.objects.create_superuser(username="admin", email="admin@stadt.test", password="correct-horse-battery")
home = HomePage.objects.get()
section = add(home, DepartmentPage(title="Bürgeramt", slug="buergeramt", department=amt))
add(section, WikiPage(title="Antrag auf Akteneinsicht", slug="akteneinsicht",
                      body=rich("Wer Akten einsehen möchte, stellt einen Antrag beim Bürgeramt.")))
secret = add(section, WikiPage(title="Personalrat Protokoll", slug="protokoll", body=rich("Vertraulich.")))
restriction = PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.GROUPS)
restriction.groups.add(Group.objects.create(name="Personalrat"))
channel = Channel.objects.create(name="Allgemein", slug="allgemein")
post = actions.create_post(author=users["petra.schreiber"], channel=channel, check_limits=False,
                           text="Neue Öffnungszeiten im Bürgeramt ab Montag #Bürgerservice")
actions.create_post(author=users["jonas.weber"], channel=channel, parent=post, check_limits=False,
                    text="Danke für die Info! #Bürgerservice #Kantine")
actions.toggle_reaction(post=post, user=users["jonas.weber"], kind="heart")
collection = Collection.get_first_root_node().add_child(name="Formulare")
get_document_model().objects.create(title="Antragsformular", collection=collection,
                                    file=ContentFile("Formular für die Akteneinsicht\n".encode(), name="antrag.txt"))
picture = io.BytesIO()
PILImage.new("RGB", (64, 48), (200, 30, 30)).save(picture, "PNG")
image = get_image_model().objects.create(title="Rathaus", file=ContentFile(picture.getvalue(), name="rathaus.png"))
image.get_rendition("fill-32x32")
print(json.dumps("built"))
"""

SNAPSHOT = r"""
import hashlib, json, os
from pathlib import Path
from django.conf import settings
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction
from people.models import User
from posts.models import Post

def digest(field):
    with field.open("rb") as f:
        return hashlib.sha256(f.read()).hexdigest()

def files(root):
    root = Path(root)
    return sorted((p.relative_to(root).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
                  for p in root.rglob("*") if p.is_file())

snapshot = {
    "pages": [
        [p.url_path, p.title, p.live, type(p).__name__, p.latest_revision_id is not None,
         json.dumps(p.body.get_prep_value(), sort_keys=True) if hasattr(p, "body") else None]
        for p in Page.objects.order_by("path").specific()
    ],
    "restrictions": sorted([r.page.url_path, r.restriction_type, sorted(g.name for g in r.groups.all())]
                           for r in PageViewRestriction.objects.all()),
    "posts": [
        [p.pk, p.author.username, p.parent_id, p.text, p.html, p.created_at.isoformat(),
         sorted(t.name for t in p.tags.all()), sorted([r.user.username, r.kind] for r in p.reactions.all())]
        for p in Post.objects.order_by("pk")
    ],
    "people": [
        [u.username, u.email, u.first_name, u.last_name, u.password, u.is_superuser,
         [getattr(u.profile.department, "name", None), u.profile.job_title, u.profile.phone]]
        for u in User.objects.order_by("username")
    ],
    "documents": [[d.title, d.collection.name, d.file.name, digest(d.file)]
                  for d in get_document_model().objects.order_by("pk")],
    "images": [[i.title, i.file.name, digest(i.file),
                sorted([r.filter_spec, r.file.name, digest(r.file)] for r in i.renditions.all())]
               for i in get_image_model().objects.order_by("pk")],
    "media": files(settings.MEDIA_ROOT),
    "private_documents": files(settings.DOCUMENTS_ROOT),
}
print(json.dumps(snapshot))
"""

TABLES = "import json\nfrom django.db import connection\nprint(json.dumps(connection.introspection.table_names()))"

SEARCH = r"""
import json
from people.models import User
from search.query import search
admin = User.objects.get(username="admin")
print(json.dumps({q: [[h.type, h.title] for h in search(user=admin, q=q).hits]
                  for q in ("Akteneinsicht", "Öffnungszeiten", "Personalrat")}))
"""


@pytest.fixture(scope="module")
def sites():
    if SHAPE == "postgres" and not pg_reachable():
        pytest.skip("PostgreSQL is not reachable")
    # Not pytest's scratch: other pytest sessions of the same user (parallel runs on one machine)
    # delete all but the newest three of its base folders, this one's included.
    folder = Path(tempfile.mkdtemp(prefix="wn-test-backup-"))
    made = []

    def site(name: str, shape: str = SHAPE, like: Site | None = None) -> Site:
        made.append(Site(folder / name, shape, like))
        return made[-1]

    yield folder, site
    for s in made:
        s.drop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def scratch(sites) -> Path:
    """An empty folder of this test's own, beside the sites."""
    folder = sites[0] / f"scratch-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    return folder


@pytest.fixture(scope="module")
def original(sites):
    """A site with pages (one restricted), posts with tags and a reaction, people, a document and
    an image with a rendition; its snapshot; and a backup of it."""
    folder, site = sites
    migrated = site("migrated")  # kept empty: other tests' sites start as copies of it
    migrated.ok("migrate", "--noinput", "-v0")
    migrated.ok("createcachetable")
    source = site("source", like=migrated)
    assert source.python(BUILD) == "built"
    snapshot = source.python(SNAPSHOT)
    out = source.ok("backup", str(folder / "backup"))
    return source, snapshot, folder / "backup", out, migrated


def copy_of(backup: Path, scratch: Path) -> Path:
    copy = scratch / "copy"
    shutil.copytree(backup, copy)
    return copy


def test_a_backup_holds_the_database_the_files_and_a_manifest_of_them(original):
    source, snapshot, backup, out, _ = original
    assert "Backup complete" in out
    assert "Backup is intact" in source.ok("restore", "--check", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["engine"] == {"sqlite": "sqlite", "postgres": "postgresql"}[SHAPE]
    assert manifest["migrations"]["posts"] and manifest["migrations"]["wagtailcore"]
    assert set(manifest["versions"]) == {"django", "wagtail", "python"} and manifest["app_version"]
    listed = set(manifest["files"])
    on_disk = {p.relative_to(backup).as_posix() for p in backup.rglob("*") if p.is_file()} - {"manifest.json"}
    assert listed == on_disk
    assert manifest["database"]["file"] in listed
    assert {f"media/{name}" for name, _ in snapshot["media"]} | {
        f"documents/{name}" for name, _ in snapshot["private_documents"]
    } == listed - {manifest["database"]["file"]}
    assert any(name.startswith("media/images/") for name in listed)  # the rendition
    assert not any("search-index" in name for name in listed)
    assert [p.name for p in backup.parent.iterdir() if p.name.startswith(".backup")] == []


def test_restore_into_an_empty_site_gives_back_every_page_post_person_document_and_file(original, sites):
    _, snapshot, backup, _, _ = original
    _, site = sites
    target = site("restored")
    out = target.ok("restore", str(backup))
    assert "all checksums match" in out and "Restore complete" in out
    restored = target.python(SNAPSHOT)
    for part in snapshot:
        assert restored[part] == snapshot[part], part
    assert len(snapshot["posts"]) == 2 and snapshot["restrictions"] and snapshot["images"][0][3]
    found = target.python(SEARCH)
    assert ["page", "Antrag auf Akteneinsicht"] in found["Akteneinsicht"]
    assert any(kind == "post" for kind, _ in found["Öffnungszeiten"])
    assert ["page", "Personalrat Protokoll"] in found["Personalrat"]  # the admin may see it


def test_a_damaged_file_is_refused_by_name_before_anything_changes(original, sites, scratch):
    _, _, backup, _, _ = original
    _, site = sites
    damaged = copy_of(backup, scratch)
    document = next((damaged / "documents").rglob("*.txt"))
    document.write_text("Formular für die Akteneinsicht, verändert\n")
    target = site("damaged")
    result = target.manage("restore", "--check", str(damaged))
    assert result.returncode != 0
    assert f"{document.relative_to(damaged).as_posix()} does not match its checksum" in result.stderr
    result = target.manage("restore", str(damaged))
    assert result.returncode != 0
    assert f"{document.relative_to(damaged).as_posix()} does not match its checksum" in result.stderr
    assert "Database" not in result.stdout
    assert target.python(TABLES) == []  # nothing restored
    # a file missing from the backup is named too
    document.unlink()
    result = target.manage("restore", str(damaged))
    assert f"{document.relative_to(damaged).as_posix()} is missing" in result.stderr


def test_a_folder_without_manifest_is_refused(original, sites, scratch):
    _, _, backup, _, _ = original
    _, site = sites
    copy = copy_of(backup, scratch)
    (copy / "manifest.json").unlink()
    result = site("no-manifest").manage("restore", str(copy))
    assert result.returncode != 0
    assert "has no manifest.json" in result.stderr


def test_a_backup_from_a_newer_version_is_refused(original, sites, scratch):
    _, _, backup, _, _ = original
    _, site = sites
    newer = copy_of(backup, scratch)
    manifest = json.loads((newer / "manifest.json").read_text())
    manifest["migrations"]["posts"] = "0099_from_the_future"  # as a later release would have it
    (newer / "manifest.json").write_text(json.dumps(manifest))
    target = site("older-code")
    result = target.manage("restore", str(newer))
    assert result.returncode != 0
    assert "newer version" in result.stderr and "posts.0099_from_the_future" in result.stderr
    assert target.python(TABLES) == []


def test_a_site_with_content_is_replaced_only_with_force(original, sites):
    _, snapshot, backup, _, _ = original
    _, site = sites
    target = site("busy", like=original[4])  # migrated, empty
    target.python(
        "import json\nfrom people.models import User\n"
        "User.objects.create_user(username='other', email='o@stadt.test', password='x' * 12)\nprint(1)"
    )
    result = target.manage("restore", str(backup))
    assert result.returncode != 0
    assert "This site is not empty (1 users)" in result.stderr and "--force" in result.stderr
    assert [u[0] for u in target.python(SNAPSHOT)["people"]] == ["other"]
    target.ok("restore", "--force", str(backup))
    assert target.python(SNAPSHOT) == snapshot


def test_a_backup_of_the_other_engine_is_refused(original, sites):
    _, _, backup, _, _ = original
    _, site = sites
    other = "sqlite" if SHAPE == "postgres" else "postgres"
    if other == "postgres" and not pg_reachable():
        pytest.skip("PostgreSQL is not reachable")  # CI always has it
    result = site("other-engine", other).manage("restore", str(backup))
    assert result.returncode != 0
    mine, theirs = ("PostgreSQL", "SQLite") if SHAPE == "postgres" else ("SQLite", "PostgreSQL")
    assert f"This backup is of a {mine} database; this site runs on {theirs}" in result.stderr


def test_backup_refuses_a_folder_that_is_not_empty(original, scratch):
    source = original[0]
    target = scratch / "full"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    result = source.manage("backup", str(target))
    assert result.returncode != 0
    assert "exists and is not empty" in result.stderr
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    # an empty folder is fine
    (target / "notes.txt").unlink()
    source.ok("backup", str(target))
    assert (target / "manifest.json").is_file()


@pytest.mark.skipif(SHAPE != "postgres", reason="pg_dump is the PostgreSQL shape's")
def test_without_pg_dump_the_backup_fails_clearly_and_leaves_no_folder(original, scratch):
    source = original[0]
    result = source.manage("backup", str(scratch / "nightly"), PATH="/nonexistent")
    assert result.returncode != 0
    assert "pg_dump is not installed" in result.stderr and "postgresql-client-15" in result.stderr
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize(
    ("output", "major"),
    [
        ("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n", 15),
        ("pg_restore (PostgreSQL) 9.6.24\n", 9),
        ("pg_dump (PostgreSQL) 17beta1\n", 17),
        ("something else", None),
    ],
)
def test_the_client_version_is_read_from_pg_dump(output, major):
    from intranet.backup import client_major

    assert client_major(output) == major
