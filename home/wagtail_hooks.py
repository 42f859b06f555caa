from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .actions import (
    READING_CHANGED_ACTION,
    READING_ENDED_ACTION,
    READING_NEW_VERSION_ACTION,
    READING_SET_ACTION,
    REVIEWED_ACTION,
    SERVICE_INSTRUCTION_ACTION,
)
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
    # Mandatory reading (Pflichtlektüre) of pages and official posts: home.actions.set_reading.
    actions.register_action(READING_SET_ACTION, _("Set mandatory reading"), _("Made mandatory reading"))
    actions.register_action(
        READING_CHANGED_ACTION, _("Change mandatory reading"), _("Changed who must read it, or by when")
    )
    actions.register_action(READING_ENDED_ACTION, _("End mandatory reading"), _("No longer mandatory reading"))
    actions.register_action(
        READING_NEW_VERSION_ACTION,
        _("Substantial change"),
        _("Published as a substantial change: everyone confirms again"),
    )
    actions.register_action(
        SERVICE_INSTRUCTION_ACTION,
        _("Service instruction"),
        _("Service instruction switched on or off (who has not confirmed is shown by name only then)"),
    )


@hooks.register("register_reports_menu_item")
def register_broken_links_report():
    return MenuItem(_("Broken internal links"), reverse("home:broken_links"), icon_name="warning", order=900)
