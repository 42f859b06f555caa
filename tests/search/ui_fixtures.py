"""Fixtures for the search page/API/query tests: a fresh index per test (on the configured
backend class), a small city with German pages, posts and people."""

import os

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from home.models import DepartmentPage, ProcessPage, WikiPage
from people.models import Department
from posts import actions as post_actions
from posts.models import Channel
from tests.conftest import make_user
from tests.home.conftest import add_page, rich

#: The German analysis (stemming, umlaut folding, compounds, typos) is ours, in both shapes'
#: engines (Whoosh, search.postgres); Wagtail's generic database backend (SEARCH_BACKEND=database)
#: has none, so these cases skip there.
whoosh_only = pytest.mark.skipif(
    os.environ.get("SEARCH_BACKEND", "whoosh") not in ("whoosh", "postgres"),
    reason="needs our German analysis (stemming, folding, compounds); Wagtail's generic database backend has none",
)

#: Tests of the Whoosh engine's own machinery (its arrays, its matchers): nothing to test on
#: another engine, whose own tests are in tests/search/test_postgres.py.
whoosh_engine = pytest.mark.skipif(
    os.environ.get("SEARCH_BACKEND", "whoosh") != "whoosh",
    reason="tests the Whoosh engine's own machinery (arrays, matchers)",
)


@pytest.fixture(autouse=True)
def fresh_index(settings, tmp_path):
    """Whoosh: an index folder of its own per test, so nothing from another test can match.
    The database backend keeps its index in the (rolled back) test database anyway."""
    if settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] != "search.whoosh":
        return  # settings untouched: the database backend picks its SQLite/PostgreSQL flavour once
    backends = {name: dict(conf) for name, conf in settings.WAGTAILSEARCH_BACKENDS.items()}
    backends["default"]["PATH"] = str(tmp_path / "index")
    settings.WAGTAILSEARCH_BACKENDS = backends
    settings.MODELSEARCH_BACKENDS = backends


def post(author, text, channel, capture):
    with capture(execute=True):
        return post_actions.create_post(author=author, channel=channel, text=text, check_limits=False)


class City:
    pass


@pytest.fixture
def city(home_page, department, user, django_capture_on_commit_callbacks):
    """Bürgeramt and Bauamt sections with German pages, a restricted Personalrat page, posts, people."""
    c = City()
    c.buergeramt = department
    c.bauamt = Department.objects.create(name="Bauamt", short_name="BauA")
    c.section = add_page(home_page, DepartmentPage(title="Bürgeramt", slug="buergeramt", department=department))
    c.bau_section = add_page(home_page, DepartmentPage(title="Bauamt", slug="bauamt", department=c.bauamt))
    c.antrag = add_page(
        c.section,
        WikiPage(title="Antrag auf Akteneinsicht", slug="akteneinsicht", body=rich("Wer Akten einsehen möchte, stellt einen Antrag beim Bürgeramt.")),
    )  # fmt: skip
    c.bauantrag = add_page(
        c.bau_section,
        ProcessPage(title="Bauantrag einreichen", slug="bauantrag", purpose="Unterlagen und Fristen für Bauvorhaben in der Stadt."),
    )  # fmt: skip
    c.urlaub = add_page(
        c.section,
        WikiPage(title="Urlaubsantrag stellen", slug="urlaub", body=rich("Urlaub beantragen Sie über das Personalportal.")),
    )  # fmt: skip
    c.genehmigung = add_page(
        c.bau_section,
        WikiPage(title="Genehmigung von Dienstreisen", slug="dienstreisen", body=rich("Dienstreisen brauchen eine Genehmigung der Amtsleitung.")),
    )  # fmt: skip
    c.strasse = add_page(
        c.section,
        WikiPage(title="Sondernutzung der Straße", slug="sondernutzung", body=rich("Wer eine Straße für einen Umzug sperren will, braucht eine Erlaubnis.")),
    )  # fmt: skip
    c.buerger = add_page(
        c.section,
        WikiPage(title="Bürgerbefragung 2026", slug="buergerbefragung", body=rich("Die Bürger der Stadt werden zur Innenstadt befragt.")),
    )  # fmt: skip
    c.personalrat = add_page(
        c.section,
        WikiPage(title="Personalrat Sprechstunde", slug="personalrat", body=rich("Der Personalrat berät vertraulich.")),
    )  # fmt: skip
    c.secret = add_page(
        c.section,
        WikiPage(title="Geheimprotokoll Kündigungsschutz", slug="geheim", body=rich("Vertrauliches Protokoll zum Kündigungsschutz.")),
    )  # fmt: skip
    c.personalrat_group = Group.objects.create(name="Personalrat")
    restriction = PageViewRestriction.objects.create(page=c.secret, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(c.personalrat_group)
    c.draft = WikiPage(
        title="Entwurf Kündigungsschutz Leitfaden", slug="entwurf", live=False, body=rich("Kündigungsschutz Entwurf")
    )
    c.section.add_child(instance=c.draft)
    c.draft.save_revision()
    c.channel = Channel.objects.create(name="Allgemein", slug="allgemein")
    c.author = make_user("autorin", first_name="Petra", last_name="Schreiber", department=department)
    c.post = post(
        c.author,
        "Neue Öffnungszeiten im Bürgeramt ab Montag #Bürgerservice",
        c.channel,
        django_capture_on_commit_callbacks,
    )
    c.hidden_post = post(
        c.author, "Kündigungsschutz Gerüchte in der Kantine", c.channel, django_capture_on_commit_callbacks
    )
    # Hidden the way a moderator hides it, so the index is told after the commit (a bare save()
    # inside the test transaction would leave the index describing the post as visible).
    with django_capture_on_commit_callbacks(execute=True):
        moderator = make_user("moderation", is_superuser=True)
        post_actions.hide_post(post=c.hidden_post, moderator=moderator, reason="Gerücht")
    c.deleted_post = post(c.author, "Kündigungsschutz Tabelle alt", c.channel, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.delete_post(post=c.deleted_post, user=c.author)
    c.person = make_user("mmueller", first_name="Martina", last_name="Müller", department=c.bauamt)
    c.person.profile.job_title = "Sachbearbeiterin Baugenehmigungen"
    c.person.profile.save()
    c.gone = make_user(
        "kschutz", first_name="Kündigungsschutz", last_name="Ehemalig", department=department, is_active=False
    )
    c.gone.profile.job_title = "Kündigungsschutz Beratung"
    c.gone.profile.save()
    c.user = user
    return c


@pytest.fixture
def without_typo_search(settings, fresh_index):
    """The engine (Whoosh or PostgreSQL) with its typo search off (``FUZZY_FALLBACK=False``), so that a typo finds
    nothing and the page offers "Meinten Sie". With it on, the suggestion follows the same rule
    (search.typos) as the typo search, so it offers nothing the search has not found already."""
    backends = {name: dict(conf) for name, conf in settings.WAGTAILSEARCH_BACKENDS.items()}
    if backends["default"]["BACKEND"] in ("search.whoosh", "search.postgres"):
        backends["default"]["FUZZY_FALLBACK"] = False
        settings.WAGTAILSEARCH_BACKENDS = backends
        settings.MODELSEARCH_BACKENDS = backends
