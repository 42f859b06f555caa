"""posts.markup: the Markdown subset, sanitising against script injection, hashtags, mentions,
links to wiki pages."""

import pytest

from posts.markup import render
from tests.conftest import make_user
from tests.intranet.test_shared_html import _Collector


def html(text):
    return render(text).html


# --- the Markdown subset ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**fett**", "<strong>fett</strong>"),
        ("*kursiv*", "<em>kursiv</em>"),
        ("`code`", "<code>code</code>"),
        ("- eins\n- zwei", "<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>"),
        ("1. eins\n2. zwei", "<ol>\n<li>eins</li>\n<li>zwei</li>\n</ol>"),
        ("> Zitat", "<blockquote>\n<p>Zitat</p>\n</blockquote>"),
        ("Zeile 1\nZeile 2", "<p>Zeile 1<br>\nZeile 2</p>"),
    ],
)
def test_markdown_subset(text, expected):
    assert expected in html(text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    ["# Überschrift", "Titel\n=====", "![Bild](https://example.org/a.png)", "---", "    eingerückter Code"],
)
def test_outside_the_subset_stays_text(text):
    out = html(text)
    for tag in ("<h1", "<h2", "<img", "<hr", "<pre"):
        assert tag not in out


@pytest.mark.django_db
def test_markdown_link_to_external_site_gets_noopener_nofollow():
    assert html("[Stadt](https://www.musterstadt.de/)") == (
        '<p><a href="https://www.musterstadt.de/" rel="noopener nofollow">Stadt</a></p>'
    )


@pytest.mark.django_db
def test_bare_urls_are_linked_without_trailing_punctuation():
    out = html("Siehe https://www.bundesanzeiger.de/pub/de/start?0. Danke!")
    assert '<a href="https://www.bundesanzeiger.de/pub/de/start?0" rel="noopener nofollow">' in out
    assert "</a>. Danke!" in out


@pytest.mark.django_db
def test_www_addresses_are_linked_with_https():
    assert 'href="https://www.musterstadt.de"' in html("Infos auf www.musterstadt.de")


@pytest.mark.django_db
def test_mailto_links_are_allowed():
    assert 'href="mailto:buergeramt@musterstadt.de"' in html("[Mail](mailto:buergeramt@musterstadt.de)")


# --- script injection ------------------------------------------------------------------------


ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[klick](javascript:alert(1))",
    "[klick](JaVaScRiPt:alert(1))",
    "[klick]( javascript:alert(1))",
    "[klick](&#106;avascript:alert(1))",
    "[klick](java\tscript:alert(1))",
    "[klick](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[klick](vbscript:msgbox(1))",
    '[klick](https://example.org/" onmouseover="alert(1))',
    '[x](https://example.org "title" onclick="alert(1)")',
    "<svg/onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "<div><p>unclosed <b>bold",
    '"><script>alert(1)</script>',
    "`<script>alert(1)</script>`",
    "**<img src=x onerror=alert(1)>**",
    "<a href='https://ok.example' onclick='alert(1)'>x</a>",
    "[x](https://ok.example)<!-- <script>alert(1)</script> -->",
    "data:text/html,<script>alert(1)</script>",
    "javascript:alert(1)",
    "<object data=x></object><embed src=x>",
    "<form action=https://evil.example><input name=p></form>",
]


def parsed(out):
    collector = _Collector()
    collector.feed(out)
    return collector


@pytest.mark.django_db
@pytest.mark.parametrize("text", ATTACKS)
def test_no_script_survives(text):
    """What a browser would parse from the output: only allowed elements, no event handlers,
    links only to http(s), mailto or this site."""
    result = parsed(html(text))
    assert result.comments == []
    for tag, attrs in result.elements:
        assert tag in {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code"}, tag
        assert not [name for name in attrs if name.startswith("on")]
        assert set(attrs) <= {"href", "rel", "class", "title"}
        href = attrs.get("href")
        if href is not None:
            scheme = href.split(":", 1)[0].strip().lower() if ":" in href.split("/", 1)[0] else ""
            assert scheme in {"", "http", "https", "mailto"}, href


@pytest.mark.django_db
def test_typed_html_is_shown_as_text():
    assert html("Bitte <b>nicht</b> fett") == "<p>Bitte &lt;b&gt;nicht&lt;/b&gt; fett</p>"


@pytest.mark.django_db
def test_only_allowed_tags_and_attributes_remain():
    import re

    out = html(" ".join(ATTACKS) + " **a** *b* [c](https://c.example) #Tag")
    tags = set(re.findall(r"<([a-z0-9]+)", out))
    assert tags <= {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code"}
    attributes = set(re.findall(r"\s([a-z-]+)=\"", out))
    assert attributes <= {"href", "rel", "class", "title"}


# --- hashtags ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("Neu im #Bürgerbüro!", ["Bürgerbüro"]),
        ("#Straßenreinigung, #Öffnungszeiten.", ["Straßenreinigung", "Öffnungszeiten"]),
        ("(#Wahl2025) und #E-Akte?", ["Wahl2025", "E-Akte"]),
        ("#Çalışma #Łódź", ["Çalışma", "Łódź"]),
        ("#doppelt und #Doppelt", ["doppelt"]),
        ("Platz #1 und #2024", []),
        ("https://example.org/seite#abschnitt", []),
        ("https://example.org/#abschnitt", []),
        ("Wort#kein Tag, &#35; Entität", []),
        ("`#code` ist kein Tag", []),
        ("#Tag_mit_Unterstrich", ["Tag_mit_Unterstrich"]),
    ],
)
def test_hashtags(text, tags):
    assert render(text).tags == tags


