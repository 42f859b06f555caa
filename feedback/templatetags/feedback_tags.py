"""What a wiki page and the start page show of questions and feedback (home's templates include
feedback's; home imports nothing of this app). Each tag is one call of ``feedback.selectors``."""

from django import template

from home.permissions import remember_for_request

from .. import permissions, selectors
from ..forms import FeedbackForm, QuestionForm

register = template.Library()


def _reader(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    remember_for_request(request.user)
    return request.user


@register.simple_tag(takes_context=True)
def page_feedback(context, page):
    """The page's FAQ, open questions, the question form and "War das hilfreich?"."""
    user = _reader(context)
    if user is None:
        return None
    return {
        "questions": selectors.page_questions(page=page),
        "can_ask": permissions.can_ask(user, page),
        "question_form": QuestionForm(),
        "feedback_form": FeedbackForm(),
        "has_voted": selectors.has_voted(user=user, page=page),
    }


@register.simple_tag(takes_context=True)
def owner_desk_counts(context):
    user = _reader(context)
    return None if user is None else selectors.owner_desk_counts(user=user)
