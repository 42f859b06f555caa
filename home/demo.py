"""Demo data for the wiki: a section per department of Stadt Musterstadt with wiki pages and
Verfahrensbeschreibungen, owners, some pages due for review, some restricted to a group, links
between pages, topics, editor groups and a watcher. Runs again without creating duplicates."""

import datetime

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import PageViewRestriction

from people.models import Department, Profile, User

from . import actions
from .models import ContentPage, DepartmentPage, HomePage, ProcessPage, WikiPage, add_months

PERSONALRAT_GROUP = "Personalrat"
IT_ADMINS_GROUP = "IT-Administration"

# Department editors (Wagtail group "Redaktion <Amt>") and the central Redaktion.
DEPARTMENT_EDITORS = {
    "Bauamt": ["klaus.hoffmann"],
    "Bürgeramt": ["thomas.wagner"],
    "Ordnungsamt": ["sabine.wolf"],
    "Personalamt": ["andrea.braun"],
    "IT": ["christian.scholz"],
}
CENTRAL_EDITORS = ["ulrike.friedrich"]
GROUP_MEMBERS = {
    PERSONALRAT_GROUP: ["claudia.werner", "tobias.hofmann"],
    IT_ADMINS_GROUP: ["oliver.hahn", "laura.moeller"],
}

OPENING_HOURS = "Mo, Di, Fr 8:00–12:00 Uhr\nDo 8:00–12:00 und 14:00–18:00 Uhr\nMi geschlossen"


def p(text):
    return ("paragraph", f"<p>{text}</p>")


def ul(*items):
    return ("paragraph", "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")


def h(text):
    return ("heading", {"text": text, "level": "h2"})


def box(kind, title, text):
    return ("box", {"kind": kind, "title": title, "text": f"<p>{text}</p>"})


def table(rows, caption=""):
    return (
        "table",
        {"data": rows, "first_row_is_table_header": True, "first_col_is_header": False, "table_caption": caption},
    )


def contact(username, role=""):
    return ("contact", {"person": username, "role": role})


def link(title, text=""):
    return ("page_link", {"page": title, "text": text})


