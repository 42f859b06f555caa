"""Import a folder of Markdown files as wiki pages (an old wiki, documents from a file share).

Each file starts with front matter between `---` lines:

    ---
    title: Urlaubsantrag stellen
    department: Personalamt          # its name; department and section are created when missing
    tags: [Urlaub, Personal]         # or: Urlaub, Personal
    owner: tobias.hofmann            # a username (optional)
    parent: Urlaub und Arbeitszeit   # a page title in that department (optional)
    ---

The Markdown body becomes the page's StreamField: rich text (headings, lists, links, quotes),
tables as table blocks and fenced code as code blocks. A page with the same title in the same
department is updated (a new published revision), never duplicated. A bad file is reported with
its name and line; the other files still import."""

import html as html_module
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import markdown
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from intranet.shared.html import sanitise
from people.models import Department

from .models import ContentPage, DepartmentPage, HomePage, WikiPage

KNOWN_KEYS = {"title", "department", "tags", "owner", "parent"}
ALLOWED_TAGS = ["p", "h2", "h3", "h4", "b", "i", "ul", "ol", "li", "a", "hr", "code", "blockquote", "br"]
ALLOWED_ATTRIBUTES = {"a": ["href"]}
SEGMENT = re.compile(r"(<table>.*?</table>|<pre><code[^>]*>.*?</code></pre>)", re.S)
CODE = re.compile(r'<pre><code(?: class="language-([\w+-]+)")?>(.*?)</code></pre>', re.S)


class ImportFileError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# --- front matter ----------------------------------------------------------------------------
def parse_front_matter(text: str) -> tuple[dict, dict, str, int]:
    """Returns (values, line number of each key, body, line where the body starts)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ImportFileError(1, "the file must start with front matter between '---' lines")
    values, key_lines = {}, {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            body = "\n".join(lines[number:])
            break
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if ":" not in line:
            raise ImportFileError(number, f"expected 'key: value', got {line.strip()!r}")
        key, value = line.split(":", 1)
        key = key.strip().lower()
        if key not in KNOWN_KEYS:
            raise ImportFileError(number, f"unknown key {key!r} (known: {', '.join(sorted(KNOWN_KEYS))})")
        values[key] = value.split(" #", 1)[0].strip().strip('"').strip("'")
        key_lines[key] = number
    else:
        raise ImportFileError(1, "the front matter is not closed with a '---' line")
    if not values.get("title"):
        raise ImportFileError(1, "'title' is missing")
    if not values.get("department"):
        raise ImportFileError(1, "'department' is missing")
    return values, key_lines, body, number + 1


def parse_tags(value: str) -> list[str]:
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    return [tag.strip().strip('"').strip("'") for tag in value.split(",") if tag.strip()]


# --- Markdown -> StreamField -----------------------------------------------------------------
class _TableParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.header_rows, self._cell, self._in_head = [], 0, None, False

    def handle_starttag(self, tag, attrs):
        if tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self.rows.append([])
            if self._in_head:
                self.header_rows += 1
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _rich_text(html: str) -> str:
    """Markdown's HTML reduced to what Wagtail's rich text stores (its database format, with the
    features of blocks.RICH_TEXT_FEATURES)."""
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    html = re.sub(r"<(/?)h[56]>", r"<\1h4>", html)
    html = re.sub(r"<(/?)strong>", r"<\1b>", html)
    html = re.sub(r"<(/?)em>", r"<\1i>", html)
    cleaned = sanitise(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=["http", "https", "mailto", "tel"]
    )
    return cleaned.strip()


def markdown_to_blocks(text: str) -> list[tuple]:
    html = markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"], output_format="html")
    blocks = []
    for segment in SEGMENT.split(html):
        if not segment.strip():
            continue
        if segment.startswith("<table>"):
            parser = _TableParser()
            parser.feed(segment)
            width = max((len(row) for row in parser.rows), default=0)
            rows = [row + [""] * (width - len(row)) for row in parser.rows if row]
            if rows:
                blocks.append(
                    (
                        "table",
                        {
                            "data": rows,
                            "first_row_is_table_header": parser.header_rows > 0,
                            "first_col_is_header": False,
                            "table_caption": "",
                        },
                    )
                )
        elif segment.startswith("<pre>"):
            match = CODE.match(segment)
            blocks.append(
                ("code", {"language": match.group(1) or "", "code": html_module.unescape(match.group(2)).rstrip("\n")})
            )
        else:
            rich = _rich_text(segment)
            if rich:
                blocks.append(("paragraph", rich))
    return blocks


# --- pages -----------------------------------------------------------------------------------
def department_section(name: str, *, user=None) -> DepartmentPage:
    """The department's section, creating the department and its page when they are missing."""
    department = Department.objects.filter(name__iexact=name).first() or Department.objects.create(name=name)
    section = DepartmentPage.objects.filter(department=department).first()
    if section is None:
        home = HomePage.objects.first()
        section = DepartmentPage(title=department.name, slug=department.slug, department=department)
        home.add_child(instance=section)
        section.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)
    return section


