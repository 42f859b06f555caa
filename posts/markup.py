"""The one place where post text becomes HTML.

A Markdown subset (bold, italic, links, lists, quotes, inline code; line breaks kept) -> HTML ->
the sanitiser (intranet.shared.html) with an allow-list. Raw HTML typed by a user is never passed through: it is shown as text.
Along the way the text's #hashtags, @mentions and links to wiki pages are collected, so the
caller can store tags, mention notifications and `linked_pages` from the same pass.

The result's `html` is safe to render as is (`|safe`)."""

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import markdown
from django.conf import settings
from django.urls import reverse
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from intranet.shared import html as shared_html
from intranet.shared.html import rewrite_links, sanitise

ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code"}
ALLOWED_PROTOCOLS = {"http", "https", "mailto"}
LINK_CLASSES = {"mention", "hashtag"}

# A hashtag: "#" after a space, start or punctuation (not inside a word, URL or entity), then
# letters/digits/underscores in any script, optionally joined by hyphens ("#Bürgerbüro",
# "#E-Akte"). Trailing punctuation is not part of it. Pure numbers ("#1") are not tags.
HASHTAG_RE = r"(?<![\w&/#@])#(\w+(?:-\w+)*)"
# A mention: "@" not inside an e-mail address or URL, then a username (letters, digits, dots,
# hyphens, underscores), never ending in a dot: "@anna.schmidt." mentions anna.schmidt.
MENTION_RE = r"(?<![\w@/.])@(\w+(?:[.\-]\w+)*)"
# A bare URL typed into the text.
URL_RE = r"(?<![\w/\"'=@])((?:https?://|www\.)[^\s<>\"'`]+)"
TRAILING_PUNCTUATION = ".,;:!?)]}'\"*_"

MAX_TAG_LENGTH = 50


@dataclass
class Rendered:
    html: str
    tags: list[str] = field(default_factory=list)
    mentions: list = field(default_factory=list)  # User objects, in order of appearance
    pages: list = field(default_factory=list)  # wagtail Page objects linked from the text


def _link(href: str, text: str, css_class: str | None = None) -> etree.Element:
    element = etree.Element("a")
    element.set("href", href)
    if css_class:
        element.set("class", css_class)
    element.text = AtomicString(text)
    return element


class HashtagProcessor(InlineProcessor):
    def __init__(self, pattern, found: list[str]):
        super().__init__(pattern)
        self.found = found

    def handleMatch(self, m, data):
        name = m.group(1)
        if name.replace("_", "").isdigit() or len(name) > MAX_TAG_LENGTH:
            return None, None, None
        if name.lower() not in {tag.lower() for tag in self.found}:
            self.found.append(name)
        return _link(reverse("posts:tag", kwargs={"name": name.lower()}), f"#{name}", "hashtag"), m.start(0), m.end(0)


class MentionProcessor(InlineProcessor):
    def __init__(self, pattern, users: dict, found: list):
        super().__init__(pattern)
        self.users = users
        self.found = found

    def handleMatch(self, m, data):
        user = self.users.get(m.group(1).lower())
        if user is None:
            return None, None, None
        if user not in self.found:
            self.found.append(user)
        return (
            _link(reverse("people:profile", kwargs={"username": user.username}), f"@{user.username}", "mention"),
            (m.start(0)),
            m.end(0),
        )


class BareUrlProcessor(InlineProcessor):
    def handleMatch(self, m, data):
        url = m.group(1)
        end = m.end(1)
        while url and url[-1] in TRAILING_PUNCTUATION:
            # keep a closing parenthesis that belongs to the URL (Wikipedia style)
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url, end = url[:-1], end - 1
        if len(url) < 8:
            return None, None, None
        href = url if "://" in url else f"https://{url}"
        return _link(href, url), m.start(0), end


def _markdown(found_tags: list[str], users: dict, found_users: list) -> markdown.Markdown:
    md = markdown.Markdown(extensions=["nl2br", "sane_lists"], output_format="html")
    # The subset: no raw HTML, no headings ("#tag" at a line start is a tag), no images,
    # no horizontal rules, no indented code blocks, no reference-style links.
    md.preprocessors.deregister("html_block")
    for name in ("indent", "code", "hashheader", "setextheader", "hr", "reference"):
        md.parser.blockprocessors.deregister(name)
    for name in (
        "html",
        "image_link",
        "image_reference",
        "short_image_ref",
        "reference",
        "short_reference",
        "automail",
    ):
        md.inlinePatterns.deregister(name)
    md.inlinePatterns.register(BareUrlProcessor(URL_RE), "bare_url", 115)
    md.inlinePatterns.register(MentionProcessor(MENTION_RE, users, found_users), "mention", 105)
    md.inlinePatterns.register(HashtagProcessor(HASHTAG_RE, found_tags), "hashtag", 104)
    return md


