from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.utils.translation import gettext_lazy as _

from . import actions, sso
from .models import Profile, User


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: accounts are created by an administrator, by invitation or by SSO.

    The messages staff see most often are our own, so that the German text addresses them
    formally ("Sie"), as an administration does."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This account has been deactivated. Please contact your IT department."),
        "email_password_mismatch": _("The e-mail address or the password is not correct. Please check both."),
        "incorrect_password": _("The password is not correct."),
        "invalid_or_expired_key": _("This link is invalid or has expired. Please request a new one."),
        "invalid_password_reset": _("This password reset link is invalid or has expired. Please request a new one."),
        "too_many_login_attempts": _("Too many failed sign-in attempts. Please wait a few minutes and try again."),
        "rate_limited": _("Too many requests in a short time. Please wait a moment and try again."),
        "enter_current_password": _("Please enter your current password."),
    }

    def is_open_for_signup(self, request):
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on may create accounts (the identity provider decides who is staff).

    On the first sign-in the account and profile are created from the provider's claims; on every
    later one they are updated. Fields filled this way are read-only for the person (see
    `Profile.managed_fields`). A deactivated account (`is_active=False`) is refused by allauth
    with our "account_inactive" message, whatever the provider says."""

    def is_open_for_signup(self, request, sociallogin):
        return True

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        managed = sso.managed_data(sso.claims_from(sociallogin.account.extra_data))
        user.first_name = managed.get("first_name", user.first_name)
        user.last_name = managed.get("last_name", user.last_name)
        user.email = (managed.get("email") or user.email or "").lower()
        user.username = actions.unique_username(user.first_name, user.last_name, user.email)
        return user

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        self._apply_claims(user, sociallogin)
        return user

    def pre_social_login(self, request, sociallogin):
        super().pre_social_login(request, sociallogin)
        if not sociallogin.is_existing:
            # The directory sync's account for this person, by the directory's immutable id
            # (allauth has already looked for one by e-mail).
            found = sso.directory_id(sso.claims_from(sociallogin.account.extra_data))
            profile = Profile.objects.select_related("user").filter(directory_id=found).first() if found else None
            if profile is not None:
                sociallogin.connect(request, profile.user)
        if sociallogin.is_existing and sociallogin.user.is_active:
            self._apply_claims(sociallogin.user, sociallogin)

    @staticmethod
    def _apply_claims(user, sociallogin):
        if Profile.objects.filter(user=user, directory_id__isnull=False).exists():
            return  # kept by the directory sync (or the HR list): the directory is the record
        data = sso.managed_data(sso.claims_from(sociallogin.account.extra_data))
        if "email" in data and User.objects.filter(email__iexact=data["email"]).exclude(pk=user.pk).exists():
            data.pop("email")  # another account already has this address; keep the old one
        actions.apply_managed_data(user=user, data=data)
