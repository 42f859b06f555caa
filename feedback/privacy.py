"""GDPR: what the questions and feedback on pages store about a person, and how an erasure
reaches it. Called by people.privacy (``PRIVACY_APPS``).

- Questions the person asked (with their answers) and answers the person gave are exported.
  On erasure, the person's questions go with them; with ``keep_posts`` (posts and questions kept
  under "ehemalige/r Mitarbeiter/in") they stay (their search document holds no name). Answers
  the person gave stay with the question; the account they point to is anonymised or, when
  deleted, the answer is shown without a name.
- "War das hilfreich?" stores no person: the counts are per page and day, comments have no
  author. What is kept to refuse a second vote (``HelpfulVote``: a keyed hash of person and page)
  is exported as the list of pages the person gave feedback on (not what they answered) and
  deleted on erasure; the counts stay."""

from home.models import ContentPage

from .actions import voter_key
from .models import HelpfulVote, Question


def _iso(value):
    return value.isoformat() if value else None


def _voted_on(user) -> list:
    keys = {voter_key(user_id=user.pk, page_id=pk): pk for pk in ContentPage.objects.values_list("pk", flat=True)}
    return sorted(HelpfulVote.objects.filter(voter_key__in=list(keys)).values_list("page_id", flat=True))


def export_user_data(user) -> dict:
    asked = Question.objects.filter(author=user).select_related("page").order_by("created_at", "id")
    answered = Question.objects.filter(answered_by=user).select_related("page").order_by("answered_at", "id")
    return {
        "questions_asked": [
            {
                "id": question.pk,
                "page": question.page.title,
                "page_id": question.page_id,
                "question": question.text,
                "asked_at": _iso(question.created_at),
                "status": question.status,
                "answer": question.answer or None,
                "answered_at": _iso(question.answered_at),
            }
            for question in asked
        ],
        "answers_given": [
            {
                "question_id": question.pk,
                "page": question.page.title,
                "answer": question.answer,
                "answered_at": _iso(question.answered_at),
            }
            for question in answered
        ],
        "helpful_feedback_given_on_pages": _voted_on(user),
    }


def erase_user(user, *, keep_posts: bool) -> None:
    """Call inside ``people.privacy.erase_person``'s transaction, before the account is
    anonymised or deleted."""
    voted = _voted_on(user)
    if voted:
        keys = [voter_key(user_id=user.pk, page_id=pk) for pk in voted]
        HelpfulVote.objects.filter(voter_key__in=keys).delete()
    if keep_posts:
        return
    for question in Question.objects.filter(author=user):
        question.delete()  # one by one: each leaves the search index (feedback.signals)
