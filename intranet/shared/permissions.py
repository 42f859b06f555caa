"""Who counts as an editor or administrator, for every app (the search statistics, the admin's
menus, the second-factor guard): a check on Django's user only; and the per-request memory of
what a user may see, which every app's permission module may use."""

from contextlib import contextmanager


def has_elevated_rights(user) -> bool:
    """Editors and administrators: anyone who may enter the Wagtail admin or Django's admin."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin"))


_REQUEST_CACHE = "_request_permissions"


def remember_for_request(user) -> None:
    """Lets one request (one user object) work out visibility once instead of per list (the view
    restrictions a user fails, ``home.permissions``). Call it on ``request.user`` only: the user
    object of a request lives as long as the request."""
    if getattr(user, _REQUEST_CACHE, None) is None:
        setattr(user, _REQUEST_CACHE, {})


def request_cache(user) -> dict | None:
    return getattr(user, _REQUEST_CACHE, None)


def remembered(user, key: str, compute):
    """``compute()``, worked out once per request where the request remembers (see
    :func:`remember_for_request`), otherwise each time."""
    cache = request_cache(user) if user is not None else None
    if cache is not None and key in cache:
        return cache[key]
    value = compute()
    if cache is not None:
        cache[key] = value
    return value


@contextmanager
def remembered_while(user):
    """Within the block, visibility is worked out once for ``user`` (one search asks for it per
    content type); after it, forgotten again unless the request remembers it anyway."""
    if user is None or request_cache(user) is not None:
        yield
        return
    remember_for_request(user)
    try:
        yield
    finally:
        delattr(user, _REQUEST_CACHE)
