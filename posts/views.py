"""Thin views: parse input, call an action or a selector, render. Every write is a POST."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from home.page_selectors import visible_tags
from intranet.shared.validators import is_storable
from people.absences import absence_text
from people.models import User
from people.queries import mention_candidates

from . import actions, permissions, queries
from .forms import EditForm, OfficialForm, PostForm, ReadingForm, ReasonForm, ReplyForm, UrgentForm
from .models import Channel, Post, Reaction


def _before(request) -> int | None:
    try:
        value = int(request.GET.get("vor", ""))
    except ValueError:
        return None
    return value if value > 0 else None


def _postable_channels(user):
    channels = list(Channel.objects.select_related("department").order_by("department__name", "name"))
    ids = [c.pk for c in channels if permissions.can_start_post(user, c)]
    return Channel.objects.filter(pk__in=ids).select_related("department").order_by("department", "name")


def _add_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _feed(request, *, scope, title, channel=None, tag=None, person=None, extra=None):
    # A unit's channel "mit Untereinheiten": also the posts in the channels of the units beneath it.
    subunits = bool(channel and channel.department_id and request.GET.get("untereinheiten") == "1")
    posts, next_before = queries.feed_posts(
        user=request.user,
        scope=scope,
        channel=channel,
        tag=tag,
        person=person,
        before=_before(request),
        subunits=subunits,
    )
    query = {
        "channel": channel.slug if channel else "",
        "tag": tag.name if tag else "",
        "person": person.username if person else "",
        "untereinheiten": "1" if subunits else "",
    }
    newest = posts[0].pk if posts and not _before(request) else None
    context = {
        "posts": posts,
        "next_before": next_before,
        "scope": scope,
        "title": title,
        "channel": channel,
        "tag": tag,
        "person": person,
        "newest_id": newest,
        "subunits": subunits,
        "scope_query": "&".join(f"{k}={v}" for k, v in query.items() if v),
        "pinned": queries.pinned_posts(user=request.user, channel=channel) if scope == "channel" else [],
        **(extra or {}),
    }
    if request.GET.get("teil") == "1":
        return render(request, "posts/includes/feed_page.html", context)
    return render(request, "posts/feed.html", context)


def feed(request):
    return _feed(
        request,
        scope="all",
        title=_("All posts"),
        extra={
            "compose_form": PostForm(
                channels=_postable_channels(request.user), initial={"channel": actions.general_channel()}
            )
        },
    )


def following(request):
    return _feed(request, scope="following", title=_("Following"))


def channel(request, slug):
    channel = get_object_or_404(Channel.objects.select_related("department"), slug=slug)
    extra = {"is_following": channel.followers.filter(follower=request.user).exists()}
    if permissions.can_start_post(request.user, channel):
        extra["compose_form"] = PostForm(channels=_postable_channels(request.user), initial={"channel": channel})
    return _feed(request, scope="channel", title=channel.name, channel=channel, extra=extra)


def tag(request, name):
    tag = queries.tag_by_name(name)
    if tag is None or not visible_tags(user=request.user).filter(pk=tag.pk).exists():
        raise Http404  # unknown, or used only on content the reader may not see
    extra = {"is_following": tag.pk in queries.follows_of(user=request.user)["tag"]}
    return _feed(request, scope="tag", title=f"#{tag.name}", tag=tag, extra=extra)


def person(request, username):
    person = get_object_or_404(User, username=username, is_active=True)
    extra = {"is_following": person.followers.filter(follower=request.user).exists()}
    return _feed(request, scope="person", title=_("Posts by %(name)s") % {"name": person}, person=person, extra=extra)


def new_count(request):
    """The "N neue Beiträge" hint, polled by feed.js: an HTML fragment (empty when none)."""
    try:
        after = int(request.GET.get("nach", ""))
    except ValueError:
        return HttpResponse("")
    scope = request.GET.get("scope", "all")
    channel = tag = person = None
    if request.GET.get("channel"):
        channel = Channel.objects.filter(slug=request.GET["channel"]).first()
    if request.GET.get("tag"):
        tag = queries.tag_by_name(request.GET["tag"])
    if request.GET.get("person"):
        person = User.objects.filter(username=request.GET["person"]).first()
    if scope not in {"all", "following", "channel", "tag", "person"} or (
        (scope == "channel" and channel is None)
        or (scope == "tag" and tag is None)
        or (scope == "person" and person is None)
    ):
        return HttpResponse("")
    count = queries.count_newer(
        user=request.user,
        scope=scope,
        channel=channel,
        tag=tag,
        person=person,
        after=after,
        subunits=request.GET.get("untereinheiten") == "1",
    )
    return render(request, "posts/includes/new_hint.html", {"count": count})


def channels(request):
    return render(
        request,
        "posts/channels.html",
        {"channels": queries.channels_with_counts(), "follows": queries.follows_of(user=request.user)},
    )


def compose(request):
    """Write a post (GET: the form on its own page; POST from any feed's form)."""
    channels = _postable_channels(request.user)
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES, channels=channels)
        if form.is_valid():
            try:
                post = actions.create_post(
                    author=request.user,
                    channel=form.cleaned_data["channel"],
                    text=form.cleaned_data["text"],
                    attachment=form.cleaned_data.get("attachment"),
                )
            except ValidationError as error:
                _add_errors(form, error)
            except PermissionDenied as error:
                form.add_error("channel", str(error))
            else:
                messages.success(request, _("Your post has been published."))
                return redirect(
                    post.channel.get_absolute_url() if request.POST.get("zurueck") == "kanal" else reverse("posts:feed")
                )
        status = 400
    else:
        slug = request.GET.get("kanal")
        initial_channel = channels.filter(slug=slug).first() if slug else None
        form = PostForm(channels=channels, initial={"channel": initial_channel or actions.general_channel()})
        status = 200
    return render(request, "posts/compose.html", {"form": form}, status=status)


