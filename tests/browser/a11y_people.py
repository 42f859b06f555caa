"""The people app's page types for the accessibility check."""

from people.models import Department, Profile
from tests.conftest import make_user


def pages(user):
    kaemmerei, _ = Department.objects.get_or_create(name="Kämmerei", defaults={"short_name": "Käm"})
    colleague = make_user("birgit.lehmann", department=kaemmerei, first_name="Birgit", last_name="Lehmann")
    profile = Profile.objects.get(user=colleague)
    profile.job_title = "Vergabestelle"
    profile.responsibilities = "Ausschreibungen und Vergaben für alle Ämter"
    profile.languages = "Deutsch, Englisch"
    profile.absence_note = "Im Urlaub bis Freitag"
    profile.deputy = user
    profile.save()
    profile.expertise.add("Vergaberecht", "UVgO")
    return [
        ("directory search", "/personen/?q=Vergaberecht"),
        ("directory A–Z", "/personen/?buchstabe=L"),
        ("directory without results", "/personen/?q=Feuerwehrmann"),
        ("colleague's profile", f"/personen/{colleague.username}/"),
        ("department", f"/personen/abteilungen/{kaemmerei.slug}/"),
        ("edit profile", "/personen/profil/bearbeiten/"),
        ("privacy", "/personen/datenschutz/"),
    ]
