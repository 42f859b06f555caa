import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


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
