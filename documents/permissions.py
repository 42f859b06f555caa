"""Who may see which documents — decided here, used by search and anything that lists documents.

The rule is Wagtail's own for serving a file (``wagtail.documents.wagtail_hooks
.check_view_restrictions``): a document is visible when no view restriction on its collection or
an ancestor collection excludes the user. As for pages (``home.permissions``):
- "login" restrictions: every signed-in member of staff passes;
- "groups" restrictions: members of one of the groups and superusers pass;
- "password" restrictions: never listed (the password is entered per browser session).

The same rule bounds what editors may do in Wagtail's admin (``CollectionMemberPermissionPolicy``,
registered for documents and images in ``DocumentsConfig.ready``).
"""

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from home.permissions import exclude_paths, failed_view_restriction_paths
from intranet.shared.permissions import remembered


def _failed_restriction_paths(user) -> list[str]:
    """Tree paths of the restricted collections the user may not see (1 query, 2 with groups;
    once per request where the request remembers, ``intranet.shared.permissions``)."""
    return remembered(
        user,
        "failed_collection_paths",
        lambda: failed_view_restriction_paths(user, CollectionViewRestriction, "collection__path"),
    )


def visible_collection_ids(user) -> list[int]:
    """Ids of the collections whose documents the user may see (a list: it goes into the search
    index's filter as it is)."""
    collections = exclude_paths(Collection.objects.all(), _failed_restriction_paths(user))
    return list(collections.values_list("pk", flat=True))


def visible_documents(user):
    """Every document the user may see (a lazy queryset of the configured document model)."""
    return get_document_model().objects.filter(collection_id__in=visible_collection_ids(user))


def can_view_collection(user, collection) -> bool:
    failed = _failed_restriction_paths(user)
    return not any(collection.path.startswith(prefix) for prefix in failed)


def can_view_document(user, document) -> bool:
    return can_view_collection(user, document.collection)


class CollectionMemberPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's permission policy for documents and images (rights granted per collection with
    ``GroupCollectionPermission``, reaching the collections below), with one rule more: nobody but
    a superuser has any right in a collection they may not see (``can_view_collection``), however
    it was granted. So a right on the root collection does not reach into the Personalrat's
    collection: its documents cannot be listed, chosen, edited or moved out, and nothing can be
    moved into it, by anyone outside the Personalrat. A password-restricted collection is open to
    superusers only."""

    def _collections_with_perm(self, user, actions):
        # Every list of collections (upload and edit forms, "add to collection", the listing's
        # filter) and of instances (listing, chooser, bulk actions) comes from here.
        return exclude_paths(super()._collections_with_perm(user, actions), _failed_restriction_paths(user))

    def _check_perm(self, user, actions, collection=None):
        # Every decision on one instance or collection (edit, delete, move, choose) comes here.
        if collection is not None and not can_view_collection(user, collection):
            return False
        return super()._check_perm(user, actions, collection=collection)