# (kind, title, owner, tags, fields, options) — `link(...)` refers to pages listed earlier.
SECTIONS = {
    "Bürgeramt": {
        "moderation": True,
        "pages": [
            {
                "kind": "process",
                "title": "Wohnsitz anmelden",
                "owner": "anna.schmidt",
                "tags": ["Meldewesen", "Bürgerservice"],
                "purpose": "Wer in Musterstadt eine Wohnung bezieht, muss sich innerhalb von zwei Wochen anmelden.",
                "legal_basis": "<p>§ 17 Bundesmeldegesetz (BMG), § 19 BMG (Wohnungsgeberbestätigung)</p>",
                "duration": "10–15 Minuten am Schalter",
                "steps": [
                    (
                        "Termin prüfen",
                        "Die Bürgerin oder der Bürger bucht online einen Termin; Spontanbesuche nur am Donnerstagnachmittag.",
                    ),
                    (
                        "Unterlagen prüfen",
                        "Personalausweis oder Reisepass und die Wohnungsgeberbestätigung vorlegen lassen.",
                    ),
                    (
                        "Anmeldung erfassen",
                        "Im Fachverfahren OK.EWO erfassen, Adressaufkleber für den Ausweis drucken.",
                    ),
                    ("Meldebestätigung aushändigen", "Die Meldebestätigung ausdrucken und aushändigen."),
                ],
                "faq": [
                    (
                        "Darf jemand anderes die Anmeldung übernehmen?",
                        "Ja, mit schriftlicher Vollmacht und Ausweiskopie der meldepflichtigen Person.",
                    ),
                    ("Was kostet die Anmeldung?", "Die Anmeldung ist gebührenfrei."),
                ],
                "body": [
                    box(
                        "info",
                        "Gut zu wissen",
                        "Die Wohnungsgeberbestätigung ist Pflicht. Fehlt sie, nehmen wir die Anmeldung trotzdem auf und setzen eine Frist von zwei Wochen.",
                    )
                ],
                "due": False,
            },
            {
                "kind": "wiki",
                "title": "Schalterdienst und Vertretungen",
                "owner": "thomas.wagner",
                "tags": ["Bürgerservice", "Vertretung"],
                "body": [
                    p(
                        "Der Schalterdienst im Bürgerbüro ist wochenweise eingeteilt. Tauschwünsche bitte bis Donnerstag der Vorwoche an die Amtsleitung."
                    ),
                    table(
                        [
                            ["Bereich", "Zuständig", "Vertretung"],
                            ["Meldewesen", "Anna Schmidt", "Julia Becker"],
                            ["Pass- und Ausweiswesen", "Mehmet Yılmaz", "Sophie Krüger"],
                            ["Führungszeugnisse", "Sophie Krüger", "Anna Schmidt"],
                        ],
                        "Zuständigkeiten und Vertretung",
                    ),
                    contact("thomas.wagner", "Amtsleitung"),
                    link("Wohnsitz anmelden", "Verfahrensbeschreibung: Wohnsitz anmelden"),
                ],
                "due": True,
            },
            {
                "kind": "process",
                "title": "Personalausweis beantragen",
                "owner": "mehmet.yilmaz",
                "tags": ["Ausweis", "Bürgerservice"],
                "purpose": "Antrag auf einen neuen Personalausweis für Deutsche ab 16 Jahren.",
                "legal_basis": "<p>Personalausweisgesetz (PAuswG), Personalausweisgebührenverordnung</p>",
                "duration": "20 Minuten; Herstellung durch die Bundesdruckerei 3–4 Wochen",
                "steps": [
                    ("Identität prüfen", "Alten Ausweis oder Geburtsurkunde vorlegen lassen."),
                    (
                        "Lichtbild und Fingerabdrücke erfassen",
                        "Biometrisches Foto prüfen oder am Selbstbedienungsterminal aufnehmen lassen.",
                    ),
                    ("Gebühr kassieren", "37,00 Euro (unter 24 Jahren 22,80 Euro) an der Kasse oder per Karte."),
                ],
                "faq": [
                    ("Wann kommt der PIN-Brief?", "Etwa eine Woche vor dem Ausweis, direkt von der Bundesdruckerei.")
                ],
                "body": [],
                "due": True,
            },
        ],
    },
    "Bauamt": {
        "moderation": False,
        "pages": [
            {
                "kind": "process",
                "title": "Bauantrag bearbeiten",
                "owner": "petra.schaefer",
                "tags": ["Bauantrag", "Baugenehmigung"],
                "purpose": "Prüfung und Bescheidung von Bauanträgen nach der Landesbauordnung.",
                "legal_basis": "<p>§§ 63–72 Landesbauordnung, Baugesetzbuch (BauGB)</p>",
                "duration": "in der Regel drei Monate ab Vollständigkeit",
                "steps": [
                    (
                        "Eingang bestätigen",
                        "Eingangsbestätigung innerhalb einer Woche versenden, Aktenzeichen vergeben.",
                    ),
                    ("Vollständigkeit prüfen", "Fehlende Unterlagen mit Frist nachfordern."),
                    ("Beteiligungen", "Stellungnahmen von Denkmalschutz, Feuerwehr und Tiefbau einholen."),
                    ("Bescheid erstellen", "Genehmigung mit Nebenbestimmungen oder Ablehnung mit Begründung."),
                ],
                "faq": [
                    (
                        "Wer prüft den Brandschutz?",
                        "Der vorbeugende Brandschutz der Feuerwehr, siehe Ansprechperson Melanie König.",
                    )
                ],
                "body": [contact("melanie.koenig", "Vorbeugender Brandschutz")],
                "due": False,
            },
            {
                "kind": "wiki",
                "title": "Checkliste Vollständigkeitsprüfung",
                "owner": "petra.schaefer",
                "tags": ["Bauantrag", "Checkliste"],
                "parent": "Bauantrag bearbeiten",
                "body": [
                    h("Pflichtunterlagen"),
                    ul(
                        "Lageplan im Maßstab 1:500",
                        "Bauzeichnungen (Grundrisse, Schnitte, Ansichten)",
                        "Baubeschreibung",
                        "Standsicherheitsnachweis",
                        "Nachweis der Bauvorlageberechtigung",
                    ),
                    box(
                        "warning",
                        "Achtung",
                        "Unvollständige Anträge nicht zurückschicken, sondern Unterlagen mit Frist nachfordern — sonst beginnt die Bearbeitungsfrist neu.",
                    ),
                    link("Bauantrag bearbeiten"),
                ],
                "due": True,
            },
            {
                "kind": "wiki",
                "title": "Denkmalschutz: Erlaubnispflichtige Maßnahmen",
                "owner": "markus.klein",
                "tags": ["Denkmalschutz", "Baugenehmigung"],
                "body": [
                    p(
                        "Veränderungen an Baudenkmälern und in ihrer Umgebung brauchen eine denkmalrechtliche Erlaubnis — auch dann, wenn sie baugenehmigungsfrei sind."
                    ),
                    ul("Fenstertausch und Fassadenanstrich", "Dacheindeckung und Solaranlagen", "Werbeanlagen"),
                    contact("markus.klein", "Ansprechperson Denkmalschutz"),
                ],
                "due": False,
            },
        ],
    },
    "Ordnungsamt": {
        "pages": [
            {
                "kind": "process",
                "title": "Gewerbe anmelden",
                "owner": "jan.neumann",
                "tags": ["Gewerbe", "Bürgerservice"],
                "purpose": "Anzeige eines stehenden Gewerbes nach § 14 Gewerbeordnung.",
                "legal_basis": "<p>§ 14 Gewerbeordnung (GewO)</p>",
                "duration": "sofort; Gewerbeschein wird direkt ausgestellt",
                "steps": [
                    ("Formular prüfen", "Gewerbeanmeldung (GewA 1) vollständig ausgefüllt und unterschrieben?"),
                    ("Erlaubnispflicht prüfen", "Bei erlaubnispflichtigen Gewerben die Erlaubnis vorlegen lassen."),
                    ("Gebühr und Bescheinigung", "26 Euro Gebühr, Empfangsbescheinigung ausstellen."),
                ],
                "faq": [],
                "body": [],
                "due": False,
            },
            {
                "kind": "wiki",
                "title": "Sondernutzung öffentlicher Verkehrsflächen",
                "owner": "fatma.demir",
                "tags": ["Sondernutzung", "Verkehr"],
                "body": [
                    p(
                        "Außengastronomie, Baugerüste, Container und Infostände auf Gehwegen brauchen eine Sondernutzungserlaubnis."
                    ),
                    table(
                        [
                            ["Nutzung", "Vorlauf", "Gebühr"],
                            ["Außengastronomie", "4 Wochen", "nach Fläche"],
                            ["Container / Gerüst", "2 Wochen", "ab 25 Euro"],
                            ["Infostand", "1 Woche", "gebührenfrei für Parteien"],
                        ]
                    ),
                ],
                "due": True,
            },
            {
                "kind": "wiki",
                "title": "Einsatzzeiten Kommunaler Ordnungsdienst",
                "owner": "michael.schwarz",
                "tags": ["Ordnungsdienst"],
                "body": [
                    p(
                        "Der KOD ist Mo–Sa von 7 bis 22 Uhr im Einsatz. Außerhalb dieser Zeiten ist die Polizei zuständig."
                    ),
                    contact("michael.schwarz", "Leitung KOD"),
                ],
                "due": False,
            },
        ],
    },
    "Personalamt": {
        "pages": [
            {
                "kind": "wiki",
                "title": "Urlaub und Arbeitszeit",
                "owner": "tobias.hofmann",
                "tags": ["Personal", "Arbeitszeit"],
                "body": [
                    h("Urlaubsantrag"),
                    p(
                        "Urlaub wird im Zeiterfassungssystem beantragt und von der Vorgesetzten oder dem Vorgesetzten genehmigt."
                    ),
                    h("Gleitzeit"),
                    p("Kernzeit ist Mo–Do 9–15 Uhr und Fr 9–12 Uhr. Bis zu 40 Plusstunden können übertragen werden."),
                ],
                "due": False,
            },
            {
                "kind": "process",
                "title": "Fortbildung beantragen",
                "owner": "nicole.hartmann",
                "tags": ["Personal", "Fortbildung"],
                "purpose": "Teilnahme an internen und externen Fortbildungen.",
                "legal_basis": "<p>Dienstvereinbarung Fortbildung, § 5 TVöD</p>",
                "duration": "2–3 Wochen",
                "steps": [
                    ("Antrag stellen", "Fortbildungsantrag mit Begründung an die Vorgesetzte oder den Vorgesetzten."),
                    ("Genehmigung", "Amtsleitung zeichnet mit, bei Kosten über 500 Euro das Personalamt."),
                    ("Anmeldung", "Das Personalamt meldet an und bucht Reise und Unterkunft."),
                ],
                "faq": [
                    (
                        "Zählt die Fortbildung als Arbeitszeit?",
                        "Ja, dienstlich veranlasste Fortbildungen sind Arbeitszeit.",
                    )
                ],
                "body": [],
                "due": True,
            },
            {
                "kind": "wiki",
                "title": "Dienstvereinbarung Mobiles Arbeiten (Entwurf)",
                "owner": "claudia.werner",
                "tags": ["Personal", "Mobiles Arbeiten"],
                "restricted": PERSONALRAT_GROUP,
                "body": [
                    box(
                        "warning",
                        "Vertraulich",
                        "Entwurf in der Abstimmung zwischen Personalrat und Verwaltungsleitung. Nicht weitergeben.",
                    ),
                    p(
                        "Beschäftigte können bis zu drei Tage pro Woche mobil arbeiten, sofern die Aufgaben es zulassen."
                    ),
                ],
                "due": False,
            },
        ],
    },
    "Kämmerei": {
        "pages": [
            {
                "kind": "process",
                "title": "Rechnungen anweisen",
                "owner": "alexander.meier",
                "tags": ["Haushalt", "Rechnung"],
                "purpose": "Sachliche und rechnerische Feststellung und Anweisung von Eingangsrechnungen.",
                "legal_basis": "<p>Gemeindehaushaltsverordnung, Dienstanweisung Stadtkasse</p>",
                "duration": "Zahlung innerhalb von 14 Tagen (Skonto beachten)",
                "steps": [
                    ("Sachlich richtig zeichnen", "Die bestellende Stelle bestätigt Lieferung und Leistung."),
                    ("Rechnerisch prüfen", "Beträge, Steuersätze und Bankverbindung prüfen."),
                    ("Anweisen", "Anordnungsbefugte Person gibt im Finanzverfahren frei."),
                ],
                "faq": [],
                "body": [],
                "due": False,
            },
            {
                "kind": "wiki",
                "title": "Vergabe: Wertgrenzen",
                "owner": "birgit.lehmann",
                "tags": ["Vergabe", "Haushalt"],
                "body": [
                    table(
                        [
                            ["Auftragswert (netto)", "Verfahren"],
                            ["bis 1.000 Euro", "Direktauftrag"],
                            ["bis 25.000 Euro", "Verhandlungsvergabe mit drei Angeboten"],
                            ["über 25.000 Euro", "Öffentliche Ausschreibung über die Vergabestelle"],
                        ],
                        "Wertgrenzen für Liefer- und Dienstleistungen",
                    ),
                    contact("birgit.lehmann", "Vergabestelle"),
                ],
                "due": True,
            },
        ],
    },
    "Feuerwehr": {
        "pages": [
            {
                "kind": "wiki",
                "title": "Brandschutzordnung Rathaus",
                "owner": "melanie.koenig",
                "tags": ["Brandschutz", "Sicherheit"],
                "body": [
                    box(
                        "warning",
                        "Im Brandfall",
                        "Ruhe bewahren, Feuer melden (Notruf 112), Räume verlassen, Türen schließen, Sammelplatz Marktplatz aufsuchen.",
                    ),
                    p("Die Brandschutzordnung Teil B gilt für alle Beschäftigten im Rathaus."),
                ],
                "due": False,
            },
            {
                "kind": "process",
                "title": "Brandverhütungsschau durchführen",
                "owner": "melanie.koenig",
                "tags": ["Brandschutz"],
                "purpose": "Regelmäßige Prüfung von Gebäuden mit besonderer Brandgefahr.",
                "legal_basis": "<p>Brandschutzgesetz des Landes, Verordnung über die Brandverhütungsschau</p>",
                "duration": "halber Tag je Objekt",
                "steps": [
                    ("Termin ankündigen", "Zwei Wochen vorher schriftlich."),
                    ("Begehung", "Mit Checkliste und Fotos."),
                    ("Bericht", "Mängel mit Fristen mitteilen."),
                ],
                "faq": [],
                "body": [],
                "due": True,
            },
        ],
    },
    "Stadtbibliothek": {
        "pages": [
            {
                "kind": "wiki",
                "title": "Veranstaltungen planen",
                "owner": "monika.kaiser",
                "tags": ["Veranstaltung"],
                "body": [
                    p("Lesungen und Workshops bitte acht Wochen vorher im Team-Kalender eintragen."),
                    ul(
                        "Raum reservieren",
                        "Plakat bei der Pressestelle bestellen",
                        "Anmeldung über die Website freischalten",
                    ),
                ],
                "due": False,
            },
            {
                "kind": "process",
                "title": "Bibliotheksausweis ausstellen",
                "owner": "elif.sahin",
                "tags": ["Bürgerservice"],
                "purpose": "Ausweis für die Ausleihe von Medien.",
                "legal_basis": "<p>Benutzungs- und Gebührensatzung der Stadtbibliothek</p>",
                "duration": "5 Minuten",
                "steps": [
                    ("Ausweis prüfen", "Personalausweis mit Meldeadresse."),
                    ("Konto anlegen", "Im Bibliothekssystem, Jahresgebühr 15 Euro, Kinder frei."),
                ],
                "faq": [],
                "body": [],
                "due": False,
            },
        ],
    },
    "IT": {
        "pages": [
            {
                "kind": "wiki",
                "title": "Passwort vergessen und Konto gesperrt",
                "owner": "kevin.weiss",
                "tags": ["IT", "Anleitung"],
                "body": [
                    p(
                        "Sperren sich Konten nach fünf Fehlversuchen, entsperrt der IT-Support nach Rückruf an die hinterlegte Durchwahl."
                    ),
                    (
                        "code",
                        {
                            "language": "text",
                            "code": "Support: Durchwahl 8802\nTicket: it-support@stadt-musterstadt.de",
                        },
                    ),
                    contact("kevin.weiss", "IT-Support"),
                ],
                "due": False,
            },
            {
                "kind": "wiki",
                "title": "Informationssicherheit: Phishing erkennen",
                "owner": "jana.jung",
                "tags": ["IT", "Sicherheit"],
                "body": [
                    box(
                        "warning",
                        "Verdächtige E-Mail?",
                        "Nicht klicken, keine Anhänge öffnen, an it-sicherheit@stadt-musterstadt.de weiterleiten.",
                    ),
                    ul(
                        "Absenderadresse genau prüfen",
                        "Zeitdruck und Drohungen sind typische Zeichen",
                        "Die IT fragt nie nach Ihrem Passwort",
                    ),
                    link("Passwort vergessen und Konto gesperrt"),
                ],
                "due": True,
            },
            {
                "kind": "wiki",
                "title": "Notfallhandbuch Serverraum",
                "owner": "oliver.hahn",
                "tags": ["IT", "Notfall"],
                "restricted": IT_ADMINS_GROUP,
                "body": [
                    p("Zugang, Notabschaltung und Wiederanlauf der Server. Nur für die IT-Administration."),
                    contact("oliver.hahn", "Netzwerk"),
                ],
                "due": False,
            },
        ],
    },
    "Jugendamt": {
        "pages": [
            {
                "kind": "process",
                "title": "Kita-Gebühren festsetzen",
                "owner": "ayse.arslan",
                "tags": ["Kita", "Gebühren"],
                "purpose": "Festsetzung der Elternbeiträge nach Einkommen.",
                "legal_basis": "<p>Satzung über die Erhebung von Elternbeiträgen, § 90 SGB VIII</p>",
                "duration": "4 Wochen",
                "steps": [
                    ("Einkommen erfassen", "Einkommenserklärung und Nachweise."),
                    ("Beitrag berechnen", "Nach Beitragstabelle."),
                    ("Bescheid versenden", "Mit Rechtsbehelfsbelehrung."),
                ],
                "faq": [("Gibt es Geschwisterermäßigung?", "Ja, ab dem zweiten Kind 50 Prozent.")],
                "body": [],
                "due": True,
            },
            {
                "kind": "wiki",
                "title": "Kinderschutz: Vorgehen bei Gefährdungsmeldungen",
                "owner": "marco.vogel",
                "tags": ["Kinderschutz"],
                "body": [
                    box(
                        "warning",
                        "Sofort handeln",
                        "Meldungen nach § 8a SGB VIII am selben Tag im ASD-Team besprechen.",
                    ),
                    contact("marco.vogel", "ASD"),
                ],
                "due": False,
            },
        ],
    },
    "Hauptamt": {
        "pages": [
            {
                "kind": "wiki",
                "title": "Schreiben im Wissensnetz",
                "owner": "ulrike.friedrich",
                "tags": ["Anleitung", "Redaktion"],
                "body": [
                    p(
                        "Jede Seite hat eine verantwortliche Person und ein Überprüfungsintervall. Ist eine Seite noch aktuell, genügt ein Klick auf „Als geprüft markieren“."
                    ),
                    ul(
                        "Kurze Absätze und sprechende Überschriften",
                        "Verfahren als Verfahrensbeschreibung anlegen",
                        "Auf andere Seiten verlinken statt Inhalte zu kopieren",
                    ),
                ],
                "due": False,
            },
            {
                "kind": "wiki",
                "title": "Datenschutz im Büroalltag",
                "owner": "robert.frank",
                "tags": ["Datenschutz"],
                "body": [
                    p("Personenbezogene Daten nur so lange speichern, wie sie gebraucht werden."),
                    contact("robert.frank", "Datenschutzbeauftragter"),
                ],
                "due": True,
            },
        ],
    },
}


