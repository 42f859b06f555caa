"""The account overview (/konto/): what a person can manage about their own account in one place —
name and e-mail, password, second factor and recovery codes, API tokens, language,
notifications, their data (GDPR). It only links to the pages that change each (allauth's, the
profile's, the notification settings'); it changes nothing itself."""

from allauth.mfa.models import Authenticator
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .models import ApiToken


@never_cache
def account_overview(request):
    user = request.user
    authenticators = {a.type: a for a in Authenticator.objects.filter(user=user)}  # one query
    recovery = authenticators.get(Authenticator.Type.RECOVERY_CODES)
    return render(
        request,
        "intranet/account.html",
        {
            "totp_active": Authenticator.Type.TOTP in authenticators,
            "recovery_codes_left": len(recovery.wrap().get_unused_codes()) if recovery else None,
            "token_count": ApiToken.objects.active().filter(user=user).count(),
            "has_password": user.has_usable_password(),
        },
    )
