"""Response headers that hold for the whole site, the Wagtail admin included."""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings

WAGTAIL_ADMIN_PREFIX = "/admin/"  # intranet/urls.py


class SitePolicyCSPMiddleware(CSPMiddleware):
    """django-csp with a second policy for the Wagtail admin.

    The site's own pages get `CONTENT_SECURITY_POLICY`. Wagtail's admin still needs inline scripts
    and styles, so it gets `CONTENT_SECURITY_POLICY_ADMIN` (settings/base.py): it keeps every other
    restriction (own origin only, no plugins, no foreign frames or form targets)."""

    def get_policy_parts(self, request, response, report_only=False):
        if not report_only and request.path.startswith(WAGTAIL_ADMIN_PREFIX):
            if getattr(response, "_csp_config", None) is None:
                response._csp_config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return super().get_policy_parts(request, response, report_only)


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every response: the intranet uses no camera, microphone, location,
    payment or other powerful browser feature, so no page (nor anything embedded) may ask for one."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENIED_FEATURES)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.value)
        return response
