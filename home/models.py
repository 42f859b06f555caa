import calendar
import datetime

from django.conf import settings
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import RICH_TEXT_FEATURES, BodyBlock, DocumentBlock, FAQBlock, StepBlock

REVIEW_INTERVAL_CHOICES = [
    (3, _("every 3 months")),
    (6, _("every 6 months")),
    (12, _("every year")),
    (24, _("every 2 years")),
]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day where that day does not exist)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class HomePage(Page):
    """The start page: a welcome text, the departments, and what is new for the reader."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["home.DepartmentPage"]
    max_count = 1

    class Meta:
        verbose_name = _("start page")


class PageTag(TaggedItemBase):
    """A tag on a wiki page (taggit's shared Tag model, the same tags posts use)."""

    content_object = ParentalKey("home.ContentPage", on_delete=models.CASCADE, related_name="tagged_items")


class ContentPage(Page):
    """What every page of the knowledge base has: a body, tags, and the trust metadata — an owner,
    a review interval and when it was last reviewed. Not created directly; see the subclasses."""

    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)
    tags = ClusterTaggableManager(through=PageTag, blank=True, verbose_name=_("tags"))
    content_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_for_pages",
        help_text=_("The person responsible for keeping this page correct."),
    )
    review_interval_months = models.PositiveSmallIntegerField(
        _("review interval"), choices=REVIEW_INTERVAL_CHOICES, default=12
    )
    # Reviews are recorded by the "reviewed" button, not by editing: kept across revisions.
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True, editable=False)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last reviewed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_due = models.DateField(_("review due"), null=True, blank=True, editable=False, db_index=True)
    review_reminder_sent_for = models.DateField(null=True, blank=True, editable=False)
    section_department = models.ForeignKey(
        "people.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="wiki_pages",
    )

    is_creatable = False

    trust_panels = [
        MultiFieldPanel(
            [FieldPanel("content_owner"), FieldPanel("review_interval_months")],
            heading=_("Responsibility and review"),
        ),
        FieldPanel("tags"),
    ]
    content_panels = Page.content_panels + [FieldPanel("body")]

    search_fields = Page.search_fields + [
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2), index.FilterField("slug")]),
        index.RelatedFields("content_owner", [index.SearchField("first_name"), index.SearchField("last_name")]),
        index.FilterField("section_department"),
        index.FilterField("last_reviewed"),
        index.FilterField("review_due"),
        index.FilterField("content_owner"),
    ]

    class Meta:
        verbose_name = _("content page")

    # --- trust -----------------------------------------------------------------------------
    def compute_review_due(self) -> datetime.date:
        if self.last_reviewed:
            start = self.last_reviewed
        elif self.first_published_at:
            start = timezone.localdate(self.first_published_at)
        else:
            start = timezone.localdate()
        return add_months(start, self.review_interval_months or 12)

    @property
    def is_review_due(self) -> bool:
        return bool(self.review_due and self.review_due <= timezone.localdate())

    def with_content_json(self, content):
        """Review records belong to the page, not to one revision (as Wagtail does with `locked`)."""
        obj = super().with_content_json(content)
        obj.last_reviewed = self.last_reviewed
        obj.last_reviewed_by_id = self.last_reviewed_by_id
        obj.review_reminder_sent_for = self.review_reminder_sent_for
        return obj

    def find_section_department_id(self):
        if isinstance(self, DepartmentPage):
            return self.department_id
        if not self.path:
            return None
        steplen = self.steplen
        ancestor_paths = [self.path[:length] for length in range(steplen, len(self.path), steplen)]
        return DepartmentPage.objects.filter(path__in=ancestor_paths).values_list("department_id", flat=True).first()

    def save(self, *args, **kwargs):
        self.review_due = self.compute_review_due()
        self.section_department_id = self.find_section_department_id()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"review_due", "section_department"}
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        # What the reader may see around the page (trust, breadcrumbs, backlinks, child pages)
        # the template reads through home_tags: the models import no reads (page_selectors
        # imports the models).
        context = super().get_context(request, *args, **kwargs)
        context["page_tags"] = list(self.tags.all())
        return context


