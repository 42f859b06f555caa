from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")
    # Wagtail's own document model and taggit's tagged items use 32-bit ids; so do we.
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from . import checks  # noqa: F401 - registers the DOCUMENTS_ROOT check

        register_collection_member_policies()


def register_collection_member_policies() -> None:
    """Who may do what with documents and images in which collection, in Wagtail's admin
    (``documents.permissions.CollectionMemberPermissionPolicy``). Registered for the exact model
    classes: ``wagtail.documents`` and ``wagtail.images`` register their default policies in their
    ``ready()`` (after ours, by INSTALLED_APPS order) for the classes and their subclasses, and an
    exact-class registration is looked up first."""
    from wagtail.documents import get_document_model, get_document_model_string
    from wagtail.images import get_image_model, get_image_model_string
    from wagtail.permissions import register_permission_policy

    from .permissions import CollectionMemberPermissionPolicy

    register_permission_policy(
        get_document_model(),
        CollectionMemberPermissionPolicy(
            get_document_model_string(), auth_model="wagtaildocs.Document", owner_field_name="uploaded_by_user"
        ),
        exact_class=True,
    )
    register_permission_policy(
        get_image_model(),
        CollectionMemberPermissionPolicy(
            get_image_model_string(), auth_model="wagtailimages.Image", owner_field_name="uploaded_by_user"
        ),
        exact_class=True,
    )
