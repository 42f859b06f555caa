from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Channel


@hooks.register("register_log_actions")
def register_post_log_actions(actions):
    """Moderation of the microblog leaves audit entries (Wagtail's ModelLogEntry)."""
    actions.register_action("posts.hide", _("Hide post"), _("Post hidden by a moderator"))
    actions.register_action("posts.unhide", _("Show post again"), _("Hidden post shown again"))
    actions.register_action("posts.official", _("Mark as official"), _("Post marked as official announcement"))
    actions.register_action("posts.unofficial", _("Remove official mark"), _("Official mark removed"))
    actions.register_action("posts.urgent", _("Publish urgent notice"), _("Urgent notice published"))
    actions.register_action("posts.urgent_end", _("End urgent notice"), _("Urgent notice ended"))


class ChannelViewSet(SnippetViewSet):
    """Channels in the admin: who may start posts, description, additional editors."""

    model = Channel
    icon = "comment"
    menu_label = _("Channels")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "department", "posting_policy"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("department"),
        FieldPanel("description"),
        FieldPanel("posting_policy"),
        FieldPanel("editors"),
    ]


register_snippet(ChannelViewSet)
