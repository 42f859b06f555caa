from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import reverse

from .permissions import has_elevated_rights

# Paths a user without a second factor still needs: setting one up, signing out, assets.
ALLOWED_PREFIXES = ("/konto/", "/static/", "/healthz", "/i18n/", "/jsi18n/")


class RequireMFAMiddleware:
    """Editors and administrators must have a second factor (TOTP) before they can use the site.

    Anyone may set one up; for users with elevated rights it is required: until they have
    activated TOTP, every page sends them to the activation page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and has_elevated_rights(user)
            and not is_mfa_enabled(user)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {
                        "error": {
                            "code": "mfa_required",
                            "message": "Two-factor authentication must be set up first.",
                            "fields": [],
                        }
                    },
                    status=403,
                )
            return redirect(reverse("mfa_activate_totp") + "?next=" + request.get_full_path())
        return self.get_response(request)
