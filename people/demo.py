"""Demo data for the people app: departments and staff of the fictional Stadt Musterstadt."""

import datetime

from django.conf import settings
from django.db import transaction

from .models import Department, Profile, User

DEMO_PASSWORD = "wissensnetz-demo"  # noqa: S105 — printed by `make run`; demo data only

DEPARTMENTS = [
    # name, short name, [(first, last, job title, phone, room)]
    (
        "Bürgeramt",
        "BA",
        [
            ("Anna", "Schmidt", "Sachbearbeiterin Meldewesen", "0421 361-1101", "Rathaus, Raum E.04"),
            ("Mehmet", "Yılmaz", "Sachgebietsleiter Pass- und Ausweiswesen", "0421 361-1102", "Rathaus, Raum E.06"),
            ("Julia", "Becker", "Sachbearbeiterin Bürgerbüro", "0421 361-1103", "Rathaus, Raum E.02"),
            ("Thomas", "Wagner", "Amtsleiter Bürgeramt", "0421 361-1100", "Rathaus, Raum 1.10"),
            ("Sophie", "Krüger", "Sachbearbeiterin Führungszeugnisse", "0421 361-1104", "Rathaus, Raum E.05"),
        ],
    ),
    (
        "Bauamt",
        "BauA",
        [
            ("Klaus", "Hoffmann", "Amtsleiter Bauordnung", "0421 361-2200", "Technisches Rathaus, Raum 3.01"),
            ("Petra", "Schäfer", "Sachbearbeiterin Bauanträge", "0421 361-2201", "Technisches Rathaus, Raum 3.04"),
            ("Stefan", "Koch", "Bauingenieur Tiefbau", "0421 361-2202", "Technisches Rathaus, Raum 2.12"),
            ("Lena", "Richter", "Stadtplanerin", "0421 361-2203", "Technisches Rathaus, Raum 2.08"),
            ("Markus", "Klein", "Sachbearbeiter Denkmalschutz", "0421 361-2204", "Technisches Rathaus, Raum 3.07"),
        ],
    ),
    (
        "Ordnungsamt",
        "OA",
        [
            ("Sabine", "Wolf", "Amtsleiterin Ordnungsamt", "0421 361-3300", "Rathaus, Raum 2.01"),
            ("Jan", "Neumann", "Sachbearbeiter Gewerbeangelegenheiten", "0421 361-3301", "Rathaus, Raum 2.04"),
            ("Fatma", "Demir", "Sachbearbeiterin Sondernutzungen", "0421 361-3302", "Rathaus, Raum 2.05"),
            ("Michael", "Schwarz", "Leiter Kommunaler Ordnungsdienst", "0421 361-3303", "Wache Mitte"),
            ("Katrin", "Zimmermann", "Sachbearbeiterin Verkehrsbehörde", "0421 361-3304", "Rathaus, Raum 2.07"),
        ],
    ),
    (
        "Personalamt",
        "PA",
        [
            ("Andrea", "Braun", "Amtsleiterin Personal", "0421 361-4400", "Rathaus, Raum 4.01"),
            ("Tobias", "Hofmann", "Personalsachbearbeiter Entgelt", "0421 361-4401", "Rathaus, Raum 4.03"),
            ("Nicole", "Hartmann", "Personalentwicklung und Fortbildung", "0421 361-4402", "Rathaus, Raum 4.05"),
            ("Daniel", "Lange", "Sachbearbeiter Stellenbesetzung", "0421 361-4403", "Rathaus, Raum 4.06"),
            ("Claudia", "Werner", "Vorsitzende des Personalrats", "0421 361-4410", "Rathaus, Raum 4.12"),
        ],
    ),
    (
        "Kämmerei",
        "Käm",
        [
            ("Frank", "Schmitz", "Kämmerer", "0421 361-5500", "Rathaus, Raum 3.01"),
            ("Martina", "Krause", "Sachbearbeiterin Haushaltsplanung", "0421 361-5501", "Rathaus, Raum 3.03"),
            ("Alexander", "Meier", "Sachbearbeiter Stadtkasse", "0421 361-5502", "Rathaus, Raum E.10"),
            ("Birgit", "Lehmann", "Vergabestelle", "0421 361-5503", "Rathaus, Raum 3.06"),
            ("Sven", "Köhler", "Sachbearbeiter Steuern und Abgaben", "0421 361-5504", "Rathaus, Raum 3.08"),
        ],
    ),
    (
        "Feuerwehr",
        "FW",
        [
            ("Jürgen", "Herrmann", "Leiter der Berufsfeuerwehr", "0421 361-6600", "Feuerwache 1"),
            (
                "Melanie",
                "König",
                "Sachbearbeiterin Vorbeugender Brandschutz",
                "0421 361-6601",
                "Feuerwache 1, Raum 1.02",
            ),
            ("Patrick", "Walter", "Wachabteilungsleiter", "0421 361-6602", "Feuerwache 2"),
            ("Stephanie", "Mayer", "Katastrophenschutz und Krisenstab", "0421 361-6603", "Feuerwache 1, Raum 1.05"),
            ("Dennis", "Huber", "Gerätewart", "0421 361-6604", "Feuerwache 1, Werkstatt"),
        ],
    ),
    (
        "Stadtbibliothek",
        "StB",
        [
            ("Monika", "Kaiser", "Leiterin der Stadtbibliothek", "0421 361-7700", "Stadtbibliothek, Büro 1"),
            ("Lukas", "Fuchs", "Bibliothekar Digitale Dienste", "0421 361-7701", "Stadtbibliothek, Büro 2"),
            (
                "Hannah",
                "Peters",
                "Bibliothekarin Kinder- und Jugendbibliothek",
                "0421 361-7702",
                "Stadtbibliothek, Büro 3",
            ),
            (
                "Elif",
                "Şahin",
                "Fachangestellte für Medien- und Informationsdienste",
                "0421 361-7703",
                "Stadtbibliothek, Theke",
            ),
        ],
    ),
    (
        "IT",
        "IT",
        [
            ("Christian", "Scholz", "Leiter IT-Service", "0421 361-8800", "Rathaus, Raum U.01"),
            ("Laura", "Möller", "Administratorin Fachverfahren", "0421 361-8801", "Rathaus, Raum U.03"),
            ("Kevin", "Weiß", "IT-Support", "0421 361-8802", "Rathaus, Raum U.04"),
            ("Jana", "Jung", "Informationssicherheitsbeauftragte", "0421 361-8803", "Rathaus, Raum U.05"),
            ("Oliver", "Hahn", "Netzwerkadministrator", "0421 361-8804", "Rathaus, Raum U.06"),
        ],
    ),
    (
        "Jugendamt",
        "JA",
        [
            ("Susanne", "Schubert", "Amtsleiterin Jugendamt", "0421 361-9900", "Sozialrathaus, Raum 1.01"),
            (
                "Marco",
                "Vogel",
                "Sozialarbeiter Allgemeiner Sozialer Dienst",
                "0421 361-9901",
                "Sozialrathaus, Raum 1.04",
            ),
            ("Ayşe", "Arslan", "Sachbearbeiterin Kita-Gebühren", "0421 361-9902", "Sozialrathaus, Raum 1.06"),
        ],
    ),
    (
        "Hauptamt",
        "HA",
        [
            ("Ulrike", "Friedrich", "Leiterin Zentrale Redaktion Intranet", "0421 361-1000", "Rathaus, Raum 1.02"),
            ("Matthias", "Keller", "Büro des Oberbürgermeisters", "0421 361-1001", "Rathaus, Raum 1.01"),
            ("Sandra", "Günther", "Organisationsentwicklung", "0421 361-1002", "Rathaus, Raum 1.05"),
            ("Robert", "Frank", "Datenschutzbeauftragter", "0421 361-1003", "Rathaus, Raum 1.06"),
        ],
    ),
]

