"""The one sanitiser (intranet.shared.html) against hostile HTML, with both allow-lists that use
it: post text (posts.markup) and imported wiki pages (home.importer). Exchanging bleach for
another sanitiser must keep these passing."""

from html.parser import HTMLParser

import pytest

from home import importer
from intranet.shared.html import rewrite_links, sanitise, text_of
from posts import markup

ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle/></svg>",
    "<a href='javascript:alert(1)'>x</a>",
    "<a href=' jAvAsCrIpT:alert(1)'>x</a>",
    "<a href='java&#x09;script:alert(1)'>x</a>",
    "<a href='data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='>x</a>",
    "<a href='vbscript:msgbox(1)'>x</a>",
    "<a href='https://ok.example' onclick='alert(1)' style='position:fixed'>x</a>",
    "<p style='background:url(javascript:alert(1))'>x</p>",
    "<iframe src='https://evil.example'></iframe>",
    "<object data=x></object><embed src=x>",
    "<form action=https://evil.example><input name=p><button formaction=javascript:alert(1)>x</button></form>",
    "<!-- <script>alert(1)</script> -->text",
    "<<script>script>alert(1)<</script>/script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title='</noscript><img src=x onerror=alert(1)>'>",
    "<base href='https://evil.example/'><meta http-equiv=refresh content='0;url=https://evil.example'>",
    "<a href='https://ok.example' target=_blank>x</a>",
]

ALLOW_LISTS = {
    "post": dict(tags=markup.ALLOWED_TAGS, attributes=markup._allowed_attribute, protocols=markup.ALLOWED_PROTOCOLS),
    "wiki import": dict(
        tags=importer.ALLOWED_TAGS, attributes=importer.ALLOWED_ATTRIBUTES, protocols=["http", "https", "mailto", "tel"]
    ),
}
SAFE_ATTRIBUTES = {"href", "title", "class"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.comments = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_comment(self, data):
        self.comments.append(data)


@pytest.mark.parametrize("allow", ALLOW_LISTS, ids=list(ALLOW_LISTS))
@pytest.mark.parametrize("attack", ATTACKS)
def test_nothing_a_browser_would_run_survives(attack, allow):
    """What a browser parses from the output: only the allowed elements, no event handler or
    style, links only to the allowed schemes, no comments."""
    options = ALLOW_LISTS[allow]
    out = sanitise(attack, **options)
    collector = _Collector()
    collector.feed(out)
    assert collector.comments == []
    for tag, attrs in collector.elements:
        assert tag in set(options["tags"]), (tag, out)
        assert set(attrs) <= SAFE_ATTRIBUTES, (attrs, out)
        href = attrs.get("href")
        if href is not None and ":" in href.split("/", 1)[0]:
            assert href.split(":", 1)[0].strip().lower() in set(options["protocols"]), out


def test_allowed_markup_and_text_are_kept():
    out = sanitise(
        '<p>Frist <b>14 Tage</b> &amp; mehr: <a href="https://www.musterstadt.de/x">Info</a></p>',
        **ALLOW_LISTS["wiki import"],
    )
    assert out == '<p>Frist <b>14 Tage</b> &amp; mehr: <a href="https://www.musterstadt.de/x">Info</a></p>'


def test_rewrite_links_sets_and_removes_attributes_and_unlinks():
    html = '<p><a href="https://a.example">A</a> <a href="/wiki/b/">B</a> <code>https://c.example</code></p>'

    def rewrite(attrs):
        if attrs["href"].startswith("/"):
            return None
        return {**attrs, "rel": "noopener nofollow"}

    out = rewrite_links(html, rewrite, skip_tags={"code"})
    assert out == '<p><a href="https://a.example" rel="noopener nofollow">A</a> B <code>https://c.example</code></p>'


def test_text_of_is_text_without_tags_or_entities():
    assert text_of("<p>Wasser &amp; Strom: <b>&quot;Pegel&quot;</b> &lt; 2 m</p>") == 'Wasser & Strom: "Pegel" < 2 m'


# --- plain text and excerpts (snippets, backlinks, notifications, previews) -------------------


def test_plain_text_keeps_words_of_adjacent_blocks_apart_and_reads_entities():
    from intranet.shared.html import plain_text

    html = "<h2>Termine</h2><p>Montag &amp; Dienstag</p><ul><li>eins</li><li>zwei</li></ul>a<br>b"
    assert plain_text(html) == "Termine Montag & Dienstag eins zwei a b"


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("kurz genug", 20, "kurz genug"),
        ("Die Sitzung fällt aus", 15, "Die Sitzung…"),  # not "Die Sitzung fä…"
        ("Die Sitzung, die ausfällt", 13, "Die Sitzung…"),  # no comma before the ellipsis
        ("Donaudampfschifffahrt", 10, "Donaudamp…"),  # one long word: cut inside it
        ("  viel   Raum\n\nhier ", 20, "viel Raum hier"),
    ],
)
def test_excerpt_cuts_at_a_word_boundary(text, length, expected):
    from intranet.shared.html import excerpt

    assert excerpt(text, length) == expected
    assert len(excerpt(text, length)) <= length
