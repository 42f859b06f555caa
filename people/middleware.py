from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from intranet.shared.api import error_response

from .permissions import has_elevated_rights

# Paths that need no second factor at all: assets, the health check, the language switch.
ALWAYS_ALLOWED_PREFIXES = ("/static/", "/healthz", "/i18n/", "/jsi18n/")
# Paths a user with elevated rights but no second factor yet still needs: setting one up.
SETUP_PREFIXES = ("/konto/",)
# Where any member of staff reaches something that must never be reached without the second factor
# of this sign-in (when the person has one): both admins and the API token page.
PROTECTED_PREFIXES = ("/admin/", "/django-admin/", "/api-zugang/")
# The authenticator types that allauth's sign-in asks for (recovery codes only stand in for them).
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def passed_second_factor(request) -> bool:
    """Whether this session's sign-in included the second factor (allauth records each
    authentication step of a session: "password", "socialaccount", "mfa", ...)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


class RequireMFAMiddleware:
    """No session reaches the site's protected parts without the second factor of this sign-in.

    - Editors and administrators must have a second factor (TOTP): until they have activated one,
      every page sends them to the activation page.
    - A session of anyone who has a second factor but did not use it in this sign-in (a session from
      before it was required, or from any path that skipped allauth's sign-in flow) must confirm
      it before it goes on: editors and administrators everywhere, other staff before an admin or
      the token page. allauth's sign-in asks for the code itself; this is the guard behind it.

    Costs no query for staff without elevated rights outside the protected paths, and none for a
    session that passed the second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path
        if (
            user is None
            or not user.is_authenticated
            or path.startswith(ALWAYS_ALLOWED_PREFIXES)
            or passed_second_factor(request)
        ):
            return self.get_response(request)
        elevated = has_elevated_rights(user)
        if not elevated and not path.startswith(PROTECTED_PREFIXES):
            return self.get_response(request)
        if is_mfa_enabled(user, SECOND_FACTORS):
            if path in (reverse("mfa_reauthenticate"), reverse("account_logout")):
                return self.get_response(request)
            return self._refuse(
                request,
                "mfa_not_confirmed",
                _("Please confirm this sign-in with your second factor first."),
                "mfa_reauthenticate",
            )
        if elevated and not path.startswith(SETUP_PREFIXES):
            return self._refuse(
                request, "mfa_required", _("Two-factor authentication must be set up first."), "mfa_activate_totp"
            )
        return self.get_response(request)

    @staticmethod
    def _refuse(request, code: str, message: str, url_name: str):
        if request.path.startswith("/api/"):
            return error_response(403, message, code=code)
        return redirect(reverse(url_name) + "?" + urlencode({"next": request.get_full_path()}))
