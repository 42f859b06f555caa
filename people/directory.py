"""The staff list from outside: creates, updates and deactivates accounts, profiles and the unit
tree from what a source says (the LDAP/AD directory, people/ldap.py; the HR list,
people/hr_import.py). One module for both, so both behave the same.

How a run goes (`synchronise`), all in one database transaction:
1. Units (the source's few hundred at most, held in memory): matched by directory id, else by
   name (a unit made by hand is taken over), parents before children. A unit from the directory
   that the source no longer has is marked (`Department.left_directory_at`), never deleted; the
   mark is cleared when it comes back.
2. People, page by page (constant memory: a page of entries and one integer per person seen):
   matched by directory id, else by e-mail (an account made by hand or by single sign-on is
   taken over). Created, updated, or deactivated when the source says the account is disabled.
3. Managers and the units' heads, in a second pass, once everyone exists.
4. Accounts from an earlier run that the source no longer has are deactivated, never deleted:
   their content stays, and GDPR erasure stays an administrator's decision.

Errors:
- Whatever makes the whole source unreliable (server unreachable, credentials refused, a search
  failing half-way, a wrong CSV header, no people at all) raises `SourceError`: the transaction
  is rolled back and nothing has changed.
- A bad entry (a missing attribute, an e-mail another entry or account already has) is
  skipped and reported with its DN or line; it is written all or nothing (a savepoint), and its
  account, if it has one, is not deactivated for it. Everyone else is synchronised.
- `dry_run` runs the same and rolls back at the end: the summary and the report are what a
  real run would do; nothing is written (and no search-index task is queued).
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models.signals import post_save
from django.utils import timezone

from intranet.shared.tasks import enqueue_on_commit

from .actions import department_by_name, unique_username
from .models import Department, Profile, User
from .tasks import index_profiles

#: The fields the sync keeps; they become read-only in the profile form (Profile.managed_fields).
PERSON_FIELDS = ("first_name", "last_name", "email", "phone", "room", "job_title", "department", "manager")
USER_FIELDS = ("first_name", "last_name", "email")
MAX_LENGTHS = {"first_name": 150, "last_name": 150, "email": 254, "phone": 50, "room": 100, "job_title": 150}

#: Words in a unit's kind (or name) that say which kind of unit it is.
KIND_WORDS = (
    ("stabsstelle", Department.Kind.STAFF_UNIT),
    ("staff", Department.Kind.STAFF_UNIT),
    ("sachgebiet", Department.Kind.SECTION),
    ("section", Department.Kind.SECTION),
    ("dezernat", Department.Kind.DIRECTORATE),
    ("directorate", Department.Kind.DIRECTORATE),
    ("fachbereich", Department.Kind.OFFICE),
    ("amt", Department.Kind.OFFICE),
    ("office", Department.Kind.OFFICE),
)
KIND_BY_DEPTH = {1: Department.Kind.DIRECTORATE, 2: Department.Kind.OFFICE}


class SourceError(Exception):
    """The source as a whole cannot be trusted or read: the run changes nothing."""


class EntryError(Exception):
    """One entry is unusable; it is reported and skipped."""


@dataclass
class PersonRecord:
    source: str  # where it comes from, for messages: the DN, or "line 12"
    directory_id: str
    email: str
    first_name: str = ""
    last_name: str = ""
    values: dict = field(default_factory=dict)  # phone, room, job_title: only the mapped ones
    unit: str | None = None  # a unit's name or DN; None when the source has no unit field
    dn: str = ""
    active: bool = True


@dataclass
class InvalidRecord:
    source: str
    message: str
    directory_id: str = ""  # known ids keep their account from being deactivated


def email_problem(email: str) -> str | None:
    """Why a source's e-mail value (already lower-cased) cannot be an account's address, or None."""
    if "@" not in email or len(email) > 254 or any(ch.isspace() for ch in email):
        return f"{email!r} is not an e-mail address"
    return None


@dataclass
class UnitRecord:
    source: str
    directory_id: str
    dn: str
    name: str
    parent_dn: str = ""
    depth: int = 1  # below the units' base
    kind: str = ""
    short_name: str | None = None
    # References as the source's managers are (DN); None: the source does not say (the head set
    # in the admin stays), "": it says there is none.
    head: str | None = None
    deputy_head: str | None = None


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    unchanged: int = 0
    skipped: int = 0  # disabled in the source and never had an account here
    units_created: int = 0
    units_updated: int = 0
    units_unchanged: int = 0
    units_left: int = 0  # units from the directory that it no longer has (marked, not deleted)
    errors: list[tuple[str, str]] = field(default_factory=list)
    dry_run: bool = False


class Source:
    """What a source gives the sync. `people()` and `managers()` may each be iterated once per
    run; both stream (pages), neither holds the whole source."""

    label = "source"
    #: the person fields the source fills (only these become managed)
    fields: tuple[str, ...] = PERSON_FIELDS
    #: how `managers()` and the units' heads refer to a person: "directory_dn" or "email"
    manager_key = "directory_dn"

    def count(self) -> int:
        return 0

    def units(self) -> list[UnitRecord]:
        return []

    def people(self) -> Iterator[list[PersonRecord | InvalidRecord]]:
        raise NotImplementedError

    def managers(self) -> Iterator[list[tuple[str, str]]]:
        """Pages of (person's directory id, manager reference); an empty reference: none."""
        return iter(())


def normalise_id(value) -> str:
    """A directory id as stored: AD's objectGUID bytes (or their base64, as Entra ID's
    onPremisesImmutableId sends them) in the usual GUID form, text ids lower-cased."""
    if isinstance(value, bytes):
        if len(value) == 16:
            return str(uuid.UUID(bytes_le=value))
        value = value.decode("utf-8", "replace")
    value = str(value).strip()
    if len(value) == 24 and value.endswith("=="):
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) == 16:
            return str(uuid.UUID(bytes_le=raw))
    return value.lower()[:64]


