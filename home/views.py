"""Thin views around the wiki pages Wagtail serves: tags, reviews, watching, history, reports."""

import difflib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from taggit.models import Tag
from wagtail.models import PageLogEntry

from people.permissions import has_elevated_rights

from . import actions
from . import page_selectors as selectors
from .models import ContentPage
from .permissions import can_edit_page, remember_for_request, visible_pages


def _visible_content_page(user, page_id) -> ContentPage:
    page = ContentPage.objects.filter(pk__in=visible_pages(user).filter(pk=page_id).values("pk")).first()
    if page is None:
        raise Http404
    return page.specific


def tag_index(request):
    """All topics used on pages the reader may see, with how many pages carry each."""
    # Filtering and counting over the same relation: restricted pages are neither listed nor counted.
    tags = (
        Tag.objects.filter(home_pagetag_items__content_object__in=visible_pages(request.user).values("pk"))
        .annotate(page_count=Count("home_pagetag_items", distinct=True))
        .order_by("name")
    )
    return render(request, "home/tag_index.html", {"tags": tags})


def tag_page(request, slug):
    """Pages (and, from the microblog, posts) with one tag; not found for a tag used only on
    content the reader may not see."""
    remember_for_request(request.user)
    tag = get_object_or_404(selectors.visible_tags(user=request.user), slug=slug)
    pages = selectors.pages_with_tag(tag=tag, user=request.user)
    return render(request, "home/tag_page.html", {"tag": tag, "pages": pages})


@require_POST
def mark_reviewed(request, page_id):
    page = _visible_content_page(request.user, page_id)
    if not selectors.can_mark_reviewed(user=request.user, page=page):
        raise PermissionDenied
    actions.mark_reviewed(page=page, user=request.user)
    messages.success(request, _("Thank you — the page is marked as reviewed today."))
    return redirect(page.url)


@require_POST
def watch(request, page_id):
    page = _visible_content_page(request.user, page_id)
    if request.POST.get("action") == "unwatch":
        actions.unwatch_page(user=request.user, page=page)
        messages.success(request, _("You no longer watch this page."))
    else:
        actions.watch_page(user=request.user, page=page)
        messages.success(request, _("You will be notified when this page is updated."))
    next_url = request.POST.get("next", "")
    if next_url == "watched":
        return redirect("home:watched")
    return redirect(page.url)


def watched(request):
    return render(request, "home/watched.html", {"watches": selectors.watched_pages(user=request.user)})


def history(request, page_id):
    """The published versions of a page: when, by whom; each can be compared with the one before."""
    page = _visible_content_page(request.user, page_id)
    versions = selectors.published_versions(page=page)
    return render(
        request,
        "home/history.html",
        {"page": page, "versions": versions, "can_edit": can_edit_page(request.user, page)},
    )


def _text_lines(page) -> list[str]:
    """A page version as lines of plain text, for comparing."""
    from wagtail.fields import RichTextField, StreamField

    lines = [page.title]
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            lines.extend(field.get_searchable_content(getattr(page, field.name)))
        elif isinstance(field, RichTextField):
            lines.extend(field.get_searchable_content(getattr(page, field.name)))
        elif field.name in ("purpose", "typical_duration", "opening_hours"):
            lines.append(str(getattr(page, field.name) or ""))
    result = []
    for line in lines:
        result.extend(part.strip() for part in str(line).splitlines() if part.strip())
    return result


def version_diff(request, page_id, log_id):
    """What changed in one published version compared with the previous one."""
    page = _visible_content_page(request.user, page_id)
    entry = get_object_or_404(
        PageLogEntry.objects.select_related("revision", "user"), pk=log_id, page=page, action="wagtail.publish"
    )
    if entry.revision is None:
        raise Http404
    previous = (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish", timestamp__lt=entry.timestamp)
        .exclude(revision=None)
        .select_related("revision")
        .order_by("-timestamp")
        .first()
    )
    new_lines = _text_lines(entry.revision.as_object())
    old_lines = _text_lines(previous.revision.as_object()) if previous else []
    changes = []
    for line in difflib.ndiff(old_lines, new_lines):
        code, text = line[:1], line[2:]
        if code == "?":
            continue
        changes.append({"kind": {"+": "added", "-": "removed"}.get(code, "same"), "text": text})
    return render(
        request,
        "home/version_diff.html",
        {"page": page, "entry": entry, "previous": previous, "changes": changes},
    )


def broken_links(request):
    """Editors' report: links in published pages to pages that were deleted or unpublished."""
    if not has_elevated_rights(request.user):
        raise PermissionDenied
    return render(request, "home/broken_links.html", {"links": selectors.broken_links(user=request.user)})
