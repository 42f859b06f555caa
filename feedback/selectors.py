"""Every read of questions and feedback that views, templates and the reports share, each in a
fixed number of queries whatever the number of pages, questions or votes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from home import page_selectors
from home.models import ContentPage, PageLink, ReadingRequirement, ReadingTally
from home.permissions import visible_pages
from people.absences import covered_by

from . import actions, permissions
from .models import FeedbackComment, HelpfulCount, Question

#: The desk lists reviews due within this many days (and all overdue ones).
REVIEW_SOON_DAYS = 30
#: How many open questions / comments a page or the desk shows at most.
LIST_LIMIT = 50


@dataclass
class PageQuestions:
    faq: list = field(default_factory=list)
    open: list = field(default_factory=list)


def page_questions(*, page) -> PageQuestions:
    """The page's FAQ (answered questions its owner chose to show) and its open questions, for
    everyone who may see the page. One query."""
    result = PageQuestions()
    questions = (
        Question.objects.filter(page=page)
        .filter(Q(status=Question.Status.OPEN) | Q(status=Question.Status.ANSWERED, in_faq=True))
        .select_related("author")
        .order_by("created_at", "id")
    )
    for question in questions:
        (result.open if question.is_open else result.faq).append(question)
    result.open = result.open[-LIST_LIMIT:]
    return result


def question_for(*, user, question_id: int) -> Question | None:
    """One question with its page, asker and answerer, if ``user`` may see its page (else None)."""
    question = (
        Question.objects.filter(pk=question_id)
        .select_related("page", "page__content_owner", "author", "answered_by")
        .first()
    )
    if question is None or not permissions.can_read_question(user, question):
        return None
    return question


def has_voted(*, user, page) -> bool:
    return actions.has_voted(user=user, page=page)


@dataclass
class Counts:
    helpful: int = 0
    unhelpful: int = 0


@dataclass
class Desk:
    """The owner's desk ("Meine Seiten")."""

    pages: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    open_questions: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    broken_links: list = field(default_factory=list)
    #: the owner's pages that are mandatory reading (ReadingRequirement, ``confirmed``: how many
    #: confirmed the current version; the per-department detail is on its reading-progress page)
    reading_progress: list = field(default_factory=list)
    #: "In Vertretung": the running absences of page owners this user stands in for today, and
    #: the open questions and reviews due of those owners' pages
    covering: list = field(default_factory=list)
    covering_questions: list = field(default_factory=list)
    covering_reviews: list = field(default_factory=list)


def _owned_pages(*, user):
    return page_selectors.content_pages(user=user).filter(content_owner=user).order_by("title")


def owner_desk(*, user) -> Desk:
    """Everything a page owner looks after, for the pages they own and may see. Besides the view
    restrictions (cached per request), seven queries whatever the number of pages: the site root,
    the owned pages, their counts, open questions (with askers), comments, broken links, the
    reading progress of those that are mandatory reading; and one for whom the user stands in
    today, two more (their pages, open questions) when that is anyone (``_covering``)."""
    desk = Desk()
    if not user.is_authenticated:
        return desk
    _covering(desk, user=user)
    pages = page_selectors.with_urls(list(_owned_pages(user=user)), user=user)
    desk.pages = pages
    if not pages:
        return desk
    ids = [page.pk for page in pages]
    counts = {
        row["page"]: Counts(row["helpful"] or 0, row["unhelpful"] or 0)
        for row in HelpfulCount.objects.filter(page__in=ids)
        .values("page")
        .annotate(helpful=Sum("helpful"), unhelpful=Sum("unhelpful"))
    }
    soon = timezone.localdate() + datetime.timedelta(days=REVIEW_SOON_DAYS)
    for page in pages:
        page.counts = counts.get(page.pk, Counts())
        if page.review_due and page.review_due <= soon:
            desk.reviews.append(page)
    desk.reviews.sort(key=lambda page: (page.review_due, page.title))
    by_id = {page.pk: page for page in pages}
    desk.open_questions = list(
        Question.objects.filter(page__in=ids, status=Question.Status.OPEN)
        .select_related("author")
        .order_by("created_at", "id")[:LIST_LIMIT]
    )
    for question in desk.open_questions:
        question.page_in_list = by_id[question.page_id]
    desk.comments = list(FeedbackComment.objects.filter(page__in=ids).order_by("-created_on", "-id")[:LIST_LIMIT])
    for comment in desk.comments:
        comment.page_in_list = by_id[comment.page_id]
    desk.broken_links = list(
        PageLink.objects.filter(source__in=ids)
        .exclude(target__live=True)
        .select_related("target")
        .order_by("source_id", "target_page_id")
    )
    for link in desk.broken_links:
        link.page_in_list = by_id[link.source_id]
    desk.reading_progress = _reading_progress(ids)
    return desk


