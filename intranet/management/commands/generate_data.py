"""Synthetic data at scale for benchmarks: staff, wiki pages and microblog posts of Stadt Musterstadt.

Not demo data (that is `load_demo_data`): this fills a scratch database with as much as you ask for,
in believable German, so the benchmarks in bench/ measure what a city administration sees after a
few years. Everything is added on top of what exists; run it on a scratch database."""

import datetime
import logging
import random
import time
import unicodedata

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from taggit.models import Tag, TaggedItem
from wagtail.models import Page

from home.models import DepartmentPage, HomePage, PageTag, WikiPage
from intranet.shared.progress import Progress
from people.models import Department, Profile, User
from posts import actions as post_actions
from posts import markup
from posts.models import Channel, Post, Reaction
from search.indexing import per_object_updates_paused

HELP = """Creates staff, wiki pages and posts in bulk for benchmarks (sizes are added to what exists).

Post text goes through the same validation and markup as the site (posts.actions.clean_text and
posts.markup.render: Markdown, bleach, #hashtags, @mentions; each distinct sentence rendered once
and the posts' HTML joined from them), but rows are bulk-inserted in batches and neither
notifications nor per-post index updates are sent: at 100k posts one index write and one
notification query per post would take hours. The search index is rebuilt once at the end
(update_index) unless --no-index is given. Pages are inserted a batch at a time with what
Wagtail's add_child would set (tree paths, child counts, URL paths, section department) and
published live without a revision history.
Staff share one password hash if --password is given (the benchmark signs in with it); without
it they get an unusable password and cannot sign in."""