# username -> (responsibilities, expertise, languages). Deputies: see DEPUTIES.
DETAILS = {
    "anna.schmidt": (
        "An-, Um- und Abmeldungen, Meldebescheinigungen, Auskunftssperren",
        ["Meldewesen", "Melderecht", "Bürgerservice"],
        "Deutsch, Englisch",
    ),
    "mehmet.yilmaz": (
        "Personalausweise, Reisepässe, vorläufige Dokumente, Kinderreisepässe",
        ["Passrecht", "Ausweiswesen", "Fachverfahren VOIS"],
        "Deutsch, Türkisch, Englisch",
    ),
    "julia.becker": (
        "Terminvergabe, Fundbüro, Beglaubigungen, Bewohnerparkausweise",
        ["Bürgerservice", "Terminvergabe", "Beglaubigungen"],
        "Deutsch, Französisch",
    ),
    "thomas.wagner": (
        "Leitung des Bürgeramts, Personaleinsatz, Beschwerden",
        ["Verwaltungsrecht", "Personalführung", "Meldewesen"],
        "Deutsch, Englisch",
    ),
    "sophie.krueger": (
        "Führungszeugnisse, Gewerbezentralregister, Lebensbescheinigungen",
        ["Bundeszentralregister", "Datenschutz"],
        "Deutsch, Spanisch",
    ),
    "klaus.hoffmann": (
        "Leitung Bauordnung, Widersprüche, Baulasten",
        ["Bauordnungsrecht", "Baurecht", "Widerspruchsverfahren"],
        "Deutsch",
    ),
    "petra.schaefer": (
        "Bauanträge, Bauvoranfragen, Abgeschlossenheitsbescheinigungen",
        ["Bauantrag", "Bauordnungsrecht", "Digitaler Bauantrag"],
        "Deutsch, Englisch",
    ),
    "stefan.koch": (
        "Straßenbau, Kanalbau, Aufgrabungen, Ausschreibung von Bauleistungen",
        ["Tiefbau", "VOB", "Vergaberecht"],
        "Deutsch, Polnisch",
    ),
    "lena.richter": (
        "Bebauungspläne, Flächennutzungsplan, Bürgerbeteiligung",
        ["Stadtplanung", "Bauleitplanung", "GIS"],
        "Deutsch, Englisch, Niederländisch",
    ),
    "markus.klein": (
        "Denkmalrechtliche Genehmigungen, Denkmalliste, Fördermittel",
        ["Denkmalschutz", "Fördermittel"],
        "Deutsch, Italienisch",
    ),
    "sabine.wolf": (
        "Leitung Ordnungsamt, Gefahrenabwehr, Großveranstaltungen",
        ["Gefahrenabwehr", "Veranstaltungssicherheit", "Ordnungsrecht"],
        "Deutsch, Englisch",
    ),
    "jan.neumann": (
        "Gewerbeanmeldungen, Gaststättenerlaubnisse, Spielhallen",
        ["Gewerberecht", "Gaststättenrecht"],
        "Deutsch, Englisch",
    ),
    "fatma.demir": (
        "Sondernutzungen, Außengastronomie, Märkte",
        ["Sondernutzung", "Marktwesen", "Gewerberecht"],
        "Deutsch, Türkisch, Arabisch",
    ),
    "michael.schwarz": (
        "Kommunaler Ordnungsdienst, Dienstpläne, Einsätze bei Veranstaltungen",
        ["Ordnungsrecht", "Einsatzplanung", "Deeskalation"],
        "Deutsch, Russisch",
    ),
    "katrin.zimmermann": (
        "Verkehrsrechtliche Anordnungen, Halteverbote, Umzugsgenehmigungen",
        ["Straßenverkehrsrecht", "Baustellenverkehr"],
        "Deutsch, Englisch",
    ),
    "andrea.braun": (
        "Leitung Personal, Stellenplan, Dienstvereinbarungen",
        ["Tarifrecht TVöD", "Beamtenrecht", "Arbeitsrecht"],
        "Deutsch, Englisch",
    ),
    "tobias.hofmann": (
        "Entgeltabrechnung, Zulagen, Reisekosten",
        ["Entgeltabrechnung", "Tarifrecht TVöD", "Reisekostenrecht"],
        "Deutsch",
    ),
    "nicole.hartmann": (
        "Fortbildungsprogramm, Ausbildung, Mitarbeitendengespräche",
        ["Personalentwicklung", "Fortbildung", "Moderation"],
        "Deutsch, Englisch, Französisch",
    ),
    "daniel.lange": (
        "Stellenausschreibungen, Auswahlverfahren, Einstellungen",
        ["Stellenbesetzung", "Auswahlverfahren", "AGG"],
        "Deutsch, Englisch",
    ),
    "claudia.werner": (
        "Personalrat: Mitbestimmung, Sprechstunden, Dienstvereinbarungen",
        ["Personalvertretungsrecht", "Arbeitsschutz"],
        "Deutsch",
    ),
    "frank.schmitz": (
        "Haushalt, Finanzplanung, Beteiligungen",
        ["Haushaltsrecht", "Doppik", "Beteiligungsmanagement"],
        "Deutsch, Englisch",
    ),
    "martina.krause": (
        "Haushaltsplanaufstellung, Mittelbewirtschaftung, Budgetberichte",
        ["Haushaltsrecht", "Doppik", "Excel"],
        "Deutsch",
    ),
    "alexander.meier": (
        "Zahlungsverkehr, Mahnungen, Vollstreckung",
        ["Kassenwesen", "Vollstreckung", "SEPA"],
        "Deutsch, Englisch",
    ),
    "birgit.lehmann": (
        "Ausschreibungen und Vergaben für alle Ämter, Vergabevermerke, Vergabeplattform",
        ["Vergaberecht", "UVgO", "VOB", "E-Vergabe"],
        "Deutsch, Englisch",
    ),
    "sven.koehler": (
        "Gewerbesteuer, Grundsteuer, Hundesteuer, Abgabenbescheide",
        ["Gewerbesteuer", "Grundsteuer", "Abgabenrecht"],
        "Deutsch, Polnisch",
    ),
    "juergen.herrmann": (
        "Leitung der Berufsfeuerwehr, Bedarfsplan, Einsatzleitung",
        ["Brandschutz", "Einsatzleitung", "Bedarfsplanung"],
        "Deutsch, Englisch",
    ),
    "melanie.koenig": (
        "Brandschutzprüfungen im Baugenehmigungsverfahren, Brandverhütungsschauen",
        ["Vorbeugender Brandschutz", "Baurecht"],
        "Deutsch",
    ),
    "patrick.walter": (
        "Wachabteilung 2, Dienstplan, Ausbildung am Standort",
        ["Einsatzleitung", "Atemschutz", "Ausbildung"],
        "Deutsch, Englisch",
    ),
    "stephanie.mayer": (
        "Katastrophenschutzpläne, Krisenstab, Warnung der Bevölkerung",
        ["Katastrophenschutz", "Krisenmanagement", "Warnsysteme"],
        "Deutsch, Englisch",
    ),
    "dennis.huber": (
        "Fahrzeuge, Geräteprüfungen, Atemschutzwerkstatt",
        ["Gerätetechnik", "Atemschutz", "Prüffristen"],
        "Deutsch",
    ),
    "monika.kaiser": (
        "Leitung der Stadtbibliothek, Bestandskonzept, Veranstaltungen",
        ["Bibliotheksmanagement", "Leseförderung"],
        "Deutsch, Englisch",
    ),
    "lukas.fuchs": (
        "Onleihe, E-Medien, Makerspace, digitale Sprechstunde",
        ["E-Medien", "Digitale Bildung", "Makerspace"],
        "Deutsch, Englisch, Schwedisch",
    ),
    "hannah.peters": (
        "Kinder- und Jugendbibliothek, Klassenführungen, Lesesommer",
        ["Leseförderung", "Medienpädagogik"],
        "Deutsch, Englisch",
    ),
    "elif.sahin": (
        "Ausleihe, Fernleihe, Benutzerausweise, Gebühren",
        ["Ausleihe", "Bibliothekssoftware"],
        "Deutsch, Türkisch",
    ),
    "christian.scholz": (
        "Leitung IT-Service, IT-Strategie, Beschaffung von Hard- und Software",
        ["IT-Strategie", "Vergaberecht", "OZG"],
        "Deutsch, Englisch",
    ),
    "laura.moeller": (
        "Betreuung der Fachverfahren, Schnittstellen, Updates",
        ["Fachverfahren", "Schnittstellen", "SQL"],
        "Deutsch, Englisch",
    ),
    "kevin.weiss": (
        "Support-Hotline, Arbeitsplatzrechner, Drucker, Smartphones",
        ["IT-Support", "Windows", "Mobilgeräte"],
        "Deutsch, Englisch",
    ),
    "jana.jung": (
        "Informationssicherheit, Sicherheitskonzepte, Awareness-Schulungen",
        ["Informationssicherheit", "BSI IT-Grundschutz", "Datenschutz"],
        "Deutsch, Englisch",
    ),
    "oliver.hahn": (
        "Netzwerk, Firewall, WLAN, Telefonanlage",
        ["Netzwerk", "Firewall", "Telefonie"],
        "Deutsch, Englisch",
    ),
    "susanne.schubert": (
        "Leitung Jugendamt, Jugendhilfeplanung, Jugendhilfeausschuss",
        ["Kinder- und Jugendhilfe", "SGB VIII"],
        "Deutsch, Englisch",
    ),
    "marco.vogel": (
        "Allgemeiner Sozialer Dienst, Hilfen zur Erziehung, Kinderschutz",
        ["Kinderschutz", "SGB VIII", "Hilfeplanung"],
        "Deutsch, Italienisch",
    ),
    "ayse.arslan": (
        "Kita-Gebühren, Ermäßigungen, Kita-Platzvergabe",
        ["Kita-Gebühren", "Elternbeiträge"],
        "Deutsch, Türkisch, Englisch",
    ),
    "ulrike.friedrich": (
        "Zentrale Redaktion des Intranets, Schreibregeln, Redaktionsschulungen",
        ["Intranet", "Öffentlichkeitsarbeit", "Leichte Sprache"],
        "Deutsch, Englisch",
    ),
    "matthias.keller": (
        "Termine und Reden des Oberbürgermeisters, Ratsangelegenheiten",
        ["Ratsarbeit", "Protokoll", "Öffentlichkeitsarbeit"],
        "Deutsch, Englisch",
    ),
    "sandra.guenther": (
        "Organisationsuntersuchungen, Prozessmanagement, Verwaltungsdigitalisierung",
        ["Prozessmanagement", "OZG", "Organisation"],
        "Deutsch, Englisch",
    ),
    "robert.frank": (
        "Datenschutzberatung, Verzeichnis der Verarbeitungstätigkeiten, Datenpannen",
        ["Datenschutz", "DSGVO", "Informationssicherheit"],
        "Deutsch, Englisch",
    ),
}