def _covering(desk: Desk, *, user) -> None:
    """The desk's "In Vertretung": for the owners absent today whom ``user`` stands in for
    (``people.absences.covered_by``), the open questions and the reviews due soon of their
    pages that ``user`` may see. One query, three when ``user`` stands in for anyone."""
    desk.covering = covered_by(user)
    if not desk.covering:
        return
    absences = {absence.user_id: absence for absence in desk.covering}
    pages = page_selectors.with_urls(
        list(
            page_selectors.content_pages(user=user)
            .filter(content_owner_id__in=list(absences))
            .order_by("review_due", "title", "pk")
        ),
        user=user,
    )
    if not pages:
        return
    soon = timezone.localdate() + datetime.timedelta(days=REVIEW_SOON_DAYS)
    for page in pages:
        page.owner_absence = absences[page.content_owner_id]
    desk.covering_reviews = [page for page in pages if page.review_due and page.review_due <= soon]
    by_id = {page.pk: page for page in pages}
    desk.covering_questions = list(
        Question.objects.filter(page__in=list(by_id), status=Question.Status.OPEN)
        .select_related("author")
        .order_by("created_at", "id")[:LIST_LIMIT]
    )
    for question in desk.covering_questions:
        question.page_in_list = by_id[question.page_id]


def _reading_progress(page_ids: list[int]) -> list:
    """The mandatory reading of these pages with the number who confirmed the current version
    (the stored tallies, which outlive the per-person records): one query."""
    confirmed = (
        ReadingTally.objects.filter(requirement=OuterRef("pk"), version=OuterRef("version"))
        .order_by()
        .values("requirement")
        .annotate(total=Sum("count"))
        .values("total")
    )
    return list(
        ReadingRequirement.objects.filter(
            is_active=True, content_type__app_label="wagtailcore", content_type__model="page", object_id__in=page_ids
        )
        .annotate(confirmed=Coalesce(Subquery(confirmed, output_field=IntegerField()), 0))
        .order_by("title", "pk")
    )


@dataclass
class DeskCounts:
    pages: int = 0
    reviews_due: int = 0
    open_questions: int = 0
    helpful: int = 0
    unhelpful: int = 0
    broken_links: int = 0


def owner_desk_counts(*, user) -> DeskCounts:
    """The start page's numbers of the desk, for owners (``pages`` 0 for everyone else). Besides
    the view restrictions (cached per request): one query for someone who owns no page, four for
    an owner."""
    counts = DeskCounts()
    if not user.is_authenticated:
        return counts
    owned = list(_owned_pages(user=user).values_list("pk", "review_due"))
    if not owned:
        return counts
    ids = [pk for pk, _due in owned]
    today = timezone.localdate()
    counts.pages = len(owned)
    counts.reviews_due = sum(1 for _pk, due in owned if due and due <= today)
    counts.open_questions = Question.objects.filter(page__in=ids, status=Question.Status.OPEN).count()
    sums = HelpfulCount.objects.filter(page__in=ids).aggregate(helpful=Sum("helpful"), unhelpful=Sum("unhelpful"))
    counts.helpful, counts.unhelpful = sums["helpful"] or 0, sums["unhelpful"] or 0
    counts.broken_links = PageLink.objects.filter(source__in=ids).exclude(target__live=True).count()
    return counts


def unhelpful_pages(*, user, days: int, limit: int = LIST_LIMIT) -> list:
    """The editors' report: pages with "not helpful" answers within the last ``days`` days, most
    first, with their "helpful" answers beside them; only pages ``user`` may see. Two queries."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    rows = list(
        HelpfulCount.objects.filter(day__gte=since, page__in=visible_pages(user, ContentPage.objects).values("pk"))
        .values("page", "page__title", "page__url_path")
        .annotate(helpful=Sum("helpful"), unhelpful=Sum("unhelpful"))
        .filter(unhelpful__gt=0)
        .order_by("-unhelpful", "page__title")[:limit]
    )
    pages = [
        SimpleNamespace(
            pk=row["page"],
            title=row["page__title"],
            url_path=row["page__url_path"],
            helpful=row["helpful"] or 0,
            unhelpful=row["unhelpful"] or 0,
        )
        for row in rows
    ]
    return page_selectors.with_urls(pages, user=user)