@pytest.mark.django_db
def test_hashtag_at_line_start_is_a_tag_not_a_heading():
    out = html("#Hochwasser im Ortsteil Nord")
    assert "<h1" not in out
    assert '<a class="hashtag" href="/beitraege/thema/hochwasser/">#Hochwasser</a>' in out


@pytest.mark.django_db
def test_hashtag_link_with_umlaut():
    assert 'href="/beitraege/thema/b%C3%BCrgerb%C3%BCro/"' in html(
        "#Bürgerbüro"
    ) or 'href="/beitraege/thema/bürgerbüro/"' in html("#Bürgerbüro")


# --- mentions ---------------------------------------------------------------------------------


@pytest.fixture
def people(db):
    return {
        "anna": make_user("anna.schmidt", first_name="Anna", last_name="Schmidt"),
        "oezlem": make_user("oezlem.kaya", first_name="Özlem", last_name="Kaya"),
        "jan": make_user("jan-ole.neumann", first_name="Jan-Ole", last_name="Neumann"),
    }


@pytest.mark.parametrize(
    ("text", "usernames"),
    [
        ("Danke @anna.schmidt!", ["anna.schmidt"]),
        ("Frag @anna.schmidt.", ["anna.schmidt"]),
        ("(@oezlem.kaya), @jan-ole.neumann: bitte prüfen", ["oezlem.kaya", "jan-ole.neumann"]),
        ("@Anna.Schmidt in Großschreibung", ["anna.schmidt"]),
        ("@anna.schmidt und nochmal @anna.schmidt", ["anna.schmidt"]),
        ("Mail an anna.schmidt@stadt.test ist keine Erwähnung", []),
        ("@niemand.da gibt es nicht", []),
        ("`@anna.schmidt` im Code", []),
        ("https://mastodon.social/@anna.schmidt", []),
    ],
)
def test_mentions(people, text, usernames):
    assert [user.username for user in render(text).mentions] == usernames


def test_mention_links_to_the_profile(people):
    assert '<a class="mention" href="/personen/anna.schmidt/">@anna.schmidt</a>' in html("Hallo @anna.schmidt")


def test_unknown_mention_stays_plain_text(people):
    out = html("Hallo @niemand.da")
    assert "<a" not in out and "@niemand.da" in out


def test_inactive_users_are_not_mentioned(people):
    people["anna"].is_active = False
    people["anna"].save()
    assert render("@anna.schmidt").mentions == []


# --- links to wiki pages ----------------------------------------------------------------------


@pytest.fixture
def wiki_page(db):
    from wagtail.models import Page, Site

    root = Site.objects.get(is_default_site=True).root_page
    page = Page(title="Wohnsitz anmelden", slug="wohnsitz-anmelden")
    root.add_child(instance=page)
    return page


def test_relative_link_to_a_wiki_page_is_recognised(wiki_page):
    result = render("Siehe [Anleitung](/wohnsitz-anmelden/)")
    assert [p.pk for p in result.pages] == [wiki_page.pk]
    assert 'href="/wohnsitz-anmelden/"' in result.html
    assert "nofollow" not in result.html


@pytest.mark.django_db
def test_absolute_link_to_own_host_is_recognised(wiki_page, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://intranet.musterstadt.de"
    result = render("https://intranet.musterstadt.de/wohnsitz-anmelden/ lesen")
    assert [p.pk for p in result.pages] == [wiki_page.pk]
    assert "nofollow" not in result.html


def test_link_to_unknown_page_or_other_site_is_not_a_page_link(wiki_page):
    assert render("[x](/gibt-es-nicht/) und https://evil.example/wohnsitz-anmelden/").pages == []


def test_protocol_relative_link_is_external(wiki_page):
    out = html("[x](//evil.example/wohnsitz-anmelden/)")
    assert 'rel="noopener nofollow"' in out
    assert render("[x](//evil.example/wohnsitz-anmelden/)").pages == []
