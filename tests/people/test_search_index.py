"""Profiles are in the site's search index (for the unified search), with filters on department
and active state."""

import pytest
from wagtail.search.backends import get_search_backend

from people.models import Department, Profile
from tests.conftest import make_user

pytestmark = pytest.mark.search_index


@pytest.mark.django_db
def test_profiles_are_found_by_name_job_title_and_expertise(department):
    kaemmerei = Department.objects.create(name="Kämmerei")
    user = make_user("birgit.lehmann", department=kaemmerei, first_name="Birgit", last_name="Lehmann")
    profile = Profile.objects.get(user=user)
    profile.job_title = "Vergabestelle"
    profile.save()
    profile.expertise.add("Vergaberecht")
    get_search_backend().add(Profile.get_indexed_objects().get(pk=profile.pk))
    backend = get_search_backend()
    for query in ["Lehmann", "Vergabestelle", "Vergaberecht"]:
        assert [p.pk for p in backend.search(query, Profile)] == [profile.pk], query
    in_department = backend.search("Lehmann", Profile.objects.filter(department_id=department.pk))
    assert list(in_department) == []
