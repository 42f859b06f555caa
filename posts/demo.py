"""Demo data for the microblog: a channel per department and "Allgemein", a few hundred posts
from the staff of Stadt Musterstadt with threads, #tags, @mentions and reactions, a pinned
official announcement and an urgent notice. Runs after people.demo and home.demo.

Idempotent: channels and groups are matched by name; posts are only created when the demo
has none yet. Posts are written in bulk (the search index is rebuilt by load_demo_data)."""

import random
from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from people.models import Department, Notification, User
from people.notifications import notify
from people.permissions import CENTRAL_EDITORS_GROUP, CRISIS_TEAM_GROUP, department_editors_group_name

from . import actions, markup
from .models import Acknowledgement, Channel, Post, Reaction

SEED = 20261122

# Per department: what its staff post about. "{m}" becomes a mention of a colleague.
TOPICS = {
    "Bürgeramt": [
        "Ab Montag gelten im #Bürgerbüro neue Öffnungszeiten: Mo–Fr 8–13 Uhr, Do zusätzlich 14–18 Uhr. Bitte auch am Telefon so weitergeben.",
        "Kurze Frage: Wie geht ihr mit Meldebescheinigungen für Wohnungslose um? {m} hattest du das nicht neulich? #Meldewesen",
        "Die Terminbuchung ist heute bis 12 Uhr gestört, der Dienstleister arbeitet dran. #Terminvergabe",
        "Erinnerung: Ausweise mit Ablaufdatum 2025 bitte **aktiv** anschreiben, die Vorlage liegt im Wiki. #Personalausweis",
        "Wir haben heute den 10.000. Termin dieses Jahr vergeben 🎉 Danke an alle im #Bürgerbüro!",
        "Neue Arbeitshilfe zur Wohnungsgeberbestätigung ist online. #Meldewesen #Arbeitshilfe",
        "Hat jemand Erfahrung mit der Beantragung von Führungszeugnissen für Ehrenamtliche? {m} #Führungszeugnis",
    ],
    "Bauamt": [
        "Der digitale Bauantrag läuft jetzt für alle Verfahren über das Portal. Papieranträge bitte nur noch in Ausnahmefällen annehmen. #Bauantrag #Digitalisierung",
        "Baustelle Hauptstraße: Die Vollsperrung verlängert sich bis Ende des Monats. #Verkehr",
        "{m} kannst du dir die Stellungnahme zum B-Plan 47 bis Freitag ansehen? #Bebauungsplan",
        "Erinnerung: Denkmalschutzrechtliche Genehmigungen brauchen weiterhin die Unterschrift der Amtsleitung. #Denkmalschutz",
        "Wer hat noch einen Schlüssel für den Lageplanschrank im 3. OG? #Technisches_Rathaus",
        "Neue Gebührentabelle für Bauvoranfragen ab 1. Januar. #Gebühren #Bauantrag",
    ],
    "Ordnungsamt": [
        "Für den Weihnachtsmarkt sind alle Sondernutzungserlaubnisse erteilt. Danke {m}! #Weihnachtsmarkt #Sondernutzung",
        "Der KOD ist am Samstag mit zwei Streifen in der Innenstadt unterwegs. #KOD",
        "Gewerbeanmeldungen jetzt auch online – bitte Bürger:innen darauf hinweisen. #Gewerbe #Digitalisierung",
        "Hinweis zur Feuerwerksverordnung: Verkaufsstellen bitte bis 20.12. melden. #Silvester",
        "Kann jemand aus der Verkehrsbehörde morgen die Beschilderung am Marktplatz prüfen? {m} #Verkehr",
    ],
    "Personalamt": [
        "Die neue Dienstvereinbarung zum mobilen Arbeiten ist unterschrieben. Details im Wiki. #Homeoffice #Dienstvereinbarung",
        "Fortbildungsprogramm 2026 ist online – Anmeldungen bis 31.1. #Fortbildung",
        "Erinnerung an alle Führungskräfte: Mitarbeitendengespräche bis Ende Februar führen. #Personalentwicklung",
        "Die Entgeltabrechnung kommt diesen Monat zwei Tage früher. #Entgelt",
        "Wir suchen Ausbilder:innen für den neuen Jahrgang – Interesse bei {m} melden. #Ausbildung",
        "Neue Stellenausschreibungen: Sachbearbeitung Bürgeramt und IT-Support. #Stellenausschreibung",
    ],
    "Kämmerei": [
        "Haushaltssperre: Bitte bis auf Weiteres nur noch unabweisbare Ausgaben anordnen. #Haushalt",
        "Die Mittelanmeldungen für 2027 bitte bis 15.3. einreichen, Vorlage im Wiki. #Haushalt #Fristen",
        "Neue Wertgrenzen im Vergaberecht seit 1.1. – {m} hat eine Übersicht gemacht. #Vergabe",
        "Rechnungen bitte nur noch als XRechnung annehmen. #ERechnung #Digitalisierung",
        "Stadtkasse ist am Freitag wegen Jahresabschluss geschlossen. #Stadtkasse",
    ],
    "Feuerwehr": [
        "Brandschutzübung im Rathaus am Dienstag um 10 Uhr. Bitte Sammelplatz beachten! #Brandschutz",
        "Neue Brandschutzhelfer:innen gesucht – Schulung dauert einen halben Tag. {m} organisiert. #Brandschutz #Fortbildung",
        "Unwetterwarnung für Donnerstag: Bitte Fenster schließen und Dachfenster sichern. #Unwetter",
        "Danke an alle für die Unterstützung beim Tag der offenen Tür! 🎉 #Feuerwehr",
    ],
    "Stadtbibliothek": [
        "Die Onleihe hat jetzt auch Hörbücher für Kinder. #Stadtbibliothek #Digitalisierung",
        "Lesenacht am Freitag – wir suchen noch Vorleser:innen aus der Verwaltung! {m} #Lesenacht",
        "Neue Öffnungszeiten: samstags jetzt bis 16 Uhr. #Öffnungszeiten #Stadtbibliothek",
        "Die Bibliothek bietet einen Kurs 'Sicher im Netz' für Senior:innen an. #Digitalisierung",
    ],
    "IT": [
        "Wartungsfenster am Samstag 6–10 Uhr: E-Mail und Fachverfahren nicht erreichbar. #IT_Wartung",
        "Achtung Phishing: Mails mit Betreff 'Ihr Postfach ist voll' bitte **nicht** öffnen, sondern an it-sicherheit melden. #Informationssicherheit",
        "Die neuen Notebooks für das Bürgeramt sind da – {m} verteilt ab Montag. #Hardware",
        "Passwort-Manager für alle: Anleitung im Wiki, Fragen gern hier. #Informationssicherheit",
        "Teams-Telefonie wird ab März schrittweise eingeführt. #Telefonie #Digitalisierung",
        "Das Ticketsystem hat ein neues Formular für Berechtigungsanträge. #Berechtigungen",
        "Tipp: `Strg + Umschalt + V` fügt Text ohne Formatierung ein. #Tipps",
    ],
    "Jugendamt": [
        "Die Kita-Gebühren werden ab August einkommensabhängig berechnet. #Kita #Gebühren",
        "Ferienbetreuung Sommer: Anmeldung ab 1. April. {m} koordiniert. #Ferienbetreuung",
        "Neue Fachstelle Kinderschutz ist erreichbar unter Durchwahl 9905. #Kinderschutz",
    ],
    "Hauptamt": [
        "Das Intranet #Wissensnetz ist gestartet! Fragen und Feedback gern hier im Kanal Allgemein.",
        "Sitzungskalender für das 1. Halbjahr ist veröffentlicht. #Ratssitzung",
        "Neue Geschäftsverteilung ab 1. Februar – bitte Zuständigkeiten im Profil prüfen. #Organisation",
        "Datenschutz-Tipp: Keine Bürgerdaten in Beiträgen nennen, auch nicht in Fragen. {m} #Datenschutz",
    ],
}