def kind_of(unit: UnitRecord) -> str:
    text = (unit.kind or "").strip().lower()
    if text in Department.Kind.values:
        return text
    for word, kind in KIND_WORDS:
        if word in text:
            return kind
    if not text:
        for word, kind in KIND_WORDS:
            if unit.name.lower().startswith(word):
                return kind
    return KIND_BY_DEPTH.get(unit.depth, Department.Kind.SECTION)


Report = Callable[[str, str, str], None]  # (action, source, detail)


def synchronise(*, source: Source, dry_run: bool = False, report: Report | None = None, progress=None) -> Summary:
    """Runs one sync (see the module's docstring). `report(action, source, detail)` hears of every
    change ("create", "update", "deactivate", "error", ...); `progress.advance(n)` of every page."""
    run = _Run(source, report or (lambda *args: None), progress)
    with transaction.atomic(), _index_signals_paused():
        run.units()
        run.people()
        run.managers()
        run.heads()
        run.leavers()
        if dry_run:
            transaction.set_rollback(True)
        else:
            # The search entries of who changed, after the commit, a page per task.
            changed = sorted(run.changed)
            for start in range(0, len(changed), 500):
                enqueue_on_commit(index_profiles, changed[start : start + 500])
    run.summary.dry_run = dry_run
    return run.summary


@contextmanager
def _index_signals_paused():
    """The run saves thousands of accounts and profiles; each save would queue its own search-index
    task (modelsearch's post_save handler, people.search.reindex_profile_of_user) and recompute the
    search text from the account (people.models._user_saved). While it runs they are disconnected
    (a management command: one thread); the run saves the profile whenever the account changes, and
    queues the changed people for indexing in pages after the commit instead."""
    from modelsearch.signal_handlers import post_save_signal_handler

    from . import models as people_models
    from .search import reindex_profile_of_user

    handlers = [
        (post_save_signal_handler, Profile, None),
        (reindex_profile_of_user, User, "search.reindex_profile_of_user"),
        (people_models._user_saved, User, "people_user_search_text"),
    ]
    paused = [(h, m, uid) for h, m, uid in handlers if post_save.disconnect(h, sender=m, dispatch_uid=uid)]
    try:
        yield
    finally:
        for handler, model, uid in paused:
            post_save.connect(handler, sender=model, dispatch_uid=uid)