def _unit_pages(owner: str, first: tuple[str, str], second: tuple[str, str]) -> dict:
    """Two short pages of a unit of the tree (a Dezernat, a Sachgebiet) that has no pages of its own."""
    return {
        "pages": [
            {"kind": "wiki", "title": title, "owner": owner, "tags": ["Organisation"], "body": [p(text)], "due": False}
            for title, text in (first, second)
        ]
    }


# The units of the tree above and below the Ämter (people.demo.TREE).
SECTIONS.update(
    {
        "Dezernat I – Allgemeine Verwaltung und Finanzen": _unit_pages(
            "andrea.braun",
            ("Geschäftsverteilung im Dezernat I", "Zum Dezernat I gehören Hauptamt, Personalamt, Kämmerei und IT."),
            ("Dezernatsrunde I", "Die Amtsleitungen des Dezernats treffen sich jeden zweiten Dienstag."),
        ),
        "Dezernat II – Bürgerdienste, Bauen und Soziales": _unit_pages(
            "klaus.hoffmann",
            (
                "Geschäftsverteilung im Dezernat II",
                "Zum Dezernat II gehören Bürgeramt, Ordnungsamt, Bauamt und Jugendamt.",
            ),
            ("Dezernatsrunde II", "Die Amtsleitungen des Dezernats treffen sich jeden ersten Donnerstag."),
        ),
        "Stadtkasse": _unit_pages(
            "alexander.meier",
            ("Tagesabschluss der Stadtkasse", "Der Tagesabschluss wird bis 15 Uhr im Kassenbuch gebucht."),
            ("Öffnungszeiten der Stadtkasse", "Die Stadtkasse ist montags bis donnerstags von 8 bis 12 Uhr geöffnet."),
        ),
    }
)