# Who stands in for whom (username -> deputy's username): colleagues in the same department.
DEPUTIES = {
    "anna.schmidt": "julia.becker", "julia.becker": "anna.schmidt", "mehmet.yilmaz": "sophie.krueger",
    "sophie.krueger": "mehmet.yilmaz", "thomas.wagner": "mehmet.yilmaz",
    "klaus.hoffmann": "petra.schaefer", "petra.schaefer": "markus.klein", "markus.klein": "petra.schaefer",
    "stefan.koch": "lena.richter", "lena.richter": "stefan.koch",
    "sabine.wolf": "michael.schwarz", "jan.neumann": "fatma.demir", "fatma.demir": "jan.neumann",
    "michael.schwarz": "katrin.zimmermann", "katrin.zimmermann": "fatma.demir",
    "andrea.braun": "daniel.lange", "tobias.hofmann": "daniel.lange", "nicole.hartmann": "daniel.lange",
    "daniel.lange": "tobias.hofmann", "claudia.werner": "nicole.hartmann",
    "frank.schmitz": "martina.krause", "martina.krause": "alexander.meier", "alexander.meier": "sven.koehler",
    "birgit.lehmann": "martina.krause", "sven.koehler": "alexander.meier",
    "juergen.herrmann": "patrick.walter", "melanie.koenig": "stephanie.mayer", "patrick.walter": "dennis.huber",
    "stephanie.mayer": "melanie.koenig", "dennis.huber": "patrick.walter",
    "monika.kaiser": "hannah.peters", "lukas.fuchs": "elif.sahin", "hannah.peters": "lukas.fuchs",
    "elif.sahin": "hannah.peters",
    "christian.scholz": "jana.jung", "laura.moeller": "kevin.weiss", "kevin.weiss": "oliver.hahn",
    "jana.jung": "robert.frank", "oliver.hahn": "kevin.weiss",
    "susanne.schubert": "marco.vogel", "marco.vogel": "susanne.schubert", "ayse.arslan": "marco.vogel",
    "ulrike.friedrich": "sandra.guenther", "matthias.keller": "ulrike.friedrich", "sandra.guenther": "ulrike.friedrich",
    "robert.frank": "jana.jung",
}  # fmt: skip

