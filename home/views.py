"""Thin views around the wiki pages Wagtail serves: tags, reviews, watching, history, reports."""

import difflib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from taggit.models import Tag
from wagtail.models import PageLogEntry

from people.permissions import has_elevated_rights

from . import actions, reading_selectors
from . import page_selectors as selectors
from .models import ContentPage, ReadingRequirement
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


# --- mandatory reading (Pflichtlektüre) --------------------------------------------------------
MAX_ID = 2**53  # larger ids cannot exist (and would overflow the database driver)


def reading_list(request):
    """ "Zu lesen": what the reader still has to confirm, the earliest due first."""
    items = list(reading_selectors.reading_list(user=request.user))
    return render(request, "home/reading_list.html", {"items": items, "today": timezone.localdate()})


@require_POST
def confirm_reading(request, pk):
    """ "Gelesen und verstanden". Not found when the requirement does not ask the reader."""
    requirement = ReadingRequirement.objects.filter(pk=pk).first() if pk <= MAX_ID else None
    try:
        _confirmation, created = actions.confirm_reading(requirement=requirement, user=request.user)
    except actions.NotAddressed:
        raise Http404 from None
    if created:
        messages.success(request, _("Thank you — your confirmation is recorded."))
    else:
        messages.info(request, _("You had already confirmed this version."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(requirement.url or "home:reading_list")


def reading_status(request, pk):
    """How far the reading has got, per department; who has not confirmed only for a
    Dienstanweisung. Not found for anyone who may not see it."""
    requirement = (
        ReadingRequirement.objects.select_related("section_department").filter(pk=pk).first() if pk <= MAX_ID else None
    )
    if requirement is None or not reading_selectors.may_see_counts(user=request.user, requirement=requirement):
        raise Http404
    counts = reading_selectors.department_counts(requirement=requirement)
    people = None
    if reading_selectors.may_see_people(user=request.user, requirement=requirement):
        people = list(reading_selectors.not_confirmed(requirement=requirement))
    context = {
        "requirement": requirement,
        "counts": counts,
        "totals": {
            "addressed": sum(row.addressed for row in counts),
            "confirmed": sum(row.confirmed for row in counts),
            "open": None if reading_selectors.is_closed(requirement) else sum(row.open or 0 for row in counts),
        },
        "people": people,
        "closed": reading_selectors.is_closed(requirement),
    }
    return render(request, "home/reading_status.html", context)
