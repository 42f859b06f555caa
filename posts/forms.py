from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_LENGTH, Channel, Reaction

TEXT_HELP = _(
    "Up to 2,000 characters. **bold**, *italic*, [link](https://…), lists with “- ”, quotes with “> ”, "
    "`code`. #Hashtags become topics, @username mentions a colleague."
)


class PostForm(forms.Form):
    channel = forms.ModelChoiceField(queryset=Channel.objects.none(), label=_("Channel"), empty_label=None)
    text = forms.CharField(
        label=_("Your post"),
        required=False,
        help_text=TEXT_HELP,
        # no maxlength attribute: a pasted longer text stays complete and the error says by how much
        widget=forms.Textarea(attrs={"rows": 4, "data-max-length": MAX_LENGTH}),
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("An image (PNG, JPEG, GIF, WebP) or a document (PDF, Office, text), at most 5 MB."),
    )

    def __init__(self, *args, channels=None, **kwargs):
        super().__init__(*args, **kwargs)
        if channels is not None:
            self.fields["channel"].queryset = channels


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"), required=False, help_text=TEXT_HELP, widget=forms.Textarea(attrs={"rows": 3})
    )


class EditForm(forms.Form):
    text = forms.CharField(
        label=_("Text"), required=False, help_text=TEXT_HELP, widget=forms.Textarea(attrs={"rows": 6})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class OfficialForm(forms.Form):
    official = forms.BooleanField(label=_("Official announcement"), required=False)
    pinned_until = forms.DateField(
        label=_("Pinned until (optional)"),
        required=False,
        help_text=_("Shown at the top of the start page and the channel until this day."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ReadingForm(forms.Form):
    """Mandatory reading (Pflichtlektüre) of an official announcement."""

    required = forms.BooleanField(label=_("Mandatory reading"), required=False)
    all_staff = forms.BooleanField(label=_("The whole administration"), required=False)
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments (with their sub-units)"), queryset=None, required=False
    )
    groups = forms.ModelMultipleChoiceField(label=_("Groups"), queryset=None, required=False)
    due_date = forms.DateField(
        label=_("Read by (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    new_version = forms.BooleanField(
        label=_("Substantial change (wesentliche Änderung)"),
        required=False,
        help_text=_("Everyone must confirm again. Leave it off for a minor change."),
    )

    def __init__(self, *args, **kwargs):
        from django.contrib.auth.models import Group

        from people.models import Department

        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.order_by("name")
        self.fields["groups"].queryset = Group.objects.order_by("name")


class UrgentForm(forms.Form):
    text = forms.CharField(label=_("Notice"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    until = forms.DateTimeField(
        label=_("Show the banner until"),
        required=False,
        help_text=_("Empty: three days."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
    )


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=Reaction.Kind.choices)
