"""Questions and feedback for the accessibility check: a page with FAQ and open questions, the
question page with the answer form (the signed-in user owns the page), the question and feedback
forms, and "Meine Seiten"."""

from feedback import actions
from home.models import DepartmentPage, WikiPage
from people.models import Department
from tests.conftest import ensure_start_page, make_user


def pages(user):
    home = ensure_start_page()
    unit, _ = Department.objects.get_or_create(name="Ordnungsamt", defaults={"short_name": "OA"})
    section = DepartmentPage(title="Ordnungsamt", slug="ordnungsamt", department=unit)
    home.add_child(instance=section)
    section.save_revision().publish()
    wiki = WikiPage(title="Sondernutzung beantragen", slug="sondernutzung", content_owner=user)
    section.add_child(instance=wiki)
    wiki.save_revision().publish()
    asker = make_user("frank.fragt", department=unit, first_name="Frank", last_name="Fragt")
    answered = actions.ask_question(page=wiki, author=asker, text="Wie lange dauert die **Genehmigung**?")
    actions.answer_question(question=answered, user=user, text="Etwa zwei Wochen.", in_faq=True)
    open_question = actions.ask_question(page=wiki, author=asker, text="Gilt das auch für Flohmärkte?")
    actions.give_feedback(page=wiki, user=asker, helpful=False, comment="Die *Gebühren* fehlen.")
    return [
        ("wiki page with questions and feedback", "/ordnungsamt/sondernutzung/"),
        ("question with answer form", f"/wiki/fragen/{open_question.pk}/"),
        ("answered question", f"/wiki/fragen/{answered.pk}/"),
        ("ask a question", f"/wiki/seite/{wiki.pk}/frage/"),
        ("was this helpful", f"/wiki/seite/{wiki.pk}/hilfreich/"),
        ("my pages", "/wiki/meine-seiten/"),
    ]
