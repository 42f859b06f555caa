"""The microblog's page types for the axe accessibility check."""

from django.contrib.auth.models import Group, Permission

from people.permissions import CRISIS_TEAM_GROUP
from posts import actions
from tests.conftest import make_user


def pages(user):
    general = actions.general_channel()
    department = user.profile.department
    channel = actions.channel_for_department(department) if department else general
    colleague = make_user("a11y.posts.kollegin", department=department, first_name="Lena", last_name="Richter")
    post = actions.create_post(
        author=colleague,
        channel=general,
        text=f"Neu im **#Bürgerbüro**: [Anleitung](/) und https://www.musterstadt.de — @{user.username} bitte ansehen",
        check_limits=False,
    )
    actions.create_post(author=user, channel=general, parent=post, text="Danke!", check_limits=False)
    actions.toggle_reaction(post=post, user=user, kind="helpful")
    mine = actions.create_post(author=user, channel=channel, text="Mein Beitrag mit Bild", check_limits=False)
    actions.edit_post(post=mine, user=user, text="Mein Beitrag, bearbeitet")
    crisis = make_user("a11y.posts.krisenstab", first_name="Stephanie", last_name="Mayer")
    group, _ = Group.objects.get_or_create(name=CRISIS_TEAM_GROUP)
    group.permissions.add(Permission.objects.get(codename="publish_urgent", content_type__app_label="posts"))
    crisis.groups.add(group)
    actions.publish_urgent(author=crisis, text="**Sturmwarnung:** Das Rathaus schließt heute um 14 Uhr.")
    actions.publish_urgent(author=crisis, text="Das Telefonnetz ist gestört.")  # two: "1 von 2"
    return [
        ("feed with urgent banner", "/beitraege/"),
        ("following", "/beitraege/gefolgt/"),
        ("channel", f"/beitraege/kanal/{channel.slug}/"),
        ("channels", "/beitraege/kanaele/"),
        ("tag feed", "/beitraege/thema/bürgerbüro/"),
        ("person feed", f"/beitraege/person/{colleague.username}/"),
        ("thread", f"/beitraege/{post.pk}/"),
        ("compose", "/beitraege/schreiben/"),
        ("edit", f"/beitraege/{mine.pk}/bearbeiten/"),
        ("edit history", f"/beitraege/{mine.pk}/verlauf/"),
        ("report", f"/beitraege/{post.pk}/melden/"),
        ("delete", f"/beitraege/{mine.pk}/loeschen/"),
        ("inbox", "/benachrichtigungen/"),
    ]
