"""posts.actions: every write, its bad inputs and its side effects (tags, mentions, audit)."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import ModelLogEntry

from posts import actions
from posts.models import Acknowledgement, Post, Reaction, Report
from tests.posts.conftest import post_in


def message(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- creating ---------------------------------------------------------------------------------


def test_create_stores_safe_html_tags_and_mentions(general, user, other_user):
    post = post_in(general, user, "Neue Öffnungszeiten im #Bürgerbüro, @mehmet.yilmaz bitte <b>prüfen</b>")
    post.refresh_from_db()
    assert [t.name for t in post.tags.all()] == ["Bürgerbüro"]
    assert list(post.mentions.all()) == [other_user]
    assert "&lt;b&gt;prüfen&lt;/b&gt;" in post.html
    assert 'class="mention"' in post.html


def test_existing_tags_are_reused_whatever_the_case(general, user):
    post_in(general, user, "#Bürgerbüro")
    post_in(general, user, "#bürgerbüro #BÜRGERBÜRO")
    assert Tag.objects.filter(name__iexact="bürgerbüro").count() == 1


def test_links_to_wiki_pages_are_stored(general, user):
    from wagtail.models import Page, Site

    root = Site.objects.get(is_default_site=True).root_page
    page = root.add_child(instance=Page(title="Gewerbe anmelden", slug="gewerbe-anmelden"))
    post = post_in(general, user, "Anleitung: [hier](/gewerbe-anmelden/)")
    assert list(post.linked_pages.all()) == [page.page_ptr if hasattr(page, "page_ptr") else page]
    assert list(page.linking_posts.all()) == [post]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Ein leerer Beitrag kann nicht veröffentlicht werden"),
        ("   \n\t  \n ", "Ein leerer Beitrag kann nicht veröffentlicht werden"),
        ("x" * 2001, "höchstens 2.000 Zeichen lang sein; Ihrer hat 2.001"),
    ],
)
def test_empty_whitespace_or_too_long_posts_are_rejected_with_the_reason(general, user, text, expected):
    with pytest.raises(ValidationError) as error:
        post_in(general, user, text)
    assert expected in message(error.value)
    assert error.value.message_dict.keys() == {"text"}
    assert not Post.objects.exists()


def test_exactly_2000_characters_are_fine_and_windows_line_breaks_count_once(general, user):
    post = post_in(general, user, "a" * 999 + "\r\n" + "a" * 1000)
    assert len(post.text) == 2000


def test_rate_limit(general, user, settings):
    for i in range(actions.RATE_LIMIT[0]):
        actions.create_post(author=user, channel=general, text=f"Beitrag {i}")
    with pytest.raises(ValidationError) as error:
        actions.create_post(author=user, channel=general, text="Noch einer")
    assert "Bitte warten Sie einen Moment" in message(error.value)
    assert "er steht noch im Formular" in message(error.value)
    assert Post.objects.count() == actions.RATE_LIMIT[0]


def test_rate_limit_counts_only_recent_posts(general, user):
    old = timezone.now() - timedelta(minutes=10)
    for i in range(actions.RATE_LIMIT[0]):
        actions.create_post(author=user, channel=general, text=f"Alt {i}", created_at=old, check_limits=False)
    actions.create_post(author=user, channel=general, text="Neu")


# --- attachments ------------------------------------------------------------------------------


def png_bytes():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_image_and_document_attachments(general, user):
    post = post_in(general, user, "Foto", attachment=SimpleUploadedFile("Plan.PNG", png_bytes(), "image/png"))
    assert post.attachment_is_image and post.attachment_name == "Plan.PNG"
    assert post.attachment.name.endswith(".png") and "Plan" not in post.attachment.name
    doc = post_in(
        general, user, "PDF", attachment=SimpleUploadedFile("Satzung.pdf", b"%PDF-1.4 test", "application/pdf")
    )
    assert not doc.attachment_is_image


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ", "application/octet-stream"), "können nicht angehängt werden"),
        (SimpleUploadedFile("seite.html", b"<script>", "text/html"), "können nicht angehängt werden"),
        (SimpleUploadedFile("bild.svg", b"<svg onload=alert(1)>", "image/svg+xml"), "können nicht angehängt werden"),
        (SimpleUploadedFile("kaputt.png", b"not an image", "image/png"), "kein gültiges Bild"),
        (
            SimpleUploadedFile("gross.pdf", b"x" * (5 * 1024 * 1024 + 1), "application/pdf"),
            "zu groß (5,1 MB); erlaubt sind höchstens 5 MB",
        ),
    ],
)
def test_bad_attachments_are_rejected_with_the_reason(general, user, upload, expected):
    with pytest.raises(ValidationError) as error:
        post_in(general, user, "Anhang", attachment=upload)
    assert expected in message(error.value)
    assert error.value.message_dict.keys() == {"attachment"}
    assert not Post.objects.exists()


# --- editing and deleting ---------------------------------------------------------------------


def test_edit_keeps_history_and_marks_the_post(general, user, other_user):
    post = post_in(general, user, "Erste Fassung #alt")
    actions.edit_post(post=post, user=user, text="Zweite Fassung #neu @mehmet.yilmaz")
    post.refresh_from_db()
    assert post.edited_at is not None
    assert [r.text for r in post.revisions.all()] == ["Erste Fassung #alt"]
    assert [t.name for t in post.tags.all()] == ["neu"]
    assert list(post.mentions.all()) == [other_user]


def test_edit_by_someone_else_or_to_empty_is_refused(general, user, other_user):
    post = post_in(general, user, "Text")
    with pytest.raises(PermissionDenied):
        actions.edit_post(post=post, user=other_user, text="Übernommen")
    with pytest.raises(ValidationError):
        actions.edit_post(post=post, user=user, text="  ")
    post.refresh_from_db()
    assert post.text == "Text" and post.edited_at is None


def test_delete_by_author_removes_content_but_keeps_replies(general, user, other_user):
    post = post_in(general, user, "Weg damit #tag")
    reply = actions.create_post(author=other_user, channel=general, parent=post, text="Antwort", check_limits=False)
    with pytest.raises(PermissionDenied):
        actions.delete_post(post=post, user=other_user)
    actions.delete_post(post=post, user=user)
    post.refresh_from_db()
    assert post.is_deleted and post.text == "" and post.html == "" and not post.tags.exists()
    assert Post.objects.filter(pk=reply.pk).exists()
    assert not Post.objects.visible().filter(pk=post.pk).exists()


# --- moderation -------------------------------------------------------------------------------


def test_hide_needs_a_reason_and_leaves_an_audit_entry(channel, user, dept_editor):
    post = post_in(channel, user, "Unpassend")
    Report.objects.create(post=post, reporter=dept_editor, reason="Spam")
    with pytest.raises(ValidationError) as error:
        actions.hide_post(post=post, moderator=dept_editor, reason="  ")
    assert "reason" in error.value.message_dict
    actions.hide_post(post=post, moderator=dept_editor, reason="Persönliche Daten")
    post.refresh_from_db()
    assert post.is_hidden and post.hidden_reason == "Persönliche Daten"
    assert not Report.objects.filter(resolved_at=None).exists()
    entry = ModelLogEntry.objects.get(action="posts.hide")
    assert entry.user == dept_editor and entry.object_id == str(post.pk) and entry.data["reason"] == "Persönliche Daten"
    actions.unhide_post(post=post, moderator=dept_editor)
    assert ModelLogEntry.objects.filter(action="posts.unhide").count() == 1


def test_non_moderators_cannot_hide(channel, user, other_user):
    post = post_in(channel, user, "Text")
    with pytest.raises(PermissionDenied):
        actions.hide_post(post=post, moderator=other_user, reason="Weil")


def test_report_needs_a_reason(general, user, other_user):
    post = post_in(general, user, "Text")
    with pytest.raises(ValidationError):
        actions.report_post(post=post, reporter=other_user, reason="")
    actions.report_post(post=post, reporter=other_user, reason="Enthält eine private Telefonnummer")
    assert Report.objects.get().reporter == other_user


def test_reactions_toggle(general, user, other_user):
    post = post_in(general, user, "Text")
    assert actions.toggle_reaction(post=post, user=other_user, kind="helpful") is True
    assert actions.toggle_reaction(post=post, user=other_user, kind="party") is True
    assert Reaction.objects.filter(post=post).count() == 2
    assert actions.toggle_reaction(post=post, user=other_user, kind="helpful") is False
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["party"]
    with pytest.raises(ValidationError):
        actions.toggle_reaction(post=post, user=other_user, kind="poop")


def test_official_and_pinning(channel, user, dept_editor, other_user):
    post = post_in(channel, user, "Neue Gebührensatzung")
    with pytest.raises(PermissionDenied):
        actions.set_official(post=post, user=other_user, official=True)
    with pytest.raises(ValidationError):
        actions.set_official(
            post=post, user=dept_editor, official=True, pinned_until=timezone.localdate() - timedelta(days=1)
        )
    actions.set_official(
        post=post, user=dept_editor, official=True, pinned_until=timezone.localdate() + timedelta(days=7)
    )
    post.refresh_from_db()
    assert post.is_official and post.is_pinned
    assert ModelLogEntry.objects.filter(action="posts.official", user=dept_editor).count() == 1


# --- urgent notices ---------------------------------------------------------------------------


def test_urgent_notice_and_acknowledgement(crisis_member, user, other_user):
    with pytest.raises(PermissionDenied):
        actions.publish_urgent(author=user, text="Falscher Alarm")
    with pytest.raises(ValidationError):
        actions.publish_urgent(author=crisis_member, text="Sturm", until=timezone.now() - timedelta(hours=1))
    notice = actions.publish_urgent(author=crisis_member, text="Sturmwarnung: Rathaus ab 14 Uhr geschlossen")
    assert notice.is_urgent and notice.channel.slug == "allgemein"
    assert ModelLogEntry.objects.filter(action="posts.urgent").count() == 1
    actions.acknowledge(post=notice, user=user)
    actions.acknowledge(post=notice, user=user)
    assert Acknowledgement.objects.filter(post=notice).count() == 1


def test_urgent_notice_notification_reads_as_text_not_entities(crisis_member, user, django_capture_on_commit_callbacks):
    """The notification of an urgent notice quotes its text: "&" and "<" as typed, not "&amp;"
    (the e-mail digest prints the verb as it is; the inbox escapes it once itself)."""
    from people.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_urgent(author=crisis_member, text='Wasser & Strom: "Pegel" < 2 m, Tür 3 \\> offen')
    verb = Notification.objects.get(recipient=user).verb
    assert 'Wasser & Strom: "Pegel" < 2 m' in verb
    assert "&amp;" not in verb and "&lt;" not in verb and "&quot;" not in verb


def test_only_urgent_notices_are_acknowledged(general, user):
    post = post_in(general, user, "Normal")
    with pytest.raises(ValidationError):
        actions.acknowledge(post=post, user=user)


# --- follows ----------------------------------------------------------------------------------


def test_follow_and_unfollow(user, other_user, channel):
    actions.follow(user=user, person=other_user)
    actions.follow(user=user, person=other_user)
    actions.follow(user=user, channel=channel)
    assert user.follows.count() == 2
    with pytest.raises(ValidationError):
        actions.follow(user=user, person=user)
    with pytest.raises(ValidationError):
        actions.follow(user=user, person=other_user, channel=channel)
    actions.unfollow(user=user, channel=channel)
    assert user.follows.count() == 1


# --- text that cannot be stored or shows nothing (issue 13, point 7) ---------------------------


@pytest.mark.parametrize(
    "text",
    ["a\x00b", "a\ud800b", "\udfff"],
)
def test_text_no_database_can_store_is_refused_by_the_action_itself(user, text):
    """Every path (form, API, demo data, import) reaches clean_text; SQLite stored a NUL that
    PostgreSQL refused with a crash, and a lone surrogate crashed both."""
    general = actions.general_channel()
    with pytest.raises(ValidationError) as error:
        actions.create_post(author=user, channel=general, text=text)
    assert "nicht gespeichert werden" in error.value.message_dict["text"][0]
    assert not Post.objects.exists()


@pytest.mark.parametrize("text", ["\u200b", "\u200b \u200c\u200d\ufeff\u2060", "\u3164\u2800\u115f", " \u0301 "])
def test_a_text_of_only_invisible_characters_is_empty(user, text):
    general = actions.general_channel()
    with pytest.raises(ValidationError, match="leerer Beitrag"):
        actions.create_post(author=user, channel=general, text=text)


def test_visible_text_around_zero_width_characters_is_kept(user):
    post = actions.create_post(author=user, channel=actions.general_channel(), text="\u200bHallo\u200d")
    assert "Hallo" in post.text
