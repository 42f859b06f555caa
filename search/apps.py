from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import post_page_move

        from . import checks, registry, synonyms  # noqa: F401 (checks: registers the system checks)
        from .models import Synonym
        from .signals import reindex_moved_subtree

        # Every app's search.py registers its content types (search/registry.py).
        registry.load()
        post_page_move.connect(reindex_moved_subtree, dispatch_uid="search.reindex_moved_subtree")
        # An edit of "Synonyme und Abkürzungen" applies from the next search in every process.
        post_save.connect(synonyms.changed, sender=Synonym, dispatch_uid="search.synonyms_changed")
        post_delete.connect(synonyms.changed, sender=Synonym, dispatch_uid="search.synonyms_deleted")