# The units' tree: Dezernate above the Ämter, a Sachgebiet below one. (unit, kind, parent, head,
# deputy head); units not named here stay at the top.
TREE = [
    ("Dezernat I – Allgemeine Verwaltung und Finanzen", "directorate", None, "andrea.braun", "thomas.wagner"),
    ("Dezernat II – Bürgerdienste, Bauen und Soziales", "directorate", None, "klaus.hoffmann", "susanne.schubert"),
    ("Hauptamt", "office", "Dezernat I – Allgemeine Verwaltung und Finanzen", None, None),
    ("Personalamt", "office", "Dezernat I – Allgemeine Verwaltung und Finanzen", "andrea.braun", None),
    ("Kämmerei", "office", "Dezernat I – Allgemeine Verwaltung und Finanzen", None, None),
    ("IT", "office", "Dezernat I – Allgemeine Verwaltung und Finanzen", None, None),
    ("Bürgeramt", "office", "Dezernat II – Bürgerdienste, Bauen und Soziales", "thomas.wagner", "mehmet.yilmaz"),
    ("Ordnungsamt", "office", "Dezernat II – Bürgerdienste, Bauen und Soziales", "sabine.wolf", None),
    ("Bauamt", "office", "Dezernat II – Bürgerdienste, Bauen und Soziales", "klaus.hoffmann", None),
    ("Jugendamt", "office", "Dezernat II – Bürgerdienste, Bauen und Soziales", "susanne.schubert", None),
    ("Stadtkasse", "section", "Kämmerei", "alexander.meier", None),
]
SHORT_NAMES = {
    "Dezernat I – Allgemeine Verwaltung und Finanzen": "Dez. I",
    "Dezernat II – Bürgerdienste, Bauen und Soziales": "Dez. II",
    "Stadtkasse": "Käm-SK",
}

