"""The Wagtail admin's report of background tasks (Berichte -> Hintergrundaufgaben), for
administrators: the failed tasks with their last error, how many wait and run, which workers are
alive (intranet/worker.py). Failed tasks are also mailed to ADMINS (settings LOGGING)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .models import WorkerHeartbeat
from .worker import attempts, max_attempts

#: failed tasks listed, newest first
FAILED_SHOWN = 100


def background_tasks(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
    failed = list(
        DBTaskResult.objects.failed()
        .order_by("-finished_at")
        .only(
            "id",
            "task_path",
            "args_kwargs",
            "worker_ids",
            "enqueued_at",
            "finished_at",
            "exception_class_path",
            "traceback",
        )[:FAILED_SHOWN]
    )
    for result in failed:
        result.attempts = attempts(result)
        result.name = result.task_path.rsplit(".", 1)[-1]
    alive_since = timezone.now() - timedelta(seconds=float(settings.TASKS_WORKER_LOST_AFTER))
    return TemplateResponse(
        request,
        "intranet/admin/background_tasks.html",
        {
            "header_title": _("Background tasks"),
            "waiting": counts.get(TaskResultStatus.READY, 0),
            "running": counts.get(TaskResultStatus.RUNNING, 0),
            "failed_count": counts.get(TaskResultStatus.FAILED, 0),
            "failed": failed,
            "workers": list(WorkerHeartbeat.objects.filter(seen_at__gte=alive_since).order_by("started_at")),
            "max_attempts": max_attempts(),
            "queued_backend": "django_tasks_db" in settings.TASKS["default"]["BACKEND"],
        },
    )


@hooks.register("register_admin_urls")
def register_urls():
    return [path("hintergrundaufgaben/", background_tasks, name="background_tasks")]


class AdministratorsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_reports_menu_item")
def register_menu_item():
    return AdministratorsMenuItem(_("Background tasks"), reverse("background_tasks"), icon_name="cogs", order=950)
