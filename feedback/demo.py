"""Demo data (``manage.py load_demo_data``): questions and feedback on "Wohnsitz anmelden", the page
Anna Schmidt (a demo login) owns — two open questions, one answered and shown on the page as
FAQ, one resolved; yes and no votes with two comments. Runs after home.demo; safe to run again."""

from home.models import ContentPage
from people.models import User

from . import actions
from .models import HelpfulCount, Question

PAGE_TITLE = "Wohnsitz anmelden"

QUESTIONS = [
    # (asker, question, answer or None, shown as FAQ, resolved without answer)
    (
        "mehmet.yilmaz",
        "Reicht bei der Anmeldung auch eine **digitale** Wohnungsgeberbestätigung, z. B. als PDF per E-Mail?",
        "Ja. Eine Wohnungsgeberbestätigung als PDF genügt, wenn sie vom Wohnungsgeber unterschrieben ist. "
        "Ein Foto auf dem Handy reicht nicht.",
        True,
        False,
    ),
    ("sophie.krueger", "Wie gehen wir mit Anmeldungen von Studierenden mit **Nebenwohnung** um?", None, False, False),
    ("julia.becker", "Gibt es das Formular auch in *leichter Sprache*?", None, False, False),
    ("thomas.wagner", "Ist die Seite noch aktuell? Die Öffnungszeiten haben sich geändert.", None, False, True),
]

VOTES = [
    # (voter, helpful, comment)
    ("mehmet.yilmaz", True, ""),
    ("julia.becker", True, "Sehr klar, danke!"),
    ("thomas.wagner", True, ""),
    ("petra.schaefer", False, "Es fehlt, welche Gebühr für eine verspätete Anmeldung anfällt."),
    ("markus.klein", False, ""),
]


def load(*, stdout=None) -> dict:
    page = ContentPage.objects.filter(title=PAGE_TITLE, live=True).select_related("content_owner").first()
    if page is None or page.content_owner is None:
        return {"questions": 0, "votes": 0}
    if Question.objects.filter(page=page).exists() or HelpfulCount.objects.filter(page=page).exists():
        return {"questions": 0, "votes": 0}
    owner = page.content_owner
    users = {user.username: user for user in User.objects.filter(is_active=True)}
    questions = 0
    for username, text, answer, in_faq, resolved in QUESTIONS:
        asker = users.get(username)
        if asker is None or asker == owner:
            continue
        question = actions.ask_question(page=page, author=asker, text=text)
        questions += 1
        if answer:
            actions.answer_question(question=question, user=owner, text=answer, in_faq=in_faq)
        elif resolved:
            actions.resolve_question(question=question, user=owner)
    votes = 0
    for username, helpful, comment in VOTES:
        voter = users.get(username)
        if voter is None:
            continue
        actions.give_feedback(page=page, user=voter, helpful=helpful, comment=comment)
        votes += 1
    return {"questions": questions, "votes": votes}
