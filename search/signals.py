"""Keeps the search index in step with changes Wagtail makes without a save signal."""

from django.db import transaction
from wagtail.search import index


def reindex_moved_subtree(sender, instance, **kwargs):
    """A move rewrites the `path` of the page and all its descendants with one UPDATE, which
    fires no save signal; their indexed filter values (path, depth, url) would go stale, and
    `descendant_of()` searches would miss them. Re-index the whole moved subtree after commit."""

    def reindex():
        for page in instance.get_descendants(inclusive=True).specific().iterator():
            index.insert_or_update_object(page)

    transaction.on_commit(reindex)


#: User fields the person's search document holds (name in its text, the account's state as the
#: ``user__is_active`` filter term that keeps inactive people out of the results and counts).
USER_FIELDS_IN_PROFILE = {"is_active", "first_name", "last_name"}


def reindex_profile_of_user(sender, instance, update_fields=None, **kwargs):
    """The person's search document holds fields of their account; saving the account (HR
    deactivating it, a name change) re-indexes the profile after commit. A login (which only
    saves ``last_login``) does not."""
    if update_fields is not None and not USER_FIELDS_IN_PROFILE & set(update_fields):
        return
    from people.models import Profile

    def reindex():
        profile = Profile.objects.filter(user_id=instance.pk).first()
        if profile is not None:
            index.insert_or_update_object(profile)

    transaction.on_commit(reindex)
