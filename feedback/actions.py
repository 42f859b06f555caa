"""Every write of questions and feedback on pages. Views call these; they check permissions and
inputs and raise ``PermissionDenied`` (the views answer "not found" where the page is not
visible) or ``ValidationError`` keyed by form field, with a message a reader understands.

Texts (questions, answers, feedback comments) are Markdown like posts: the same check of the
text (``posts.actions`` limits: length, invisible-only, characters no database stores), the same
renderer and sanitiser (``posts.markup.render``), the same rate limit numbers
(``posts.actions.RATE_LIMIT``). Notifications go out after the commit."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from intranet.shared.validators import check_storable
from people.models import Notification
from people.notifications import notify, notify_with_stand_ins
from posts import markup
from posts.actions import RATE_LIMIT, is_blank
from posts.models import MAX_LENGTH

from . import permissions
from .models import FeedbackComment, HelpfulCount, HelpfulVote, Question


# --- texts -----------------------------------------------------------------------------------
def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def clean_text(text: str, *, field: str, required: bool = True) -> str:
    """The text as stored ("" for an optional text left empty), or ValidationError keyed by
    ``field``: the same rules as a post's text (``posts.actions.clean_text``)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    check_storable(text, field=field)
    if is_blank(text):
        if not required:
            return ""
        raise ValidationError({field: _("Please write something: the text is empty.")})
    text = text.strip("\n").rstrip()
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            {
                field: _("The text can be at most %(max)s characters long; yours has %(count)s.")
                % {"max": _number(MAX_LENGTH), "count": _number(len(text))}
            }
        )
    return text


