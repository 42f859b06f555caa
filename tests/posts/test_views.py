"""The microblog through HTTP: writing (errors keep the text), replying, editing, moderation,
urgent notices with the banner, attachments."""

import datetime
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from posts import actions
from posts.models import Acknowledgement, Post, Reaction, Report
from tests.posts.conftest import post_in
from tests.posts.test_actions import png_bytes


def page(response) -> str:
    return response.content.decode()


# --- writing ----------------------------------------------------------------------------------


def test_compose_publishes_and_redirects(user_client, general):
    response = user_client.post("/beitraege/schreiben/", {"channel": general.pk, "text": "Hallo **alle** #Start"})
    assert response.status_code == 302
    post = Post.objects.get()
    assert "<strong>alle</strong>" in post.html
    assert "Hallo" in page(user_client.get("/beitraege/"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Ein leerer Beitrag kann nicht veröffentlicht werden"),
        ("   \n  ", "Ein leerer Beitrag kann nicht veröffentlicht werden"),
        ("Viel zu lang. " * 150, "höchstens 2.000 Zeichen lang sein; Ihrer hat 2.099"),
    ],
)
def test_compose_errors_keep_what_was_typed(user_client, general, text, message):
    response = user_client.post("/beitraege/schreiben/", {"channel": general.pk, "text": text})
    assert response.status_code == 400
    html = page(response)
    assert message in html
    assert 'aria-describedby="id_text_helptext' in html or "id_text_error_1" in html
    if text.strip():
        assert "Viel zu lang. Viel zu lang." in html
    assert not Post.objects.exists()


INVISIBLE = "\u200b \u200c\u200d\ufeff\u2060\u00a0\u3164\u2800\n\t"  # zero-width, fillers, blank Braille


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (INVISIBLE, "Ein leerer Beitrag kann nicht veröffentlicht werden"),
        ("Hallo\x00Welt", "Null"),  # PostgreSQL cannot store NUL: Django's form refuses it
    ],
)
def test_compose_refuses_invisible_or_unstorable_text_on_every_database(user_client, general, text, message):
    response = user_client.post("/beitraege/schreiben/", {"channel": general.pk, "text": text})
    assert response.status_code == 400
    assert message in page(response)
    assert not Post.objects.exists()


def test_an_invisible_reply_and_edit_are_refused_and_the_post_kept(user_client, general, user, other_user):
    post = post_in(general, other_user, "Frage")
    mine = post_in(general, user, "Mein Text")
    assert user_client.post(f"/beitraege/{post.pk}/antworten/", {"text": INVISIBLE}).status_code == 400
    assert user_client.post(f"/beitraege/{mine.pk}/bearbeiten/", {"text": "\u200b\u200b"}).status_code == 400
    mine.refresh_from_db()
    assert mine.text == "Mein Text" and not post.replies.exists()


def test_rate_limit_message_keeps_the_text(user_client, user, general):
    for i in range(actions.RATE_LIMIT[0]):
        actions.create_post(author=user, channel=general, text=f"Beitrag {i}")
    response = user_client.post("/beitraege/schreiben/", {"channel": general.pk, "text": "Mein wichtiger Text"})
    assert response.status_code == 400
    assert "Bitte warten Sie einen Moment" in page(response)
    assert "Mein wichtiger Text" in page(response)


def test_compose_in_a_closed_channel_is_refused_with_a_message(user_client, user, other_department):
    closed = actions.channel_for_department(other_department)
    response = user_client.post("/beitraege/schreiben/", {"channel": closed.pk, "text": "Darf ich?"})
    assert response.status_code == 400
    assert "Darf ich?" in page(response)
    assert not Post.objects.exists()


