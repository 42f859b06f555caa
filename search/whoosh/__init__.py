"""The Whoosh search engine, the embedded shape (see :mod:`search.whoosh.backend`). Wagtail and
modelsearch load a backend module and take its ``SearchBackend``.

Nothing outside this package touches Whoosh objects (issue 14)."""


def __getattr__(name):
    # Loaded on first use: the backend module needs the app registry (modelsearch's models).
    if name == "SearchBackend":
        from .backend import SearchBackend

        return SearchBackend
    raise AttributeError(name)
