"""The page types the accessibility check visits.

Each app adds a module `tests/browser/a11y_<app>.py` with a function `pages(user)` that creates
what its pages need in the live server's database and returns (name, path) pairs, or
(name, path, expected status). This module collects them."""

import importlib
import pkgutil

import tests.browser


def foundation_pages(user):
    return [
        ("start page", "/"),
        ("profile", f"/personen/{user.username}/"),
        ("directory", "/personen/"),
        ("feed", "/beitraege/"),
        ("notifications", "/benachrichtigungen/"),
        ("search", "/suche/?q=Antrag"),
        ("not found", "/gibt-es-nicht/", 404),
        ("two-factor settings", "/konto/2fa/"),
        ("change password", "/konto/password/change/"),
        ("account overview", "/konto/"),
    ]


def _app_builders():
    for module in sorted(pkgutil.iter_modules(tests.browser.__path__), key=lambda m: m.name):
        if module.name.startswith("a11y_") and module.name != "a11y_pages":
            yield importlib.import_module(f"tests.browser.{module.name}").pages


PAGE_BUILDERS = [foundation_pages, *_app_builders()]
