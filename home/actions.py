"""Every state change of the wiki that is not an edit in Wagtail's admin: reviews, watches,
link records, notifications, editor groups and the moderation switch."""

import re

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from people.absences import stand_ins
from people.models import Notification
from people.notifications import on_behalf_of
from people.permissions import CENTRAL_EDITORS_GROUP, department_editors_group_name

from .models import ContentPage, DepartmentPage, HomePage, PageLink, PageWatch, add_months

REVIEWED_ACTION = "home.reviewed"
MODERATION_WORKFLOW_NAME = "Freigabe durch die Redaktion"
MODERATION_TASK_NAME = "Freigabe Redaktion"
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]


# --- reviews ---------------------------------------------------------------------------------
@transaction.atomic
def mark_reviewed(*, page: ContentPage, user) -> ContentPage:
    """Records that `user` checked the page and it is still correct — without a new revision.
    Precondition: the caller checked `selectors.can_mark_reviewed`."""
    today = timezone.localdate()
    review_due = add_months(today, page.review_interval_months or 12)
    ContentPage.objects.filter(pk=page.pk).update(last_reviewed=today, last_reviewed_by=user, review_due=review_due)
    page.last_reviewed, page.last_reviewed_by, page.review_due = today, user, review_due
    log(instance=page, action=REVIEWED_ACTION, user=user)
    return page


def notify_review_due(*, today=None) -> dict:
    """E-mails each owner once about their pages that fell due since the last reminder and puts a
    REVIEW_DUE item in their inbox. An owner absent today has their stand-in (people.absences)
    told as well, in the same one mail per person, marked "On behalf of <owner>". Run daily (see
    docs/deploy.md). Returns counts."""
    today = today or timezone.localdate()
    due = (
        ContentPage.objects.live()
        .filter(review_due__lte=today, content_owner__isnull=False, content_owner__is_active=True)
        .exclude(review_reminder_sent_for=F("review_due"))
        .select_related("content_owner")
        .order_by("content_owner_id", "review_due")
    )
    by_owner: dict = {}
    for page in due:
        by_owner.setdefault(page.content_owner, []).append(page)
    # recipient -> {owner the pages belong to: pages}; the recipient's own pages under themselves.
    letters: dict = {owner: {owner: pages} for owner, pages in by_owner.items()}
    for absent, stand_in in stand_ins([owner.pk for owner in by_owner], today).values():
        letters.setdefault(stand_in, {})[absent] = by_owner[absent]
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    mails = 0
    for recipient, pages_by_owner in letters.items():
        with override(settings.LANGUAGE_CODE):
            body = [_("Hello %(name)s,") % {"name": recipient.get_full_name() or recipient.username}, ""]
            count = 0
            for owner, pages in pages_by_owner.items():
                if owner == recipient:
                    body.append(_("these pages you are responsible for are due for review:"))
                else:
                    body.append(
                        on_behalf_of(
                            str(owner),
                            _("these pages %(name)s is responsible for are due for review:") % {"name": owner},
                        )
                    )
                body += ["", *(_line(page, base_url) for page in pages), ""]
                count += len(pages)
                for page in pages:
                    verb = _("“%(title)s” is due for review") % {"title": page.title}
                    Notification.objects.update_or_create(
                        recipient=recipient,
                        kind=Notification.Kind.REVIEW_DUE,
                        bundle_key=f"review:{page.pk}",
                        read_at=None,
                        defaults={
                            "verb": verb if owner == recipient else on_behalf_of(str(owner), verb),
                            "url": page.url,
                        },
                    )
            body.append(_("Please check them. If a page is still correct, click “Mark as reviewed” on it."))
            subject = ngettext("%(count)d page due for review", "%(count)d pages due for review", count) % {
                "count": count
            }
            send_mail(f"[{settings.WAGTAIL_SITE_NAME}] {subject}", "\n".join(body), None, [recipient.email])
        mails += 1
        # The owner's pages are marked once the owner's own mail is sent (as before stand-ins
        # existed): a retry after a failed mail mails only the owners not yet reached, and a
        # stand-in again only together with them.
        if recipient in by_owner:
            ContentPage.objects.filter(pk__in=[page.pk for page in by_owner[recipient]]).update(
                review_reminder_sent_for=F("review_due")
            )
    return {"mails": mails, "pages": sum(len(pages) for pages in by_owner.values())}


