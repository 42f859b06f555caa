from django import template

from home import page_selectors as selectors
from home.permissions import remember_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def owned_pages(context, owner):
    """The pages `owner` is responsible for, as far as the current reader may see them."""
    request = context.get("request")
    if request is None or owner is None:
        return []
    remember_for_request(request.user)
    return selectors.pages_owned_by(owner=owner, user=request.user)