class _Run:
    def __init__(self, source: Source, report: Report, progress):
        self.source, self.report, self.progress = source, report, progress
        self.summary = Summary()
        self.seen: set[int] = set()  # profile ids the source still has
        self.changed: set[int] = set()  # profile ids created, updated or deactivated in this run
        self.failed: set[int] = set()  # profile ids whose entry had an error
        self.unit_by_dn: dict[str, int] = {}
        self.unit_refs: list[tuple] = []  # (unit id, its DN, head ref, deputy ref)
        self.unit_by_name: dict[str, int] = {}

    def error(self, where: str, message: str) -> None:
        self.summary.errors.append((where, message))
        self.report("error", where, message)

    # --- 1. units -----------------------------------------------------------------------
    def units(self) -> None:
        records = sorted(self.source.units(), key=lambda unit: unit.depth)
        if not records:
            return
        existing = {d.directory_id: d for d in Department.objects.filter(directory_id__isnull=False)}
        by_name = {d.name.lower(): d for d in Department.objects.all()}
        for record in records:
            try:
                with transaction.atomic():
                    self._unit(record, existing, by_name)
            except (EntryError, IntegrityError) as error:
                self.error(record.source, str(error))
        self._units_left({record.directory_id for record in records})

    def _units_left(self, present: set[str]) -> None:
        """Marks the units from the directory that it no longer has (`left_directory_at`): they
        are kept, never deleted. Only when the source gave units at all, so a source without a
        units' base (or the HR list) marks nothing."""
        gone = list(
            Department.objects.filter(directory_id__isnull=False, left_directory_at=None)
            .exclude(directory_id__in=present)
            .order_by("name")
        )
        for unit in gone:
            self.report("unit left the directory", unit.directory_dn or unit.name, unit.name)
        if gone:
            Department.objects.filter(pk__in=[unit.pk for unit in gone]).update(left_directory_at=timezone.now())
        self.summary.units_left = len(gone)

    def _unit(self, record: UnitRecord, existing: dict, by_name: dict) -> None:
        name = record.name.strip()[:150]
        if not name:
            raise EntryError("the unit has no name")
        department = existing.get(record.directory_id)
        namesake = by_name.get(name.lower())
        if namesake is not None and namesake != department:
            if (
                namesake.directory_id
                and namesake.directory_id != record.directory_id
                and namesake.left_directory_at is None
            ):
                raise EntryError(f"another unit of the directory has the name {name!r}: {namesake.directory_dn}")
            if department is None:
                department = namesake  # a unit made by hand, or one the directory had dropped, is taken over
            else:
                raise EntryError(f"a unit made by hand has the name {name!r}")
        wanted = {
            "name": name,
            "kind": kind_of(record),
            "parent_id": self.unit_by_dn.get(normalise_dn(record.parent_dn)),
            "directory_id": record.directory_id,
            "directory_dn": normalise_dn(record.dn),
            "left_directory_at": None,  # back in the directory
        }
        if record.short_name is not None:
            wanted["short_name"] = record.short_name.strip()[:30]
        if department is None:
            department = Department.objects.create(**wanted)
            self.summary.units_created += 1
            self.report("create unit", record.source, name)
        else:
            changes = [key for key, value in wanted.items() if getattr(department, key) != value]
            if changes:
                old_name = department.name
                for key in changes:
                    setattr(department, key, wanted[key])
                department.save(update_fields=changes)
                by_name.pop(old_name.lower(), None)
                self.summary.units_updated += 1
                self.report("update unit", record.source, ", ".join(changes))
            else:
                self.summary.units_unchanged += 1
        existing[record.directory_id] = department
        by_name[name.lower()] = department
        self.unit_by_dn[normalise_dn(record.dn)] = department.pk
        if record.head is not None or record.deputy_head is not None:
            self.unit_refs.append((department.pk, record.source, record.head, record.deputy_head))

    # --- 2. people ----------------------------------------------------------------------
    def people(self) -> None:
        self.unit_objects = Department.objects.in_bulk()  # a few hundred: the profile's search text names them
        self.unit_by_name = {unit.name.lower(): pk for pk, unit in self.unit_objects.items()}
        self.unit_by_name.update(
            {
                short.lower(): pk
                for pk, short in Department.objects.exclude(short_name="").values_list("pk", "short_name")
            }
        )
        found_any = False
        for page in self.source.people():
            found_any = found_any or bool(page)
            self._page(page)
            if self.progress is not None:
                self.progress.advance(len(page))
        if not found_any:
            raise SourceError(
                f"{self.source.label} has no people at all; nothing was changed (a wrong base or filter "
                "would otherwise deactivate every account)"
            )

    def _page(self, page: list) -> None:
        valid = [record for record in page if isinstance(record, PersonRecord)]
        ids = [record.directory_id for record in page if record.directory_id]
        by_id = {p.directory_id: p for p in Profile.objects.select_related("user").filter(directory_id__in=ids)}
        by_email = {
            u.email: u for u in User.objects.select_related("profile").filter(email__in=[r.email for r in valid])
        }
        for record in page:
            known = by_id.get(record.directory_id) if record.directory_id else None
            if known is not None:
                self.seen.add(known.pk)
            if isinstance(record, InvalidRecord):
                self.error(record.source, record.message)
            else:
                try:
                    with transaction.atomic():
                        self._person(record, known, by_id, by_email)
                    continue
                except (EntryError, IntegrityError) as error:
                    self.error(record.source, str(error))
            if known is not None:
                self.failed.add(known.pk)

    def _person(self, record: PersonRecord, profile: Profile | None, by_id: dict, by_email: dict) -> None:
        email = record.email.strip().lower()
        holder = by_email.get(email)
        if profile is None and holder is not None:
            other = getattr(holder, "profile", None)
            if other is not None and other.directory_id and other.directory_id != record.directory_id:
                raise EntryError(
                    f"the e-mail address {email} is already that of {other.directory_dn or other.directory_id}"
                )
            if other is not None and other.pk in self.seen:
                raise EntryError(f"the e-mail address {email} is already that of another entry")
            profile = other or Profile.objects.create(user=holder)
            profile.user = holder
        elif profile is not None and holder is not None and holder.pk != profile.user_id:
            raise EntryError(f"the e-mail address {email} is already that of the account {holder.username!r}")

        if profile is None:
            if not record.active:
                self.summary.skipped += 1
                self.report("skip", record.source, "disabled in the source, no account here")
                return
            user = self._create_user(record, email)
            profile = Profile(user=user)
            self._apply(profile, record, email, new=True)
            self.summary.created += 1
            self.changed.add(profile.pk)
            self.report("create", record.source, email)
        else:
            old_email = profile.user.email
            changes = self._apply(profile, record, email, new=False)
            if "is_active" in changes and not record.active:
                self.summary.deactivated += 1
                self.changed.add(profile.pk)
                self.report("deactivate", record.source, "disabled in the source")
            elif changes:
                self.summary.updated += 1
                self.changed.add(profile.pk)
                self.report("update", record.source, ", ".join(changes))
            if old_email != email:
                by_email.pop(old_email, None)
        self.seen.add(profile.pk)
        by_id[record.directory_id] = profile
        by_email[email] = profile.user

    def _create_user(self, record: PersonRecord, email: str) -> User:
        user = User(
            username=unique_username(record.first_name, record.last_name, email),
            email=email,
            first_name=record.first_name[:150],
            last_name=record.last_name[:150],
            is_active=record.active,
        )
        user.set_unusable_password()
        user.save()
        return user

    def _apply(self, profile: Profile, record: PersonRecord, email: str, *, new: bool) -> list[str]:
        """Sets what the source says; saves what changed; returns the changed fields' names."""
        user = profile.user
        user_wanted = {"first_name": record.first_name[:150], "last_name": record.last_name[:150], "email": email}
        user_wanted = {key: value for key, value in user_wanted.items() if key in self.source.fields}
        user_wanted["is_active"] = record.active
        user_changes = [key for key, value in user_wanted.items() if getattr(user, key) != value]
        wanted = {key: value[: MAX_LENGTHS[key]] for key, value in record.values.items() if key in MAX_LENGTHS}
        if record.unit is not None:
            wanted["department_id"] = self._unit_of(record)
        wanted["directory_id"] = record.directory_id
        wanted["directory_dn"] = normalise_dn(record.dn)
        wanted["managed_fields"] = sorted(set(profile.managed_fields) | set(self.source.fields))
        changes = [key for key, value in wanted.items() if getattr(profile, key) != value]
        if user_changes and not new:
            for key in user_changes:
                setattr(user, key, user_wanted[key])
            user.save(update_fields=user_changes)
        for key in changes:
            setattr(profile, key, wanted[key])
        if "department_id" in changes and profile.department_id is not None:
            profile.department = self.unit_objects.get(profile.department_id) or profile.department
        if new or changes or user_changes:
            profile.save()  # also when only the account changed: its search text holds the name
        shown = [c for c in user_changes + changes if c not in {"directory_dn", "managed_fields"}]
        return [c.removesuffix("_id") for c in shown]

    def _unit_of(self, record: PersonRecord) -> int | None:
        value = (record.unit or "").strip()
        if value:
            pk = self.unit_by_dn.get(normalise_dn(value)) or self.unit_by_name.get(value.lower())
            if pk is None:
                department = department_by_name(value)
                pk = self.unit_by_name[value.lower()] = department.pk
                self.unit_objects[pk] = department
                self.report("create unit", record.source, value)
            return pk
        # No unit attribute: the nearest unit the entry lies beneath in the tree.
        parts = _split_dn(normalise_dn(record.dn))
        for start in range(1, len(parts)):
            pk = self.unit_by_dn.get(",".join(parts[start:]).lower())  # parts are normalised
            if pk is not None:
                return pk
        return None

    # --- 3. managers and heads -----------------------------------------------------------
    def _resolve(self, refs: Iterable[str]) -> dict[str, int]:
        refs = {ref for ref in refs if ref}
        if not refs:
            return {}
        if self.source.manager_key == "email":
            rows = User.objects.filter(email__in={r.lower() for r in refs}).values_list("email", "pk")
            by_key = dict(rows)
            return {ref: by_key[ref.lower()] for ref in refs if ref.lower() in by_key}
        by_dn = dict(
            Profile.objects.filter(directory_dn__in={normalise_dn(r) for r in refs}).values_list(
                "directory_dn", "user_id"
            )
        )
        return {ref: by_dn[normalise_dn(ref)] for ref in refs if normalise_dn(ref) in by_dn}

    def managers(self) -> None:
        if "manager" not in self.source.fields:
            return
        for page in self.source.managers():
            users = self._resolve(ref for _, ref in page)
            profiles = Profile.objects.filter(directory_id__in=[pid for pid, _ in page]).in_bulk(
                field_name="directory_id"
            )
            for directory_id, ref in page:
                profile = profiles.get(directory_id)
                if profile is None or profile.pk not in self.seen:
                    continue
                manager_id = users.get(ref) if ref else None
                if ref and manager_id is None:
                    self.report("warning", profile.directory_dn or directory_id, f"manager {ref} not found")
                if manager_id == profile.user_id:
                    manager_id = None
                if profile.manager_id != manager_id:
                    Profile.objects.filter(pk=profile.pk).update(manager_id=manager_id)
                    if profile.pk not in self.changed:
                        self.summary.updated += 1
                        self.changed.add(profile.pk)
                    self.report("update", profile.directory_dn or directory_id, "manager")

    def heads(self) -> None:
        users = self._resolve(ref for _, _, head, deputy in self.unit_refs for ref in (head, deputy) if ref)
        for pk, where, head, deputy in self.unit_refs:
            wanted = {}
            if head is not None:
                wanted["head_id"] = users.get(head)
            if deputy is not None:
                wanted["deputy_head_id"] = users.get(deputy)
            if wanted.get("deputy_head_id") is not None and wanted.get("deputy_head_id") == wanted.get("head_id"):
                wanted["deputy_head_id"] = None
            if wanted.get("head_id") is not None and "deputy_head_id" not in wanted:
                # the deputy set in the admin cannot be the directory's new head (Department.clean)
                Department.objects.filter(pk=pk, deputy_head_id=wanted["head_id"]).update(deputy_head=None)
            if Department.objects.filter(pk=pk).exclude(**wanted).update(**wanted):
                self.report("update unit", where, ", ".join(key.removesuffix("_id") for key in wanted))

    # --- 4. leavers ----------------------------------------------------------------------
    def leavers(self) -> None:
        active = Profile.objects.filter(directory_id__isnull=False, user__is_active=True).values_list(
            "pk", "user_id", "directory_dn", "directory_id"
        )
        leaving = [
            (pk, user_id, dn or did) for pk, user_id, dn, did in active.iterator(chunk_size=2000) if pk not in self.seen
        ]
        for pk, user_id, where in leaving:
            user = User.objects.get(pk=user_id)
            user.is_active = False
            user.save(update_fields=["is_active"])
            self.changed.add(pk)
            self.summary.deactivated += 1
            self.report("deactivate", where, "no longer in the source")
        self.summary.unchanged = len(self.seen - self.changed - self.failed)


def _split_dn(dn: str) -> list[str]:
    """A DN's RDNs (escaped commas stay inside their RDN)."""
    parts, current, escaped = [], "", False
    for char in dn:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            current += char
            escaped = True
        elif char == ",":
            parts.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def parent_dn(dn: str) -> str:
    return ",".join(_split_dn(dn)[1:])


def normalise_dn(dn: str) -> str:
    """A DN as compared and stored: lower case, no blanks around the separators."""
    return ",".join("=".join(half.strip() for half in rdn.split("=", 1)) for rdn in _split_dn(dn.lower()))
