from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase
from wagtail.search import index


class StaffManager(UserManager):
    """`create_user` and `create_superuser` (so `manage.py createsuperuser`) create the account's
    profile with it: every member of staff is in the directory at once. The other ways an account
    is made do the same: Wagtail's admin (people/wagtail_hooks.py, "after_create_user") and single
    sign-on (people.adapters through `actions.apply_managed_data`). Service accounts
    (intranet/tokens.py) are saved directly and get none."""

    # Historical models in migrations get a plain manager: no migration names this class.
    use_in_migrations = False

    def _create_user(self, *args, **kwargs):
        with transaction.atomic(using=self._db):
            user = super()._create_user(*args, **kwargs)
            Profile.objects.db_manager(user._state.db).get_or_create(user=user)
        return user

    async def _acreate_user(self, *args, **kwargs):
        user = await super()._acreate_user(*args, **kwargs)
        await Profile.objects.db_manager(user._state.db).aget_or_create(user=user)
        return user


class User(AbstractUser):
    """A member of staff. Signs in with the e-mail address; the username is the @handle."""

    email = models.EmailField(_("e-mail address"), unique=True)

    objects = StaffManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        if self.email:
            self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Department(models.Model):
    """An organisational unit (Dezernat, Fachbereich or Amt, Sachgebiet, Stabsstelle) in the tree
    of the administration (`parent`). The wiki's DepartmentPage and the microblog's channel hang
    off it; people belong to one."""

    class Kind(models.TextChoices):
        DIRECTORATE = "directorate", _("Directorate")
        OFFICE = "office", _("Department or office")
        SECTION = "section", _("Section")
        STAFF_UNIT = "staff_unit", _("Staff unit")

    name = models.CharField(_("name"), max_length=150, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True, allow_unicode=False)
    kind = models.CharField(_("kind of unit"), max_length=20, choices=Kind.choices, default=Kind.OFFICE)
    # PROTECT, not SET_NULL: deleting a Dezernat must not silently turn its Ämter into units at the
    # top of the administration; whoever deletes it first moves or deletes what lies beneath.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The unit this one belongs to; empty for a unit at the top of the administration."),
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_units",
    )
    deputy_head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy_headed_units",
    )
    # Set by the directory sync (people.directory): the unit's immutable id in the directory
    # (objectGUID, entryUUID) and its DN there. Empty for units made by hand.
    directory_id = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    directory_dn = models.CharField(max_length=500, blank=True, default="", editable=False)
    # Set by the directory sync when a unit that came from the directory is no longer there: it is
    # kept (people, pages and the channel hang off it), marked on the org chart and filtered in the
    # admin; cleared when it comes back.
    left_directory_at = models.DateTimeField(
        _("no longer in the directory since"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss"))
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.parent_id is not None and self.pk is not None and self.parent_id in self._descendant_ids_and_own():
            errors["parent"] = _("A unit cannot belong to itself or to one of its own sub-units.")
        if self.head_id is not None and self.head_id == self.deputy_head_id:
            errors["deputy_head"] = _("The deputy head must be someone other than the head.")
        if errors:
            raise ValidationError(errors)

    def _descendant_ids_and_own(self) -> set[int]:
        """This unit's id and those of every unit beneath it (one query)."""
        return set(Department.subtree_ids(self.pk))

    @staticmethod
    def subtree_sql() -> str:
        """SQL of the ids of a unit (one parameter: its id) and of every unit beneath it: a
        recursive common table expression, the same on SQLite and PostgreSQL. UNION (not UNION
        ALL) ends even on a cycle in the tree."""
        # The table name is the model's own, the unit's id a query parameter: nothing from outside.
        table = Department._meta.db_table
        sql = (
            "WITH RECURSIVE subtree(id) AS (SELECT id FROM {table} WHERE id = %s "
            "UNION SELECT unit.id FROM {table} unit JOIN subtree ON unit.parent_id = subtree.id) "
            "SELECT id FROM subtree"
        )
        return sql.replace("{table}", table)

    @staticmethod
    def subtree_ids(pk: int) -> list[int]:
        """The ids of unit `pk` and of every unit beneath it, in one query."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(Department.subtree_sql(), [pk])
            return [row[0] for row in cursor.fetchall()]

    @staticmethod
    def in_subtree(pk: int):
        """A subquery for `department_id__in=`: the unit `pk` and its sub-units, inside the
        caller's query (no query of its own)."""
        from django.db.models.expressions import RawSQL

        return RawSQL(Department.subtree_sql(), [pk])  # noqa: S611 — fixed SQL, the id a parameter


class ExpertiseTag(TagBase):
    """A subject someone knows about ("Vergaberecht", "Meldewesen") — kept apart from the
    microblog's hashtags so the directory's "who knows what" stays clean."""

    class Meta:
        verbose_name = _("expertise")
        verbose_name_plural = _("expertise")
        ordering = ["name"]


class TaggedExpertise(TaggedItemBase):
    content_object = models.ForeignKey("Profile", on_delete=models.CASCADE, related_name="tagged_expertise")
    tag = models.ForeignKey(ExpertiseTag, on_delete=models.CASCADE, related_name="tagged_profiles")

    class Meta:
        unique_together = [("content_object", "tag")]


_SPELT_OUT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ş": "s", "ç": "c", "ğ": "g", "é": "e"}
)


def fold_for_search(text: str) -> str:
    """Lower case on every database (SQLite's LIKE folds only ASCII); words with umlauts are
    added once more spelt out, so both "Köhler" and "Koehler" find them."""
    folded = text.casefold()
    spelt_out = folded.translate(_SPELT_OUT)
    return folded if spelt_out == folded else f"{folded} || {spelt_out}"


def profile_photo_path(instance, filename):
    import os
    import secrets

    ext = os.path.splitext(filename)[1].lower()[:5]
    # A random name: the file name must not reveal whom the photo shows.
    return f"profile-photos/{secrets.token_hex(12)}{ext}"


class Profile(index.Indexed, models.Model):
    """What colleagues see about a member of staff in the directory.

    `managed_fields` lists the fields that an identity provider (single sign-on) or HR keeps up to
    date; the member of staff sees them but cannot change them in the profile form. Names refer to
    profile fields and to the user's `first_name`, `last_name` and `email`."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    room = models.CharField(_("room / building"), max_length=100, blank=True)
    photo = models.ImageField(_("photo"), upload_to=profile_photo_path, blank=True)
    responsibilities = models.TextField(
        _("responsibilities"),
        blank=True,
        max_length=2000,
        help_text=_('What colleagues can contact you about, e.g. "Gewerbeanmeldungen, Marktgenehmigungen".'),
    )
    expertise = TaggableManager(
        verbose_name=_("expertise"),
        through=TaggedExpertise,
        blank=True,
        help_text=_('Subjects you know about, separated by commas, e.g. "Vergaberecht, Excel".'),
    )
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_('Separated by commas, e.g. "Deutsch, Englisch".')
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy_for",
        help_text=_("Who stands in for you when you are away."),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    # Set by the directory sync and the HR import (people.directory): the person's immutable id in
    # the directory (objectGUID, entryUUID; "hr:<number>" from the HR list) and the entry's DN.
    # Single sign-on matches on it too (OIDC_DIRECTORY_ID_CLAIM). Empty for accounts made by hand.
    directory_id = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    directory_dn = models.CharField(max_length=500, blank=True, default="", db_index=True, editable=False)
    # Everything the directory searches, case-folded (with umlauts also spelt out), kept in sync by
    # `refresh_search_text` — so "özlem" finds "Özlem" and "koehler" finds "Köhler" on any database.
    search_text = models.TextField(editable=False, blank=True, default="")
    managed_fields = models.JSONField(_("fields managed by single sign-on or HR"), default=list, blank=True)
    email_digest = models.BooleanField(
        _("daily e-mail digest"), default=True, help_text=_("Unread notifications once a day by e-mail.")
    )

    search_fields = [
        index.SearchField("job_title", boost=2),
        index.SearchField("responsibilities"),
        index.SearchField("languages"),
        index.AutocompleteField("job_title"),
        index.RelatedFields(
            "user",
            [
                index.SearchField("first_name", boost=3),
                index.SearchField("last_name", boost=3),
                index.AutocompleteField("first_name"),
                index.AutocompleteField("last_name"),
                index.FilterField("is_active"),
            ],
        ),
        index.RelatedFields("expertise", [index.SearchField("name", boost=2), index.FilterField("slug")]),
        index.RelatedFields("department", [index.SearchField("name")]),
        index.FilterField("department_id"),
        index.FilterField("is_active"),
    ]

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("people:profile", kwargs={"username": self.user.username})

    @property
    def current_absence(self) -> "Absence | None":
        """The absence running today with `stand_in` (whom to turn to) set, or None. Read from
        `user.current_absences` when a query prefetched it (`people.absences.with_absences`),
        else asked once and remembered."""
        if hasattr(self, "_current_absence"):
            return self._current_absence
        if hasattr(self.user, "current_absences"):
            found = self.user.current_absences
        else:
            found = list(
                Absence.running().filter(user_id=self.user_id).select_related("deputy__profile__department")[:1]
            )
        absence = found[0] if found else None
        if absence is not None:
            absence.stand_in = absence.stand_in_for(self)
        self._current_absence = absence
        return absence

    def default_stand_in(self):
        """Who stands in when no deputy is named for an absence: the standing deputy, else the
        unit's deputy head, else its head (the first who is active and not this person)."""
        if self.deputy_id and _can_stand_in(self.deputy, self.user_id):
            return self.deputy
        department = self.department if self.department_id else None
        if department is not None:
            for candidate in (department.deputy_head, department.head):
                if _can_stand_in(candidate, self.user_id):
                    return candidate
        return None

    def build_search_text(self, tag_names=None) -> str:
        if tag_names is None:
            tag_names = list(self.expertise.names()) if self.pk else []
        department = self.department
        parts = [
            self.user.first_name,
            self.user.last_name,
            self.user.username,
            self.job_title,
            self.responsibilities,
            self.languages,
            department.name if department else "",
            department.short_name if department else "",
            *tag_names,
        ]
        return fold_for_search(" | ".join(part for part in parts if part))

    def refresh_search_text(self) -> None:
        """Recomputes the search text from what is stored (not from this possibly stale instance)."""
        stored = Profile.objects.select_related("user", "department").filter(pk=self.pk).first()
        if stored is None:
            return
        text = stored.build_search_text()
        self.search_text = text
        if text != stored.search_text:
            Profile.objects.filter(pk=self.pk).update(search_text=text)

    @property
    def is_active(self) -> bool:
        return self.user.is_active

    @property
    def language_list(self) -> list[str]:
        return [item.strip() for item in self.languages.split(",") if item.strip()]

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().select_related("user", "department").prefetch_related("expertise")


class Absence(models.Model):
    """A member of staff is away from `starts_on` to `ends_on` (both days included).

    Only the running and the next absence are kept (`people.absences`): an absence is deleted
    once it has ended, so there is no absence history (GDPR; agreed with the Personalrat). While
    it runs, notifications that need an action also go to the stand-in: `deputy` when named, else
    the person's standing deputy (`Profile.deputy`), else their unit's deputy head (or head)."""

    MAX_KEPT = 2

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField(_("first day of absence"))
    ends_on = models.DateField(_("last day of absence"))
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_('Optional, e.g. "Fortbildung" or "nur per E-Mail erreichbar".'),
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="absences_covered",
        help_text=_("Empty: your standing deputy, or else your unit's deputy head."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="absence_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["user", "ends_on"], name="absence_user_end_idx")]

    def __str__(self):
        return f"{self.user}: {self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}"

    @classmethod
    def running(cls, today=None):
        """The absences that include `today` (default: today)."""
        from django.utils import timezone

        today = today or timezone.localdate()
        return cls.objects.filter(starts_on__lte=today, ends_on__gte=today)

    def stand_in_for(self, profile: "Profile"):
        """The deputy named here if active, else the absent person's default stand-in."""
        if self.deputy_id and _can_stand_in(self.deputy, self.user_id):
            return self.deputy
        return profile.default_stand_in() if profile is not None else None


def _can_stand_in(candidate, absent_id: int) -> bool:
    return candidate is not None and candidate.is_active and candidate.pk != absent_id


class Notification(models.Model):
    """One item in a member of staff's inbox (mentions, replies, reactions, followed content,
    watched pages republished, urgent notices). Several events about the same thing are bundled
    into one item through `bundle_key` (e.g. "reactions:post:42") while it is unread.

    Written by actions of any app (wiki, microblog); read by the inbox and the e-mail digest.
    `emailed_at` marks items already sent in a digest, so nothing appears twice."""

    class Kind(models.TextChoices):
        MENTION = "mention", _("Mention")
        REPLY = "reply", _("Reply")
        REACTION = "reaction", _("Reaction")
        FOLLOWED = "followed", _("New in what you follow")
        PAGE_PUBLISHED = "page_published", _("Watched page updated")
        URGENT = "urgent", _("Urgent notice")
        REVIEW_DUE = "review_due", _("Page due for review")
        READING_DUE = "reading_due", _("Mandatory reading")
        REPORT = "report", _("Post reported to the moderators")
        PAGE_QUESTION = "page_question", _("Question to a page owner")
        QUESTION_ANSWERED = "question_answered", _("Your question was answered")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(_("text"), max_length=300, help_text=_("What happened, as shown in the inbox."))
    url = models.CharField(_("link"), max_length=500, blank=True)
    bundle_key = models.CharField(max_length=100, blank=True, db_index=True)
    count = models.PositiveIntegerField(default=1, help_text=_("How many events this item bundles."))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-updated_at"], name="notification_inbox_idx")]

    def __str__(self):
        return f"{self.recipient}: {self.verb}"


# --- keeping the directory's search text in sync (no business rules here) -------------------

from django.db.models.signals import m2m_changed, post_save  # noqa: E402
from django.dispatch import receiver  # noqa: E402


@receiver(m2m_changed, sender=TaggedExpertise, dispatch_uid="people_expertise_search_text")
def _expertise_changed(sender, instance, action, reverse, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and not reverse and isinstance(instance, Profile):
        instance.refresh_search_text()


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="people_user_search_text")
def _user_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not {"first_name", "last_name", "username"} & set(update_fields)):
        return
    profile = Profile.objects.filter(user=instance).first()
    if profile is not None:
        profile.refresh_search_text()
