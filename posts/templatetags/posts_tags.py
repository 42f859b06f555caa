"""Template tags for the slots other apps include (start page, topic page, profile)."""

from django import template

from posts import queries

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.simple_tag(takes_context=True)
def tag_posts(context, tag, limit=10):
    user = _user(context)
    if tag is None or user is None or not user.is_authenticated:
        return []
    return queries.feed_posts(user=user, scope="tag", tag=tag, limit=limit)[0]


@register.simple_tag(takes_context=True)
def home_posts(context, limit=5):
    user = _user(context)
    if user is None or not user.is_authenticated:
        return {"pinned": [], "latest": []}
    return {"pinned": queries.pinned_posts(user=user), "latest": queries.feed_posts(user=user, limit=limit)[0]}


@register.simple_tag(takes_context=True)
def profile_posts(context, profile, limit=5):
    """The person's latest posts and whether the reader follows them."""
    user = _user(context)
    if profile is None or user is None or not user.is_authenticated:
        return {"posts": [], "is_following": False}
    return {
        "posts": queries.feed_posts(user=user, scope="person", person=profile.user, limit=limit)[0],
        "is_following": profile.user.followers.filter(follower=user).exists(),
    }
