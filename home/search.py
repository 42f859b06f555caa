"""The "page" type of the one search (``search.registry``): the content pages a user may see
(``home.permissions.visible_pages``: live, no failed view restriction), their filters, the
freshness boost of reviewed pages, and how a page hit looks."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy

from search.hits import Hit, highlight
from search.registry import SearchType, Source, department_ids, register, start_of, tag_names

from .models import ContentPage, PageTag
from .permissions import visible_pages

#: A reviewed page whose review is not due ranks a little above a stale one of equal relevance.
FRESH_FACTOR = 1.05
STALE_FACTOR = 0.95


def fresh(page, score):
    """``score`` with the freshness factor of ``page`` (the database path; the index path uses
    the same rule as ``Source.boosts``)."""
    today = timezone.localdate()
    if page.last_reviewed and page.review_due and page.review_due >= today:
        return score * FRESH_FACTOR
    if page.review_due and page.review_due < today:
        return score * STALE_FACTOR
    return score


def page_text(page) -> str:
    """The page's search description and body text as the index holds it (the blocks'
    searchable content: no block templates rendered for a snippet)."""
    parts = [page.search_description or ""]
    body = getattr(page, "body", None)
    if body is not None:
        parts.extend(str(part) for part in body.stream_block.get_searchable_content(body))
    return " ".join(part for part in parts if part)


class PageType(SearchType):
    name = "page"
    label = gettext_lazy("Pages")
    hit_label = gettext_lazy("Page")
    order = 10
    autocomplete = True

    def source(self, user, filters):
        pages = visible_pages(user, ContentPage.objects).select_related("section_department")
        if filters.department:
            pages = pages.filter(section_department__in=department_ids(filters))
        if filters.date_from:
            pages = pages.filter(last_published_at__gte=start_of(filters.date_from))
        if filters.date_to:
            pages = pages.filter(last_published_at__lt=start_of(filters.date_to + datetime.timedelta(days=1)))
        today = timezone.localdate()
        return Source(
            self.name,
            pages,
            fresh,
            narrow=ContentPage.objects.filter(tagged_items__tag__slug=filters.tag).values("pk")
            if filters.tag
            else None,
            index_terms={"tags__slug": filters.tag} if filters.tag else {},
            # the same rule as fresh(), as index filters
            boosts=[
                ({"last_reviewed__isnull": False, "review_due__gte": today}, FRESH_FACTOR),
                ({"review_due__lt": today}, STALE_FACTOR),
            ],
            date_fields=("last_published_at",),
            facet_fields={"department": "section_department_id", "tag": "tags__slug"},
        )

    def hit(self, obj, score, q, tags, request=None):
        department = obj.section_department.name if obj.section_department_id else ""
        return Hit(
            self.name, obj.pk, obj.title, obj.get_url(request) or "", highlight(page_text(obj) or obj.title, q),
            department, sorted(tags), obj.last_published_at, score,
        )  # fmt: skip

    def tags(self, ids):
        return tag_names(PageTag, ids)

    def updated(self, obj):
        return obj.last_published_at

    def department_of(self, obj):
        return obj.section_department_id

    def tag_ids(self, ids):
        return list(PageTag.objects.filter(content_object_id__in=ids).values_list("tag_id", flat=True))

    def topic_tags(self, user):
        return PageTag.objects.filter(content_object_id__in=visible_pages(user).values("pk")).values("tag_id")

    def suggestion(self, obj):
        return {"label": obj.title, "url": obj.get_url() or ""}


register(PageType())
