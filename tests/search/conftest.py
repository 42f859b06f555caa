"""Fixtures for the search backend tests: a Whoosh backend on its own index folder, and
German pages under Wagtail's root page."""

import pytest
from wagtail.models import Page

from search.whoosh.backend import SearchBackend


@pytest.fixture
def index_dir(tmp_path):
    return tmp_path / "index"


@pytest.fixture
def backend(index_dir):
    """A backend of our own (not the configured default) on an empty index folder."""
    return SearchBackend({"PATH": str(index_dir)})


@pytest.fixture
def root_page(db):
    return Page.get_first_root_node()


def add_page(parent, title, *, live=True, model=Page, **fields):
    page = model(title=title, live=live, **fields)
    parent.add_child(instance=page)
    return page


@pytest.fixture
def german_pages(root_page, backend):
    """Pages with the words a municipal intranet is searched for, indexed into ``backend``."""
    from home.models import HomePage

    titles = {
        "antrag": "Antrag auf Akteneinsicht",
        "bauantrag": "Bauantrag einreichen: Unterlagen und Fristen",
        "urlaub": "Urlaubsantrag stellen",
        "antraege": "Anträge der Fraktionen im Stadtrat",
        "vertrag": "Vertrag mit dem Reinigungsdienst",
        "genehmigung": "Genehmigungen für Sondernutzung",
        "strasse": "Straßenreinigung und Winterdienst",
        "personalrat": "Sprechstunde Personalrat",
        "buerger": "Informationen für Bürger",
        "haushalt": "Haushaltsplan 2026",
    }
    pages = {key: add_page(root_page, title) for key, title in titles.items()}
    pages["start"] = add_page(
        root_page,
        "Willkommen im Wissensnetz",
        model=HomePage,
        intro="<p>Hier finden Sie den Haushaltsplan und Formulare für jeden Antrag.</p>",
    )
    pages["entwurf"] = add_page(root_page, "Entwurf: Antrag auf Homeoffice", live=False)
    backend.reset_indexes()
    for model, objs in _by_model(pages.values()).items():
        backend.add_bulk(model, objs)
    return pages


def _by_model(pages):
    grouped = {}
    for page in pages:
        specific = page.specific
        grouped.setdefault(type(specific), []).append(specific)
    return grouped
