"""Reads about absences and stand-ins that pages, the API and notifications share.

Who stands in for an absent member of staff (their *stand-in*), in this order, taking the first
who is active and not the absent person themselves:

1. the deputy named on the absence;
2. the person's standing deputy (`Profile.deputy`, "who stands in for you when you are away");
3. the deputy head of their unit (`Department.deputy_head`), then its head.

Writes (adding, deleting, the daily clean-up of ended absences) are in `people.actions`."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Absence, Profile, User

# What a profile needs joined to name its default stand-in without further queries.
STAND_IN_RELATED = (
    "deputy__profile__department",
    "department__deputy_head__profile__department",
    "department__head__profile__department",
)


def running(today: datetime.date | None = None) -> QuerySet[Absence]:
    return Absence.running(today)


def with_absences(profiles: QuerySet[Profile], today: datetime.date | None = None) -> QuerySet[Profile]:
    """The profiles with their running absence and what names its stand-in: one query more
    however many profiles (the prefetch), the rest joined."""
    return profiles.select_related("user", *STAND_IN_RELATED).prefetch_related(
        Prefetch(
            "user__absences",
            queryset=running(today).select_related("deputy__profile__department"),
            to_attr="current_absences",
        )
    )


def kept_absences(user: User) -> list[Absence]:
    """The person's absences not yet ended (the running and the next one), soonest first."""
    return list(
        Absence.objects.filter(user=user, ends_on__gte=timezone.localdate())
        .select_related("deputy")
        .order_by("starts_on")
    )


def stand_ins(user_ids, today: datetime.date | None = None) -> dict[int, tuple[User, User]]:
    """For those of `user_ids` who are absent today: absent user id -> (absent user, stand-in).
    People without a usable stand-in are left out. One query."""
    ids = [pk for pk in set(user_ids) if pk is not None]
    if not ids:
        return {}
    absences = (
        running(today)
        .filter(user_id__in=ids, user__is_active=True)
        .select_related("deputy", "user__profile", *(f"user__profile__{path}" for path in STAND_IN_RELATED))
    )
    result = {}
    for absence in absences:
        stand_in = absence.stand_in_for(getattr(absence.user, "profile", None))
        if stand_in is not None:
            result[absence.user_id] = (absence.user, stand_in)
    return result


def covered_by(user, today: datetime.date | None = None) -> list[Absence]:
    """The running absences for which `user` is the stand-in today (the reverse of
    `stand_ins`), the absent person first by name, with `absence.user` loaded. One query: the
    candidates (named deputy, standing deputy, the unit's deputy head or head) are read with what
    names their stand-in, and kept if that is `user`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    candidates = (
        running(today)
        .filter(user__is_active=True)
        .exclude(user_id=user.pk)
        .filter(
            Q(deputy_id=user.pk)
            | Q(user__profile__deputy_id=user.pk)
            | Q(user__profile__department__deputy_head_id=user.pk)
            | Q(user__profile__department__head_id=user.pk)
        )
        .select_related("deputy", "user__profile", *(f"user__profile__{path}" for path in STAND_IN_RELATED))
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    result = []
    for absence in candidates:
        stand_in = absence.stand_in_for(getattr(absence.user, "profile", None))
        if stand_in is not None and stand_in.pk == user.pk:
            result.append(absence)
    return result


@dataclass
class Contact:
    """Whom to turn to: the responsible person, and today's contact (them, or their stand-in
    while they are absent), each with unit and phone number."""

    responsible: User
    absence: Absence | None
    today: User

    @property
    def is_stand_in(self) -> bool:
        return self.today.pk != self.responsible.pk


def contact_for(user: User | int | None) -> Contact | None:
    """ "Wer ist zuständig?" for one responsible person (a user or its id; two queries). None for
    nobody or a deactivated account."""
    user_id = getattr(user, "pk", user)
    if user_id is None:
        return None
    profile = (
        with_absences(Profile.objects.filter(user_id=user_id, user__is_active=True))
        .select_related("department")
        .first()
    )
    if profile is None:
        return None
    absence = profile.current_absence
    stand_in = absence.stand_in if absence is not None else None
    return Contact(responsible=profile.user, absence=absence, today=stand_in or profile.user)


def absence_text(absence: Absence | None) -> str:
    """ "abwesend bis 14.03.2027, vertreten durch …" (the same words as the templates'), or ""."""
    if absence is None:
        return ""
    date = f"{absence.ends_on:%d.%m.%Y}"
    stand_in = getattr(absence, "stand_in", None)
    if stand_in is not None:
        return _("Absent until %(date)s, represented by %(name)s") % {"date": date, "name": stand_in}
    return _("Absent until %(date)s") % {"date": date}
