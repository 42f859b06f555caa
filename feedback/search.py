"""The "question" type of the one search (``search.registry``): questions about pages (asked and
answered) for those who may see the page. The permission is a filter on the question's page
(``FilterField("page")``): the questions on the pages the user may not see (drafts, restricted
sections; usually few) are excluded by id, which both engines answer from their index."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy

from intranet.shared.html import plain_text
from posts.markup import first_line
from search.hits import Hit, highlight
from search.registry import SearchType, Source, department_ids, register, start_of

from .models import Question
from .permissions import hidden_page_ids


class QuestionType(SearchType):
    name = "question"
    label = gettext_lazy("Questions about pages")
    hit_label = gettext_lazy("Question")
    order = 50

    def source(self, user, filters):
        if filters.tag or not user.is_authenticated:  # questions carry no topics
            return None
        questions = Question.objects.select_related("page__section_department")
        hidden = hidden_page_ids(user)
        if hidden:
            questions = questions.exclude(page__in=hidden)
        if filters.department:
            from home.models import ContentPage

            questions = questions.filter(
                page__in=list(
                    ContentPage.objects.filter(section_department__in=department_ids(filters)).values_list(
                        "pk", flat=True
                    )
                )
            )
        if filters.date_from:
            questions = questions.filter(created_at__gte=start_of(filters.date_from))
        if filters.date_to:
            questions = questions.filter(created_at__lt=start_of(filters.date_to + datetime.timedelta(days=1)))
        return Source(self.name, questions, date_fields=("created_at",))

    def hit(self, obj, score, q, tags, request=None):
        page = obj.page
        department = page.section_department.name if page.section_department_id else ""
        # the rendered question and answer as text, never the Markdown typed
        question = plain_text(obj.html)
        text = question if not obj.answer else f"{question} — {plain_text(obj.answer_html)}"
        title = first_line(obj.html)  # as a post's title
        return Hit(
            self.name, obj.pk, title, obj.get_absolute_url(), highlight(text, q), department, [],
            obj.answered_at or obj.created_at, score,
        )  # fmt: skip

    def updated(self, obj):
        return obj.answered_at or obj.created_at

    def department_of(self, obj):
        return obj.page.section_department_id


register(QuestionType())