GENERAL = [
    "Wer hat einen Schirm im Besprechungsraum 2.14 vergessen? ☔",
    "Kantine heute: Linsensuppe und Gemüselasagne. #Kantine",
    "Betriebsausflug 2026 – Vorschläge bis Ende des Monats an den Personalrat! #Betriebsausflug",
    "Die Kaffeemaschine im 2. OG ist repariert 🎉 #Kaffee",
    "Fahrradstellplätze am Rathaus werden ab nächster Woche erweitert. #Mobilität",
    "Sammelt jemand noch Korken für das Tierheim? #Ehrenamt",
    "Jobrad: Die Anmeldung ist wieder offen. #Mobilität #Jobrad",
    "Frage in die Runde: Wie organisiert ihr Vertretungen im Urlaub? #Vertretung",
    "Kennt jemand eine gute Vorlage für Barrierefreie PDFs? {m} #Barrierefreiheit",
    "Blutspende im Rathaus am 12. – Termine über das Personalamt. #Gesundheit",
]

REPLIES = [
    "Danke für die Info!",
    "Gut zu wissen, danke.",
    "Ist das auch im Wiki dokumentiert?",
    "Bei uns im Amt genauso – {m} weiß mehr.",
    "👍 Habe ich weitergegeben.",
    "Gilt das auch für Teilzeitkräfte?",
    "Super, das hat lange gedauert!",
    "Kann ich bestätigen.",
    "Ich schaue es mir morgen an.",
    "Wer ist dafür Ansprechpartner:in?",
    "Danke, hat funktioniert.",
    "Bitte auch an die Außenstellen denken.",
]