class DepartmentPage(ContentPage):
    """A department's section (Amt, Fachbereich): how to reach it, its people, channel and pages."""

    department = models.OneToOneField(
        "people.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="department_page"
    )
    # The head and deputy head are the unit's (people.Department, kept by the directory sync or in
    # Personen → Organisation); the page shows them and holds no copy of its own.
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    room = models.CharField(_("room / building"), max_length=150, blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    moderation_enabled = models.BooleanField(
        _("editorial approval"),
        default=False,
        help_text=_(
            "On: the department's editors submit pages, the central editorial team (Redaktion) approves and "
            "publishes them. Off: the department's editors publish themselves."
        ),
    )

    is_creatable = True
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.WikiPage", "home.ProcessPage"]

    content_panels = Page.content_panels + [
        FieldPanel("department"),
        MultiFieldPanel(
            [
                HelpPanel(
                    content=_(
                        "The head and deputy head shown on this page are those of the unit in the "
                        "organisation chart (admin menu: Organisation)."
                    )
                ),
                FieldPanel("email"),
                FieldPanel("phone"),
                FieldPanel("room"),
                FieldPanel("opening_hours"),
            ],
            heading=_("Contact"),
        ),
        FieldPanel("body"),
        *ContentPage.trust_panels,
    ]
    settings_panels = Page.settings_panels + [FieldPanel("moderation_enabled")]

    search_fields = ContentPage.search_fields + [
        index.SearchField("opening_hours"),
        index.SearchField("room"),
        index.FilterField("department"),
    ]

    class Meta:
        verbose_name = _("department page")
        verbose_name_plural = _("department pages")

    def get_context(self, request, *args, **kwargs):
        # the unit with its head and deputy head in one query (the contact box shows them)
        unit = self._meta.get_field("department").related_model._base_manager
        self.department = unit.select_related("head", "deputy_head").get(pk=self.department_id)
        context = super().get_context(request, *args, **kwargs)
        context["is_section"] = True
        try:
            context["channel_url"] = reverse("posts:channel", kwargs={"slug": self.department.slug})
        except NoReverseMatch:
            context["channel_url"] = ""
        return context


class WikiPage(ContentPage):
    """A page of the knowledge base: guidelines, how-tos, contacts — at any depth of a section."""

    is_creatable = True
    parent_page_types = ["home.DepartmentPage", "home.WikiPage"]
    subpage_types = ["home.WikiPage", "home.ProcessPage"]

    content_panels = ContentPage.content_panels + ContentPage.trust_panels

    class Meta:
        verbose_name = _("wiki page")
        verbose_name_plural = _("wiki pages")


class ProcessPage(ContentPage):
    """A Verfahrensbeschreibung: how an administrative procedure runs, step by step."""

    purpose = models.TextField(_("purpose"), help_text=_("What the procedure is for, in one or two sentences."))
    legal_basis = RichTextField(_("legal basis"), blank=True, features=RICH_TEXT_FEATURES)
    responsible_department = models.ForeignKey(
        "people.Department",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="process_pages",
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    steps = StreamField([("step", StepBlock())], verbose_name=_("steps"), blank=True)
    documents = StreamField([("document", DocumentBlock())], verbose_name=_("required documents and forms"), blank=True)
    typical_duration = models.CharField(_("typical duration"), max_length=150, blank=True)
    faq = StreamField([("question", FAQBlock())], verbose_name=_("frequently asked questions"), blank=True)

    is_creatable = True
    parent_page_types = ["home.DepartmentPage", "home.WikiPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        FieldPanel("purpose"),
        FieldPanel("legal_basis"),
        MultiFieldPanel(
            [FieldPanel("responsible_department"), FieldPanel("contact_person"), FieldPanel("typical_duration")],
            heading=_("Responsibility"),
        ),
        FieldPanel("steps"),
        FieldPanel("documents"),
        FieldPanel("faq"),
        FieldPanel("body"),
        *ContentPage.trust_panels,
    ]

    search_fields = ContentPage.search_fields + [
        index.SearchField("purpose", boost=1.5),
        index.SearchField("legal_basis"),
        index.SearchField("steps"),
        index.SearchField("faq"),
        index.SearchField("typical_duration"),
        index.FilterField("responsible_department"),
    ]

    class Meta:
        verbose_name = _("process description")
        verbose_name_plural = _("process descriptions")


class PageLink(models.Model):
    """An internal link from one page's published content to another page, recorded on publish.
    `target` is empty when the linked page was deleted (a broken link); `target_page_id` keeps
    the id that was linked."""

    source = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="outgoing_links")
    target = models.ForeignKey(Page, null=True, on_delete=models.SET_NULL, related_name="incoming_links")
    target_page_id = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("page link")
        verbose_name_plural = _("page links")
        constraints = [models.UniqueConstraint(fields=["source", "target_page_id"], name="unique_page_link")]

    def __str__(self):
        return f"{self.source_id} -> {self.target_page_id}"


class PageWatch(models.Model):
    """Someone watches a page, or a whole section (a page and everything below it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="page_watches")
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("watched page")
        verbose_name_plural = _("watched pages")
        constraints = [models.UniqueConstraint(fields=["user", "page"], name="unique_page_watch")]

    def __str__(self):
        return f"{self.user_id} watches {self.page_id}"
