from django import forms
from django.utils.translation import gettext_lazy as _

from posts.forms import TEXT_HELP
from posts.models import MAX_LENGTH

# No `required` and no maxlength attribute: the action checks the text (empty, too long) and the
# error says by how much, with the whole text kept in the form.


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question to the person responsible"),
        required=False,
        help_text=TEXT_HELP,
        widget=forms.Textarea(attrs={"rows": 3, "data-max-length": MAX_LENGTH}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        required=False,
        help_text=TEXT_HELP,
        widget=forms.Textarea(attrs={"rows": 4, "data-max-length": MAX_LENGTH}),
    )
    in_faq = forms.BooleanField(
        label=_("Show question and answer on the page (FAQ)"),
        required=False,
    )


class FeedbackForm(forms.Form):
    helpful = forms.ChoiceField(
        label=_("Was this page helpful?"),
        choices=[("ja", _("Yes")), ("nein", _("No"))],
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment to the person responsible (optional)"),
        required=False,
        help_text=_("Anonymous: the owner sees your comment, not your name. Markdown as in posts."),
        widget=forms.Textarea(attrs={"rows": 2, "data-max-length": MAX_LENGTH}),
    )

    def helpful_value(self):
        value = self.data.get("helpful", "")
        return {"ja": True, "nein": False}.get(value)
