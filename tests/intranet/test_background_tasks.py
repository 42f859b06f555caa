"""What the site queues for the worker and what happens when it runs (database task backend, the
worker in this process): nothing runs in the request, nothing is queued by a write that fails,
and the scheduled commands only queue their task."""

import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from people.models import Notification
from people.notifications import notify
from posts import actions
from tests.conftest import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def queued() -> list[str]:
    return sorted(path.rsplit(".", 1)[-1] for path in DBTaskResult.objects.ready().values_list("task_path", flat=True))


def test_a_new_post_is_indexed_and_its_mention_notified_by_the_worker(db_tasks, user, other_user):
    DBTaskResult.objects.all().delete()  # what creating the two people queued

    actions.create_post(author=user, channel=actions.general_channel(), text="Frage an @mehmet.yilmaz")

    assert queued() == ["index_object", "notify_new_post"]
    assert not Notification.objects.filter(recipient=other_user).exists()
    run_worker()
    assert Notification.objects.get(recipient=other_user).kind == Notification.Kind.MENTION
    assert queued() == []


def test_a_post_refused_queues_nothing(db_tasks, user, other_user):
    DBTaskResult.objects.all().delete()

    with pytest.raises(ValidationError):
        actions.create_post(author=user, channel=actions.general_channel(), text="Frage an @mehmet.yilmaz\x00")

    assert queued() == []


def test_send_digest_queues_the_digest_and_the_worker_mails_it(db_tasks, user, other_user):
    notify(recipient=user, kind=Notification.Kind.MENTION, actor=other_user, verb="Mehmet hat Sie erwähnt")
    out = io.StringIO()

    call_command("send_digest", stdout=out)

    assert "Queued for the background worker: send_digest_mails" in out.getvalue()
    assert mail.outbox == []
    run_worker()
    (message,) = mail.outbox
    assert message.to == [user.email] and "Mehmet hat Sie erwähnt" in message.body


def test_notify_review_due_queues_its_task(db_tasks):
    out = io.StringIO()

    call_command("notify_review_due", stdout=out)

    assert "Queued for the background worker: send_review_reminders" in out.getvalue()
    assert queued() == ["send_review_reminders"]
    run_worker()
    assert DBTaskResult.objects.get().return_value == {
        "mails": 0,
        "pages": 0,
        "reading": {"requirements": 0, "reminded": 0, "stand_ins": 0},
        "purged": {"confirmations": 0, "reminders": 0},
    }
