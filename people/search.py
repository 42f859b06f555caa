"""The "person" type of the one search (``search.registry``): profiles of active accounts, their
filters, and how a person hit looks; the departments of the search's department filter and
facet; and the re-indexing of a profile when its account changes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from intranet.shared.tasks import enqueue_on_commit
from search.hits import Hit, highlight
from search.registry import (
    Departments,
    SearchType,
    Source,
    department_ids,
    register,
    register_departments,
    tag_names,
)

from .models import Department, Profile


class PersonType(SearchType):
    name = "person"
    label = gettext_lazy("People")
    hit_label = gettext_lazy("Person")
    order = 30
    autocomplete = True

    def source(self, user, filters):
        if filters.date_from or filters.date_to:  # people have no date
            return None
        people = Profile.objects.filter(user__is_active=True).select_related("user", "department")
        if filters.department:
            people = people.filter(department_id__in=department_ids(filters))
        return Source(
            self.name,
            people,
            narrow=Profile.objects.filter(expertise__slug=filters.tag).values("pk") if filters.tag else None,
            index_terms={"expertise__slug": filters.tag} if filters.tag else {},
            facet_fields={"department": "department_id"},
        )

    def hit(self, obj, score, q, tags, request=None):
        text = " · ".join(part for part in (obj.job_title, obj.responsibilities) if part)
        return Hit(
            self.name, obj.pk, str(obj.user), obj.get_absolute_url(), highlight(text, q),
            obj.department.name if obj.department_id else "", sorted(tags), None, score,
        )  # fmt: skip

    def tags(self, ids):
        """A person's tags are their expertise."""
        return tag_names(Profile.expertise.through, ids)

    def department_of(self, obj):
        return obj.department_id

    def suggestion(self, obj):
        from .absences import absence_text

        label = str(obj.user)
        absence = absence_text(obj.current_absence)  # at most one query per suggested person
        return {"label": f"{label} – {absence}" if absence else label, "url": obj.get_absolute_url()}


class ProfileDepartments(Departments):
    def names(self, ids):
        return dict(Department.objects.filter(pk__in=list(ids)).values_list("pk", "name"))

    def choices(self):
        return Department.objects.order_by("name")

    def by_slug(self, slug):
        return Department.objects.filter(slug=slug).values_list("pk", flat=True).first()

    def subunits(self, pk):
        return tuple(unit for unit in Department.subtree_ids(pk) if unit != pk)


register(PersonType())
register_departments(ProfileDepartments())


#: User fields the person's search document holds (name in its text, the account's state as the
#: ``user__is_active`` filter term that keeps inactive people out of the results and counts).
USER_FIELDS_IN_PROFILE = {"is_active", "first_name", "last_name"}


def reindex_profile_of_user(sender, instance, update_fields=None, **kwargs):
    """The person's search document holds fields of their account; saving the account (HR
    deactivating it, a name change) re-indexes the profile after commit. A login (which only
    saves ``last_login``) does not."""
    if update_fields is not None and not USER_FIELDS_IN_PROFILE & set(update_fields):
        return

    from .tasks import index_profile_of_user

    enqueue_on_commit(index_profile_of_user, instance.pk)
