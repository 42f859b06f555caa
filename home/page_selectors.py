"""Every read of wiki pages that views, templates and other apps share. All lists go through
`permissions.visible_pages`, so restricted pages never show up where they may not."""

from dataclasses import dataclass

from django.utils import timezone
from wagtail.models import PageLogEntry

from intranet.shared.permissions import remembered
from people.absences import Contact, contact_for
from people.models import Department, Profile

from .models import ContentPage, DepartmentPage, PageLink, PageWatch, ProcessPage
from .permissions import can_edit_page, visible_pages


@dataclass
class Trust:
    last_reviewed: object
    last_reviewed_by: object
    review_due: object
    is_due: bool
    owner: object
    last_changed: object
    last_changed_by: object
    owner_contact: Contact | None = None

    @property
    def owner_absence(self):
        return self.owner_contact.absence if self.owner_contact else None


def page_trust(*, page: ContentPage) -> Trust:
    """What readers see about how reliable a page is (owner, review, last change)."""
    last_publish = (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish")
        .select_related("user")
        .order_by("-timestamp")
        .first()
    )
    return Trust(
        last_reviewed=page.last_reviewed,
        last_reviewed_by=page.last_reviewed_by,
        review_due=page.review_due,
        is_due=page.is_review_due,
        owner=page.content_owner,
        last_changed=last_publish.timestamp if last_publish else page.last_published_at,
        last_changed_by=last_publish.user if last_publish else None,
        owner_contact=contact_for(page.content_owner_id),
    )


def current_contact(*, page) -> Contact | None:
    """ "Wer ist zuständig?" of a page: its contact person (process pages), else its owner, with
    whom to turn to today (their stand-in while they are absent)."""
    if isinstance(page, ProcessPage):
        person_id = page.contact_person_id
    else:  # a ContentPage from a list: its process page's contact, if it is one (one query)
        person_id = ProcessPage.objects.filter(pk=page.pk).values_list("contact_person_id", flat=True).first()
    return contact_for(person_id or page.content_owner_id)


def departments_with_pages(*, user):
    """The departments for the start page and the navigation, each with `url` of its section
    (empty when the section is missing or the user may not see it). Two queries."""
    urls = {
        department_id: url
        for department_id, url in visible_pages(user)
        .type(DepartmentPage)
        .values_list("contentpage__departmentpage__department_id", "url_path")
    }
    departments = list(Department.objects.all())
    root_url_path = _site_root_url_path(user)
    for department in departments:
        url_path = urls.get(department.pk)
        department.url = _url_from_path(url_path, root_url_path) if url_path else ""
    return departments


def _site_root_url_path(user=None) -> str:
    from wagtail.models import Site

    def compute() -> str:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        return site.root_page.url_path if site else "/"

    return remembered(user, "root_url_path", compute)


def _url_from_path(url_path: str, root_url_path: str) -> str:
    if url_path.startswith(root_url_path):
        return "/" + url_path[len(root_url_path) :]
    return url_path


def with_urls(pages, *, user=None):
    """Sets `list_url` on each page without Wagtail's per-page site lookups."""
    root = _site_root_url_path(user)
    for page in pages:
        page.list_url = _url_from_path(page.url_path, root)
    return pages


def content_pages(*, user):
    """The visible knowledge-base pages (wiki, process and department pages) with their trust data."""
    return ContentPage.objects.filter(pk__in=visible_pages(user).values("pk")).select_related(
        "content_owner", "section_department"
    )


def due_pages_for(*, user, limit: int = 20):
    """Pages due for review that this user owns or may edit (start page: "Ihre fälligen Überprüfungen")."""
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    due = content_pages(user=user).filter(review_due__lte=today).order_by("review_due", "title")
    owned = list(due.filter(content_owner=user)[:limit])
    from people.permissions import has_elevated_rights

    if has_elevated_rights(user) and len(owned) < limit:
        seen = {page.pk for page in owned}
        for page in due.exclude(content_owner=user)[: limit * 5]:
            if len(owned) >= limit:
                break
            if page.pk not in seen and can_edit_page(user, page):
                owned.append(page)
    return with_urls(owned, user=user)