# Two absences running from the day the demo is loaded, so the directory, the profiles and the
# owner boxes show "abwesend bis …, vertreten durch …": (person, days, note, named deputy or None
# for the standing deputy). Past absences are deleted, so they vanish on their own.
ABSENCES = [
    ("mehmet.yilmaz", 10, "Urlaub", "sophie.krueger"),
    ("stefan.koch", 2, "Fortbildung (VOB/B)", None),
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
        defaults={
            "username": "admin",
            "first_name": "Ada",
            "last_name": "Admin",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if was_created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
        created += 1
    Profile.objects.get_or_create(
        user=admin,
        defaults={"department": Department.objects.get(name="IT"), "job_title": "Administratorin Wissensnetz"},
    )
    details = _load_details()
    _load_tree()
    _load_absences()
    return {"users_created": created, "profiles_completed": details}


def _load_tree() -> None:
    """The Dezernate and the Sachgebiet (created with their kind); a unit's parent and heads are
    set only while empty, so what an administrator changed stays."""
    users = {u.username: u for u in User.objects.filter(username__in={*(r[3] for r in TREE), *(r[4] for r in TREE)})}
    units = {d.name: d for d in Department.objects.all()}
    for name, kind, parent, head, deputy_head in TREE:
        unit = units.get(name)
        if unit is None:
            unit = units[name] = Department.objects.create(name=name, short_name=SHORT_NAMES.get(name, ""), kind=kind)
        changed = []
        if parent and unit.parent_id is None and parent in units:
            unit.parent = units[parent]
            changed.append("parent")
        for field, username in (("head", head), ("deputy_head", deputy_head)):
            if username in users and getattr(unit, f"{field}_id") is None:
                setattr(unit, field, users[username])
                changed.append(field)
        if changed:
            unit.save(update_fields=changed)


def _load_absences() -> None:
    """The demo absences, for whoever has none not yet ended (so loading again adds none)."""
    from django.utils import timezone

    from .models import Absence

    today = timezone.localdate()
    users = {
        u.username: u
        for u in User.objects.filter(username__in={r[0] for r in ABSENCES} | {r[3] for r in ABSENCES if r[3]})
    }
    busy = set(Absence.objects.filter(ends_on__gte=today).values_list("user__username", flat=True))
    for username, days, note, deputy in ABSENCES:
        if username in users and username not in busy:
            Absence.objects.create(
                user=users[username],
                starts_on=today,
                ends_on=today + datetime.timedelta(days=days),
                note=note,
                deputy=users.get(deputy) if deputy else None,
            )


def _load_details() -> int:
    """Responsibilities, expertise, languages, deputies and absences for the demo staff. Only
    empty fields are filled, so running it again (or after someone edited their profile)
    changes nothing."""
    profiles = {p.user.username: p for p in Profile.objects.select_related("user").filter(user__username__in=DETAILS)}
    users = {u.username: u for u in User.objects.filter(username__in=set(DEPUTIES.values()))}
    completed = 0
    for username, (responsibilities, expertise, languages) in DETAILS.items():
        profile = profiles.get(username)
        if profile is None:
            continue
        changed = []
        for name, value in [("responsibilities", responsibilities), ("languages", languages)]:
            if value and not getattr(profile, name):
                setattr(profile, name, value)
                changed.append(name)
        deputy = users.get(DEPUTIES.get(username, ""))
        if deputy is not None and profile.deputy_id is None:
            profile.deputy = deputy
            changed.append("deputy")
        if changed:
            profile.save(update_fields=changed)
            completed += 1
        if not profile.expertise.exists():
            profile.expertise.add(*expertise)
    return completed


def logins() -> list[tuple[str, str, str]]:
    """The demo logins `make run` prints: (e-mail, password, what the account shows)."""
    return [
        (email_for("anna.schmidt"), DEMO_PASSWORD, "Mitarbeiterin im Bürgeramt"),
        (email_for("klaus.hoffmann"), DEMO_PASSWORD, "Amtsleiter Bauamt"),
        (
            email_for("admin"),
            DEMO_PASSWORD,
            "Administratorin (richtet beim ersten Anmelden die Zwei-Faktor-Anmeldung ein)",
        ),
    ]
