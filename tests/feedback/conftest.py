"""A department section with a wiki page owned by Anna Schmidt (``user``), a colleague who asks
(Mehmet Yılmaz, ``other_user``), and a page restricted to the Personalrat."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import PageViewRestriction

from home.models import WikiPage
from tests.conftest import make_user, sign_in
from tests.home.conftest import *  # noqa: F403 (the wiki fixtures: wiki_page, bauamt_editor, ...)
from tests.home.conftest import add_page, rich


@pytest.fixture
def asker_client(other_user) -> Client:
    return sign_in(Client(), other_user)


@pytest.fixture
def personalrat_page(wiki_page, user):
    """A page only the Personalrat sees; its owner is in the group."""
    group, _created = Group.objects.get_or_create(name="Personalrat")
    user.groups.add(group)
    page = add_page(
        wiki_page.get_parent(),
        WikiPage(
            title="Dienstvereinbarung intern",
            slug="dv-intern",
            body=rich("Nur für den Personalrat"),
            content_owner=user,
        ),
    )
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    return page


@pytest.fixture
def stand_in(db, department):
    return make_user("sophie.krueger", department=department, first_name="Sophie", last_name="Krüger")