def _visible_post(request, pk) -> Post:
    post = get_object_or_404(Post.objects.select_related("channel__department", "author__profile", "parent"), pk=pk)
    if not permissions.can_view(request.user, post):
        raise Http404
    return post


def detail(request, pk):
    post = _visible_post(request, pk)
    if post.parent_id:
        return redirect(post.get_absolute_url())
    return _detail(request, post, ReplyForm())


def _detail(request, post, reply_form, status=200):
    user = request.user
    shown = queries.single_post(user=user, pk=post.pk)
    context = {
        "post": shown,
        "replies": queries.thread(user=user, post=post, include_hidden=permissions.can_moderate(user, post)),
        "reactors": queries.reactors(post=post),
        "reaction_kinds": Reaction.Kind.choices,
        "reply_form": reply_form,
        "can_reply": permissions.can_reply(user, post),
        "can_moderate": permissions.can_moderate(user, post),
        "can_make_official": permissions.can_make_official(user, post),
        "can_see_acknowledgements": post.is_urgent and permissions.can_see_acknowledgements(user, post),
        "can_end_urgent": post.is_urgent and permissions.can_publish_urgent(user),
    }
    return render(request, "posts/detail.html", context, status=status)


@require_POST
def reply(request, pk):
    post = _visible_post(request, pk)
    form = ReplyForm(request.POST)
    form.is_valid()
    try:
        reply = actions.create_post(
            author=request.user, channel=post.channel, parent=post, text=form.cleaned_data.get("text", "")
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _detail(request, post, form, status=400)
    except PermissionDenied:
        raise
    messages.success(request, _("Your reply has been published."))
    return redirect(reply.get_absolute_url())


def edit(request, pk):
    post = _visible_post(request, pk)
    if not permissions.can_edit(request.user, post):
        raise PermissionDenied
    form = EditForm(request.POST or None, initial={"text": post.text})
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_post(post=post, user=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(post.get_absolute_url())
    return render(
        request,
        "posts/form_page.html",
        {"form": form, "post": post, "title": _("Edit post"), "submit": _("Save changes")},
        status=400 if form.errors else 200,
    )


def history(request, pk):
    post = _visible_post(request, pk)
    return render(request, "posts/history.html", {"post": post, "revisions": post.revisions.all()})


def delete(request, pk):
    post = _visible_post(request, pk)
    if not permissions.can_delete(request.user, post):
        raise PermissionDenied
    if request.method == "POST":
        actions.delete_post(post=post, user=request.user)
        messages.success(request, _("Your post has been deleted."))
        return redirect(post.parent.get_absolute_url() if post.parent_id else reverse("posts:feed"))
    return render(
        request,
        "posts/form_page.html",
        {
            "post": post,
            "title": _("Delete post?"),
            "submit": _("Delete"),
            "danger": True,
            "intro": _("The text and its attachment are deleted. Replies from others stay."),
        },
    )


def hide(request, pk):
    post = _visible_post(request, pk)
    if not permissions.can_moderate(request.user, post):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("zeigen") == "1":
            actions.unhide_post(post=post, moderator=request.user)
            messages.success(request, _("The post is visible again."))
            return redirect(post.get_absolute_url())
        form.is_valid()
        try:
            actions.hide_post(post=post, moderator=request.user, reason=form.cleaned_data.get("reason", ""))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The post is hidden. Its author can see the reason."))
            return redirect(post.get_absolute_url())
    return render(
        request,
        "posts/form_page.html",
        {
            "form": form,
            "post": post,
            "unhide": post.is_hidden,
            "title": _("Hide post"),
            "submit": _("Hide post"),
            "intro": _("Hidden posts disappear from feeds and search. The author sees your reason."),
        },
        status=400 if form.errors else 200,
    )


def report(request, pk):
    post = _visible_post(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        form.is_valid()
        try:
            actions.report_post(post=post, reporter=request.user, reason=form.cleaned_data.get("reason", ""))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Thank you. The channel's moderators will look at the post."))
            return redirect(post.get_absolute_url())
    return render(
        request,
        "posts/form_page.html",
        {"form": form, "post": post, "title": _("Report post to the moderators"), "submit": _("Send report")},
        status=400 if form.errors else 200,
    )


def official(request, pk):
    post = _visible_post(request, pk)
    if not permissions.can_make_official(request.user, post):
        raise PermissionDenied
    form = OfficialForm(request.POST or None, initial={"official": post.is_official, "pinned_until": post.pinned_until})
    return _settings_form(
        request,
        post=post,
        form=form,
        title=_("Official announcement and pinning"),
        save=lambda data: actions.set_official(
            post=post, user=request.user, official=data["official"], pinned_until=data["pinned_until"]
        ),
    )


def _settings_form(request, *, post, form, title, save):
    """A post's settings form (official, mandatory reading): on a valid POST ``save`` gets the
    cleaned data; an action's ValidationError shows on the form (status 400), success goes back
    to the post."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(post.get_absolute_url())
    return render(
        request,
        "posts/form_page.html",
        {"form": form, "post": post, "title": title, "submit": _("Save")},
        status=400 if form.errors else 200,
    )


def reading(request, pk):
    """Mandatory reading of an official announcement: whom it asks, by when; or end it."""
    from home.reading_selectors import requirement_for

    post = _visible_post(request, pk)
    if not permissions.can_make_official(request.user, post):
        raise PermissionDenied
    current = requirement_for(post)
    initial = {"required": False}
    if current is not None and current.is_active:
        initial = {
            "required": True,
            "all_staff": current.all_staff,
            "departments": list(current.departments.all()),
            "groups": list(current.groups.all()),
            "due_date": current.due_date,
        }
    form = ReadingForm(request.POST or None, initial=initial)
    return _settings_form(
        request,
        post=post,
        form=form,
        title=_("Mandatory reading"),
        save=lambda data: actions.set_post_reading(post=post, user=request.user, **data),
    )


@require_POST
def react(request, pk):
    post = _visible_post(request, pk)
    kind = request.POST.get("kind", "")
    if kind not in Reaction.Kind.values:
        return HttpResponse(_("Unknown reaction."), status=400)
    actions.toggle_reaction(post=post, user=request.user, kind=kind)
    return redirect(request.POST.get("next") if _safe_next(request) else post.get_absolute_url())


def _safe_next(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def urgent(request):
    if not permissions.can_publish_urgent(request.user):
        raise PermissionDenied
    form = UrgentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = actions.publish_urgent(
                author=request.user, text=form.cleaned_data["text"], until=form.cleaned_data["until"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The urgent notice is published. Everyone sees it until they acknowledge it."))
            return redirect(post.get_absolute_url())
    return render(
        request,
        "posts/form_page.html",
        {
            "form": form,
            "title": _("Publish an urgent notice"),
            "submit": _("Publish to everyone"),
            "intro": _(
                "Every signed-in member of staff sees the notice as a banner on every page until they acknowledge it."
            ),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def end_urgent(request, pk):
    post = _visible_post(request, pk)
    actions.end_urgent(post=post, user=request.user)
    messages.success(request, _("The banner is no longer shown."))
    return redirect(post.get_absolute_url())


@require_POST
def acknowledge(request, pk):
    post = _visible_post(request, pk)
    try:
        actions.acknowledge(post=post, user=request.user)
    except ValidationError as error:
        return HttpResponse(error.messages[0], status=400)
    messages.success(request, _("Thank you, noted."))
    return redirect(request.POST.get("next") if _safe_next(request) else post.get_absolute_url())


def acknowledgements(request, pk):
    post = _visible_post(request, pk)
    if not (post.is_urgent and permissions.can_see_acknowledgements(request.user, post)):
        raise PermissionDenied
    context = {
        "post": post,
        "stats": queries.acknowledgement_stats(post=post),
        "people": queries.acknowledgements(post=post),
        "total": User.objects.filter(is_active=True).count(),
    }
    return render(request, "posts/acknowledgements.html", context)


def reports(request):
    channel_ids = permissions.moderated_channel_ids(request.user)
    if channel_ids == []:
        raise PermissionDenied
    return render(request, "posts/reports.html", {"reports": queries.open_reports(channel_ids=channel_ids)})


@require_POST
def follow(request):
    from taggit.models import Tag

    kind, value = request.POST.get("type"), request.POST.get("value", "")
    if not is_storable(value):  # a NUL reached PostgreSQL's query: 500
        return HttpResponse(_("Unknown target."), status=400)
    target = {}
    if kind == "person":
        target["person"] = get_object_or_404(User, username=value, is_active=True)
    elif kind == "channel":
        target["channel"] = get_object_or_404(Channel, slug=value)
    elif kind == "tag":
        if not value.isdigit():
            raise Http404
        target["tag"] = get_object_or_404(Tag, pk=value)
    else:
        return HttpResponse(_("Unknown target."), status=400)
    try:
        if request.POST.get("action") == "unfollow":
            actions.unfollow(user=request.user, **target)
            messages.success(request, _("You no longer follow this."))
        else:
            actions.follow(user=request.user, **target)
            messages.success(request, _("You now follow this. New posts appear under “Following”."))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(request.POST.get("next") if _safe_next(request) else reverse("posts:following"))


def attachment(request, pk):
    post = _visible_post(request, pk)
    if not post.attachment:
        raise Http404
    response = FileResponse(
        post.attachment.open("rb"), as_attachment=not post.attachment_is_image, filename=post.attachment_name or None
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


def mention_suggestions(request):
    """JSON for "@…" in the post form: `{"results": [{"username", "name", "department",
    "absence"}]}`; `absence` says "abwesend bis …, vertreten durch …" while the person is away, so
    whoever writes knows their post may wait (the stand-in is not notified of mentions)."""
    q = request.GET.get("q", "")
    if not is_storable(q):
        return JsonResponse({"results": []})
    results = [
        {
            "username": profile.user.username,
            "name": str(profile.user),
            "department": profile.department.name if profile.department_id else "",
            "absence": absence_text(profile.current_absence),
        }
        for profile in mention_candidates(q)
    ]
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
