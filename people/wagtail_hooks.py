import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .actions import ensure_profile
from .models import Department


@hooks.register("register_log_actions")
def register_people_log_actions(actions):
    """Erasing a person (GDPR) leaves an audit entry (Wagtail's ModelLogEntry) that names the
    administrator and the account number, but nothing about the erased person."""
    actions.register_action("people.erase", _("Erase person (GDPR)"), _("Person erased (GDPR)"))


@hooks.register("after_create_user")
def give_new_account_a_profile(request, user):
    """An account an administrator creates in Wagtail's admin is in the staff directory at once."""
    ensure_profile(user=user)


class DepartmentFilterSet(WagtailFilterSet):
    left_directory = django_filters.BooleanFilter(
        field_name="left_directory_at",
        lookup_expr="isnull",
        exclude=True,
        label=_("No longer in the directory"),
    )

    class Meta:
        model = Department
        fields = ["kind"]


class DepartmentViewSet(SnippetViewSet):
    """The administration's units in the admin: name, kind, the unit they belong to, head and
    deputy head. `Department.clean` refuses a unit placed beneath itself (a cycle). Units the
    directory no longer has show since when, and a filter lists them."""

    model = Department
    icon = "group"
    menu_label = _("Organisation")
    menu_order = 290
    add_to_admin_menu = True
    list_display = ["name", "short_name", "kind", "parent", "left_directory_at"]
    filterset_class = DepartmentFilterSet
    search_fields = ["name", "short_name"]
    ordering = ["name"]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("short_name"), FieldPanel("slug")]),
        FieldPanel("kind"),
        FieldPanel("parent"),
        MultiFieldPanel([FieldPanel("head"), FieldPanel("deputy_head")], heading=_("Management")),
    ]


register_snippet(DepartmentViewSet)
