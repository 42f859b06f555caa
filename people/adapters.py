from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.utils.translation import gettext_lazy as _


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
    """Single sign-on may create accounts (the identity provider decides who is staff)."""

    def is_open_for_signup(self, request, sociallogin):
        return True