DEPARTMENT_HEADS = {
    "Bürgeramt": "thomas.wagner",
    "Bauamt": "klaus.hoffmann",
    "Ordnungsamt": "sabine.wolf",
    "Personalamt": "andrea.braun",
    "Kämmerei": "frank.schmitz",
    "Feuerwehr": "juergen.herrmann",
    "Stadtbibliothek": "monika.kaiser",
    "IT": "christian.scholz",
    "Jugendamt": "susanne.schubert",
    "Hauptamt": "matthias.keller",
}


def _resolve_body(blocks, users, pages):
    resolved = []
    for block_type, value in blocks:
        if block_type == "contact":
            person = users.get(value["person"])
            if person is None:
                continue
            value = {"person": person, "role": value["role"]}
        elif block_type == "page_link":
            target = pages.get(value["page"])
            if target is None:
                continue
            value = {"page": target, "text": value["text"]}
        resolved.append((block_type, value))
    return resolved


def _publish(page, user):
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user, skip_permission_checks=True)  # demo: as if each owner had edited their page


def _section(home, department, users, editor):
    section = DepartmentPage.objects.filter(department=department).first()
    if section is not None:
        return section, False
    head = users.get(DEPARTMENT_HEADS.get(department.name, ""))
    head_profile = Profile.objects.filter(user=head).first() if head else None
    if head is not None:  # the section shows its unit's head: give the unit one where it has none
        type(department).objects.filter(pk=department.pk, head__isnull=True).exclude(deputy_head=head).update(head=head)
    options = SECTIONS.get(department.name, {})
    section = DepartmentPage(
        title=department.name,
        slug=department.slug,
        department=department,
        content_owner=head,
        email=f"{department.slug}@stadt-musterstadt.de",
        phone=head_profile.phone if head_profile else "",
        room=head_profile.room if head_profile else "",
        opening_hours=OPENING_HOURS if department.name in ("Bürgeramt", "Ordnungsamt", "Stadtbibliothek") else "",
        moderation_enabled=options.get("moderation", False),
        body=[
            (
                "paragraph",
                f"<p>Hier finden Sie Zuständigkeiten, Anleitungen und Verfahrensbeschreibungen des Amts {department.name}.</p>",
            )
        ],
    )
    home.add_child(instance=section)
    _publish(section, editor)
    return section, True


