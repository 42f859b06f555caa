from allauth.account.adapter import get_adapter
from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Profile, User

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_EXPERTISE_TAGS = 20
MAX_TAG_LENGTH = 50

# The user's own fields that the profile form edits next to the profile's.
USER_FIELDS = ["first_name", "last_name"]


class ProfileForm(forms.ModelForm):
    """A member of staff edits their own profile. Fields kept by single sign-on or HR
    (`Profile.managed_fields`) are shown but disabled: what is posted for them is ignored."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    deputy = forms.CharField(
        label=_("Deputy"),
        required=False,
        max_length=254,
        help_text=_("E-mail address or user name of the colleague who stands in for you."),
    )

    class Meta:
        model = Profile
        fields = [
            "photo",
            "job_title",
            "department",
            "responsibilities",
            "expertise",
            "languages",
            "phone",
            "room",
            "email_digest",
        ]
        widgets = {
            "responsibilities": forms.Textarea(attrs={"rows": 4}),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }

    field_order = ["first_name", "last_name", *Meta.fields[:7], "deputy", *Meta.fields[7:]]

    def __init__(self, *args, instance: Profile, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        initial.update({name: getattr(instance.user, name) for name in USER_FIELDS})
        if instance.deputy_id:
            initial["deputy"] = instance.deputy.email
        super().__init__(*args, instance=instance, initial=initial, **kwargs)
        self.fields["department"].empty_label = _("(none)")
        self.fields["photo"].error_messages["invalid_image"] = _(
            "This file is not a picture we can read. Please upload a photo as JPEG, PNG or WebP."
        )
        for name in instance.managed_fields:
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Kept up to date by the central user administration.")

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and getattr(photo, "size", 0) > MAX_PHOTO_BYTES:
            raise ValidationError(_("The photo is too large (at most 5 MB). Please choose a smaller file."))
        return photo

    def clean_expertise(self):
        tags = self.cleaned_data.get("expertise") or []
        if len(tags) > MAX_EXPERTISE_TAGS:
            raise ValidationError(
                _("Please list at most %(max)d subjects.") % {"max": MAX_EXPERTISE_TAGS},
            )
        too_long = [tag for tag in tags if len(tag) > MAX_TAG_LENGTH]
        if too_long:
            raise ValidationError(
                ngettext(
                    "This subject is too long (at most %(max)d characters): %(tags)s",
                    "These subjects are too long (at most %(max)d characters each): %(tags)s",
                    len(too_long),
                )
                % {"max": MAX_TAG_LENGTH, "tags": ", ".join(too_long)}
            )
        return tags

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        allowed = set("0123456789+-/() ")
        if phone and not set(phone) <= allowed:
            raise ValidationError(
                _('Please enter the phone number with digits only, e.g. "0421 361-1101" or "+49 421 361-1101".')
            )
        return phone

    def clean_deputy(self):
        value = (self.cleaned_data.get("deputy") or "").strip().lstrip("@")
        if not value:
            return None
        deputy = User.objects.filter(is_active=True).filter(email__iexact=value).first() or (
            User.objects.filter(is_active=True, username__iexact=value).first()
        )
        if deputy is None:
            raise ValidationError(
                _('No active colleague has the e-mail address or user name "%(value)s". Please check the spelling.')
                % {"value": value}
            )
        if deputy.pk == self.instance.user_id:
            raise ValidationError(_("You cannot be your own deputy. Please name a colleague."))
        return deputy

    def save_user_fields(self) -> dict:
        """The user's own fields from the form (without the managed ones)."""
        return {name: self.cleaned_data[name] for name in USER_FIELDS if not self.fields[name].disabled}


class DateInput(forms.DateInput):
    """The browser's date picker; the value is sent as ISO date (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AbsenceForm(forms.Form):
    """A member of staff enters an absence. The rules (not in the past, no overlap, at most the
    current and the next, who may be deputy) are checked by `people.actions.add_absence`, whose
    errors the view puts on these fields."""

    starts_on = forms.DateField(label=_("First day"), widget=DateInput(), input_formats=["%Y-%m-%d", "%d.%m.%Y"])
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput(), input_formats=["%Y-%m-%d", "%d.%m.%Y"])
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=200,
        help_text=_('Shown on your profile, e.g. "Fortbildung" or "nur per E-Mail erreichbar".'),
    )
    deputy = forms.CharField(
        label=_("Deputy (optional)"),
        required=False,
        max_length=254,
        help_text=_(
            "E-mail address or user name. Empty: your standing deputy from your profile, "
            "or else your unit's deputy head."
        ),
    )

    def clean_deputy(self):
        value = (self.cleaned_data.get("deputy") or "").strip().lstrip("@")
        if not value:
            return None
        deputy = User.objects.filter(email__iexact=value).first() or User.objects.filter(username__iexact=value).first()
        if deputy is None:
            raise ValidationError(
                _('No colleague has the e-mail address or user name "%(value)s". Please check the spelling.')
                % {"value": value}
            )
        return deputy


class EraseUserForm(forms.Form):
    """An administrator confirms erasing a person by typing their user name."""

    confirm_username = forms.CharField(
        label=_("User name, to confirm"),
        max_length=150,
        help_text=_("Type the user name shown above. This cannot be undone."),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_confirm_username(self):
        value = self.cleaned_data["confirm_username"].strip().lstrip("@")
        if value != self.user.username:
            raise ValidationError(_("This is not the user name of the person to be erased."))
        return value


class ChangePasswordForm(AllauthChangePasswordForm):
    """allauth's form, with the current password checked like a sign-in: failed tries count
    against the account's and the address's limit (ACCOUNT_RATE_LIMITS["login_failed"]), so a
    session cannot be used to guess the password it was not given."""

    def clean_oldpassword(self) -> str:
        password = self.cleaned_data.get("oldpassword", "")
        if not get_adapter().reauthenticate(self.user, password):
            raise get_adapter().validation_error("enter_current_password")
        return password