OFFICIAL = (
    "**Neue Dienstvereinbarung mobiles Arbeiten** gilt ab 1. Januar: bis zu drei Tage pro Woche "
    "mobiles Arbeiten nach Absprache mit der Führungskraft. Alle Einzelheiten und die Formulare im Wiki. "
    "Fragen bitte an @claudia.werner (Personalrat) oder @andrea.braun. #Homeoffice #Dienstvereinbarung"
)
URGENT = (
    "**Sturmwarnung für heute Nachmittag:** Das Technische Rathaus schließt um 14 Uhr. "
    "Bitte Fenster schließen und den Heimweg früh antreten. Bürgertermine ab 14 Uhr werden verlegt."
)


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _groups():
    Group.objects.get_or_create(name=CENTRAL_EDITORS_GROUP)
    for department in Department.objects.all():
        Group.objects.get_or_create(name=department_editors_group_name(department))
    crisis, _created = Group.objects.get_or_create(name=CRISIS_TEAM_GROUP)
    permission = Permission.objects.get(codename="publish_urgent", content_type__app_label="posts")
    crisis.permissions.add(permission)
    for username in ("stephanie.mayer", "juergen.herrmann"):
        member = User.objects.filter(username=username).first()
        if member:
            member.groups.add(crisis)


def _channels() -> dict[str, Channel]:
    channels = {"Allgemein": actions.general_channel()}
    if not channels["Allgemein"].description:
        channels["Allgemein"].description = "Für alle: Fragen, Hinweise und Neuigkeiten aus der ganzen Verwaltung."
        channels["Allgemein"].save(update_fields=["description"])
    for department in Department.objects.all():
        channel = actions.channel_for_department(department)
        if not channel.description:
            channel.description = f"Neuigkeiten und Fragen rund um {department.name}."
            if department.name == "IT":
                channel.posting_policy = Channel.Policy.ALL_STAFF
                channel.description = "Fragen an die IT und Hinweise zu Störungen – alle dürfen hier schreiben."
            channel.save(update_fields=["description", "posting_policy"])
        channels[department.name] = channel
    return channels


def _tagged(posts_with_tags):
    """Tags for bulk-created posts: one query per new tag name, one bulk insert of links."""
    by_lower: dict[str, Tag] = {tag.name.lower(): tag for tag in Tag.objects.all()}
    content_type = ContentType.objects.get_for_model(Post)
    links = []
    for post, names in posts_with_tags:
        for name in names:
            tag = by_lower.get(name.lower())
            if tag is None:
                tag = Tag.objects.create(name=name)
                by_lower[name.lower()] = tag
            links.append(TaggedItem(tag=tag, content_type=content_type, object_id=post.pk))
    TaggedItem.objects.bulk_create(links, ignore_conflicts=True)


