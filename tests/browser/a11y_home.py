"""The wiki's page types for the accessibility check: department section, wiki page with every
kind of block, process page, a page due for review, topics, history, diff, watched pages, mandatory
reading (the page's banner, "Zu lesen", the reading progress)."""

from django.utils import timezone
from wagtail.models import PageLogEntry

from home.models import ContentPage, DepartmentPage, ProcessPage, WikiPage, add_months
from people.models import Department
from tests.conftest import ensure_start_page, make_user


def _publish(page, user=None):
    page.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)
    page.refresh_from_db()
    return page


def pages(user):
    home = ensure_start_page()
    bauamt, _ = Department.objects.get_or_create(name="Bauamt", defaults={"short_name": "BauA"})
    owner = make_user("petra.schaefer", department=bauamt, first_name="Petra", last_name="Schäfer")
    Department.objects.filter(pk=bauamt.pk).update(head=owner)  # the section's contact box shows her
    section = DepartmentPage.objects.filter(department=bauamt).first()
    if section is None:
        section = DepartmentPage(
            title="Bauamt",
            slug="bauamt",
            department=bauamt,
            phone="0421 361-2200",
            room="Technisches Rathaus, Raum 3.01",
            opening_hours="Mo–Fr 8–12 Uhr",
        )
        home.add_child(instance=section)
        _publish(section)
    process = ProcessPage(
        title="Bauantrag bearbeiten",
        slug="bauantrag-bearbeiten",
        purpose="Prüfung von Bauanträgen.",
        legal_basis="<p>Landesbauordnung</p>",
        typical_duration="drei Monate",
        content_owner=owner,
        contact_person=owner,
        responsible_department=bauamt,
        steps=[("step", {"title": "Eingang bestätigen", "description": "<p>Innerhalb einer Woche.</p>"})],
        faq=[("question", {"question": "Wer prüft den Brandschutz?", "answer": "<p>Die Feuerwehr.</p>"})],
    )
    section.add_child(instance=process)
    _publish(process, owner)
    wiki = WikiPage(
        title="Checkliste Vollständigkeit",
        slug="checkliste",
        content_owner=owner,
        body=[
            ("heading", {"text": "Pflichtunterlagen", "level": "h2"}),
            ("paragraph", "<ul><li>Lageplan</li><li>Bauzeichnungen</li></ul>"),
            ("box", {"kind": "info", "title": "Hinweis", "text": "<p>Fristen beachten.</p>"}),
            ("box", {"kind": "warning", "title": "Achtung", "text": "<p>Nicht zurückschicken.</p>"}),
            (
                "table",
                {
                    "data": [["Unterlage", "Pflicht"], ["Lageplan", "ja"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Unterlagen",
                },
            ),
            ("contact", {"person": owner, "role": "Sachbearbeitung"}),
            ("page_link", {"page": process, "text": ""}),
            ("code", {"language": "text", "code": "Az. 63-2026-001"}),
        ],
    )
    section.add_child(instance=wiki)
    wiki.tags.add("Bauantrag")
    _publish(wiki, owner)
    wiki.body.append(("paragraph", "<p>Ergänzt.</p>"))
    _publish(wiki, owner)
    due_date = add_months(timezone.localdate(), -13)
    ContentPage.objects.filter(pk=process.pk).update(last_reviewed=due_date, review_due=add_months(due_date, 12))
    latest = PageLogEntry.objects.filter(page=wiki, action="wagtail.publish").order_by("-timestamp").first()
    # Mandatory reading the reader owns and must read: the banner with its button and the link to
    # the counts, "Zu lesen", the counts per department (a Dienstanweisung: the names too).
    rule = WikiPage(title="Datenschutz am Arbeitsplatz", slug="datenschutz", content_owner=user)
    section.add_child(instance=rule)
    rule.reading_required = rule.reading_all_staff = rule.service_instruction = True
    rule.reading_due = timezone.localdate()
    _publish(rule, owner)
    from home.models import ReadingRequirement

    requirement = ReadingRequirement.objects.get(object_id=rule.pk)
    return [
        ("page of mandatory reading", rule.url),
        ("to read", "/zu-lesen/"),
        ("reading progress", f"/zu-lesen/{requirement.pk}/stand/"),
        ("department section", section.url),
        ("wiki page with every block", wiki.url),
        ("process page due for review", process.url),
        ("topics", "/themen/"),
        ("topic", "/themen/bauantrag/"),
        ("version history", f"/wiki/seite/{wiki.pk}/versionen/"),
        ("version diff", f"/wiki/seite/{wiki.pk}/versionen/{latest.pk}/"),
        ("watched pages", "/wiki/beobachtet/"),
    ]
