from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from .search import reindex_profile_of_user

        # The person's search document holds fields of the account (people/search.py).
        post_save.connect(
            reindex_profile_of_user, sender=get_user_model(), dispatch_uid="search.reindex_profile_of_user"
        )
