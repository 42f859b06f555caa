"""GDPR: what the wiki stores about a person, and how an erasure reaches it.
Called by people.privacy (export across all apps, erasure by an administrator).

Pages are not the person's own data: they stay as they are. But a page's search document holds
the name of its owner (``ContentPage.content_owner``), so after an erasure the pages the person
owned are indexed again, without the name (the account is anonymised or deleted by then)."""

from django.db import transaction
from django.db.models import Q

from .models import ContentPage, ReadingConfirmation, ReadingDeputyNotice, ReadingReminder


def export_user_data(user) -> dict:
    """The pages the person is named on as responsible owner; what they confirmed having read
    (mandatory reading) and when, as long as it is kept."""
    pages = ContentPage.objects.filter(content_owner=user).order_by("title")
    confirmations = (
        ReadingConfirmation.objects.filter(user=user).select_related("requirement").order_by("confirmed_at", "pk")
    )
    return {
        "pages_owned": [{"id": page.pk, "title": page.title, "url": page.url} for page in pages],
        "reading_confirmed": [
            {
                "title": confirmation.requirement.title,
                "url": confirmation.requirement.url,
                "version": confirmation.version,
                "confirmed_at": confirmation.confirmed_at.isoformat(),
            }
            for confirmation in confirmations
        ],
    }


def erase_user(user, *, keep_posts: bool) -> None:
    """Re-indexes the pages the person owns once the erasure is committed (call it inside
    ``people.privacy.erase_person``'s transaction, before the account is anonymised or deleted:
    afterwards the pages no longer point to it). Their confirmations of mandatory reading and
    the record of their reminders (and of their stand-ins' notices, either side) are deleted; the counts per department stay (no names)."""
    ReadingConfirmation.objects.filter(user=user).delete()
    ReadingReminder.objects.filter(user=user).delete()
    ReadingDeputyNotice.objects.filter(Q(absent=user) | Q(deputy=user)).delete()
    page_ids = list(ContentPage.objects.filter(content_owner=user).values_list("pk", flat=True))
    if page_ids:
        transaction.on_commit(lambda: reindex_pages(page_ids))


def reindex_pages(page_ids) -> None:
    from modelsearch.backends import get_search_backends

    by_model: dict = {}
    for page in ContentPage.objects.filter(pk__in=page_ids).specific():
        by_model.setdefault(type(page), []).append(page)
    for backend in get_search_backends(with_auto_update=True):
        for model, pages in by_model.items():
            backend.add_bulk(model, pages)
