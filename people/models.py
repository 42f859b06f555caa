from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A member of staff. Signs in with the e-mail address; the username is the @handle."""

    email = models.EmailField(_("e-mail address"), unique=True)

    objects = UserManager()

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
    """An organisational unit (Amt, Fachbereich). The wiki's DepartmentPage and the microblog's
    channel hang off it; people belong to one."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True, allow_unicode=False)

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


class Profile(models.Model):
    """What colleagues see about a member of staff in the directory."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    room = models.CharField(_("room / building"), max_length=100, blank=True)
    email_digest = models.BooleanField(
        _("daily e-mail digest"), default=True, help_text=_("Unread notifications once a day by e-mail.")
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("people:profile", kwargs={"username": self.user.username})


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