def _line(page, base_url: str) -> str:
    return f"- {page.title} ({_('due since')} {page.review_due:%d.%m.%Y}): {base_url}{page.url}"


# --- watching --------------------------------------------------------------------------------
def watch_page(*, user, page: Page) -> PageWatch:
    watch, _created = PageWatch.objects.get_or_create(user=user, page=page)
    return watch


def unwatch_page(*, user, page: Page) -> None:
    PageWatch.objects.filter(user=user, page=page).delete()


def notify_watchers(*, page: Page, actor) -> int:
    """Tells everyone watching the page or a section above it that it was published again.
    One inbox item per page while unread: later publications count up. Returns how many were told."""
    from .permissions import can_view_page

    watcher_ids = set(
        PageWatch.objects.filter(page__in=Page.objects.ancestor_of(page, inclusive=True)).values_list(
            "user_id", flat=True
        )
    )
    if actor is not None:
        watcher_ids.discard(actor.pk)
    if not watcher_ids:
        return 0
    from django.contrib.auth import get_user_model

    notified = 0
    with override(settings.LANGUAGE_CODE):
        verb = _("“%(title)s” was updated") % {"title": page.title}
    for watcher in get_user_model().objects.filter(pk__in=watcher_ids, is_active=True):
        if not can_view_page(watcher, page):
            continue
        bundled = Notification.objects.filter(
            recipient=watcher, bundle_key=f"page:{page.pk}", read_at__isnull=True
        ).update(count=F("count") + 1, actor=actor, verb=verb, updated_at=timezone.now())
        if not bundled:
            Notification.objects.create(
                recipient=watcher,
                kind=Notification.Kind.PAGE_PUBLISHED,
                actor=actor,
                verb=verb,
                url=page.url or "",
                bundle_key=f"page:{page.pk}",
            )
        notified += 1
    return notified


# --- links -----------------------------------------------------------------------------------
RICH_TEXT_PAGE_LINK = re.compile(r"""<a\b[^>]*\blinktype=\\?["']page\\?["'][^>]*>""")
LINK_ID = re.compile(r"""\bid=\\?["'](\d+)\\?["']""")


def _linked_page_ids(value, found: set[int]) -> None:
    if isinstance(value, str):
        for tag in RICH_TEXT_PAGE_LINK.findall(value):
            match = LINK_ID.search(tag)
            if match:
                found.add(int(match.group(1)))
    elif isinstance(value, dict):
        if value.get("type") == "page_link" and isinstance(value.get("value"), dict):
            target = value["value"].get("page")
            if isinstance(target, int):
                found.add(target)
        for item in value.values():
            _linked_page_ids(item, found)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _linked_page_ids(item, found)


def linked_page_ids(page: Page) -> set[int]:
    """Ids of the pages the published content links to (rich text links and page-link blocks)."""
    from wagtail.fields import RichTextField, StreamField

    found: set[int] = set()
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            _linked_page_ids(list(getattr(page, field.name).raw_data), found)
        elif isinstance(field, RichTextField):
            _linked_page_ids(getattr(page, field.name) or "", found)
    found.discard(page.pk)
    return found


@transaction.atomic
def record_links(*, page: Page) -> int:
    """Replaces the stored outgoing links of a page by those in its published content."""
    target_ids = linked_page_ids(page)
    existing = set(Page.objects.filter(pk__in=target_ids).values_list("pk", flat=True))
    PageLink.objects.filter(source=page).exclude(target_page_id__in=target_ids).delete()
    known = set(PageLink.objects.filter(source=page).values_list("target_page_id", flat=True))
    PageLink.objects.bulk_create(
        [
            PageLink(source=page, target_id=target_id if target_id in existing else None, target_page_id=target_id)
            for target_id in sorted(target_ids - known)
        ]
    )
    return len(target_ids)


# --- publishing ------------------------------------------------------------------------------
def reindex_page(*, page: Page) -> None:
    """Indexes the page again once its tags are stored: Wagtail indexes on post_save, before
    modelcluster writes child relations such as tags, so the first index entry lacks them."""
    from search.tasks import index_on_commit

    index_on_commit(page)


