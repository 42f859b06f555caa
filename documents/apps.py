from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")
    # Wagtail's own document model and taggit's tagged items use 32-bit ids; so do we.
    default_auto_field = "django.db.models.AutoField"
