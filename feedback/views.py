"""Thin views: questions to a page's owner, "War das hilfreich?", the owner's desk."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from home.models import ContentPage
from home.permissions import remember_for_request, visible_pages

from . import actions, permissions, selectors
from .forms import AnswerForm, FeedbackForm, QuestionForm


def _add_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _visible_page(user, page_id) -> ContentPage:
    """The content page, if ``user`` may see it; "not found" otherwise (nothing is revealed)."""
    remember_for_request(user)
    page = visible_pages(user, ContentPage.objects).filter(pk=page_id).select_related("content_owner").first()
    if page is None:
        raise Http404
    return page


def _question(user, question_id):
    remember_for_request(user)
    question = selectors.question_for(user=user, question_id=question_id)
    if question is None:
        raise Http404
    return question


def ask(request, page_id):
    """ "Frage zur Seite": the form (also shown again with its errors and the text kept)."""
    page = _visible_page(request.user, page_id)
    if not permissions.can_ask(request.user, page):
        raise Http404
    form = QuestionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            question = actions.ask_question(page=page, author=request.user, text=request.POST.get("text", ""))
        except ValidationError as error:
            _add_errors(form, error)
            status = 400
        else:
            messages.success(request, _("Thank you — your question was sent to the person responsible for the page."))
            return redirect(question.get_absolute_url())
    return render(request, "feedback/ask.html", {"page": page, "form": form}, status=status)


def question(request, question_id):
    """One question with its answer; the owner (stand-in, editors) answers or resolves it here."""
    question = _question(request.user, question_id)
    return _render_question(
        request, question, AnswerForm(initial={"answer": question.answer, "in_faq": question.in_faq})
    )


def _render_question(request, question, form, status=200):
    can_answer = permissions.can_answer(request.user, question.page)
    return render(
        request,
        "feedback/question.html",
        {"question": question, "page": question.page, "form": form, "can_answer": can_answer},
        status=status,
    )


@require_POST
def answer(request, question_id):
    question = _question(request.user, question_id)
    form = AnswerForm(request.POST)
    try:
        actions.answer_question(
            question=question,
            user=request.user,
            text=request.POST.get("answer", ""),
            in_faq=bool(request.POST.get("in_faq")),
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _render_question(request, question, form, status=400)
    messages.success(request, _("Your answer is saved; the person who asked is notified."))
    return redirect(question.get_absolute_url())


@require_POST
def resolve(request, question_id):
    question = _question(request.user, question_id)
    actions.resolve_question(question=question, user=request.user)
    messages.success(request, _("The question is marked as resolved."))
    return redirect(question.get_absolute_url())


@require_POST
def faq(request, question_id):
    question = _question(request.user, question_id)
    show = request.POST.get("in_faq") == "1"
    try:
        actions.set_in_faq(question=question, user=request.user, in_faq=show)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The question is shown on the page.") if show else _("The question is no longer shown on the page."),
        )
    return redirect(question.get_absolute_url())


def feedback(request, page_id):
    """ "War das hilfreich?" (the page's small form posts here; errors are shown on this page)."""
    page = _visible_page(request.user, page_id)
    if not permissions.can_ask(request.user, page):
        raise Http404
    form = FeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            actions.give_feedback(
                page=page, user=request.user, helpful=form.helpful_value(), comment=request.POST.get("comment", "")
            )
        except ValidationError as error:
            _add_errors(form, error)
            status = 400
        else:
            messages.success(request, _("Thank you for your feedback!"))
            return redirect(page.url)
    already = actions.has_voted(user=request.user, page=page)
    return render(request, "feedback/feedback.html", {"page": page, "form": form, "already": already}, status=status)


def desk(request):
    """ "Meine Seiten": the owner's desk."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    remember_for_request(request.user)
    return render(request, "feedback/desk.html", {"desk": selectors.owner_desk(user=request.user)})