DEPARTMENTS = [
    ("Bürgeramt", "BA"),
    ("Bauamt", "BauA"),
    ("Ordnungsamt", "OA"),
    ("Personalamt", "PA"),
    ("Kämmerei", "Käm"),
    ("Feuerwehr", "FW"),
    ("IT", "IT"),
    ("Jugendamt", "JA"),
    ("Sozialamt", "SoA"),
    ("Standesamt", "StA"),
    ("Umweltamt", "UA"),
    ("Hauptamt", "HA"),
]
FIRST_NAMES = (
    "Anna Julia Sophie Petra Lena Sabine Fatma Katrin Andrea Nicole Claudia Martina Birgit Melanie Stephanie "
    "Ulrike Laura Özlem Jana Monika Heike Sandra Ayşe Maria Elena Thomas Mehmet Klaus Stefan Markus Jan Michael "
    "Tobias Daniel Frank Alexander Sven Jürgen Patrick Christian Oliver Uwe Peter Ralf Dirk Emre Lukas Jonas Piotr"
).split()
LAST_NAMES = (
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein "
    "Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Krause Meier "
    "Lehmann Köhler Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn "
    "Yılmaz Demir Kaya Nowak Kowalski Öztürk"
).split()
JOB_TITLES = [
    "Sachbearbeiterin",
    "Sachbearbeiter",
    "Sachgebietsleitung",
    "Amtsleitung",
    "Verwaltungsfachangestellte",
    "Verwaltungsfachangestellter",
    "Auszubildende",
    "Teamleitung",
    "Referentin",
    "Referent",
]
TOPICS = [
    "Bauantrag",
    "Bürgerbüro",
    "Vergabe",
    "Dienstplan",
    "Haushalt",
    "Meldewesen",
    "Fristen",
    "Gewerbe",
    "Datenschutz",
    "E-Akte",
    "Fortbildung",
    "Personalrat",
    "Sondernutzung",
    "Wahlen",
    "Brandschutz",
    "Kita",
    "Stadtkasse",
    "IT_Störung",
    "Ausweis",
    "Bebauungsplan",
]
THINGS = [
    "der Bauantrag für die Lindenstraße 12",
    "die Ausschreibung für die Gebäudereinigung",
    "der Dienstplan für den Schalterdienst",
    "die Stellungnahme zum Bebauungsplan 47",
    "der Antrag auf Sondernutzung am Marktplatz",
    "die Vorlage für den Hauptausschuss",
    "das neue Formular für Gewerbeanmeldungen",
    "die Haushaltsplanung für das nächste Jahr",
    "die Vergabe der Winterdienstleistungen",
    "der Widerspruch im Verfahren Az. 63-2024-118",
    "die Verfahrensbeschreibung zur Wohnsitzanmeldung",
    "die Umstellung auf die E-Akte",
    "der Antrag auf Fördermittel für den Radweg",
    "die Fortbildung zum Vergaberecht",
    "die Urlaubsplanung im Bürgerbüro",
]
WHEN = [
    "bis Freitag",
    "bis Ende des Monats",
    "bis zum 15.",
    "noch diese Woche",
    "vor der Ausschusssitzung am Dienstag",
    "bis morgen 12 Uhr",
    "nach Ostern",
]
OPENERS = [
    "Kurze Info: {thing} muss {when} fertig sein.",
    "Wer ist eigentlich zuständig für {thing}? Die Frist läuft {when} ab.",
    "Hinweis an alle: {thing} liegt jetzt im Fachverfahren zur Prüfung vor.",
    "Kann jemand {thing} {when} gegenlesen? Ich bin ab Montag im Urlaub.",
    "Gute Nachricht: {thing} ist genehmigt. Danke an alle Beteiligten!",
    "Bitte beachten: Anträge zu {topic} nehmen wir {when} nur noch digital an.",
    "Im Bürgerbüro ist heute viel los – {thing} verschiebt sich leider.",
    "Die Zuständigkeiten für {topic} haben sich geändert, Vertretung siehe Wiki.",
    "Erinnerung: Die Frist für {thing} endet {when}. Rückfragen gern an mich.",
    "Neuer Stand zu {topic}: Die Vergabestelle hat die Unterlagen {when} angefordert.",
    "Der Dienstplan für die Feiertage hängt aus. Tauschwünsche bitte {when} melden.",
    "Wir haben {thing} abgeschlossen und die Akte an die Registratur gegeben.",
]
SECOND = [
    "Die Unterlagen liegen im Laufwerk unter Projekte.",
    "Bei Fragen bin ich unter der Durchwahl erreichbar.",
    "Bitte die Verfahrensbeschreibung im Wiki beachten.",
    "Der Personalrat ist informiert.",
    "Das Protokoll folgt per E-Mail.",
    "",
    "",
]
REPLIES = [
    "Danke für den Hinweis!",
    "Ist erledigt, die Unterlagen sind raus.",
    "Ich übernehme das, {m}.",
    "Gilt das auch für {topic}?",
    "Bei uns im Amt klappt das schon so – gern melden, wenn ihr Hilfe braucht.",
    "Kurze Rückfrage: Wer vertritt dich in der Zeit?",
    "Die Frist ist knapp, können wir das in der Dienstbesprechung klären?",
    "{m} weiß da mehr, sie hat den letzten Antrag bearbeitet.",
    "Super, dann passe ich den Dienstplan an.",
]
PAGE_SUBJECTS = [
    "Bauantrag prüfen",
    "Gewerbeanmeldung bearbeiten",
    "Sondernutzungserlaubnis erteilen",
    "Dienstreise beantragen",
    "Vergabe unterhalb der Schwellenwerte",
    "Rechnung anweisen",
    "Wohnsitz ummelden",
    "Führungszeugnis beantragen",
    "Urlaubsantrag stellen",
    "Fundsache annehmen",
    "Akteneinsicht gewähren",
    "Hundesteuer festsetzen",
    "Parkausweis ausstellen",
    "Widerspruch bearbeiten",
    "Posteingang scannen",
]
PAGE_PARAGRAPHS = [
    "Diese Anleitung beschreibt, wie wir im Amt vorgehen. Zuständig ist die jeweilige Sachbearbeitung; "
    "die Vertretung regelt der Geschäftsverteilungsplan.",
    "Anträge werden im Fachverfahren erfasst und innerhalb von zwei Wochen beschieden. Fehlen Unterlagen, "
    "fordern wir sie schriftlich mit einer Frist von 14 Tagen nach.",
    "Gebühren richten sich nach der Verwaltungsgebührensatzung der Stadt Musterstadt. "
    "Die Kasse bucht Zahlungen innerhalb von drei Werktagen.",
    "Bei Vergaben bis 25.000 Euro genügt eine Preisanfrage bei drei Unternehmen; darüber gilt die UVgO.",
    "Personenbezogene Daten werden nach Abschluss des Verfahrens gemäß Aktenplan gelöscht.",
    "Rückfragen aus dem Bürgerbüro beantwortet die Fachabteilung am selben Tag.",
]
REACTION_KINDS = [Reaction.Kind.HELPFUL, Reaction.Kind.HELPFUL, Reaction.Kind.HEART, Reaction.Kind.PARTY]


