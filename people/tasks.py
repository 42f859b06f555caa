"""Background tasks of people (run by the worker, manage.py db_worker)."""

from django_tasks import task
from modelsearch import index

from .actions import delete_ended_absences
from .models import Profile
from .notifications import send_digests


@task()
def index_profile_of_user(user_id: int) -> bool:
    """The person's search entry again, after their account changed (people.search)."""
    profile = Profile.objects.filter(user_id=user_id).first()
    if profile is None:
        return False
    index.insert_or_update_object(profile)
    return True


@task()
def index_profiles(profile_ids: list[int]) -> int:
    """Search entries of many people at once (the directory sync queues one task per page)."""
    count = 0
    for profile in Profile.get_indexed_objects().filter(pk__in=profile_ids):
        index.insert_or_update_object(profile)
        count += 1
    return count


@task()
def send_digest_mails() -> int:
    """The daily e-mail digest (people.notifications.send_digests); queued by manage.py
    send_digest. Items are marked as e-mailed once mailed, so a retry mails only what is left.
    The same daily run deletes the absences that have ended (no absence history is kept)."""
    delete_ended_absences()
    return send_digests()