def page_published(*, page: Page, revision=None) -> None:
    """What follows a publication in Wagtail: links recorded, watchers told, section rights kept in
    step with the department's moderation switch. Called by the page_published signal."""
    record_links(page=page)
    reindex_page(page=page)
    actor = getattr(revision, "user", None)
    notify_watchers(page=page, actor=actor)
    sync_page_reading(page=page, user=actor)
    if isinstance(page, DepartmentPage):
        sync_department_permissions(department_page=page)


# --- editor groups and moderation ------------------------------------------------------------
def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def _give_editor_basics(group: Group, *, collection: Collection | None) -> None:
    """Access to the admin, and the document and image rights on ``collection`` (and the
    collections below it). View restrictions still hold inside: ``documents.permissions
    .CollectionMemberPermissionPolicy`` keeps everyone but superusers out of collections they may
    not see, whatever they were granted."""
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    if collection is None:
        return
    for app_label, codename in EDITOR_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
        )


def department_collection(department) -> Collection | None:
    """The department's own collection for documents and images: a collection named like the
    department directly below the root, created when missing (None before the root exists)."""
    root = Collection.get_first_root_node()
    if root is None:
        return None
    existing = root.get_children().filter(name=department.name).first()
    return existing or root.add_child(name=department.name)


def ensure_central_editors_group() -> Group:
    """The Redaktion: edits and publishes every page below the start page, approves submissions."""
    group, _created = Group.objects.get_or_create(name=CENTRAL_EDITORS_GROUP)
    _give_editor_basics(group, collection=Collection.get_first_root_node())
    # the search's "Synonyme und Abkürzungen" (search.Synonym snippet)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="search", codename__in=("add_synonym", "change_synonym", "delete_synonym")
        )
    )
    home = HomePage.objects.first()
    if home is not None:
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=_page_permission(codename))
    return group


def moderation_workflow() -> Workflow:
    """The one workflow "department editor submits -> Redaktion approves"."""
    workflow, _created = Workflow.objects.get_or_create(name=MODERATION_WORKFLOW_NAME)
    task = GroupApprovalTask.objects.filter(name=MODERATION_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=MODERATION_TASK_NAME)
    task.groups.add(ensure_central_editors_group())
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task.task_ptr, defaults={"sort_order": 0})
    return workflow


@transaction.atomic
def sync_department_permissions(*, department_page: DepartmentPage) -> Group:
    """The department's editor group may edit its section only; it may publish there unless the
    department switched on editorial approval, in which case pages go through the Redaktion.
    Documents and images: only in the department's collection (``department_collection``)."""
    group, _created = Group.objects.get_or_create(name=department_editors_group_name(department_page.department))
    collection = department_collection(department_page.department)
    _give_editor_basics(group, collection=collection)
    if collection is not None:
        # Rights on the root collection (as groups were set up before) reach every collection.
        GroupCollectionPermission.objects.filter(group=group, collection__depth=1).delete()
    page = Page.objects.get(pk=department_page.pk)
    for codename in EDITOR_PAGE_PERMISSIONS:
        if codename == "publish_page" and department_page.moderation_enabled:
            continue
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=_page_permission(codename))
    if department_page.moderation_enabled:
        GroupPagePermission.objects.filter(group=group, page=page, permission__codename="publish_page").delete()
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": moderation_workflow()})
    else:
        WorkflowPage.objects.filter(page=page).delete()
    return group


# --- mandatory reading (Pflichtlektüre) ------------------------------------------------------
READING_SET_ACTION = "home.reading_set"
READING_CHANGED_ACTION = "home.reading_changed"
READING_ENDED_ACTION = "home.reading_ended"
READING_NEW_VERSION_ACTION = "home.reading_new_version"
SERVICE_INSTRUCTION_ACTION = "home.service_instruction"


class NotAddressed(Exception):
    """The requirement does not ask this person (or does not exist, or is closed): shown as
    "not found", so nothing about it is revealed."""


def _audience_data(*, all_staff: bool, departments, groups, due_date) -> dict:
    return {
        "all_staff": bool(all_staff),
        "departments": sorted(department.name for department in departments),
        "groups": sorted(group.name for group in groups),
        "due_date": due_date.isoformat() if due_date else None,
    }


