import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _to_allauth(url_name: str):
    """A view that sends the browser to allauth's page ``url_name`` and does nothing else with
    what it was sent: Wagtail's and Django's own password forms stay routed (their pages and
    mails link to them) but never sign anybody in. Every sign-in goes through allauth's flow,
    with its second factor and its limits on guessing."""

    @login_not_required
    @never_cache
    def view(request, *args, **kwargs):
        url = resolve_url(url_name)
        next_url = request.GET.get("next") or request.POST.get("next")
        if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            url += "?" + urlencode({"next": next_url})
        # 303: a browser follows with GET, so nothing it posted here is sent on
        return HttpResponseRedirect(url, status=303) if request.method == "POST" else HttpResponseRedirect(url)

    return view


to_sign_in = _to_allauth("account_login")
to_password_reset = _to_allauth("account_reset_password")


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not reachable"
        logger.exception("health check: database not reachable")
        return False, exc.__class__.__name__
    return True, "ok"


def check_search_index() -> tuple[bool, str]:
    """Asks the configured search backend whether its index can be read.

    Backends of ours implement `healthcheck()`; for others a tiny search must succeed."""
    try:
        from wagtail.search.backends import get_search_backend

        backend = get_search_backend()
        if hasattr(backend, "healthcheck"):
            return backend.healthcheck()
        from django.db import transaction
        from wagtail.models import Page

        with transaction.atomic():  # a failing search must not break the request's transaction
            list(backend.search("healthcheck", Page)[:1])
    except Exception as exc:
        logger.exception("health check: search index not reachable")
        return False, exc.__class__.__name__
    return True, "ok"


@login_not_required
@never_cache
@require_GET
def healthz(request):
    checks = {"database": check_database(), "search_index": check_search_index()}
    healthy = all(ok for ok, _ in checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_500(request):
    # No context processors that could fail again: a plain render of a self-contained template.
    from django.template import loader

    template = loader.get_template("500.html")
    from django.http import HttpResponseServerError

    return HttpResponseServerError(template.render({"request": request}))
