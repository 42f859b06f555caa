"""Who may see which documents — decided here, used by search and anything that lists documents.

The rule is Wagtail's own for serving a file (``wagtail.documents.wagtail_hooks
.check_view_restrictions``): a document is visible when no view restriction on its collection or
an ancestor collection excludes the user. As for pages (``home.permissions``):
- "login" restrictions: every signed-in member of staff passes;
- "groups" restrictions: members of one of the groups and superusers pass;
- "password" restrictions: never listed (the password is entered per browser session).
"""

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from home.permissions import exclude_paths, failed_view_restriction_paths


def _failed_restriction_paths(user) -> list[str]:
    """Tree paths of the restricted collections the user may not see (1 query, 2 with groups)."""
    return failed_view_restriction_paths(user, CollectionViewRestriction, "collection__path")


def visible_collection_ids(user) -> list[int]:
    """Ids of the collections whose documents the user may see (a list: it goes into the search
    index's filter as it is)."""
    collections = exclude_paths(Collection.objects.all(), _failed_restriction_paths(user))
    return list(collections.values_list("pk", flat=True))


def visible_documents(user):
    """Every document the user may see (a lazy queryset of the configured document model)."""
    return get_document_model().objects.filter(collection_id__in=visible_collection_ids(user))


def can_view_document(user, document) -> bool:
    failed = _failed_restriction_paths(user)
    path = document.collection.path
    return not any(path.startswith(prefix) for prefix in failed)
