import calendar
import datetime

from django import forms
from django.conf import settings
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
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


class ReadingPageForm(WagtailAdminPageForm):
    """The page editor's form with the one choice that belongs to a version, not to the page: is
    this a "wesentliche Änderung" that everyone who must read the page confirms again?"""

    substantial_change = forms.BooleanField(
        label=_("Substantial change (wesentliche Änderung)"),
        required=False,
        help_text=_(
            "Only for mandatory reading: everyone must confirm this version again once it is published. "
            "Leave it off for a minor edit; earlier confirmations then stay valid."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new page belongs to whoever creates it until they choose another owner.
        owner = self.fields.get("content_owner")
        if owner is not None and self.instance.pk is None and not self.instance.content_owner_id and self.for_user:
            if not self.is_bound and owner.queryset.filter(pk=self.for_user.pk).exists():
                self.initial["content_owner"] = self.for_user.pk

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reading_required"):
            if not (
                cleaned.get("reading_all_staff") or cleaned.get("reading_departments") or cleaned.get("reading_groups")
            ):
                self.add_error(
                    "reading_required",
                    _("Choose who must read the page: the whole administration, departments or groups."),
                )
            due = cleaned.get("reading_due")
            if due and due < timezone.localdate():
                self.add_error("reading_due", _("The date to read by cannot lie in the past."))
        return cleaned

    def save(self, commit=True):
        page = self.instance
        if self.cleaned_data.get("substantial_change") and page.pk:
            live = type(page).objects.filter(pk=page.pk).values_list("reading_version", flat=True).first() or 1
            page.reading_version = live + 1
        return super().save(commit=commit)


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
    # Mandatory reading (Pflichtlektüre): who must confirm having read the page. Revisioned like
    # the content; on publish home.actions.sync_page_reading copies it to its ReadingRequirement.
    reading_required = models.BooleanField(
        _("mandatory reading"),
        default=False,
        help_text=_("The people chosen below must confirm that they have read and understood the page."),
    )
    reading_all_staff = models.BooleanField(_("the whole administration"), default=False)
    reading_departments = ParentalManyToManyField(
        "people.Department",
        verbose_name=_("departments (with their sub-units)"),
        blank=True,
        related_name="+",
    )
    reading_groups = ParentalManyToManyField("auth.Group", verbose_name=_("groups"), blank=True, related_name="+")
    reading_due = models.DateField(_("read by (optional)"), null=True, blank=True)
    service_instruction = models.BooleanField(
        _("service instruction (Dienstanweisung)"),
        default=False,
        help_text=_(
            "Only then may the author, the department's editors and administrators see who has not "
            "confirmed yet. Otherwise they see counts per department only."
        ),
    )
    # Raised by a "wesentliche Änderung" (ReadingPageForm): confirmations of older versions no
    # longer count. Never lowered (with_content_json), so reverting to an old revision keeps it.
    reading_version = models.PositiveIntegerField(default=1, editable=False)

    base_form_class = ReadingPageForm
    is_creatable = False

    trust_panels = [
        MultiFieldPanel(
            [FieldPanel("content_owner"), FieldPanel("review_interval_months")],
            heading=_("Responsibility and review"),
        ),
        FieldPanel("tags"),
        MultiFieldPanel(
            [
                FieldPanel("reading_required"),
                FieldPanel("reading_all_staff"),
                FieldPanel("reading_departments", widget=forms.CheckboxSelectMultiple),
                FieldPanel("reading_groups", widget=forms.CheckboxSelectMultiple),
                FieldPanel("reading_due"),
                FieldPanel("service_instruction"),
                FieldPanel("substantial_change"),
            ],
            heading=_("Mandatory reading (Pflichtlektüre)"),
        ),
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
        obj.reading_version = max(self.reading_version or 1, obj.reading_version or 1)
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


# --- mandatory reading (Pflichtlektüre) -------------------------------------------------------
class ReadingRequirement(models.Model):
    """Something staff must confirm having read: a wiki page (kept in step with the page's
    settings on publish) or an official post (set on the post). One row per page or post, for
    both: `content_type` and `object_id` name it, `title` and `url` are copied so a reading list
    is one query. `version` goes up with every "wesentliche Änderung"; only confirmations of the
    current version count."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=500, blank=True)
    is_active = models.BooleanField(default=True)
    all_staff = models.BooleanField(default=False)
    departments = models.ManyToManyField("people.Department", blank=True, related_name="+")
    groups = models.ManyToManyField("auth.Group", blank=True, related_name="+")
    due_date = models.DateField(null=True, blank=True)
    service_instruction = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    # When the current version began to be asked for: a version older than the retention period
    # (ACKNOWLEDGEMENT_RETENTION_DAYS) is closed, nobody is asked or reminded any more.
    version_since = models.DateTimeField(default=timezone.now)
    # The author (the page's owner, the post's author), the editor who asked, and the section
    # whose editors may see the per-person list of a Dienstanweisung.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    section_department = models.ForeignKey(
        "people.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("mandatory reading")
        verbose_name_plural = _("mandatory reading")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="unique_reading_requirement")]

    def __str__(self):
        return self.title


class ReadingConfirmation(models.Model):
    """One person confirmed one version ("Gelesen und verstanden"). Per-person data: deleted
    after ACKNOWLEDGEMENT_RETENTION_DAYS (manage.py purge_reading_confirmations); the counts in
    ReadingTally stay."""

    requirement = models.ForeignKey(ReadingRequirement, on_delete=models.CASCADE, related_name="confirmations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_confirmations")
    version = models.PositiveIntegerField()
    confirmed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["requirement", "user", "version"], name="unique_reading_confirmation")
        ]

    def __str__(self):
        return f"{self.user_id} read {self.requirement_id} v{self.version}"


class ReadingTally(models.Model):
    """How many confirmed a version, by the department they belonged to when confirming: the
    aggregate that stays when the per-person confirmations are deleted. Rows of the same
    department are summed (two at once may each add a row)."""

    requirement = models.ForeignKey(ReadingRequirement, on_delete=models.CASCADE, related_name="tallies")
    version = models.PositiveIntegerField()
    department = models.ForeignKey(
        "people.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.requirement_id} v{self.version} {self.department_id}: {self.count}"


class ReadingReminder(models.Model):
    """A person was reminded of one version: nobody is reminded of the same version twice.
    Deleted with the confirmations after the retention period."""

    requirement = models.ForeignKey(ReadingRequirement, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["requirement", "user", "version"], name="unique_reading_reminder")
        ]

    def __str__(self):
        return f"{self.user_id} reminded of {self.requirement_id} v{self.version}"


class ReadingDeputyNotice(models.Model):
    """The stand-in of someone absent was told that the absent person has to read one version
    ("In Vertretung für …"): once per absent person, version and stand-in. The stand-in does not
    confirm for them; the absent person is reminded after returning (ReadingReminder). Deleted
    with the confirmations after the retention period."""

    requirement = models.ForeignKey(ReadingRequirement, on_delete=models.CASCADE, related_name="deputy_notices")
    version = models.PositiveIntegerField()
    absent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "version", "absent", "deputy"], name="unique_reading_deputy_notice"
            )
        ]

    def __str__(self):
        return f"{self.deputy_id} told of {self.requirement_id} v{self.version} for {self.absent_id}"