@transaction.atomic
def set_reading(
    *,
    target,
    user,
    log_instance=None,
    required: bool,
    title: str = "",
    url: str = "",
    all_staff: bool = False,
    departments=(),
    groups=(),
    due_date=None,
    service_instruction: bool = False,
    version: int | None = None,
    owner=None,
    section_department=None,
):
    """Makes a page or post mandatory reading for the people chosen (or ends it when `required`
    is False), and logs every change on `log_instance` (default: `target`) as a Wagtail log
    entry: set, audience changed, new version ("wesentliche Änderung"), Dienstanweisung on/off,
    ended. `version`: the page's reading version (None: keep the stored one). The caller checked
    who may do it and that the audience is not empty. Returns the requirement (None if there
    never was one and none is wanted)."""
    from django.contrib.contenttypes.models import ContentType

    from .models import ReadingRequirement
    from .reading_selectors import target_key

    content_type_id, object_id = target_key(target)
    log_instance = log_instance or target
    requirement = (
        ReadingRequirement.objects.select_for_update()
        .filter(content_type_id=content_type_id, object_id=object_id)
        .first()
    )
    if not required:
        if requirement is not None and requirement.is_active:
            requirement.is_active = False
            requirement.save(update_fields=["is_active"])
            log(instance=log_instance, action=READING_ENDED_ACTION, user=user)
        return requirement
    departments, groups = list(departments), list(groups)
    audience = _audience_data(all_staff=all_staff, departments=departments, groups=groups, due_date=due_date)
    now = timezone.now()
    if requirement is None:
        requirement = ReadingRequirement.objects.create(
            content_type=ContentType.objects.get_for_id(content_type_id),
            object_id=object_id,
            title=title[:255],
            url=url[:500],
            all_staff=all_staff,
            due_date=due_date,
            service_instruction=service_instruction,
            version=version or 1,
            version_since=now,
            owner=owner,
            requested_by=user,
            section_department=section_department,
        )
        requirement.departments.set(departments)
        requirement.groups.set(groups)
        log(instance=log_instance, action=READING_SET_ACTION, user=user, data=audience)
        if service_instruction:
            log(instance=log_instance, action=SERVICE_INSTRUCTION_ACTION, user=user, data={"on": True})
        return requirement
    before = _audience_data(
        all_staff=requirement.all_staff,
        departments=requirement.departments.all(),
        groups=requirement.groups.all(),
        due_date=requirement.due_date,
    )
    was_active, was_instruction = requirement.is_active, requirement.service_instruction
    new_version = version is not None and version > requirement.version
    requirement.title, requirement.url = title[:255] or requirement.title, url[:500] or requirement.url
    requirement.all_staff, requirement.due_date = all_staff, due_date
    requirement.service_instruction, requirement.is_active = service_instruction, True
    requirement.owner, requirement.section_department = owner, section_department
    if not was_active:
        requirement.requested_by = user
    if new_version:
        requirement.version, requirement.version_since = version, now
    elif not was_active:
        # Asked again after it had ended: a fresh start for the reminders, the same version.
        requirement.version_since = now
    requirement.save()
    requirement.departments.set(departments)
    requirement.groups.set(groups)
    if not was_active:
        log(instance=log_instance, action=READING_SET_ACTION, user=user, data=audience)
    elif before != audience:
        log(instance=log_instance, action=READING_CHANGED_ACTION, user=user, data={"before": before, "after": audience})
    if new_version:
        log(instance=log_instance, action=READING_NEW_VERSION_ACTION, user=user, data={"version": requirement.version})
    if was_instruction != service_instruction:
        log(instance=log_instance, action=SERVICE_INSTRUCTION_ACTION, user=user, data={"on": service_instruction})
    return requirement


