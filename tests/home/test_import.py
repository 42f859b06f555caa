"""manage.py import_pages: Markdown files with front matter become wiki pages."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from home.models import DepartmentPage, WikiPage
from people.models import Department
from tests.conftest import make_user, sign_in

GOOD = """---
title: Urlaubsantrag stellen
department: Personalamt
tags: [Urlaub, Personal]
owner: tobias.hofmann
---
# Urlaub beantragen

Urlaub wird **im Zeiterfassungssystem** beantragt. Siehe [Tarifvertrag](https://www.tvoed.de/).

- Antrag stellen
- Genehmigung abwarten

| Art | Tage |
|-----|------|
| Erholungsurlaub | 30 |
| Sonderurlaub | nach Anlass |

```bash
echo "Resturlaub"
```

<script>alert("x")</script>
"""

CHILD = """---
title: Sonderurlaub
department: Personalamt
tags: Urlaub, Sonderurlaub
parent: Urlaubsantrag stellen
---
Bei Umzug ein Tag.
"""


def run(directory):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_pages", str(directory), stdout=out, stderr=err)
        failed = None
    except CommandError as exc:
        failed = str(exc)
    return out.getvalue(), err.getvalue(), failed


@pytest.fixture
def owner(db):
    return make_user("tobias.hofmann")


@pytest.mark.django_db
def test_import_creates_department_section_and_pages_with_rich_content(tmp_path, owner, user):
    (tmp_path / "b-sonderurlaub.md").write_text(CHILD, encoding="utf-8")  # before its parent, alphabetically
    (tmp_path / "a-urlaub.md").write_text(GOOD, encoding="utf-8")
    out, err, failed = run(tmp_path)
    assert failed is None, err
    # a progress bar and a one-line summary, not a line per file
    assert "pages  [" in err and " 2/2 " in err
    assert out.strip().splitlines() == ["2 created, 0 updated, 0 failed."]
    department = Department.objects.get(name="Personalamt")
    section = DepartmentPage.objects.get(department=department)
    page = WikiPage.objects.get(title="Urlaubsantrag stellen")
    assert page.get_parent().pk == section.pk and page.live
    assert page.content_owner == owner
    assert sorted(page.tags.names()) == ["Personal", "Urlaub"]
    child = WikiPage.objects.get(title="Sonderurlaub")
    assert child.get_parent().pk == page.pk
    assert sorted(child.tags.names()) == ["Sonderurlaub", "Urlaub"]

    types = [block.block_type for block in page.body]
    assert types == ["paragraph", "table", "code", "paragraph"] or types[:3] == ["paragraph", "table", "code"]
    rich = page.body[0].value.source
    assert "<h2>Urlaub beantragen</h2>" in rich and "<b>im Zeiterfassungssystem</b>" in rich
    assert '<a href="https://www.tvoed.de/">' in rich and "<li>Antrag stellen</li>" in rich
    assert page.body[1].value["data"][0] == ["Art", "Tage"] and page.body[1].value["first_row_is_table_header"]
    assert page.body[2].value["language"] == "bash" and 'echo "Resturlaub"' in page.body[2].value["code"]
    assert "<script>" not in str(page.body.raw_data)

    client = Client()
    sign_in(client, user)
    html = client.get(page.url).content.decode()
    assert "Erholungsurlaub" in html and "Resturlaub" in html


@pytest.mark.django_db
def test_running_the_import_again_updates_instead_of_duplicating(tmp_path, owner):
    (tmp_path / "urlaub.md").write_text(GOOD, encoding="utf-8")
    run(tmp_path)
    (tmp_path / "urlaub.md").write_text(GOOD.replace("30", "31"), encoding="utf-8")
    out, _err, failed = run(tmp_path)
    assert failed is None and "updated" in out
    assert WikiPage.objects.filter(title="Urlaubsantrag stellen").count() == 1
    assert DepartmentPage.objects.filter(department__name="Personalamt").count() == 1
    page = WikiPage.objects.get(title="Urlaubsantrag stellen")
    assert page.body[1].value["data"][1] == ["Erholungsurlaub", "31"]
    assert page.revisions.count() == 2


@pytest.mark.django_db
def test_bad_files_are_reported_by_name_and_line_and_the_rest_imports(tmp_path, owner):
    (tmp_path / "gut.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "ohne-front-matter.md").write_text("# Nur Text\n", encoding="utf-8")
    (tmp_path / "kaputt.md").write_text(
        "---\ntitle: Kaputt\ndepartment: Bauamt\ndiese zeile ist falsch\n---\nx", encoding="utf-8"
    )
    (tmp_path / "unbekannt.md").write_text(
        "---\ntitle: X\ndepartment: Bauamt\ntags: a\nowner: niemand.da\n---\nx", encoding="utf-8"
    )
    (tmp_path / "eltern.md").write_text(
        "---\ntitle: Y\ndepartment: Bauamt\nparent: Gibt es nicht\n---\nx", encoding="utf-8"
    )
    (tmp_path / "ohne-titel.md").write_text("---\ndepartment: Bauamt\n---\nx", encoding="utf-8")
    (tmp_path / "binaer.md").write_bytes(b"\xff\xfe\x00---")
    _out, err, failed = run(tmp_path)
    assert failed is not None and "1 created" in failed and "6 failed" in failed
    assert "ohne-front-matter.md:1:" in err
    assert "kaputt.md:4: expected 'key: value'" in err
    assert "unbekannt.md:5: unknown owner 'niemand.da'" in err
    assert "eltern.md:4: parent page 'Gibt es nicht' not found" in err
    assert "ohne-titel.md:1: 'title' is missing" in err
    assert "binaer.md:1:" in err
    assert WikiPage.objects.filter(title="Urlaubsantrag stellen").exists()
    # nothing half-made from the bad files: no Bauamt section, no pages X or Y
    assert not Department.objects.filter(name="Bauamt").exists()
    assert not WikiPage.objects.filter(title__in=["X", "Y", "Kaputt"]).exists()


@pytest.mark.django_db
def test_import_needs_an_existing_folder(tmp_path):
    _out, _err, failed = run(tmp_path / "fehlt")
    assert failed and "is not a folder" in failed
