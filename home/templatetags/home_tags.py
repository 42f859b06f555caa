"""The reads a wiki page's template shows besides the page itself: trust, breadcrumbs, backlinks,
child pages, the start page's departments and due reviews, a profile's pages. Each tag is one
call of ``home.page_selectors`` for the reader of the request. (They used to be filled in by the
page models' ``get_context``, which made ``home.models`` and ``home.page_selectors`` import each
other: the models import no reads.)"""

from django import template

from home import page_selectors as selectors
from home.permissions import can_edit_page, remember_for_request

register = template.Library()


def _reader(context):
    """The user of the request being rendered (None without a request), with the request's
    permission cache switched on."""
    request = context.get("request")
    if request is None:
        return None
    remember_for_request(request.user)
    return request.user


@register.simple_tag(takes_context=True)
def owned_pages(context, owner):
    """The pages `owner` is responsible for, as far as the current reader may see them."""
    user = _reader(context)
    if user is None or owner is None:
        return []
    return selectors.pages_owned_by(owner=owner, user=user)


# --- the start page ----------------------------------------------------------------------------
@register.simple_tag(takes_context=True)
def departments_with_pages(context):
    user = _reader(context)
    return [] if user is None else selectors.departments_with_pages(user=user)


@register.simple_tag(takes_context=True)
def due_pages(context):
    user = _reader(context)
    return [] if user is None else selectors.due_pages_for(user=user)


# --- a page of the knowledge base --------------------------------------------------------------
@register.simple_tag
def page_trust(page):
    return selectors.page_trust(page=page)


@register.simple_tag
def page_contact(page):
    """ "Wer ist zuständig?": the page's contact person (else its owner) and whom to turn to today."""
    return selectors.current_contact(page=page)


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    user = _reader(context)
    return [] if user is None else selectors.breadcrumbs(page=page, user=user)


@register.simple_tag(takes_context=True)
def backlinks(context, page):
    user = _reader(context)
    return [] if user is None else selectors.backlinks(page=page, user=user)


@register.simple_tag(takes_context=True)
def linking_posts(context, page):
    user = _reader(context)
    return [] if user is None else selectors.linking_posts(page=page, user=user)


@register.simple_tag(takes_context=True)
def visible_children(context, page):
    user = _reader(context)
    return [] if user is None else selectors.visible_children(page=page, user=user)


@register.simple_tag
def department_members(department):
    return selectors.department_members(department=department)


@register.simple_tag(takes_context=True)
def is_watching(context, page) -> bool:
    user = _reader(context)
    return user is not None and selectors.is_watching(page=page, user=user)


@register.simple_tag(takes_context=True)
def can_edit(context, page) -> bool:
    user = _reader(context)
    return user is not None and can_edit_page(user, page)


@register.simple_tag(takes_context=True)
def can_mark_reviewed(context, page) -> bool:
    user = _reader(context)
    return user is not None and selectors.can_mark_reviewed(user=user, page=page)


# --- mandatory reading -------------------------------------------------------------------------
@register.simple_tag(takes_context=True)
def reading_banner(context, obj):
    """The mandatory-reading banner of a page or post for the reader (one query; None when the
    page or post is not mandatory reading)."""
    from home import reading_selectors

    user = _reader(context)
    if user is None or obj is None or not user.is_authenticated:
        return None
    return reading_selectors.banner_for(user=user, obj=obj)