def test_bad_attachment_is_explained_and_text_kept(user_client, general):
    response = user_client.post(
        "/beitraege/schreiben/",
        {"channel": general.pk, "text": "Mit Anhang", "attachment": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert response.status_code == 400
    assert "können nicht angehängt werden" in page(response)
    assert "Mit Anhang" in page(response)


def test_attachment_is_served_only_to_signed_in_staff(user_client, client, general, user):
    post = post_in(general, user, "Plan", attachment=SimpleUploadedFile("plan.png", png_bytes()))
    response = user_client.get(f"/beitraege/{post.pk}/anhang/")
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/beitraege/{post.pk}/anhang/").status_code == 302  # to the sign-in page


# --- conversations ----------------------------------------------------------------------------


def test_reply_appears_in_the_thread(user_client, client_for, general, user, other_user):
    post = post_in(general, other_user, "Frage zum #Meldewesen")
    response = user_client.post(f"/beitraege/{post.pk}/antworten/", {"text": "Antwort von Anna"})
    assert response.status_code == 302
    thread = page(user_client.get(f"/beitraege/{post.pk}/"))
    assert "Antwort von Anna" in thread and "1 Antwort" in thread


def test_empty_reply_shows_the_thread_with_the_error(user_client, general, other_user):
    post = post_in(general, other_user, "Frage")
    response = user_client.post(f"/beitraege/{post.pk}/antworten/", {"text": " "})
    assert response.status_code == 400
    assert "Ein leerer Beitrag" in page(response) and "Frage" in page(response)


def test_reactions_with_counts_and_who_reacted(user_client, client_for, general, user, other_user):
    post = post_in(general, other_user, "Neue Kaffeemaschine im 2. OG")
    response = user_client.post(f"/beitraege/{post.pk}/reaktion/", {"kind": "heart", "next": "/beitraege/"})
    assert response.status_code == 302 and response["Location"] == "/beitraege/"
    html = page(user_client.get(f"/beitraege/{post.pk}/"))
    mine = re.search(r'<button[^>]*aria-pressed="true">(.*?)</button>', html, re.S).group(1)
    assert 'href="/static/img/icons.svg#icon-heart"' in mine and 'aria-hidden="true"' in mine  # an icon, not an emoji
    assert '<span class="reaction__label">Gefällt mir</span> <span class="reaction__count">1</span>' in mine
    assert "❤" not in html and "👍" not in html and "🎉" not in html
    assert "Anna Schmidt" in html.split("Wer hat reagiert")[1]
    assert user_client.post(f"/beitraege/{post.pk}/reaktion/", {"kind": "evil"}).status_code == 400
    # an external "next" is ignored
    response = user_client.post(f"/beitraege/{post.pk}/reaktion/", {"kind": "heart", "next": "https://evil.example/"})
    assert response["Location"] == f"/beitraege/{post.pk}/"
    assert not Reaction.objects.exists()


def test_edit_shows_marker_and_history(user_client, general, user):
    post = post_in(general, user, "Erste Fassung")
    assert user_client.get(f"/beitraege/{post.pk}/bearbeiten/").status_code == 200
    response = user_client.post(f"/beitraege/{post.pk}/bearbeiten/", {"text": "Zweite Fassung"})
    assert response.status_code == 302
    html = page(user_client.get(f"/beitraege/{post.pk}/"))
    assert "Zweite Fassung" in html and "(bearbeitet)" in html
    history = page(user_client.get(f"/beitraege/{post.pk}/verlauf/"))
    assert "Erste Fassung" in history and "Zweite Fassung" in history


def test_edit_with_empty_text_keeps_the_post(user_client, general, user):
    post = post_in(general, user, "Bleibt")
    response = user_client.post(f"/beitraege/{post.pk}/bearbeiten/", {"text": ""})
    assert response.status_code == 400
    post.refresh_from_db()
    assert post.text == "Bleibt"


def test_others_cannot_edit_or_delete(client_for, general, user, other_user):
    post = post_in(general, user, "Meins")
    other = client_for(other_user)
    assert other.get(f"/beitraege/{post.pk}/bearbeiten/").status_code == 403
    assert other.post(f"/beitraege/{post.pk}/loeschen/").status_code == 403


def test_delete_by_author(user_client, general, user):
    post = post_in(general, user, "Weg")
    assert user_client.post(f"/beitraege/{post.pk}/loeschen/").status_code == 302
    assert user_client.get(f"/beitraege/{post.pk}/").status_code == 404


def test_report_and_moderator_hides_with_reason(client_for, user_client, channel, user, other_user, dept_editor):
    post = post_in(channel, other_user, "Unpassender Text")
    response = user_client.post(f"/beitraege/{post.pk}/melden/", {"reason": ""})
    assert response.status_code == 400
    user_client.post(f"/beitraege/{post.pk}/melden/", {"reason": "Enthält eine Privatadresse"})
    assert Report.objects.filter(post=post).count() == 1

    assert user_client.get("/beitraege/meldungen/").status_code == 403
    moderator = client_for(dept_editor)
    assert "Enthält eine Privatadresse" in page(moderator.get("/beitraege/meldungen/"))
    assert user_client.get(f"/beitraege/{post.pk}/ausblenden/").status_code == 403
    assert moderator.post(f"/beitraege/{post.pk}/ausblenden/", {"reason": ""}).status_code == 400
    assert moderator.post(f"/beitraege/{post.pk}/ausblenden/", {"reason": "Datenschutz"}).status_code == 302
    assert user_client.get(f"/beitraege/{post.pk}/").status_code == 404
    author_view = page(client_for(other_user).get(f"/beitraege/{post.pk}/"))
    assert "Von der Moderation ausgeblendet: Datenschutz" in author_view


def test_official_announcement_pinned_on_start_page_and_channel(client_for, user_client, channel, user, dept_editor):
    post = post_in(channel, user, "Neue Öffnungszeiten ab 1. Dezember")
    assert user_client.get(f"/beitraege/{post.pk}/offiziell/").status_code == 403
    until = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client_for(dept_editor).post(
        f"/beitraege/{post.pk}/offiziell/", {"official": "on", "pinned_until": until}
    )
    assert response.status_code == 302
    html = page(user_client.get(f"/beitraege/kanal/{channel.slug}/"))
    assert "Offizielle Mitteilung" in html and 'id="pinned-heading"' in html
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client_for(dept_editor).post(
        f"/beitraege/{post.pk}/offiziell/", {"official": "on", "pinned_until": past}
    )
    assert response.status_code == 400 and "Vergangenheit" in page(response)


# --- urgent notices ---------------------------------------------------------------------------


def test_urgent_notice_banner_until_acknowledged(
    client_for, user_client, user, other_user, crisis_member, admin_client
):
    crisis = client_for(crisis_member)
    assert user_client.get("/beitraege/eilmeldung/").status_code == 403
    assert crisis.post("/beitraege/eilmeldung/", {"text": ""}).status_code == 400
    response = crisis.post("/beitraege/eilmeldung/", {"text": "Sturm: Rathaus schließt um 14 Uhr"})
    assert response.status_code == 302
    notice = Post.objects.get(is_urgent=True)

    for path in ("/beitraege/", "/personen/", f"/personen/{user.username}/"):
        assert "Sturm: Rathaus schließt um 14 Uhr" in page(user_client.get(path)), path
    response = user_client.post(f"/beitraege/{notice.pk}/kenntnis/", {"next": "/personen/"})
    assert response.status_code == 302 and response["Location"] == "/personen/"
    assert "Sturm: Rathaus" not in page(user_client.get("/personen/"))
    assert "Sturm: Rathaus" in page(client_for(other_user).get("/personen/"))

    # the author sees the count by department and the list; others do not
    stats = page(crisis.get(f"/beitraege/{notice.pk}/kenntnisnahmen/"))
    assert "Bürgeramt" in stats and "Anna Schmidt" in stats
    assert admin_client.get(f"/beitraege/{notice.pk}/kenntnisnahmen/").status_code == 200
    assert client_for(other_user).get(f"/beitraege/{notice.pk}/kenntnisnahmen/").status_code == 403
    assert Acknowledgement.objects.count() == 1


def test_ended_urgent_notice_shows_no_banner(client_for, user_client, crisis_member):
    notice = actions.publish_urgent(author=crisis_member, text="Stromausfall im Technischen Rathaus")
    assert "Stromausfall" in page(user_client.get("/personen/"))
    assert client_for(crisis_member).post(f"/beitraege/{notice.pk}/eilmeldung-beenden/").status_code == 302
    assert "Stromausfall" not in page(user_client.get("/personen/"))


# --- follows ----------------------------------------------------------------------------------


def test_follow_buttons(user_client, user, other_user, channel):
    response = user_client.post("/beitraege/folgen/", {"type": "person", "value": other_user.username})
    assert response.status_code == 302
    response = user_client.post(
        "/beitraege/folgen/", {"type": "channel", "value": channel.slug, "next": "/beitraege/kanaele/"}
    )
    assert response["Location"] == "/beitraege/kanaele/"
    assert user.follows.count() == 2
    assert "Nicht mehr folgen" in page(user_client.get(f"/beitraege/kanal/{channel.slug}/"))
    user_client.post("/beitraege/folgen/", {"type": "channel", "value": channel.slug, "action": "unfollow"})
    assert user.follows.count() == 1
    assert user_client.post("/beitraege/folgen/", {"type": "nonsense", "value": "x"}).status_code == 400


# --- slots in other apps' pages --------------------------------------------------------------


def test_profile_shows_recent_posts_and_a_follow_button(user_client, user, general, other_user):
    post_in(general, other_user, "Mein erster Beitrag")
    html = page(user_client.get(f"/personen/{other_user.username}/"))
    assert "Mein erster Beitrag" in html and ">Folgen</button>" in html
    user_client.post("/beitraege/folgen/", {"type": "person", "value": other_user.username})
    assert ">Nicht mehr folgen</button>" in page(user_client.get(f"/personen/{other_user.username}/"))
    assert ">Folgen</button>" not in page(user_client.get(f"/personen/{user.username}/"))


def test_anonymous_users_are_sent_to_sign_in(client, general, user):
    post = post_in(general, user, "Intern")
    for path in ("/beitraege/", f"/beitraege/{post.pk}/", "/benachrichtigungen/"):
        assert client.get(path).status_code == 302


def test_channel_settings_in_the_admin(admin_client, channel):
    assert admin_client.get("/admin/snippets/posts/channel/").status_code == 200
    response = admin_client.get(f"/admin/snippets/posts/channel/edit/{channel.pk}/")
    assert response.status_code == 200 and "posting_policy" in response.content.decode()


# --- replies to a hidden post (issue 13, point 8d) --------------------------------------------


@pytest.mark.search_index
@pytest.mark.usefixtures("immediate_on_commit")
def test_replies_are_hidden_with_their_post_everywhere_and_shown_again(
    client_for, user_client, general, other_user, central_editor, outsider
):
    """Hiding a post hid only the post: its replies stayed in search (with a link to a 404) and in
    the reply API. Now they go with it, on both shapes, and come back when it is shown again."""
    post = post_in(general, other_user, "Frage zur Parkordnung")
    reply = post_in(general, outsider, "Fahrradständer stehen vor dem Rathaus #Parkordnung", parent=post)
    own_hidden = post_in(general, outsider, "Fahrradständer doppelt", parent=post)
    actions.hide_post(post=own_hidden, moderator=central_editor, reason="Doppelt")

    def seen_by_reader() -> dict:
        page_html = page(user_client.get("/suche/", {"q": "Fahrradständer", "type": "post"}))
        api = user_client.get("/api/v1/search", {"q": "Fahrradständer", "type": "post"}).json()
        thread = user_client.get(f"/beitraege/{reply.pk}/", follow=True)
        return {
            "page": f"#post-{reply.pk}" in page_html,
            "api": [hit["id"] for hit in api["results"]],
            "count": api["facets"]["type"].get("post", 0),
            "thread": thread.status_code,
            "reply_api": user_client.get(f"/api/v1/posts/{reply.pk}").status_code,
            "tag": [row["name"] for row in api["facets"]["tag"]],
        }

    before = seen_by_reader()
    assert before == {
        "page": True,
        "api": [reply.pk],
        "count": 1,
        "thread": 200,
        "reply_api": 200,
        "tag": ["Parkordnung"],
    }

    moderator = client_for(central_editor)
    assert moderator.post(f"/beitraege/{post.pk}/ausblenden/", {"reason": "Datenschutz"}).status_code == 302
    assert seen_by_reader() == {"page": False, "api": [], "count": 0, "thread": 404, "reply_api": 404, "tag": []}
    # the moderator still sees the thread with its replies
    assert "Fahrradständer stehen vor dem Rathaus" in page(moderator.get(f"/beitraege/{post.pk}/"))

    assert moderator.post(f"/beitraege/{post.pk}/ausblenden/", {"zeigen": "1"}).status_code == 302
    assert seen_by_reader() == before  # the reply hidden on its own stays hidden


@pytest.mark.parametrize("kind", ["person", "channel", "tag"])
def test_following_a_target_with_a_nul_is_400_on_every_database(user_client, kind):
    assert user_client.post("/beitraege/folgen/", {"type": kind, "value": "x\x00"}).status_code == 400


def test_a_post_without_reactions_has_no_who_reacted(user_client, general, other_user):
    post = post_in(general, other_user, "Noch keine Reaktionen")
    html = page(user_client.get(f"/beitraege/{post.pk}/"))
    assert "Wer hat reagiert" not in html
    assert html.count('class="reaction__count">0</span>') == 3


def test_hashtags_are_shown_once_in_the_text(user_client, general, other_user):
    post_in(general, other_user, "Neue Öffnungszeiten im #Bürgerbüro, siehe #Service")
    html = page(user_client.get("/beitraege/"))
    assert html.count(">#Bürgerbüro<") == 1  # a link in the text, no second row of chips
    assert html.count(">#Service<") == 1


def test_two_urgent_notices_are_one_landmark_with_each_notice_numbered(user_client, crisis_member):
    actions.publish_urgent(author=crisis_member, text="Sturmwarnung: Rathaus schließt um 14 Uhr")
    actions.publish_urgent(author=crisis_member, text="Telefonnetz gestört")
    html = page(user_client.get("/personen/"))
    banner = html.split('id="notices"')[1].split("</section>")[0]
    assert html.count('class="notice-urgent"') == 1 and html.count('aria-labelledby="notices-title"') == 1
    assert "Eilmeldungen (2)" in banner
    assert "Sturmwarnung" in banner and "Telefonnetz" in banner  # without JavaScript: both, compact
    assert 'aria-label="Meldung 1 von 2"' in banner and 'aria-label="Meldung 2 von 2"' in banner
    assert ">1 von 2<" in banner and "Nächste Meldung" in banner


def test_one_urgent_notice_has_no_pager(user_client, crisis_member):
    actions.publish_urgent(author=crisis_member, text="Sturmwarnung: Rathaus schließt um 14 Uhr")
    banner = page(user_client.get("/personen/")).split('id="notices"')[1].split("</section>")[0]
    assert "Eilmeldung</h2>" in banner and "Eilmeldungen" not in banner
    assert "Nächste Meldung" not in banner


def test_post_dates_are_in_the_page_language(user_client, general, other_user):
    post = post_in(general, other_user, "Termin")
    Post.objects.filter(pk=post.pk).update(created_at=timezone.make_aware(datetime.datetime(2026, 12, 7, 14, 30)))
    german = page(user_client.get("/beitraege/"))
    assert "7. Dezember 2026 14:30" in german and "December" not in german
    user_client.post("/i18n/setlang/", {"language": "en", "next": "/beitraege/"})
    english = page(user_client.get("/beitraege/"))
    assert "Dec. 7, 2026, 2:30 p.m." in english and "Dezember" not in english and "7. December" not in english
