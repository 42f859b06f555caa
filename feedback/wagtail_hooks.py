"""The editors' report: pages found unhelpful, next to the searches without results (the search
app's statistics call the ``search_statistics_panels`` hook; the search imports no content app)."""

from django.template.loader import render_to_string
from wagtail import hooks

from . import selectors


@hooks.register("search_statistics_panels")
def unhelpful_pages_panel(request, days):
    pages = selectors.unhelpful_pages(user=request.user, days=days)
    return render_to_string("feedback/admin/unhelpful_pages.html", {"pages": pages, "days": days}, request=request)
