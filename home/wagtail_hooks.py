from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .actions import REVIEWED_ACTION
from .permissions import fails_group_restriction, remember_for_request


@hooks.register("before_serve_page")
def hide_restricted_pages(page, request, serve_args, serve_kwargs):
    """A page restricted to groups the reader is not in does not exist for them (no 403 that
    would reveal its title or existence)."""
    remember_for_request(request.user)
    if fails_group_restriction(request.user, page):
        raise Http404


@hooks.register("register_log_actions")
def register_review_action(actions):
    actions.register_action(REVIEWED_ACTION, _("Mark as reviewed"), _("Marked as reviewed (content unchanged)"))


@hooks.register("register_reports_menu_item")
def register_broken_links_report():
    return MenuItem(_("Broken internal links"), reverse("home:broken_links"), icon_name="warning", order=900)
