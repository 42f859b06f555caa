"""The PostgreSQL search engine (see :mod:`search.postgres.backend`). Wagtail and modelsearch
load a backend module and take its ``SearchBackend``."""


def __getattr__(name):
    # Loaded on first use: the backend module needs the app registry (modelsearch's models).
    if name == "SearchBackend":
        from .backend import SearchBackend

        return SearchBackend
    raise AttributeError(name)
