"""`manage.py generate_data`: the benchmark corpus — counts, threads, tags, mentions, reactions,
German text, and clear errors for bad sizes."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from taggit.models import TaggedItem

from home.models import WikiPage
from people.models import Profile, User
from posts.models import Post, Reaction

pytestmark = pytest.mark.django_db


def generate(**sizes):
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_data", "--no-index", *[f"--{k}={v}" for k, v in sizes.items()], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_small_run_creates_what_was_asked_with_threads_tags_mentions_and_reactions(home_page):
    users_before, pages_before = User.objects.count(), WikiPage.objects.count()

    out, err = generate(users=20, pages=10, posts=100)

    assert User.objects.count() == users_before + 20
    assert Profile.objects.filter(department__isnull=False).count() >= 20
    assert WikiPage.objects.count() == pages_before + 10
    assert all(page.live and page.url for page in WikiPage.objects.all())
    assert Post.objects.count() == 100
    assert Post.objects.filter(parent__isnull=False).exists(), "replies form threads"
    assert not Post.objects.filter(parent__parent__isnull=False).exists(), "threads are one level deep"
    assert TaggedItem.objects.filter(content_type__model="post").exists()
    assert Post.mentions.through.objects.exists()
    assert Reaction.objects.exists()
    assert "100/100" in err, "the progress bar ends at the total"
    assert "Created 20 staff, 10 pages, 100 posts" in out


def test_text_is_german_administrative_prose_rendered_like_the_site(home_page):
    generate(users=20, pages=2, posts=60)

    texts = " ".join(Post.objects.values_list("text", flat=True))
    assert any(word in texts for word in ("Frist", "Antrag", "Bürgerbüro", "Dienstplan", "Vergabe", "zuständig"))
    tagged = Post.objects.filter(text__contains="#").first()
    assert 'class="hashtag"' in tagged.html
    mention = Post.objects.filter(mentions__isnull=False).first()
    assert 'class="mention"' in mention.html
    for post in Post.objects.filter(parent__isnull=False)[:20]:
        assert post.created_at > post.parent.created_at
        assert post.channel_id == post.parent.channel_id


def test_running_twice_adds_without_clashing(home_page):
    generate(users=10, pages=3, posts=20)
    generate(users=10, pages=3, posts=20)

    assert Post.objects.count() == 40
    assert User.objects.values("username").distinct().count() == User.objects.count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's (pg_class)")
def test_postgresql_planner_statistics_describe_the_generated_tables(home_page):
    """Without ANALYZE after the bulk load the planner still counts the posts table as it was
    before, and the feed sorts every top-level post (200 ms instead of 3 ms at 100k posts)."""
    generate(users=10, pages=2, posts=150)

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", ["posts_post"])
        (estimated,) = cursor.fetchone()
    assert estimated == Post.objects.count() == 150


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--posts=-1", "--posts must be 0 or more"),
        ("--users=-5", "--users must be 0 or more"),
        ("--batch-size=0", "--batch-size must be at least 1"),
    ],
)
def test_bad_sizes_are_refused_with_the_reason(option, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_data", option, "--no-index", stdout=io.StringIO(), stderr=io.StringIO())
    assert not Post.objects.exists()


def test_posts_without_staff_are_refused(home_page):
    User.objects.all().delete()
    with pytest.raises(CommandError, match="at least two members of staff"):
        generate(users=0, pages=0, posts=10)
    assert not Post.objects.exists()


@pytest.mark.search_index
def test_the_search_index_follows_saves_again_afterwards(home_page):
    """Generation switches the index's auto-update off; the site's own saves must update it after."""
    from django.conf import settings

    generate(users=3, pages=1, posts=5)

    assert all(params.get("AUTO_UPDATE", True) for params in settings.WAGTAILSEARCH_BACKENDS.values())


def test_generated_accounts_sign_in_only_with_the_password_given(home_page):
    generate(users=2, pages=0, posts=0)
    generate(users=1, pages=0, posts=0, password="messung-2026-geheim")

    first, second, third = User.objects.order_by("pk")
    assert not first.has_usable_password() and not second.has_usable_password()
    assert third.check_password("messung-2026-geheim")


def test_generated_html_is_what_the_site_renders_for_the_same_text(home_page):
    """The generator renders each distinct sentence once and joins the pieces (PieceRenderer):
    every post's HTML, tags and mentions must be what ``posts.markup.render`` makes of its text."""
    from posts import markup

    generate(users=30, pages=0, posts=400)

    posts = list(Post.objects.prefetch_related("mentions").order_by("pk"))
    tagged = {}
    for item in TaggedItem.objects.filter(content_type__model="post").select_related("tag"):
        tagged.setdefault(item.object_id, set()).add(item.tag.name.lower())
    assert any(post.mentions.all() for post in posts) and tagged, "the sample has mentions and tags"
    for post in posts:
        rendered = markup.render(post.text)
        assert post.html == rendered.html, post.text
        assert {user.pk for user in post.mentions.all()} == {user.pk for user in rendered.mentions}, post.text
        assert tagged.get(post.pk, set()) == {name.lower() for name in rendered.tags}, post.text


def test_pages_added_in_bulk_form_a_sound_tree_of_valid_pages(home_page):
    """Pages are inserted in bulk (_PageTree), not one add_child each: the tree must be what
    treebeard would have built (paths, depths, child counts), with sub-pages, URLs that resolve,
    the section's department, and pages that pass their own validation."""
    from wagtail.models import Page

    from home.models import ContentPage, DepartmentPage

    generate(users=10, pages=60, posts=0)
    generate(users=0, pages=40, posts=0)  # added under the same parents, after existing children

    assert Page.find_problems() == ([], [], [], [], [])
    pages = list(WikiPage.objects.all())
    assert len(pages) == 100 and len({page.path for page in pages}) == 100
    assert any(page.get_parent().specific_class is WikiPage for page in pages), "some pages are sub-pages"
    for page in pages[:30]:
        page.full_clean()
        assert Page.objects.get(url_path=page.url_path).pk == page.pk
        section = DepartmentPage.objects.filter(path__in=[page.path[:i] for i in range(4, len(page.path), 4)]).get()
        assert page.section_department_id == section.department_id
    assert all(
        p.numchild == Page.objects.filter(path__startswith=p.path, depth=p.depth + 1).count()
        for p in ContentPage.objects.all()
    )