def _content_page(spec, parent, users, pages, editor):
    existing = ContentPage.objects.child_of(parent).filter(title=spec["title"]).first()
    if existing is not None:
        return existing.specific, False
    owner = users.get(spec["owner"])
    common = {
        "title": spec["title"],
        "content_owner": owner,
        "review_interval_months": 6 if spec.get("due") else 12,
        "body": _resolve_body(spec.get("body", []), users, pages),
    }
    if spec["kind"] == "process":
        page = ProcessPage(
            **common,
            purpose=spec["purpose"],
            legal_basis=spec["legal_basis"],
            typical_duration=spec["duration"],
            responsible_department=parent.specific.section_department,
            contact_person=owner,
            steps=[("step", {"title": title, "description": f"<p>{text}</p>"}) for title, text in spec["steps"]],
            faq=[
                ("question", {"question": question, "answer": f"<p>{answer}</p>"}) for question, answer in spec["faq"]
            ],
        )
    else:
        page = WikiPage(**common)
    parent.add_child(instance=page)
    for tag in spec.get("tags", []):
        page.tags.add(tag)
    _publish(page, owner or editor)
    if spec.get("restricted"):
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
        restriction.groups.add(Group.objects.get(name=spec["restricted"]))
    today = timezone.localdate()
    if spec.get("due"):
        # last reviewed more than one interval ago: the start page and the reminder show it
        reviewed = add_months(today, -page.review_interval_months) - datetime.timedelta(days=len(pages) % 20 + 3)
    else:
        reviewed = today - datetime.timedelta(days=len(pages) * 3 % 90)
    ContentPage.objects.filter(pk=page.pk).update(
        last_reviewed=reviewed,
        last_reviewed_by=owner,
        review_due=add_months(reviewed, page.review_interval_months),
    )
    return page, True