def _rate_limited(count: int, seconds: int) -> ValidationError:
    return ValidationError(
        ngettext(
            "You have written %(count)s texts within the last minute. Please wait a moment and send your text again — it is still in the form.",
            "You have written %(count)s texts within the last %(minutes)s minutes. Please wait a moment and send your text again — it is still in the form.",
            max(1, seconds // 60),
        )
        % {"count": count, "minutes": max(1, seconds // 60)},
        code="rate_limited",
    )


def check_question_rate_limit(author) -> None:
    """At most as many questions as posts within the posts' window (``POSTS_RATE_LIMIT``)."""
    count, seconds = RATE_LIMIT
    since = timezone.now() - timedelta(seconds=seconds)
    if Question.objects.filter(author=author, created_at__gte=since).count() >= count:
        raise _rate_limited(count, seconds)


def _comment_key(user) -> str:
    # the account's creation time too: an id used again (a deleted account's) starts afresh
    return f"feedback:comments:{user.pk}:{user.date_joined.timestamp()}"


def check_comment_rate_limit(user) -> None:
    """The same numbers for feedback comments. Comments store no author, so the count lives in
    the cache for the window only (one key per person, gone when the window has passed)."""
    count, seconds = RATE_LIMIT
    if cache.get(_comment_key(user), 0) >= count:
        raise _rate_limited(count, seconds)


def _count_comment(user) -> None:
    _count, seconds = RATE_LIMIT
    key = _comment_key(user)
    if cache.add(key, 1, timeout=seconds):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)


# --- questions -------------------------------------------------------------------------------
def _question_url(question: Question) -> str:
    return question.get_absolute_url()


@transaction.atomic
def ask_question(*, page, author, text: str) -> Question:
    """A question about ``page`` to its owner. The owner is notified after the commit — or, while
    the owner is absent, the owner's stand-in too (``notify_with_stand_ins``). A page without an
    owner notifies nobody; its editors find the question on the page."""
    if not permissions.can_ask(author, page):
        raise PermissionDenied
    text = clean_text(text, field="text")
    check_question_rate_limit(author)
    question = Question.objects.create(page=page, author=author, text=text, html=markup.render(text).html)
    owner_id = page.content_owner_id
    if owner_id and owner_id != author.pk:
        title = page.title
        transaction.on_commit(
            lambda: notify_with_stand_ins(
                recipients=[owner_id],
                kind=Notification.Kind.PAGE_QUESTION,
                verb=lambda n: (
                    ngettext("New question about “%(title)s”", "%(count)s new questions about “%(title)s”", n)
                    % {"title": title, "count": n}
                ),
                url=_question_url(question),
                actor=author,
                bundle_key=f"page-question:{page.pk}",
            )
        )
    return question


def _check_answerer(question: Question, user) -> None:
    if not permissions.can_answer(user, question.page):
        raise PermissionDenied


@transaction.atomic
def answer_question(*, question: Question, user, text: str, in_faq: bool = False) -> Question:
    """Answers (or corrects the answer to) a question; it is no longer open. The asker is told.
    ``in_faq``: show the question and answer on the page."""
    _check_answerer(question, user)
    text = clean_text(text, field="answer")
    now = timezone.now()
    question.answer = text
    question.answer_html = markup.render(text).html
    question.answered_by = user
    question.answered_at = now
    question.closed_at = question.closed_at or now
    question.status = Question.Status.ANSWERED
    question.in_faq = bool(in_faq)
    question.save()
    if question.author_id != user.pk:
        title = question.page.title
        author_id = question.author_id
        transaction.on_commit(
            lambda: notify(
                recipient=author_id,
                kind=Notification.Kind.QUESTION_ANSWERED,
                verb=_("Your question about “%(title)s” was answered") % {"title": title},
                url=_question_url(question),
                actor=user,
            )
        )
    return question


@transaction.atomic
def resolve_question(*, question: Question, user) -> Question:
    """Closes an open question without an answer (it was settled otherwise). A question already
    answered or resolved stays as it is."""
    _check_answerer(question, user)
    if question.is_open:
        question.status = Question.Status.RESOLVED
        question.closed_at = timezone.now()
        question.save(update_fields=["status", "closed_at"])
    return question


@transaction.atomic
def set_in_faq(*, question: Question, user, in_faq: bool) -> Question:
    """Shows an answered question on the page as FAQ, or takes it off again."""
    _check_answerer(question, user)
    if question.status != Question.Status.ANSWERED:
        raise ValidationError(_("Only answered questions can be shown on the page."))
    question.in_faq = bool(in_faq)
    question.save(update_fields=["in_faq"])
    return question


# --- "War das hilfreich?" --------------------------------------------------------------------
def voter_key(*, user_id: int, page_id: int) -> str:
    """A keyed hash of person and page: the same for the same two (so a second vote is refused),
    and no account id in the database. Keyed with the site's secret."""
    return salted_hmac("feedback.helpful-vote", f"{user_id}:{page_id}", algorithm="sha256").hexdigest()


def has_voted(*, user, page) -> bool:
    if not user.is_authenticated:
        return False
    return HelpfulVote.objects.filter(voter_key=voter_key(user_id=user.pk, page_id=page.pk)).exists()


@transaction.atomic
def give_feedback(*, page, user, helpful, comment: str = "") -> None:
    """ "War das hilfreich?": adds one yes or no to the page's count of the day, and the optional
    comment to the owner without its author. Once per person and page: a second time raises
    ValidationError. Who gave feedback is not stored (``HelpfulVote``)."""
    if not permissions.can_ask(user, page):
        raise PermissionDenied
    if helpful not in (True, False):
        raise ValidationError({"helpful": _("Please choose “Yes” or “No”.")})
    comment = clean_text(comment, field="comment", required=False)
    if comment:
        check_comment_rate_limit(user)
    try:
        with transaction.atomic():
            HelpfulVote.objects.create(page=page, voter_key=voter_key(user_id=user.pk, page_id=page.pk))
    except IntegrityError:
        raise ValidationError(_("You have already given feedback on this page. Thank you!"), code="duplicate") from None
    day = timezone.localdate()
    field = "helpful" if helpful else "unhelpful"
    updated = HelpfulCount.objects.filter(page=page, day=day).update(**{field: F(field) + 1})
    if not updated:
        try:
            with transaction.atomic():
                HelpfulCount.objects.create(page=page, day=day, **{field: 1})
        except IntegrityError:  # created by someone else meanwhile
            HelpfulCount.objects.filter(page=page, day=day).update(**{field: F(field) + 1})
    if comment:
        FeedbackComment.objects.create(page=page, helpful=helpful, text=comment, html=markup.render(comment).html)
        _count_comment(user)
