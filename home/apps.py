from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Wiki")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import signals

        page_published.connect(signals.on_page_published, dispatch_uid="home.page_published")
        page_unpublished.connect(signals.on_page_unpublished, dispatch_uid="home.page_unpublished")
        post_delete.connect(signals.on_deleted, dispatch_uid="home.page_deleted")
        post_page_move.connect(signals.on_page_moved, dispatch_uid="home.page_moved")
