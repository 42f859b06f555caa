"""The people app's page types for the accessibility check."""

import datetime

from django.utils import timezone

from people.models import Absence, Department, Profile
from tests.conftest import make_user


def pages(user):
    kaemmerei, _ = Department.objects.get_or_create(name="Kämmerei", defaults={"short_name": "Käm"})
    colleague = make_user("birgit.lehmann", department=kaemmerei, first_name="Birgit", last_name="Lehmann")
    profile = Profile.objects.get(user=colleague)
    profile.job_title = "Vergabestelle"
    profile.responsibilities = "Ausschreibungen und Vergaben für alle Ämter"
    profile.languages = "Deutsch, Englisch"
    profile.deputy = user
    profile.save()
    today = timezone.localdate()
    Absence.objects.create(user=colleague, starts_on=today, ends_on=today + datetime.timedelta(days=4), note="Urlaub")
    profile.expertise.add("Vergaberecht", "UVgO")
    return [
        ("directory search", "/personen/?q=Vergaberecht"),
        ("directory A–Z", "/personen/?buchstabe=L"),
        ("directory without results", "/personen/?q=Feuerwehrmann"),
        ("colleague's profile", f"/personen/{colleague.username}/"),
        ("department", f"/personen/abteilungen/{kaemmerei.slug}/"),
        ("edit profile", "/personen/profil/bearbeiten/"),
        ("absences", "/personen/abwesenheit/"),
        ("privacy", "/personen/datenschutz/"),
    ]