@transaction.atomic
def load(*, stdout=None) -> dict:
    _groups()
    channels = _channels()
    if Post.objects.exists():
        return {"channels": len(channels), "posts_created": 0}

    rng = random.Random(SEED)
    staff = list(User.objects.filter(is_active=True, profile__isnull=False).select_related("profile__department"))
    staff = [u for u in staff if u.username != "admin"]
    if not staff:
        return {"channels": len(channels), "posts_created": 0}
    by_department: dict[str, list[User]] = {}
    for person in staff:
        if person.profile.department:
            by_department.setdefault(person.profile.department.name, []).append(person)
    now = timezone.now()

    def fill(text: str, author: User) -> str:
        colleague = rng.choice([p for p in staff if p != author])
        return text.replace("{m}", f"@{colleague.username}")

    # top-level posts: a few hundred over the last 60 days
    specs = []
    for _round in range(5):
        for department, texts in TOPICS.items():
            authors = by_department.get(department) or staff
            for text in texts:
                if rng.random() < 0.75:
                    specs.append((channels.get(department, channels["Allgemein"]), rng.choice(authors), text))
        for text in GENERAL:
            specs.append((channels["Allgemein"], rng.choice(staff), text))
    rng.shuffle(specs)
    minutes = sorted((rng.randint(30, 60 * 24 * 60) for _ in specs), reverse=True)

    posts, tags, mentions = [], [], []
    for (channel, author, template), ago in zip(specs, minutes, strict=True):
        text = fill(template, author)
        rendered = markup.render(text)
        post = Post(
            channel=channel, author=author, text=text, html=rendered.html, created_at=now - timedelta(minutes=ago)
        )
        posts.append(post)
        tags.append(rendered.tags)
        mentions.append(rendered.mentions)
    Post.objects.bulk_create(posts)
    _tagged(zip(posts, tags, strict=True))
    Post.mentions.through.objects.bulk_create(
        [
            Post.mentions.through(post_id=p.pk, user_id=u.pk)
            for p, users in zip(posts, mentions, strict=True)
            for u in users
        ],
        ignore_conflicts=True,
    )

    replies, reply_mentions = [], []
    for post in posts:
        for i in range(rng.choice([0, 0, 1, 1, 2, 3, 4])):
            author = rng.choice(staff)
            text = fill(rng.choice(REPLIES), author)
            rendered = markup.render(text)
            replies.append(
                Post(
                    channel=post.channel,
                    author=author,
                    parent=post,
                    text=text,
                    html=rendered.html,
                    created_at=post.created_at + timedelta(minutes=10 + 37 * i + rng.randint(0, 30)),
                )
            )
            reply_mentions.append(rendered.mentions)
    Post.objects.bulk_create(replies)
    Post.mentions.through.objects.bulk_create(
        [
            Post.mentions.through(post_id=p.pk, user_id=u.pk)
            for p, users in zip(replies, reply_mentions, strict=True)
            for u in users
        ],
        ignore_conflicts=True,
    )

    reactions = []
    for post in posts:
        for person in rng.sample(staff, k=rng.choice([0, 1, 2, 3, 5, 8])):
            reactions.append(
                Reaction(post=post, user=person, kind=rng.choice(["helpful", "helpful", "heart", "party"]))
            )
    Reaction.objects.bulk_create(reactions, ignore_conflicts=True)

    # the pinned official announcement (Hauptamt, in "Allgemein") and an urgent notice
    editor = User.objects.filter(username="ulrike.friedrich").first() or staff[0]
    official = actions.create_post(
        author=editor, channel=channels["Allgemein"], text=OFFICIAL, check_limits=False, send_notifications=False
    )
    Post.objects.filter(pk=official.pk).update(is_official=True, pinned_until=timezone.localdate() + timedelta(days=30))
    crisis = User.objects.filter(username="stephanie.mayer").first()
    if crisis:
        notice = Post.objects.create(
            channel=channels["Allgemein"],
            author=crisis,
            text=URGENT,
            html=markup.render(URGENT).html,
            is_urgent=True,
            is_official=True,
            urgent_until=now + timedelta(days=2),
        )
        Acknowledgement.objects.bulk_create(
            [Acknowledgement(post=notice, user=person) for person in rng.sample(staff, k=min(15, len(staff)))],
            ignore_conflicts=True,
        )

    # a few inbox items for the demo login (anna.schmidt)
    anna = User.objects.filter(username="anna.schmidt").first()
    if anna:
        for post in Post.objects.filter(mentions=anna).select_related("author")[:5]:
            notify(
                recipient=anna,
                kind=Notification.Kind.MENTION,
                actor=post.author,
                url=post.get_absolute_url(),
                verb=f"{post.author} hat Sie in einem Beitrag erwähnt",
            )
    total = len(posts) + len(replies) + 1
    _say(stdout, f"posts.demo: {total} posts in {len(channels)} channels")
    return {"channels": len(channels), "posts_created": total, "reactions": len(reactions)}