def _own_hosts() -> set[str]:
    hosts = {h.lstrip(".").lower() for h in settings.ALLOWED_HOSTS if h and h != "*"}
    base = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "")
    if base.hostname:
        hosts.add(base.hostname.lower())
    return hosts


def internal_path(href: str) -> str | None:
    """The path of a link into this site ("/bauamt/antraege/"), or None for external links."""
    if href.startswith("//"):
        return None
    parts = urlsplit(href)
    if parts.scheme in ("", None) and not parts.netloc:
        return parts.path if parts.path.startswith("/") else None
    if parts.scheme in ("http", "https") and (parts.hostname or "").lower() in _own_hosts():
        return parts.path or "/"
    return None


def _allowed_attribute(tag, name, value):
    if tag == "a":
        if name in ("href", "title"):
            return True
        if name == "class":
            return value in LINK_CLASSES
    return False


def _find_users(text: str) -> dict:
    from people.models import User

    names = {name.lower() for name in re.findall(MENTION_RE, text)}
    if not names:
        return {}
    users = User.objects.filter(username__in=names, is_active=True)
    return {user.username.lower(): user for user in users}


def _find_pages(paths: list[str]) -> list:
    if not paths:
        return []
    from wagtail.models import Page, Site

    candidates = set()
    for site in Site.objects.select_related("root_page"):
        root = site.root_page.url_path
        for path in paths:
            clean = path.strip("/")
            candidates.add(root + (clean + "/" if clean else ""))
    pages = {page.url_path: page for page in Page.objects.filter(url_path__in=candidates)}
    ordered = []
    for page in pages.values():
        if page not in ordered:
            ordered.append(page)
    return ordered


def render(text: str) -> Rendered:
    """Markdown subset -> sanitised HTML, with the hashtags, mentioned users and linked wiki
    pages found in the text. Queries: users mentioned (if any @), pages linked (if any)."""
    tags: list[str] = []
    mentions: list = []
    users = _find_users(text)
    raw = _markdown(tags, users, mentions).convert(text)
    clean = sanitise(raw, tags=ALLOWED_TAGS, attributes=_allowed_attribute, protocols=ALLOWED_PROTOCOLS)

    internal_paths: list[str] = []

    def set_rel(attrs):
        href = attrs.get("href")
        if not href:
            return None  # a link whose address was removed (javascript:, data:, ...) becomes text
        path = internal_path(href)
        if path is None:
            attrs["rel"] = "noopener nofollow"
        else:
            attrs.pop("rel", None)
            if attrs.get("class") not in LINK_CLASSES:
                internal_paths.append(path)
        return attrs

    # The Markdown pass linked the URLs already (except inside code, which is skipped): only
    # set_rel runs over the existing links.
    html = rewrite_links(clean, set_rel, skip_tags={"code"})
    return Rendered(html=html, tags=tags, mentions=mentions, pages=_find_pages(internal_paths))


def plain_text(html: str) -> str:
    """The text of rendered HTML on one line, for e-mails, snippets and previews: no Markdown
    syntax (it was rendered), the tags stripped, a space between blocks, the entities read back
    ("&amp;" is "&"). Whoever puts it into HTML escapes it (the templates do)."""
    return shared_html.plain_text(html)


def plain_excerpt(html: str, length: int = shared_html.EXCERPT_LENGTH) -> str:
    """:func:`plain_text` cut at a word boundary with "…" (``intranet.shared.html.plain_excerpt``)."""
    return shared_html.plain_excerpt(html, length)


_FIRST_LINE_END = re.compile(r"<br\b[^>]*>|</(?:p|li|blockquote)>", re.IGNORECASE)


def first_line(html: str, length: int = 90) -> str:
    """The plain text of the first non-empty line of rendered HTML, cut at a word boundary (a
    post's title in search results and lists)."""
    for line in _FIRST_LINE_END.split(html or ""):
        text = shared_html.plain_excerpt(line, length)
        if text:
            return text
    return ""