def sync_page_reading(*, page: ContentPage, user) -> None:
    """After a publication: the page's mandatory-reading settings (revisioned with the page)
    become its ReadingRequirement. Called by `page_published`."""
    from .reading_selectors import requirement_for

    page = page.specific
    if not isinstance(page, ContentPage):
        return
    if not page.reading_required and requirement_for(page) is None:
        return
    set_reading(
        target=page,
        user=user,
        required=page.reading_required,
        title=page.title,
        url=page.url or "",
        all_staff=page.reading_all_staff,
        departments=page.reading_departments.all(),
        groups=page.reading_groups.all(),
        due_date=page.reading_due,
        service_instruction=page.service_instruction,
        version=page.reading_version,
        owner=page.content_owner,
        section_department=page.section_department,
    )


def end_reading(*, target) -> None:
    """An unpublished or deleted page, a deleted post, asks nobody any more (no log entry of its
    own: the unpublication or deletion is logged)."""
    from .models import ReadingRequirement
    from .reading_selectors import target_key

    content_type_id, object_id = target_key(target)
    ReadingRequirement.objects.filter(content_type_id=content_type_id, object_id=object_id).update(is_active=False)


def reading_urls_moved(*, page: Page) -> None:
    """A moved page (and the pages below it) keep the right address in reading lists."""
    from django.contrib.contenttypes.models import ContentType

    from .models import ReadingRequirement

    page_type = ContentType.objects.get_for_model(Page)
    moved = {p.pk: p for p in Page.objects.descendant_of(page, inclusive=True)}
    for requirement in ReadingRequirement.objects.filter(content_type=page_type, object_id__in=list(moved)):
        requirement.url = moved[requirement.object_id].url or ""
        requirement.save(update_fields=["url"])


@transaction.atomic
def confirm_reading(*, requirement, user) -> tuple:
    """ "Gelesen und verstanden": `user` confirms the requirement's current version. Confirming
    twice changes nothing. Raises NotAddressed when the requirement does not ask `user` or is
    closed. Returns (confirmation, created)."""
    from .models import ReadingConfirmation, ReadingTally
    from .reading_selectors import is_addressed, open_requirements

    if (
        requirement is None
        or not user.is_authenticated
        or not user.is_active
        or not open_requirements().filter(pk=requirement.pk).exists()
        or not is_addressed(requirement=requirement, user=user)
    ):
        raise NotAddressed
    confirmation, created = ReadingConfirmation.objects.get_or_create(
        requirement=requirement, user=user, version=requirement.version
    )
    if created:
        department_id = getattr(getattr(user, "profile", None), "department_id", None)
        bumped = ReadingTally.objects.filter(
            requirement=requirement, version=requirement.version, department_id=department_id
        ).update(count=F("count") + 1)
        if not bumped:
            ReadingTally.objects.create(
                requirement=requirement, version=requirement.version, department_id=department_id, count=1
            )
    return confirmation, created


def remind_reading(*, today=None) -> dict:
    """Puts a "Pflichtlektüre" item in the inbox of everyone asked who has not confirmed the
    current version yet — once per person and version (ReadingReminder), so nothing is sent
    twice; the daily digest mails the item. Leavers (inactive) and people absent today are not
    reminded (an absent person is reminded on a later run, after returning); instead their
    stand-in is told, "In Vertretung für …", once per absent person and version
    (`_tell_stand_ins`). Run daily by the review-reminder job (manage.py notify_review_due).
    Returns counts."""
    from people.models import Absence
    from people.notifications import notify_many

    from .models import ReadingReminder
    from .reading_selectors import _confirmed_current, audience, open_requirements

    today = today or timezone.localdate()
    absent = Absence.running(today).values("user_id")
    reminded = stood_in = 0
    requirements = list(open_requirements().order_by("pk"))
    for requirement in requirements:
        already = ReadingReminder.objects.filter(
            requirement_id=requirement.pk, version=requirement.version, user_id=OuterRef("user_id")
        )
        due = (
            audience(requirement)
            .exclude(Exists(_confirmed_current(requirement)))
            .exclude(Exists(already))
            .annotate(is_absent=Exists(absent.filter(user_id=OuterRef("user_id"))))
            .values_list("user_id", "is_absent")
        )
        user_ids, absent_ids = [], []
        for user_id, is_absent in due:
            (absent_ids if is_absent else user_ids).append(user_id)
        if absent_ids:
            stood_in += _tell_stand_ins(requirement=requirement, absent_ids=absent_ids, today=today)
        if not user_ids:
            continue
        with override(settings.LANGUAGE_CODE):
            verb = _reading_verb(requirement)
        notify_many(
            recipients=user_ids,
            kind=Notification.Kind.READING_DUE,
            verb=verb,
            url=requirement.url,
            bundle_key=f"reading:{requirement.pk}:{requirement.version}",
        )
        ReadingReminder.objects.bulk_create(
            [ReadingReminder(requirement=requirement, user_id=pk, version=requirement.version) for pk in user_ids],
            ignore_conflicts=True,
        )
        reminded += len(user_ids)
    return {"requirements": len(requirements), "reminded": reminded, "stand_ins": stood_in}


