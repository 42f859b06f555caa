"""The search page types for the axe accessibility check: results with facets and snippets,
a "Meinten Sie" / no-result page, a filtered page, a document hit."""

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from documents import samples
from posts import actions


def pages(user):
    general = actions.general_channel()
    actions.create_post(
        author=user, channel=general, text="Antrag auf Sondernutzung jetzt online #Bürgerservice", check_limits=False
    )
    # transactional tests flush the database, the root collection from Wagtail's migration too
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    get_document_model().objects.create(
        collection=root,
        title="Dienstanweisung Reisekosten",
        file=ContentFile(samples.pdf_bytes(["Die Kilometerpauschale beträgt 30 Cent."]), name="reisekosten.pdf"),
    )
    return [
        ("search results with facets", "/suche/?q=Sondernutzung"),
        ("search without results", "/suche/?q=Xylophonwartung"),
        ("search filtered by type", "/suche/?q=Sondernutzung&type=post&sort=date"),
        ("search with a document hit", "/suche/?q=Kilometerpauschale"),
    ]