def pages_owned_by(*, owner, user):
    """The pages a person is responsible for, as far as the viewer may see them (profile page)."""
    return with_urls(list(content_pages(user=user).filter(content_owner=owner).order_by("title")), user=user)


def department_members(*, department):
    """The department's staff, one query."""
    return list(
        Profile.objects.filter(department=department, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def visible_children(*, page, user):
    """The child pages of a page the user may see, in menu order, with trust data (two queries)."""
    pages = (
        ContentPage.objects.filter(pk__in=visible_pages(user).child_of(page).values("pk"))
        .select_related("content_owner")
        .order_by("path")
    )
    return with_urls(list(pages), user=user)


def backlinks(*, page, user):
    """The visible pages whose published content links to this page ("Wird verlinkt von")."""
    pages = (
        visible_pages(user).filter(pk__in=PageLink.objects.filter(target=page).values("source_id")).order_by("title")
    )
    return with_urls(list(pages), user=user)


def linking_posts(*, page, user, limit: int = 20):
    """Posts linking to this page (`posts.Post.linked_pages`), newest first, without deleted or
    hidden ones. Empty while the microblog does not provide the relation."""
    related = getattr(page, "linking_posts", None)
    if related is None:
        return []
    posts = related.all()
    if hasattr(posts, "visible"):
        posts = posts.visible()
    return list(posts.select_related("author").order_by("-pk")[:limit])


def breadcrumbs(*, page, user):
    ancestors = visible_pages(user).ancestor_of(page).filter(depth__gt=2).order_by("depth")
    return with_urls(list(ancestors), user=user)


def is_watching(*, page, user) -> bool:
    if not user.is_authenticated:
        return False
    return PageWatch.objects.filter(user=user, page=page).exists()


def can_mark_reviewed(*, user, page) -> bool:
    """The owner and anyone who may edit the page can confirm it is still correct."""
    if not user.is_authenticated:
        return False
    return page.content_owner_id == user.pk or can_edit_page(user, page)


def pages_with_tag(*, tag, user):
    """Visible pages carrying a tag, newest change first (one query)."""
    pages = (
        content_pages(user=user)
        .filter(tagged_items__tag=tag)
        .select_related("content_owner")
        .order_by("-last_published_at")
        .distinct()
    )
    return with_urls(list(pages), user=user)


def visible_tags(*, user):
    """The topics (taggit's tags, shared by pages, posts and documents) used on something the
    user may see: a visible page, a post neither hidden nor deleted, a document in a collection
    the user may see (each type says which in its ``search.py``: ``SearchType.topic_tags``). A
    tag used only on restricted pages, hidden or deleted posts or restricted documents is as
    unknown as a tag nobody uses (topic pages, the posts' tag feed, the header suggestions). A
    lazy queryset: one id subquery per type, no join multiplying the tag rows."""
    from search.registry import topic_tags

    return topic_tags(user)


def broken_links(*, user):
    """Links in published pages to pages that are gone or no longer live (editors' report)."""
    links = (
        PageLink.objects.filter(source__in=visible_pages(user))
        .exclude(target__live=True)
        .select_related("source", "target")
        .order_by("source__title")
    )
    return list(links)


def published_versions(*, page):
    """The published versions of a page, newest first, from Wagtail's audit log."""
    return list(
        PageLogEntry.objects.filter(page=page, action="wagtail.publish")
        .exclude(revision=None)
        .select_related("user", "revision")
        .order_by("-timestamp")
    )


def watched_pages(*, user):
    return list(
        PageWatch.objects.filter(user=user, page__in=visible_pages(user)).select_related("page").order_by("page__title")
    )
