from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import post_page_move

        from .signals import reindex_moved_subtree

        post_page_move.connect(reindex_moved_subtree, dispatch_uid="search.reindex_moved_subtree")