def _unique_slug(parent, title: str, exclude_pk=None) -> str:
    base = slugify(title.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss"))[:200] or "seite"
    slug, number = base, 2
    siblings = parent.get_children()
    if exclude_pk:
        siblings = siblings.exclude(pk=exclude_pk)
    while siblings.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def import_file(path: Path, *, user=None) -> tuple[str, WikiPage]:
    """Imports one file; returns ("created" | "updated", page). Raises ImportFileError."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFileError(1, "the file is not UTF-8 text") from exc
    values, key_lines, body, _body_line = parse_front_matter(text)
    owner = None
    if values.get("owner"):
        owner = get_user_model().objects.filter(username=values["owner"]).first()
        if owner is None:
            raise ImportFileError(key_lines["owner"], f"unknown owner {values['owner']!r} (a username is expected)")
    blocks = markdown_to_blocks(body)
    with transaction.atomic():
        section = department_section(values["department"], user=user)
        parent = section
        if values.get("parent"):
            match = ContentPage.objects.descendant_of(section).filter(title=values["parent"]).first()
            if match is None:
                raise ImportFileError(
                    key_lines["parent"], f"parent page {values['parent']!r} not found in {section.title}"
                )
            parent = match.specific
        existing = ContentPage.objects.descendant_of(section).filter(title=values["title"]).first()
        if existing is not None and not isinstance(existing.specific, WikiPage):
            raise ImportFileError(key_lines.get("title", 1), "a page with this title exists and is not a wiki page")
        tags = parse_tags(values.get("tags", ""))
        if existing is None:
            page = WikiPage(
                title=values["title"], slug=_unique_slug(parent, values["title"]), body=blocks, content_owner=owner
            )
            parent.add_child(instance=page)
            outcome = "created"
        else:
            page = existing.specific
            if page.get_parent().pk != parent.pk:
                page.move(parent, pos="last-child")
                page = WikiPage.objects.get(pk=page.pk)
            page.body = blocks
            if owner is not None:
                page.content_owner = owner
            outcome = "updated"
        page.tags.set(tags)
        page.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)
    return outcome, page


def import_directory(directory: Path, *, user=None, progress=None) -> ImportResult:
    """Imports every *.md file below `directory`. Files whose parent page comes from another file
    are imported after it (several passes); a file that fails is reported and skipped.
    ``progress(total)`` is called once with the number of files and returns a callable called
    with the number of files done since the last call (intranet.shared.progress)."""
    result = ImportResult()
    remaining = sorted(directory.rglob("*.md"))
    advance = progress(len(remaining)) if progress else (lambda count: None)
    while remaining:
        deferred, last_errors = [], {}
        for path in remaining:
            name = str(path.relative_to(directory))
            try:
                outcome, _page = import_file(path, user=user)
            except ImportFileError as error:
                if "parent page" in error.message:
                    deferred.append(path)
                    last_errors[path] = f"{name}:{error.line}: {error.message}"
                else:
                    result.errors.append(f"{name}:{error.line}: {error.message}")
                continue
            (result.created if outcome == "created" else result.updated).append(name)
            advance(1)
        if len(deferred) == len(remaining):
            result.errors.extend(last_errors[path] for path in deferred)
            break
        remaining = deferred
    return result