def _ascii(text: str) -> str:
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss").replace("ı", "i")
    text = text.replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=2000, help="Staff to add (default 2000).")
        parser.add_argument("--pages", type=int, default=5000, help="Wiki pages to add (default 5000).")
        parser.add_argument("--posts", type=int, default=100000, help="Posts and replies to add (default 100000).")
        parser.add_argument("--seed", type=int, default=8, help="Random seed, for repeatable data (default 8).")
        parser.add_argument("--batch-size", type=int, default=2000, help="Rows per bulk insert (default 2000).")
        parser.add_argument(
            "--password",
            default=None,
            help="Password of every generated account (default: none — the accounts cannot sign in).",
        )
        parser.add_argument("--no-index", action="store_true", help="Do not rebuild the search index at the end.")

    def handle(self, *args, **options):
        for name in ("users", "pages", "posts"):
            if options[name] < 0:
                raise CommandError(f"--{name} must be 0 or more, not {options[name]}.")
        if options["batch_size"] < 1:
            raise CommandError(f"--batch-size must be at least 1, not {options['batch_size']}.")
        home = HomePage.objects.first()
        if options["pages"] and home is None:
            raise CommandError("There is no start page (HomePage): run `manage.py migrate` first.")
        self.rng = random.Random(options["seed"])
        self.batch_size = options["batch_size"]
        timings = {}
        logging.disable(logging.INFO)  # one "Page created" line per page would drown the progress bar
        try:
            self._generate(options, home, timings)
        finally:
            logging.disable(logging.NOTSET)
        self._finish(options, timings)

    def _generate(self, options, home, timings):
        with per_object_updates_paused():  # rebuilt once at the end
            departments = self._departments()
            started = time.monotonic()
            self._users(options["users"], departments, options["password"])
            timings["users"] = time.monotonic() - started
            staff = list(
                User.objects.filter(is_active=True, profile__isnull=False)
                .select_related("profile__department")
                .only("id", "username", "profile__department")
            )
            if options["posts"] and len(staff) < 2:
                raise CommandError("Posts need at least two members of staff: add some with --users.")
            started = time.monotonic()
            if options["pages"]:
                self._pages(options["pages"], home, departments, staff)
            timings["pages"] = time.monotonic() - started
            started = time.monotonic()
            if options["posts"]:
                self._posts(options["posts"], departments, staff)
            timings["posts"] = time.monotonic() - started

    def _finish(self, options, timings):
        self._analyze()
        if not options["no_index"]:
            started = time.monotonic()
            call_command("update_index", verbosity=0)
            timings["index"] = time.monotonic() - started
        summary = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
        self.stdout.write(
            f"Created {options['users']} staff, {options['pages']} pages, {options['posts']} posts ({summary})."
        )
        self.timings = timings

    def _analyze(self):
        """Fresh planner statistics after the bulk load (PostgreSQL). Without them the planner
        still sees the tables as they were before: at 100k posts it expected 30 top-level posts
        instead of 65,000 and sorted all of them to show 20 - the feed's query took 200 ms instead
        of 3 ms (docs/performance.md, "PostgreSQL at 100k"). Autovacuum would catch up later, or
        never where it is switched off; any bulk import into a live site should be followed by
        ANALYZE in the same way (docs/deploy.md)."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    # --- staff ------------------------------------------------------------------------------

    def _departments(self) -> list[Department]:
        for name, short in DEPARTMENTS:
            if not Department.objects.filter(name=name).exists():
                Department(name=name, short_name=short).save()
        departments = list(Department.objects.order_by("name"))
        for department in departments:
            post_actions.channel_for_department(department)
        post_actions.general_channel()
        return departments

    def _users(self, count: int, departments: list[Department], password: str) -> None:
        if not count:
            return
        progress = Progress("staff", count, self.stderr)
        hashed = make_password(password)
        taken = set(User.objects.values_list("username", flat=True))
        number = len(taken)
        made = 0
        while made < count:
            size = min(self.batch_size, count - made)
            users, profiles = [], []
            for _ in range(size):
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
                base = f"{_ascii(first)}.{_ascii(last)}"
                username = base
                while username in taken:
                    number += 1
                    username = f"{base}{number}"
                taken.add(username)
                user = User(
                    username=username,
                    email=f"{username}@stadt-musterstadt.de",
                    first_name=first,
                    last_name=last,
                    password=hashed,
                )
                department = self.rng.choice(departments)
                job = self.rng.choice(JOB_TITLES)
                profile = Profile(
                    user=user,
                    department=department,
                    job_title=f"{job} {self.rng.choice(TOPICS).replace('_', ' ')}",
                    phone=f"0421 361-{self.rng.randint(1000, 9999)}",
                    room=f"Rathaus, Raum {self.rng.randint(0, 4)}.{self.rng.randint(1, 30):02d}",
                )
                profile.search_text = profile.build_search_text(tag_names=[])
                users.append(user)
                profiles.append(profile)
            with transaction.atomic():
                User.objects.bulk_create(users)
                for user, profile in zip(users, profiles, strict=True):
                    profile.user = user
                Profile.objects.bulk_create(profiles)
            made += size
            progress.advance(size)
        progress.finish()

    # --- wiki pages -------------------------------------------------------------------------

    def _pages(self, count: int, home: HomePage, departments: list[Department], staff: list[User]) -> None:
        progress = Progress("pages", count, self.stderr)
        sections = {page.department_id: page for page in DepartmentPage.objects.all()}
        for department in departments:
            if department.pk not in sections:
                section = DepartmentPage(
                    title=department.name,
                    slug=department.slug,
                    department=department,
                    body=[("paragraph", f"<p>Zuständigkeiten und Anleitungen des Amts {department.name}.</p>")],
                )
                home.add_child(instance=section)
                sections[department.pk] = section
        tags = {name: Tag.objects.get_or_create(name=name)[0] for name in TOPICS}
        parents = list(sections.values())
        made = 0
        links = []
        number = WikiPage.objects.count()
        tree = _PageTree()
        while made < count:
            size = min(self.batch_size, count - made)
            pages = []
            for _ in range(size):
                number += 1
                # about one page in five is a sub-page of an earlier generated page
                parent = self.rng.choice(parents)
                subject = self.rng.choice(PAGE_SUBJECTS)
                paragraphs = self.rng.sample(PAGE_PARAGRAPHS, k=3)
                page = WikiPage(
                    title=f"{subject} ({number})",
                    slug=f"{_ascii(subject).replace(' ', '-')}-{number}",
                    content_owner=self.rng.choice(staff) if staff else None,
                    body=[("paragraph", f"<p>{text}</p>") for text in paragraphs],
                )
                tree.place(page, parent)
                pages.append(page)
                if isinstance(parent, DepartmentPage) and self.rng.random() < 0.2 and len(parents) < 2000:
                    parents.append(page)
                for name in self.rng.sample(TOPICS, k=2):
                    links.append((page, tags[name]))
            with transaction.atomic():
                tree.insert(pages)
                PageTag.objects.bulk_create(PageTag(content_object_id=page.pk, tag=tag) for page, tag in links)
                links = []
            made += size
            progress.advance(size)
        progress.finish()

    # --- posts ------------------------------------------------------------------------------

    def _text(self, template: str, staff: list[User], author: User) -> tuple[str, User | None]:
        """One sentence as (text with the mention written as the placeholder, mentioned user)."""
        colleague = self.rng.choice(staff)  # drawn for every sentence: the same corpus for the same seed
        if colleague.pk == author.pk:
            colleague = staff[(staff.index(colleague) + 1) % len(staff)]
        text = template.format(
            thing=self.rng.choice(THINGS),
            when=self.rng.choice(WHEN),
            topic=self.rng.choice(TOPICS).replace("_", " "),
            m=f"@{self._renderer.placeholder}",
        )
        return text, colleague if "{m}" in template else None

    def _post_text(self, staff: list[User], author: User) -> list[tuple[str, User | None]]:
        pieces = [self._text(self.rng.choice(OPENERS), staff, author)]
        second = self.rng.choice(SECOND)
        if second:
            pieces.append((second, None))
        if self.rng.random() < 0.3:
            pieces.append(self._text("{m}, kannst du dir das ansehen?", staff, author))
        tags = self.rng.sample(TOPICS, k=self.rng.choice([0, 1, 1, 2]))
        if tags:
            pieces.append((" ".join(f"#{tag}" for tag in tags), None))
        return pieces

    def _posts(self, count: int, departments: list[Department], staff: list[User]) -> None:
        """Each batch: about two thirds new posts, then replies to recent posts (threads)."""
        progress = Progress("posts", count, self.stderr)
        channels = {channel.department_id: channel for channel in Channel.objects.all()}
        self._general = channels[None]
        self._channels = channels
        self._tags = {tag.name.lower(): tag for tag in Tag.objects.all()}
        self._post_type = ContentType.objects.get_for_model(Post)
        self._renderer = PieceRenderer(staff)
        now = timezone.now()
        span = datetime.timedelta(days=3 * 365)
        threads = list(
            Post.objects.filter(parent=None, is_deleted=False)
            .order_by("-id")
            .values_list("id", "channel_id", "created_at")[:300]
        )[::-1]
        made = 0
        while made < count:
            size = min(self.batch_size, count - made)
            replies = round(size * 0.35) if size > 1 else 0
            tops = []
            for i in range(size - replies):
                author = self.rng.choice(staff)
                department_id = author.profile.department_id
                channel = channels.get(department_id, self._general) if self.rng.random() < 0.6 else self._general
                created_at = now - span * (1 - (made + i + 1) / count) - datetime.timedelta(minutes=90)
                tops.append(Post(channel=channel, author=author, created_at=created_at))
            texts = [self._post_text(staff, post.author) for post in tops]
            self._save(tops, texts, staff, react=True)
            threads.extend((post.pk, post.channel_id, post.created_at) for post in tops)
            del threads[:-300]
            answers = []
            for _ in range(replies):
                parent_id, channel_id, parent_created = self.rng.choice(threads)
                created_at = min(parent_created + datetime.timedelta(minutes=self.rng.randint(5, 80)), now)
                answers.append(
                    Post(
                        parent_id=parent_id, channel_id=channel_id, author=self.rng.choice(staff), created_at=created_at
                    )
                )
            texts = [[self._text(self.rng.choice(REPLIES), staff, post.author)] for post in answers]
            self._save(answers, texts, staff, react=False)
            made += size
            progress.advance(size)
        progress.finish()

    def _save(self, posts: list[Post], texts: list[list], staff: list[User], *, react: bool) -> None:
        """Validates and renders each text as `posts.actions.create_post` does (through
        :class:`PieceRenderer`), then bulk-inserts the posts with their tags, mentions and (for new
        posts) some reactions."""
        rendered_list = []
        for post, pieces in zip(posts, texts, strict=True):
            text, rendered = self._renderer.render(pieces)
            try:
                post.text = post_actions.clean_text(text)
            except ValidationError as error:  # pragma: no cover — the templates are short
                raise CommandError(f"Generated text was refused: {error}") from error
            post.html = rendered.html
            rendered_list.append(rendered)
        with transaction.atomic():
            Post.objects.bulk_create(posts)
            tagged, mentions, reactions = [], [], []
            for post, rendered in zip(posts, rendered_list, strict=True):
                for name in rendered.tags:
                    tag = self._tags.get(name.lower())
                    if tag is None:
                        tag = Tag.objects.create(name=name)
                        self._tags[name.lower()] = tag
                    tagged.append(TaggedItem(tag=tag, content_type=self._post_type, object_id=post.pk))
                mentions.extend(Post.mentions.through(post_id=post.pk, user_id=u.pk) for u in rendered.mentions)
                if react and self.rng.random() < 0.4:
                    people = self.rng.sample(staff, k=min(len(staff), self.rng.randint(1, 6)))
                    reactions.extend(
                        Reaction(post=post, user=person, kind=self.rng.choice(REACTION_KINDS)) for person in people
                    )
            TaggedItem.objects.bulk_create(tagged, ignore_conflicts=True)
            Post.mentions.through.objects.bulk_create(mentions, ignore_conflicts=True)
            Reaction.objects.bulk_create(reactions, ignore_conflicts=True)


class _PageTree:
    """Wiki pages added in bulk: what ``parent.add_child(instance=page)`` and ``Page.save`` set
    (tree path and depth, the parents' child counts, ``url_path``, ``draft_title``, the section's
    department and the review date of ``ContentPage.save``), then one ``INSERT`` per table of the
    page type (wagtailcore_page, home_contentpage, home_wikipage) for a whole batch. ``add_child``
    costs about 25 queries a page (validation, tree, section, log entry): 55 pages/s on a quiet
    machine, 7-9/s while the database is busy. No revisions and no log entries are written (as
    before: generated pages are published without a revision history); tests/bench checks the
    tree with treebeard's ``find_problems`` and every page's ``full_clean``."""

    def __init__(self):
        self.last: dict[str, int] = {}  # parent path -> the step of its last child
        self.added: dict[str, list] = {}  # parent path -> [parent, children added in this batch]

    def place(self, page, parent) -> None:
        """Where ``page`` goes under ``parent`` (a saved page, or one placed earlier in this
        batch: keyed by path, as it has no primary key yet)."""
        key = parent.path
        if key not in self.last:
            last = parent.get_last_child() if parent.numchild else None
            self.last[key] = Page._str2int(last.path[-Page.steplen :]) if last else 0
        self.last[key] += 1
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, self.last[key])
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.draft_title = page.title
        page.locale_id = parent.locale_id
        page.live, page.has_unpublished_changes, page.numchild = True, False, 0
        if isinstance(parent, DepartmentPage):
            page.section_department_id = parent.department_id
        else:
            page.section_department_id = parent.section_department_id
        page.review_due = page.compute_review_due()
        self.added.setdefault(key, [parent, 0])[1] += 1

    def insert(self, pages) -> None:
        """The placed pages, each table in one statement, parents before children (new parents
        of this batch are inserted in the same statement as their children: the tree has no
        foreign keys between rows)."""
        for page in pages:
            page.content_type_id = ContentType.objects.get_for_model(type(page)).pk
        model = type(pages[0])
        chain = [*reversed(model._meta.get_parent_list()), model]  # Page, ContentPage, WikiPage
        root = chain[0]
        fields = [field for field in root._meta.local_concrete_fields if not field.primary_key]
        ids = root._base_manager._insert(pages, fields=fields, returning_fields=[root._meta.pk], using="default")
        for page, (pk,) in zip(pages, ids, strict=True):
            page.pk = page.id = pk
        for table in chain[1:]:
            for page in pages:
                for link in table._meta.parents.values():
                    setattr(page, link.attname, page.id)
            table._base_manager._insert(pages, fields=table._meta.local_concrete_fields, using="default")
        by_count: dict[int, list[int]] = {}  # one UPDATE per number of children added, not per parent
        for parent, added in self.added.values():
            by_count.setdefault(added, []).append(parent.pk)
            parent.numchild += added
        for added, pks in by_count.items():
            Page.objects.filter(pk__in=pks).update(numchild=F("numchild") + added)
        self.added = {}


class PieceRenderer:
    """``posts.markup.render`` of a generated text, one sentence (piece) at a time: every distinct
    piece is rendered once by the site's renderer and its HTML reused, so 1M posts cost a few
    thousand renders (Markdown, bleach and a user query each: 3 ms a post, 2.3 hours at 1M).

    A generated text is one line of sentences joined by spaces: its HTML is one paragraph whose
    content is the pieces' contents joined by spaces (tests/bench compares it with
    ``markup.render`` of the whole text). A mention is rendered with a real member of staff
    (``placeholder``, a username no other text contains) and the username replaced afterwards;
    usernames are letters, digits and dots, the same in a URL, in HTML and in text."""

    def __init__(self, staff: list[User]):
        self.placeholder = max((user.username for user in staff), key=len)
        self._pieces: dict[str, tuple[str, list[str], bool]] = {}

    def _piece(self, text: str) -> tuple[str, list[str], bool]:
        found = self._pieces.get(text)
        if found is None:
            rendered = markup.render(text)
            html = rendered.html
            if not (html.startswith("<p>") and html.endswith("</p>")) or "<p>" in html[3:]:
                raise CommandError(f"A generated sentence is not one paragraph: {text!r}")  # pragma: no cover
            found = (html[3:-4], rendered.tags, bool(rendered.mentions))
            self._pieces[text] = found
        return found

    def render(self, pieces: list[tuple[str, User | None]]) -> tuple[str, markup.Rendered]:
        texts, htmls, tags, mentions = [], [], [], []
        for text, user in pieces:
            html, piece_tags, mentioned = self._piece(text)
            if user is not None:
                text = text.replace(self.placeholder, user.username)
                html = html.replace(self.placeholder, user.username)
                if mentioned and user not in mentions:
                    mentions.append(user)
            for name in piece_tags:
                if name.lower() not in {tag.lower() for tag in tags}:
                    tags.append(name)
            texts.append(text)
            htmls.append(html)
        return " ".join(texts), markup.Rendered(html="<p>" + " ".join(htmls) + "</p>", tags=tags, mentions=mentions)
