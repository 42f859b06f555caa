"""Text is text: every snippet, backlink, notification and preview is plain text made once from
the rendered content (``intranet.shared.html.plain_excerpt``): no Markdown syntax, no block
labels, no entities, cut at a word boundary with "…". One test per surface, the search hits on
the configured engine (Whoosh or PostgreSQL)."""

import html as html_module
import re

import pytest
from django.utils import translation

from home.models import WikiPage
from people.models import Notification
from posts import actions
from search import query
from tests.home.conftest import add_page
from tests.posts.conftest import post_in

pytestmark = [pytest.mark.usefixtures("immediate_on_commit")]

LONG = (
    "**Wichtig:** Die Kfz-Zulassungsstelle bleibt am Freitag &amp; Samstag geschlossen, weil die "
    "Fachanwendung auf eine neue Version umgestellt wird. Termine werden automatisch verschoben "
    "und alle Betroffenen erhalten eine Nachricht mit dem neuen Termin. Fragen beantwortet das "
    "Bürgertelefon unter der bekannten Rufnummer, werktags von acht bis sechzehn Uhr, außer an "
    "Feiertagen und Brückentagen."
)


def no_markup(snippet: str) -> None:
    """A snippet (HTML: escaped text with <mark> only) shows no Markdown, tag or entity."""
    assert "**" not in snippet and "&amp;amp;" not in snippet
    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")


def cut_at_word(text: str, full: str) -> None:
    """``text`` ends in "…" right after a whole word of ``full``."""
    assert text.endswith("…")
    words = set(re.findall(r"\w+", full))
    last = re.findall(r"\w+", text)[-1]
    assert last in words, f"cut inside a word: {last!r}"


@pytest.mark.search_index
def test_post_snippet_and_title_in_search_hits_are_plain_text(general, user):
    post = post_in(general, user, LONG)
    result = query.search(user=user, q="Zulassungsstelle")
    hit = next(hit for hit in result.hits if hit.type == "post" and hit.id == post.pk)
    no_markup(hit.snippet)
    no_markup(hit.title)
    assert hit.snippet.startswith("Wichtig: Die Kfz-")
    assert "Freitag &amp; Samstag" in hit.snippet  # the text "&", escaped once for HTML
    assert hit.title.startswith("Wichtig: Die") and hit.title.endswith("…") and len(hit.title) <= 90


@pytest.mark.search_index
def test_page_snippet_has_no_block_labels_and_labels_are_not_searchable(home_page, user):
    body = [
        ("heading", {"text": "Zuständigkeit", "level": "h2"}),
        ("paragraph", "<p>Das Standesamt beurkundet Geburten &amp; Sterbefälle.</p>"),
        ("box", {"kind": "warning", "title": "", "text": "<p>Bitte Termin vereinbaren.</p>"}),
    ]
    page = add_page(home_page, WikiPage(title="Beurkundungen", slug="beurkundungen", body=body))
    for language in ("de", "en"):
        with translation.override(language):
            hit = next(hit for hit in query.search(user=user, q="Standesamt").hits if hit.id == page.pk)
            assert hit.snippet.startswith("Zuständigkeit Das <mark>Standesamt</mark>")
            for label in ("Überschrift", "Heading", "Warnung", "Warning", "Hinweis", "Note"):
                assert label not in hit.snippet
            assert "Geburten &amp; Sterbefälle" in hit.snippet  # read back, escaped once
    with translation.override("de"):
        assert page.pk not in [hit.id for hit in query.search(user=user, q="Überschrift").hits]
        assert page.pk not in [hit.id for hit in query.search(user=user, q="Warnung").hits]


def test_backlink_to_a_page_is_the_posts_plain_text(user_client, general, user, home_page):
    page = add_page(home_page, WikiPage(title="Zulassung", slug="zulassung"))
    post_in(general, user, f"{LONG} Siehe [Zulassung](/zulassung/)")
    html = user_client.get(page.url).content.decode()
    backlinks = html.split('id="backlinks-title"')[1].split("</section>")[0]
    text = html_module.unescape(re.search(r"Beitrag: ([^<]*)</a>", backlinks).group(1))
    assert text.startswith("Wichtig: Die Kfz-Zulassungsstelle")
    assert "**" not in text and len(text) <= 80
    cut_at_word(text, LONG)


def test_urgent_notification_is_plain_text_cut_at_a_word(crisis_member, other_user):
    actions.publish_urgent(author=crisis_member, text=LONG)
    verb = Notification.objects.get(recipient=other_user, kind=Notification.Kind.URGENT).verb
    assert verb.startswith("Eilmeldung: Wichtig: Die Kfz-")
    assert "**" not in verb and "&amp;" not in verb and "Freitag & Samstag" in verb
    cut_at_word(verb, LONG)


def test_post_preview_and_title_are_plain_text(general, user):
    post = post_in(general, user, "Erste Zeile mit **Fettdruck** &amp; mehr\nzweite Zeile " + "lang " * 40)
    assert str(post).startswith("Erste Zeile mit Fettdruck & mehr zweite Zeile lang")
    assert str(post).endswith(" lang…") and len(str(post)) <= 60
    assert post.summary.endswith("…") and "**" not in post.summary and len(post.summary) <= 80
    assert actions._post_title(post).endswith("lang…")
