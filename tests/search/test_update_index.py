"""manage.py update_index: the rebuild shows a progress bar per model on stderr and ends with a
one-line summary on stdout; the rebuilt index finds what the database holds."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from posts.actions import create_post
from posts.models import Channel
from search import query


@pytest.fixture
def posts(user, django_capture_on_commit_callbacks):
    channel = Channel.objects.create(name="Allgemein", slug="allgemein")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            create_post(author=user, channel=channel, text=f"Hausmitteilung {n}: Aufzugsprüfung im Rathaus")
    return channel


def test_it_shows_progress_per_model_and_a_summary(posts, user):
    out, err = StringIO(), StringIO()
    call_command("update_index", stdout=out, stderr=err)
    summary = out.getvalue().strip()
    assert summary.startswith("Search index (default): ")
    assert "posts.Post 3" in summary and " objects indexed in " in summary
    assert "\r" not in err.getvalue()  # not a terminal: plain lines
    assert "posts.Post [##############################] 100% 3/3 " in err.getvalue()
    assert len(query.search(user=user, q="Aufzugsprüfung").hits) == 3


def test_it_writes_nothing_at_verbosity_zero(posts, user):
    out, err = StringIO(), StringIO()
    call_command("update_index", verbosity=0, stdout=out, stderr=err)
    assert out.getvalue() == err.getvalue() == ""
    assert len(query.search(user=user, q="Aufzugsprüfung").hits) == 3


@pytest.mark.django_db
def test_an_unknown_backend_is_named_with_the_configured_ones():
    with pytest.raises(CommandError, match=r"No search backend 'elastic'; configured: default\."):
        call_command("update_index", "--backend", "elastic", stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_a_chunk_size_below_one_is_refused():
    with pytest.raises(CommandError, match="--chunk_size must be 1 or more"):
        call_command("update_index", "--chunk_size", "0", stdout=StringIO(), stderr=StringIO())
