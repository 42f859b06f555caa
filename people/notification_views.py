"""The notifications inbox: list, open (marks read), mark one or all read, digest setting."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import notifications
from .models import Profile

PAGE_SIZE = 50


def inbox(request):
    """Newest first: one query for the items (with the actor), one for the unread count."""
    items = list(request.user.notifications.select_related("actor")[:PAGE_SIZE])
    profile = Profile.objects.filter(user=request.user).only("email_digest").first()
    return render(request, "people/notifications.html", {"items": items, "profile": profile})


def open_item(request, pk):
    """Follows an item's link and marks it read."""
    item = notifications.mark_read(user=request.user, notification_id=pk)
    if (
        item is None
        or not item.url
        or not url_has_allowed_host_and_scheme(item.url, allowed_hosts={request.get_host()})
    ):
        return redirect("notifications:inbox")
    return redirect(item.url)


@require_POST
def mark_read(request):
    if request.POST.get("alle") == "1":
        count = notifications.mark_all_read(user=request.user)
        messages.success(request, _("All notifications marked as read (%(count)s).") % {"count": count})
    else:
        try:
            notifications.mark_read(user=request.user, notification_id=int(request.POST.get("id", "")))
        except ValueError:
            pass
    return redirect("notifications:inbox")


@require_POST
def settings_view(request):
    profile = Profile.objects.filter(user=request.user).first()
    if profile is not None:
        profile.email_digest = request.POST.get("email_digest") == "1"
        profile.save(update_fields=["email_digest"])
        if profile.email_digest:
            messages.success(request, _("You will receive a daily e-mail with unread notifications."))
        else:
            messages.success(request, _("You will no longer receive the daily e-mail."))
    return redirect("notifications:inbox")
