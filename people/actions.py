"""Every change to people data goes through here (the profile form, single sign-on, the GDPR
erase, the demo data)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.shared.validators import check_storable

from .models import Absence, Department, Profile, User

PROFILE_FIELDS = {
    "photo",
    "job_title",
    "department",
    "responsibilities",
    "languages",
    "phone",
    "room",
    "email_digest",
    "deputy",
}
USER_FIELDS = {"first_name", "last_name", "email"}


def ensure_profile(*, user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def update_profile(*, profile: Profile, changes: dict, expertise: list[str] | None = None) -> Profile:
    """Applies the member of staff's own changes. Fields in `profile.managed_fields` are skipped:
    only single sign-on or HR (through `apply_managed_data`) change those."""
    managed = set(profile.managed_fields)
    user_changes = {k: v for k, v in changes.items() if k in USER_FIELDS and k not in managed}
    profile_changes = {k: v for k, v in changes.items() if k in PROFILE_FIELDS and k not in managed}
    if user_changes:
        for name, value in user_changes.items():
            setattr(profile.user, name, value)
        profile.user.save(update_fields=list(user_changes))
    for name, value in profile_changes.items():
        setattr(profile, name, value)
    profile.save()
    if expertise is not None and "expertise" not in managed:
        profile.expertise.set(_unique(expertise), clear=False)
    return profile


def _unique(tags: list[str]) -> list[str]:
    seen, result = set(), []
    for tag in tags:
        tag = tag.strip()
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            result.append(tag)
    return result


def unique_username(first: str, last: str, email: str) -> str:
    """ "vorname.nachname" as for staff created by hand, numbered when taken."""
    from .demo import username_for

    base = username_for(first, last) if first and last else (email.split("@")[0] if email else "mitarbeiter")
    base = "".join(ch for ch in base if ch.isalnum() or ch in "._-")[:140] or "mitarbeiter"
    # The first 50 candidates in one indexed lookup; the free one is checked once more ignoring case.
    candidates = [base] + [f"{base}{number}" for number in range(2, 51)]
    taken = set(User.objects.filter(username__in=candidates).values_list("username", flat=True))
    for candidate in candidates:
        if candidate not in taken and not User.objects.filter(username__iexact=candidate).exists():
            return candidate
    number = 51
    while User.objects.filter(username__iexact=f"{base}{number}").exists():
        number += 1
    return f"{base}{number}"


def department_by_name(name: str) -> Department | None:
    """The department with this name, created when it does not exist yet (single sign-on)."""
    name = (name or "").strip()[:150]
    if not name:
        return None
    department = Department.objects.filter(name__iexact=name).first()
    if department is None:
        department = Department.objects.create(name=name)
    return department


@transaction.atomic
def apply_managed_data(*, user: User, data: dict) -> Profile:
    """Writes what an identity provider (or HR) says about a person and marks those fields as
    managed, so the person cannot change them in the profile form. `data` may hold first_name,
    last_name, email and any profile field; a `department` value is a department's name."""
    data = {k: v for k, v in data.items() if v is not None}
    user_changes = {k: v for k, v in data.items() if k in USER_FIELDS and v != getattr(user, k)}
    if "email" in user_changes:
        user_changes["email"] = user_changes["email"].strip().lower()
    if user_changes:
        for name, value in user_changes.items():
            setattr(user, name, value)
        user.save(update_fields=list(user_changes))
    profile = ensure_profile(user=user)
    for name, value in data.items():
        if name == "department":
            profile.department = department_by_name(value)
        elif name in PROFILE_FIELDS and name != "deputy":
            setattr(profile, name, value)
    profile.managed_fields = sorted(
        set(profile.managed_fields) | {k for k in data if k in USER_FIELDS | PROFILE_FIELDS}
    )
    profile.save()
    return profile


# --- absences --------------------------------------------------------------------------------
def delete_ended_absences(*, today: datetime.date | None = None) -> int:
    """Deletes every absence that has ended: no absence history is kept (GDPR, agreed with the
    Personalrat). Run when an absence is saved and by the daily job (people.tasks)."""
    today = today or timezone.localdate()
    deleted, _by_model = Absence.objects.filter(ends_on__lt=today).delete()
    return deleted


@transaction.atomic
def add_absence(
    *,
    user: User,
    starts_on: datetime.date,
    ends_on: datetime.date,
    note: str = "",
    deputy: User | None = None,
    today: datetime.date | None = None,
) -> Absence:
    """Records that `user` is away from `starts_on` to `ends_on` (both included). `deputy` empty:
    the default stand-in (people.absences). Only the running and the next absence are kept, so a
    third is refused. Raises ValidationError naming the field for: a start in the past, an end
    before the start, oneself or an inactive account as deputy, an overlap with a kept absence."""
    today = today or timezone.localdate()
    note = (note or "").strip()
    check_storable(note, field="note")
    # One absence at a time per person: the row lock makes a double submit wait for the first.
    User.objects.select_for_update().filter(pk=user.pk).first()
    delete_ended_absences(today=today)
    errors: dict[str, list[str]] = {}
    if starts_on < today:
        errors.setdefault("starts_on", []).append(_("The absence cannot start in the past."))
    if ends_on < starts_on:
        errors.setdefault("ends_on", []).append(_("The last day cannot be before the first day."))
    if len(note) > 200:
        errors.setdefault("note", []).append(_("Please keep the note under 200 characters."))
    if deputy is not None:
        if deputy.pk == user.pk:
            errors.setdefault("deputy", []).append(_("You cannot be your own deputy. Please name a colleague."))
        elif not deputy.is_active:
            errors.setdefault("deputy", []).append(_("This colleague's account is deactivated. Please name another."))
    kept = list(Absence.objects.filter(user=user).order_by("starts_on"))
    if not errors:
        for other in kept:
            if other.starts_on <= ends_on and starts_on <= other.ends_on:
                errors.setdefault("starts_on", []).append(
                    _("This overlaps your absence from %(start)s to %(end)s.")
                    % {"start": f"{other.starts_on:%d.%m.%Y}", "end": f"{other.ends_on:%d.%m.%Y}"}
                )
                break
    if not errors and len(kept) >= Absence.MAX_KEPT:
        errors.setdefault("__all__", []).append(
            _("Only your current and your next absence are kept. Please delete one before adding another.")
        )
    if errors:
        raise ValidationError(errors)
    return Absence.objects.create(user=user, starts_on=starts_on, ends_on=ends_on, note=note, deputy=deputy)


def delete_absence(*, user: User, absence_id: int) -> bool:
    """Deletes one of the person's own absences (back early, or plans changed)."""
    deleted, _by_model = Absence.objects.filter(user=user, pk=absence_id).delete()
    return bool(deleted)
