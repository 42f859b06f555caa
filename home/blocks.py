"""StreamField blocks for wiki, process and department pages."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

# What Wagtail's rich text editor offers; the Markdown import produces only these tags.
RICH_TEXT_FEATURES = [
    "h2",
    "h3",
    "h4",
    "bold",
    "italic",
    "ol",
    "ul",
    "link",
    "document-link",
    "hr",
    "code",
    "blockquote",
]

TABLE_OPTIONS = {"contextMenu": True, "startRows": 3, "startCols": 3, "colHeaders": False, "rowHeaders": False}


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Heading")), ("h3", _("Subheading"))],
        default="h2",
        required=True,
        search_index=False,  # the label ("Überschrift") is not the page's text
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "home/blocks/heading.html"


class BoxBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("info", _("Note")), ("warning", _("Warning"))],
        default="info",
        required=True,
        search_index=False,  # the label ("Hinweis") is not the page's text
    )
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)
    text = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Info or warning box")
        template = "home/blocks/box.html"


class PersonChooserBlock(blocks.ChooserBlock):
    """Chooses a member of staff (a plain select: a city administration has hundreds, not millions)."""

    @cached_property
    def target_model(self):
        return get_user_model()

    @cached_property
    def widget(self):
        return forms.Select()

    def get_form_state(self, value):
        return self.value_for_form(self.field.prepare_value(value))


class ContactCardBlock(blocks.StructBlock):
    person = PersonChooserBlock(label=_("person"))
    role = blocks.CharBlock(
        label=_("role"), required=False, max_length=150, help_text=_("e.g. 'Deputy' or 'Contact for building permits'")
    )

    class Meta:
        icon = "user"
        label = _("Contact card")
        template = "home/blocks/contact_card.html"


class PageLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("page"))
    text = blocks.CharBlock(label=_("link text"), required=False, max_length=200, help_text=_("Empty: the page title"))

    class Meta:
        icon = "doc-empty-inverse"
        label = _("Page link")
        template = "home/blocks/page_link.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200, help_text=_("Empty: the document title"))

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "home/blocks/document.html"


class CodeBlock(blocks.StructBlock):
    language = blocks.CharBlock(label=_("language"), required=False, max_length=40)
    code = blocks.TextBlock(label=_("code"))

    class Meta:
        icon = "code"
        label = _("Code")
        template = "home/blocks/code.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES, icon="pilcrow")
    box = BoxBlock()
    table = TableBlock(label=_("Table"), table_options=TABLE_OPTIONS, template="home/blocks/table.html")
    image = ImageBlock(label=_("Image"))
    document = DocumentBlock()
    contact = ContactCardBlock()
    page_link = PageLinkBlock()
    code = CodeBlock()


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("step"), max_length=200)
    description = blocks.RichTextBlock(label=_("description"), features=RICH_TEXT_FEATURES, required=False)

    class Meta:
        icon = "list-ol"
        label = _("Step")


class FAQBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=300)
    answer = blocks.RichTextBlock(label=_("answer"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question and answer")