MANDATORY_READING_PAGE = "Informationssicherheit: Phishing erkennen"


def _mandatory_reading(page, editor) -> None:
    """One page of mandatory reading for the whole administration (a Dienstanweisung, due in two
    weeks), confirmed by half of the staff: every other person by name, never the demo reader
    anna.schmidt, who finds it under "Zu lesen". Left alone when it is mandatory already."""
    if page is None or page.reading_required:
        return
    page.reading_required = True
    page.reading_all_staff = True
    page.reading_due = timezone.localdate() + datetime.timedelta(days=14)
    page.service_instruction = True
    _publish(page, editor)
    from .reading_selectors import audience, requirement_for

    requirement = requirement_for(page)
    readers = [profile.user for profile in audience(requirement).select_related("user").order_by("user__username")]
    readers = [user for user in readers if user.username != "anna.schmidt"]
    for user in readers[::2][: (len(readers) + 1) // 2]:
        actions.confirm_reading(requirement=requirement, user=user)


@transaction.atomic
def load(*, stdout=None) -> dict:
    """Builds the wiki of Stadt Musterstadt; what exists already (same department / title under
    the same parent) is left as it is."""
    home = HomePage.objects.first()
    if home is None:
        return {"pages_created": 0}
    users = {user.username: user for user in User.objects.all()}
    redaktion = actions.ensure_central_editors_group()
    for username in CENTRAL_EDITORS:
        if username in users:
            users[username].groups.add(redaktion)
    for name, members in GROUP_MEMBERS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.user_set.add(*[users[username] for username in members if username in users])
    editor = users.get(CENTRAL_EDITORS[0]) or users.get("admin")

    created = 0
    pages: dict[str, ContentPage] = {page.title: page for page in ContentPage.objects.all()}
    for department in Department.objects.order_by("name"):
        section, was_created = _section(home, department, users, editor)
        created += was_created
        group = actions.sync_department_permissions(department_page=section)
        group.user_set.add(
            *[users[username] for username in DEPARTMENT_EDITORS.get(department.name, []) if username in users]
        )
        for spec in SECTIONS.get(department.name, {}).get("pages", []):
            parent = pages.get(spec["parent"], section) if spec.get("parent") else section
            page, was_created = _content_page(spec, parent, users, pages, editor)
            pages[page.title] = page
            created += was_created

    _mandatory_reading(pages.get(MANDATORY_READING_PAGE), editor)

    # A reader who watches the Bürgeramt section (and gets told about changes in it).
    anna = users.get("anna.schmidt")
    buergeramt = DepartmentPage.objects.filter(department__name="Bürgeramt").first()
    if anna and buergeramt:
        actions.watch_page(user=anna, page=buergeramt)
    return {"pages_created": created}
