"""Questions and feedback on wiki pages (issue 15, points 2 and 3).

- ``Question``: "Frage zur Seite" — a member of staff asks the page's owner; open until the owner
  (or the owner's stand-in, or an editor of the page) answers it or marks it resolved. An answered
  question may be shown on the page as a short FAQ (``in_faq``).
- "War das hilfreich?": aggregate only. ``HelpfulCount`` holds the yes/no numbers per page and day;
  ``HelpfulVote`` only remembers *that* someone gave feedback on a page (a keyed hash of person and
  page, no account, no answer, no time) so nobody votes twice; ``FeedbackComment`` is the optional
  comment to the owner, with the answer it came with and the day, but no author. See docs/wiki.md,
  "War das hilfreich?"."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class Question(index.Indexed, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered")
        RESOLVED = "resolved", _("resolved")

    page = models.ForeignKey(
        "home.ContentPage", verbose_name=_("page"), on_delete=models.CASCADE, related_name="questions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.CASCADE, related_name="page_questions"
    )
    text = models.TextField(_("question"))
    html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answer_html = models.TextField(blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    in_faq = models.BooleanField(_("shown on the page as FAQ"), default=False)

    # The index is written after the commit by feedback.signals, not inside the transaction.
    search_auto_update = False
    search_fields = [
        index.SearchField("text"),
        index.SearchField("answer"),
        index.FilterField("page"),
        index.FilterField("status"),
        index.FilterField("created_at"),
    ]

    class Meta:
        verbose_name = _("question about a page")
        verbose_name_plural = _("questions about pages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["page", "status"], name="question_page_status_idx")]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("feedback:question", kwargs={"question_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class HelpfulCount(models.Model):
    """How many said yes and no on one page on one day. Counts only: no person."""

    page = models.ForeignKey("home.ContentPage", on_delete=models.CASCADE, related_name="helpful_counts")
    day = models.DateField()
    helpful = models.PositiveIntegerField(default=0)
    unhelpful = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("helpfulness count")
        verbose_name_plural = _("helpfulness counts")
        constraints = [models.UniqueConstraint(fields=["page", "day"], name="unique_helpful_count_day")]

    def __str__(self):
        return f"{self.page_id} {self.day}: +{self.helpful} -{self.unhelpful}"


class HelpfulVote(models.Model):
    """Only *that* someone gave feedback on a page, so nobody votes twice: ``voter_key`` is a keyed
    hash of the person and the page (``feedback.actions.voter_key``). No account, no answer, no
    time is stored."""

    page = models.ForeignKey("home.ContentPage", on_delete=models.CASCADE, related_name="+")
    voter_key = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("feedback given")
        verbose_name_plural = _("feedback given")

    def __str__(self):
        return f"{self.page_id}"


class FeedbackComment(models.Model):
    """The optional comment to the owner that came with a yes or no; no author is stored."""

    page = models.ForeignKey("home.ContentPage", on_delete=models.CASCADE, related_name="feedback_comments")
    helpful = models.BooleanField()
    text = models.TextField()
    html = models.TextField(editable=False)
    created_on = models.DateField(default=timezone.localdate)

    class Meta:
        verbose_name = _("feedback comment")
        verbose_name_plural = _("feedback comments")
        ordering = ["-created_on", "-id"]

    def __str__(self):
        return self.text[:80]
