"""The microblog: channels, posts (and replies), reactions, acknowledgements of urgent notices,
reports to moderators, edit history and follows.

Text becomes HTML only in `posts.markup`; every state change goes through `posts.actions`."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import Tag
from wagtail.search import index

from intranet.shared.html import excerpt, plain_excerpt

MAX_LENGTH = 2000


class Channel(models.Model):
    """Where a post lives: one per department (run by its editors) and the general channel."""

    class Policy(models.TextChoices):
        ALL_STAFF = "all", _("All staff")
        MEMBERS = "members", _("Members of the department")
        EDITORS = "editors", _("Editors only")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    department = models.OneToOneField(
        "people.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="channel",
        help_text=_("Empty for the general channel."),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    posting_policy = models.CharField(
        _("who may start posts"), max_length=10, choices=Policy.choices, default=Policy.MEMBERS
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("additional editors"),
        blank=True,
        related_name="edited_channels",
    )

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("posts:channel", kwargs={"slug": self.slug})

    @property
    def is_general(self) -> bool:
        return self.department_id is None


def attachment_path(instance, filename):
    suffix = PurePosixPath(filename).suffix.lower()
    return f"posts/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class VisiblePostQuerySet(models.QuerySet):
    def visible(self):
        """What every member of staff sees: neither deleted nor hidden by a moderator, nor a reply
        to a post a moderator hid."""
        return self.filter(is_deleted=False, is_hidden=False, parent_hidden=False)


class Post(index.Indexed, models.Model):
    """A post or, with `parent`, a reply in its thread. `html` is rendered once by
    `posts.markup.render` and already sanitised."""

    # The index is kept by posts.signals (like modelsearch's handlers, but one write per action).
    search_auto_update = False

    channel = models.ForeignKey(Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        help_text=_("Empty when the author has left and their posts were kept."),
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("reply to"), null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    text = models.TextField(_("text"), max_length=MAX_LENGTH)
    html = models.TextField(editable=False)
    tags = TaggableManager(blank=True)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in_posts")
    linked_pages = models.ManyToManyField("wagtailcore.Page", related_name="linking_posts", blank=True)
    attachment = models.FileField(_("attachment"), upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)

    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    is_deleted = models.BooleanField(default=False)
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A reply is hidden with its thread: set by posts.actions.hide_post on every reply of the post
    # it hides, cleared by unhide_post (the reply's own is_hidden stays as its moderator left it).
    # A column of the reply, not a join to its parent, so the search index filters on it.
    parent_hidden = models.BooleanField(_("hidden with its thread"), default=False, editable=False)

    is_official = models.BooleanField(_("official announcement"), default=False)
    pinned_until = models.DateField(_("pinned until"), null=True, blank=True)
    is_urgent = models.BooleanField(_("urgent notice"), default=False)
    urgent_until = models.DateTimeField(_("banner shown until"), null=True, blank=True)

    objects = VisiblePostQuerySet.as_manager()

    search_fields = [
        # No AutocompleteField: the header box suggests pages, people and tags, never posts, and
        # the edge n-grams of every post's words were 62 % of a rebuild's postings (82 of 133).
        index.SearchField("text"),
        index.RelatedFields("tags", [index.SearchField("name"), index.FilterField("slug")]),
        index.SearchField("author_name"),
        index.FilterField("channel"),
        index.FilterField("author"),
        index.FilterField("created_at"),
        index.FilterField("edited_at"),
        index.FilterField("is_hidden"),
        index.FilterField("parent_hidden"),
        index.FilterField("is_deleted"),
        index.FilterField("is_official"),
        index.FilterField("parent"),
    ]

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-created_at", "-id"]
        permissions = [("publish_urgent", "Can publish urgent notices (Krisenstab)")]
        indexes = [
            models.Index(fields=["channel", "-id"], name="post_channel_idx"),
            models.Index(fields=["parent", "id"], name="post_thread_idx"),
            # Every signed-in page asks for active urgent notices (the banner): without this index
            # that was a scan of the whole table (25-100 ms at 100k posts, docs/performance.md).
            models.Index(fields=["urgent_until"], condition=models.Q(is_urgent=True), name="post_urgent_idx"),
            # The start page's pinned announcements: top-level posts with a pin date.
            models.Index(fields=["parent", "pinned_until"], name="post_pinned_idx"),
            # The channel overview's post counts (posts.queries.channels_with_counts), from the index alone.
            models.Index(fields=["parent", "is_deleted", "is_hidden", "channel"], name="post_channel_count_idx"),
        ]

    def __str__(self):
        return self.excerpt(60)

    def get_absolute_url(self):
        if self.parent_id:
            return reverse("posts:detail", kwargs={"pk": self.parent_id}) + f"#post-{self.pk}"
        return reverse("posts:detail", kwargs={"pk": self.pk})

    def excerpt(self, length: int = 80) -> str:
        """The rendered text, plain, cut at a word boundary with "…" (backlinks, admin lists):
        no Markdown syntax and no entities."""
        return plain_excerpt(self.html, length) if self.html else excerpt(self.text, length)

    @property
    def summary(self) -> str:
        """:meth:`excerpt` at the length lists use (templates cannot pass it)."""
        return self.excerpt(80)

    @property
    def author_name(self) -> str:
        return str(self.author) if self.author_id else ""

    @classmethod
    def get_indexed_objects(cls):
        # The author (author_name) is joined; the search backend loads the tags of each chunk
        # in one query (search.indexing.prefetch_tags, cheaper than prefetch_related here).
        return cls.objects.visible().select_related("author")

    @property
    def is_visible(self) -> bool:
        return not self.is_deleted and not self.is_hidden and not self.parent_hidden

    @property
    def is_pinned(self) -> bool:
        return bool(self.pinned_until and self.pinned_until >= timezone.localdate())

    @property
    def attachment_is_image(self) -> bool:
        return PurePosixPath(self.attachment.name).suffix.lower() in IMAGE_SUFFIXES if self.attachment else False


IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
DOCUMENT_SUFFIXES = {".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".txt", ".csv"}


class PostRevision(models.Model):
    """The text a post had before an edit (the edit history readers can open)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField()
    html = models.TextField()
    created_at = models.DateTimeField(help_text=_("When this version was written."))
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-id"]

    def __str__(self):
        return f"{self.post_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        # Text labels; the template puts an icon of the site's own sprite next to each
        # (img/icons.svg#icon-<kind>): no emoji, which locked-down desktops show as empty boxes.
        HELPFUL = "helpful", _("Helpful")
        HEART = "heart", _("Love it")
        PARTY = "party", _("Congratulations")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_reactions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user", "kind"], name="unique_reaction")]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.post_id}"


class Acknowledgement(models.Model):
    """A reader confirmed an urgent notice ("Zur Kenntnis genommen")."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgements")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="unique_acknowledgement")]

    def __str__(self):
        return f"{self.user_id} ack {self.post_id}"


class Report(models.Model):
    """A member of staff asked the channel's moderators to look at a post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.post_id}: {self.reason[:40]}"


class Follow(models.Model):
    """A member of staff follows a person, a channel or a tag (exactly one of them)."""

    follower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    channel = models.ForeignKey(Channel, null=True, blank=True, on_delete=models.CASCADE, related_name="followers")
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, channel__isnull=True, tag__isnull=True)
                    | models.Q(person__isnull=True, channel__isnull=False, tag__isnull=True)
                    | models.Q(person__isnull=True, channel__isnull=True, tag__isnull=False)
                ),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint(fields=["follower", "person"], name="unique_follow_person"),
            models.UniqueConstraint(fields=["follower", "channel"], name="unique_follow_channel"),
            models.UniqueConstraint(fields=["follower", "tag"], name="unique_follow_tag"),
        ]

    def __str__(self):
        return f"{self.follower_id} -> {self.person_id or self.channel_id or self.tag_id}"
