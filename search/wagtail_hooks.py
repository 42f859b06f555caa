"""Admin report for editors: the most frequent queries and the queries without results of the
last 30 or 90 days. Aggregate only — the statistics hold no user, IP address or session.
Other apps add their parts below with the hook ``search_statistics_panels``: a function of
``(request, days)`` returning HTML (the feedback app: pages found unhelpful)."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from intranet.shared.permissions import has_elevated_rights

from .models import Synonym, top_queries, zero_result_queries

PERIODS = (30, 90)


def search_statistics(request):
    if not has_elevated_rights(request.user):
        raise PermissionDenied
    days = int(request.GET.get("days", 30)) if request.GET.get("days") in ("30", "90") else 30
    return TemplateResponse(
        request,
        "search/admin/statistics.html",
        {
            "days": days,
            "periods": PERIODS,
            "top": top_queries(days=days),
            "zero": zero_result_queries(days=days),
            # other apps' parts of the report, e.g. the pages readers found unhelpful (feedback)
            "panels": [panel(request, days) for panel in hooks.get_hooks("search_statistics_panels")],
            "header_title": _("Search statistics"),
        },
    )


@hooks.register("register_admin_urls")
def register_urls():
    return [path("suchstatistik/", search_statistics, name="search_statistics")]


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return has_elevated_rights(request.user)


@hooks.register("register_reports_menu_item")
def register_menu_item():
    return StatisticsMenuItem(_("Search statistics"), reverse("search_statistics"), icon_name="search", order=900)


class SynonymViewSet(SnippetViewSet):
    """ "Synonyme und Abkürzungen": only users with the snippet's permissions (the central
    editorial team, administrators) see and edit it; see search/synonyms.py."""

    model = Synonym
    icon = "list-ul"
    menu_label = _("Synonyms and abbreviations")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["terms"]
    search_fields = ["terms"]
    list_per_page = 100
    panels = [FieldPanel("terms")]


register_snippet(SynonymViewSet)
