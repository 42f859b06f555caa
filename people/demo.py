"""Demo data for the people app: departments and staff of the fictional Stadt Musterstadt."""

from django.conf import settings
from django.db import transaction

from .models import Department, Profile, User

DEMO_PASSWORD = "wissensnetz-demo"

DEPARTMENTS = [
    # name, short name, [(first, last, job title, phone, room)]
    ("Bürgeramt", "BA", [
        ("Anna", "Schmidt", "Sachbearbeiterin Meldewesen", "0421 361-1101", "Rathaus, Raum E.04"),
        ("Mehmet", "Yılmaz", "Sachgebietsleiter Pass- und Ausweiswesen", "0421 361-1102", "Rathaus, Raum E.06"),
        ("Julia", "Becker", "Sachbearbeiterin Bürgerbüro", "0421 361-1103", "Rathaus, Raum E.02"),
        ("Thomas", "Wagner", "Amtsleiter Bürgeramt", "0421 361-1100", "Rathaus, Raum 1.10"),
        ("Sophie", "Krüger", "Sachbearbeiterin Führungszeugnisse", "0421 361-1104", "Rathaus, Raum E.05"),
    ]),
    ("Bauamt", "BauA", [
        ("Klaus", "Hoffmann", "Amtsleiter Bauordnung", "0421 361-2200", "Technisches Rathaus, Raum 3.01"),
        ("Petra", "Schäfer", "Sachbearbeiterin Bauanträge", "0421 361-2201", "Technisches Rathaus, Raum 3.04"),
        ("Stefan", "Koch", "Bauingenieur Tiefbau", "0421 361-2202", "Technisches Rathaus, Raum 2.12"),
        ("Lena", "Richter", "Stadtplanerin", "0421 361-2203", "Technisches Rathaus, Raum 2.08"),
        ("Markus", "Klein", "Sachbearbeiter Denkmalschutz", "0421 361-2204", "Technisches Rathaus, Raum 3.07"),
    ]),
    ("Ordnungsamt", "OA", [
        ("Sabine", "Wolf", "Amtsleiterin Ordnungsamt", "0421 361-3300", "Rathaus, Raum 2.01"),
        ("Jan", "Neumann", "Sachbearbeiter Gewerbeangelegenheiten", "0421 361-3301", "Rathaus, Raum 2.04"),
        ("Fatma", "Demir", "Sachbearbeiterin Sondernutzungen", "0421 361-3302", "Rathaus, Raum 2.05"),
        ("Michael", "Schwarz", "Leiter Kommunaler Ordnungsdienst", "0421 361-3303", "Wache Mitte"),
        ("Katrin", "Zimmermann", "Sachbearbeiterin Verkehrsbehörde", "0421 361-3304", "Rathaus, Raum 2.07"),
    ]),
    ("Personalamt", "PA", [
        ("Andrea", "Braun", "Amtsleiterin Personal", "0421 361-4400", "Rathaus, Raum 4.01"),
        ("Tobias", "Hofmann", "Personalsachbearbeiter Entgelt", "0421 361-4401", "Rathaus, Raum 4.03"),
        ("Nicole", "Hartmann", "Personalentwicklung und Fortbildung", "0421 361-4402", "Rathaus, Raum 4.05"),
        ("Daniel", "Lange", "Sachbearbeiter Stellenbesetzung", "0421 361-4403", "Rathaus, Raum 4.06"),
        ("Claudia", "Werner", "Vorsitzende des Personalrats", "0421 361-4410", "Rathaus, Raum 4.12"),
    ]),
    ("Kämmerei", "Käm", [
        ("Frank", "Schmitz", "Kämmerer", "0421 361-5500", "Rathaus, Raum 3.01"),
        ("Martina", "Krause", "Sachbearbeiterin Haushaltsplanung", "0421 361-5501", "Rathaus, Raum 3.03"),
        ("Alexander", "Meier", "Sachbearbeiter Stadtkasse", "0421 361-5502", "Rathaus, Raum E.10"),
        ("Birgit", "Lehmann", "Vergabestelle", "0421 361-5503", "Rathaus, Raum 3.06"),
        ("Sven", "Köhler", "Sachbearbeiter Steuern und Abgaben", "0421 361-5504", "Rathaus, Raum 3.08"),
    ]),
    ("Feuerwehr", "FW", [
        ("Jürgen", "Herrmann", "Leiter der Berufsfeuerwehr", "0421 361-6600", "Feuerwache 1"),
        ("Melanie", "König", "Sachbearbeiterin Vorbeugender Brandschutz", "0421 361-6601", "Feuerwache 1, Raum 1.02"),
        ("Patrick", "Walter", "Wachabteilungsleiter", "0421 361-6602", "Feuerwache 2"),
        ("Stephanie", "Mayer", "Katastrophenschutz und Krisenstab", "0421 361-6603", "Feuerwache 1, Raum 1.05"),
        ("Dennis", "Huber", "Gerätewart", "0421 361-6604", "Feuerwache 1, Werkstatt"),
    ]),
    ("Stadtbibliothek", "StB", [
        ("Monika", "Kaiser", "Leiterin der Stadtbibliothek", "0421 361-7700", "Stadtbibliothek, Büro 1"),
        ("Lukas", "Fuchs", "Bibliothekar Digitale Dienste", "0421 361-7701", "Stadtbibliothek, Büro 2"),
        ("Hannah", "Peters", "Bibliothekarin Kinder- und Jugendbibliothek", "0421 361-7702", "Stadtbibliothek, Büro 3"),
        ("Elif", "Şahin", "Fachangestellte für Medien- und Informationsdienste", "0421 361-7703", "Stadtbibliothek, Theke"),
    ]),
    ("IT", "IT", [
        ("Christian", "Scholz", "Leiter IT-Service", "0421 361-8800", "Rathaus, Raum U.01"),
        ("Laura", "Möller", "Administratorin Fachverfahren", "0421 361-8801", "Rathaus, Raum U.03"),
        ("Kevin", "Weiß", "IT-Support", "0421 361-8802", "Rathaus, Raum U.04"),
        ("Jana", "Jung", "Informationssicherheitsbeauftragte", "0421 361-8803", "Rathaus, Raum U.05"),
        ("Oliver", "Hahn", "Netzwerkadministrator", "0421 361-8804", "Rathaus, Raum U.06"),
    ]),
    ("Jugendamt", "JA", [
        ("Susanne", "Schubert", "Amtsleiterin Jugendamt", "0421 361-9900", "Sozialrathaus, Raum 1.01"),
        ("Marco", "Vogel", "Sozialarbeiter Allgemeiner Sozialer Dienst", "0421 361-9901", "Sozialrathaus, Raum 1.04"),
        ("Ayşe", "Arslan", "Sachbearbeiterin Kita-Gebühren", "0421 361-9902", "Sozialrathaus, Raum 1.06"),
    ]),
    ("Hauptamt", "HA", [
        ("Ulrike", "Friedrich", "Leiterin Zentrale Redaktion Intranet", "0421 361-1000", "Rathaus, Raum 1.02"),
        ("Matthias", "Keller", "Büro des Oberbürgermeisters", "0421 361-1001", "Rathaus, Raum 1.01"),
        ("Sandra", "Günther", "Organisationsentwicklung", "0421 361-1002", "Rathaus, Raum 1.05"),
        ("Robert", "Frank", "Datenschutzbeauftragter", "0421 361-1003", "Rathaus, Raum 1.06"),
    ]),
]


