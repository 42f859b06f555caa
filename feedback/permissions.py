"""Who may ask, read and answer questions about a page, and give feedback on it — decided here,
used by the views, the page's template, the owner's desk and the search alike. Questions are as
visible as their page (``home.permissions``): who may not see the page may neither see nor ask."""

from home.models import ContentPage
from home.permissions import can_edit_page, can_view_page, visible_pages
from people.absences import stand_ins


def can_ask(user, page) -> bool:
    """Any signed-in, active member of staff who may see the page."""
    return bool(user.is_authenticated and user.is_active and can_view_page(user, page))


def can_read_question(user, question) -> bool:
    return bool(user.is_authenticated and can_view_page(user, question.page))


def is_standing_in_for_owner(user, page) -> bool:
    """The owner is absent today and ``user`` stands in for them (``people.absences``)."""
    if not page.content_owner_id:
        return False
    entry = stand_ins([page.content_owner_id]).get(page.content_owner_id)
    return entry is not None and entry[1].pk == user.pk


def can_answer(user, page) -> bool:
    """The owner, the owner's stand-in while the owner is away, and whoever may edit the page."""
    if not (user.is_authenticated and user.is_active and can_view_page(user, page)):
        return False
    if page.content_owner_id == user.pk:
        return True
    return is_standing_in_for_owner(user, page) or can_edit_page(user, page)


def hidden_page_ids(user) -> list[int]:
    """The content pages ``user`` may not see (drafts, restricted sections): usually few. One
    query. The search excludes their questions by these ids, a filter both engines answer from
    their index."""
    return list(ContentPage.objects.exclude(pk__in=visible_pages(user).values("pk")).values_list("pk", flat=True))


def visible_questions(user):
    """The questions ``user`` may see: those on pages they may see (a lazy queryset)."""
    from .models import Question

    if not user.is_authenticated:
        return Question.objects.none()
    return Question.objects.filter(page__in=visible_pages(user, ContentPage.objects).values("pk"))