def _reading_verb(requirement) -> str:
    if requirement.due_date:
        return _("Mandatory reading: please confirm “%(title)s” by %(date)s") % {
            "title": requirement.title,
            "date": f"{requirement.due_date:%d.%m.%Y}",
        }
    return _("Mandatory reading: please read and confirm “%(title)s”") % {"title": requirement.title}


def _tell_stand_ins(*, requirement, absent_ids: list[int], today) -> int:
    """Tells the stand-ins (people.absences.stand_ins: the absence's deputy, else the standing
    deputy, else the unit's deputy head or head) of these absent people that they have to read
    the current version: once per absent person, version and stand-in (ReadingDeputyNotice). A
    stand-in who is absent today too, or who may not see the page, is skipped. The stand-in does
    not confirm for them. Returns how many stand-ins were notified. Four queries, one
    notification per stand-in, one insert of the records."""
    from people.models import Absence
    from people.notifications import notify_many

    from .models import ReadingDeputyNotice
    from .reading_selectors import may_see

    pairs = stand_ins(absent_ids, today)
    if not pairs:
        return 0
    deputy_ids = {deputy.pk for _absent, deputy in pairs.values()}
    deputy_ids -= set(Absence.running(today).filter(user_id__in=deputy_ids).values_list("user_id", flat=True))
    deputy_ids &= set(may_see(requirement).filter(user_id__in=deputy_ids).values_list("user_id", flat=True))
    told = set(
        ReadingDeputyNotice.objects.filter(
            requirement_id=requirement.pk, version=requirement.version, absent_id__in=list(pairs)
        ).values_list("absent_id", "deputy_id")
    )
    covered: dict[int, list] = {}
    for absent_id, (absent_user, deputy) in sorted(pairs.items()):
        if deputy.pk in deputy_ids and (absent_id, deputy.pk) not in told:
            covered.setdefault(deputy.pk, []).append(absent_user)
    if not covered:
        return 0
    with override(settings.LANGUAGE_CODE):
        for deputy_id, absent_people in covered.items():
            names = ", ".join(sorted(str(person) for person in absent_people))
            notify_many(
                recipients=[deputy_id],
                kind=Notification.Kind.READING_DUE,
                verb=on_behalf_of(
                    names,
                    _("“%(title)s” is mandatory reading, to be confirmed in person after the return.")
                    % {"title": requirement.title},
                ),
                url=requirement.url,
            )
    ReadingDeputyNotice.objects.bulk_create(
        [
            ReadingDeputyNotice(
                requirement=requirement, version=requirement.version, absent_id=person.pk, deputy_id=deputy_id
            )
            for deputy_id, absent_people in covered.items()
            for person in absent_people
        ],
        ignore_conflicts=True,
    )
    return len(covered)


def purge_reading_confirmations(*, now=None) -> dict:
    """Deletes who confirmed and who was reminded once older than ACKNOWLEDGEMENT_RETENTION_DAYS
    (the counts per department, ReadingTally, stay). Run daily (manage.py
    purge_reading_confirmations, docs/deploy.md). Returns how many were deleted."""
    from .models import ReadingConfirmation, ReadingDeputyNotice, ReadingReminder
    from .reading_selectors import retention_cutoff

    cutoff = retention_cutoff(now)
    confirmations, _detail = ReadingConfirmation.objects.filter(confirmed_at__lt=cutoff).delete()
    reminders, _detail = ReadingReminder.objects.filter(sent_at__lt=cutoff).delete()
    ReadingDeputyNotice.objects.filter(sent_at__lt=cutoff).delete()
    return {"confirmations": confirmations, "reminders": reminders}