def username_for(first: str, last: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ş": "s", "ç": "c", "ğ": "g"})
    return f"{first}.{last}".lower().translate(table)


def email_for(username: str) -> str:
    return f"{username}@{settings.WISSENSNETZ_EMAIL_DOMAIN}"


@transaction.atomic
def load(*, stdout=None) -> dict:
    """Creates departments and staff; existing ones (same name / e-mail) are left as they are."""
    created = 0
    for name, short_name, staff in DEPARTMENTS:
        department, _ = Department.objects.get_or_create(name=name, defaults={"short_name": short_name})
        for first, last, job_title, phone, room in staff:
            username = username_for(first, last)
            user, was_created = User.objects.get_or_create(
                email=email_for(username),
                defaults={"username": username, "first_name": first, "last_name": last},
            )
            if was_created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                created += 1
            Profile.objects.get_or_create(
                user=user,
                defaults={"department": department, "job_title": job_title, "phone": phone, "room": room},
            )
    admin, was_created = User.objects.get_or_create(
        email=email_for("admin"),
        defaults={"username": "admin", "first_name": "Ada", "last_name": "Admin", "is_staff": True, "is_superuser": True},
    )
    if was_created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
        created += 1
    Profile.objects.get_or_create(
        user=admin, defaults={"department": Department.objects.get(name="IT"), "job_title": "Administratorin Wissensnetz"}
    )
    return {"users_created": created}


def logins() -> list[tuple[str, str, str]]:
    """The demo logins `make run` prints: (e-mail, password, what the account shows)."""
    return [
        (email_for("anna.schmidt"), DEMO_PASSWORD, "Mitarbeiterin im Bürgeramt"),
        (email_for("klaus.hoffmann"), DEMO_PASSWORD, "Amtsleiter Bauamt"),
        (email_for("admin"), DEMO_PASSWORD, "Administratorin (richtet beim ersten Anmelden die Zwei-Faktor-Anmeldung ein)"),
    ]
