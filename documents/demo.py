"""Demo documents of Stadt Musterstadt: real PDF, Word, Excel and PowerPoint files made in code
(``documents.samples``), so a demo search finds words inside them ("Kilometerpauschale",
"Telearbeit", "Verwaltungsgebühr"). One lies in the Personalrat's collection, which only the
Personalrat group may see. Safe to run again: documents are looked up by title."""

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from . import samples

PERSONALRAT_GROUP = "Personalrat"  # created by home.demo


def _documents():
    return [
        {
            "title": "Dienstanweisung Reisekosten",
            "filename": "dienstanweisung-reisekosten.pdf",
            "collection": "Personalamt",
            "tags": ["Dienstreise"],
            "data": samples.pdf_bytes(
                [
                    "Dienstanweisung Reisekosten der Stadt Musterstadt. Gültig ab 1. Januar 2026. "
                    "Dienstreisen sind vorher bei der Amtsleitung zu beantragen und zu genehmigen.",
                    "Fahrtkosten: Bei Fahrten mit dem eigenen Kraftfahrzeug wird eine Kilometerpauschale "
                    "von 30 Cent je Kilometer erstattet. Bahnfahrten in der zweiten Klasse; die BahnCard "
                    "wird erstattet, wenn sie sich innerhalb eines Jahres rechnet.",
                    "Übernachtung und Tagegeld: Übernachtungskosten werden bis 80 Euro je Nacht erstattet. "
                    "Das Tagegeld richtet sich nach dem Landesreisekostengesetz. Die Abrechnung ist "
                    "innerhalb von sechs Monaten nach Ende der Dienstreise beim Personalamt einzureichen.",
                ],
                title="Dienstanweisung Reisekosten",
            ),
        },
        {
            "title": "Merkblatt Homeoffice und Telearbeit",
            "filename": "merkblatt-homeoffice.docx",
            "collection": "Personalamt",
            "tags": ["Homeoffice"],
            "data": samples.docx_bytes(
                [
                    "Beschäftigte können bis zu drei Tage je Woche mobil arbeiten, wenn die Aufgaben es "
                    "zulassen. Der Antrag auf Telearbeit geht über die Amtsleitung an das Personalamt.",
                    "Dienstliche Unterlagen werden zu Hause verschlossen aufbewahrt. Für Videokonferenzen "
                    "ist ausschließlich die städtische Plattform zu verwenden.",
                ],
                heading="Merkblatt Homeoffice und Telearbeit",
                table=[
                    ["Regel", "Inhalt"],
                    ["Erreichbarkeit", "Kernzeit 9 bis 12 Uhr"],
                    ["Ausstattung", "Laptop und Headset vom IT-Service"],
                ],
            ),
        },
        {
            "title": "Gebührenverzeichnis Bürgeramt 2026",
            "filename": "gebuehren-buergeramt-2026.xlsx",
            "collection": "Bürgeramt",
            "tags": ["Gebühren"],
            "data": samples.xlsx_bytes(
                [
                    ["Leistung", "Verwaltungsgebühr in Euro"],
                    ["Personalausweis (ab 24 Jahre)", 37],
                    ["Reisepass (ab 24 Jahre)", 70],
                    ["Meldebescheinigung", 10],
                    ["Führungszeugnis", 13],
                ],
                sheet="Gebühren 2026",
            ),
        },
        {
            "title": "Einarbeitung neuer Beschäftigter",
            "filename": "einarbeitung.pptx",
            "collection": "Personalamt",
            "tags": [],
            "data": samples.pptx_bytes(
                [
                    (
                        "Willkommen in der Stadtverwaltung Musterstadt",
                        "Ihr erster Tag: Dienstausweis, Schlüssel, Zugang zum Wissensnetz",
                    ),
                    ("Datenschutz und Informationssicherheit", "Pflichtschulung in den ersten vier Wochen"),
                    ("Ansprechpersonen", "Personalamt, Personalrat, Gleichstellungsbeauftragte"),
                ]
            ),
        },
        {
            "title": "Protokoll Personalratssitzung Oktober",
            "filename": "protokoll-personalrat-oktober.odt",
            "collection": "Personalrat",
            "tags": [],
            "data": samples.odt_bytes(
                [
                    "Vertraulich. Beratung über die Dienstvereinbarung Arbeitszeit und zwei Anhörungen "
                    "zu Höhergruppierungen. Nächste Sitzung im November.",
                ],
                heading="Protokoll der Personalratssitzung",
            ),
        },
    ]


def _collection(name: str) -> Collection:
    # Wagtail's migration makes the root collection; a database emptied since (a test's flush)
    # has none, and the demo then makes it as the migration would.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def load(*, stdout=None) -> dict:
    council = _collection("Personalrat")
    if not CollectionViewRestriction.objects.filter(collection=council).exists():
        restriction = CollectionViewRestriction.objects.create(
            collection=council, restriction_type=CollectionViewRestriction.GROUPS
        )
        group, _created = Group.objects.get_or_create(name=PERSONALRAT_GROUP)
        restriction.groups.add(group)
    Document = get_document_model()
    created = 0
    for spec in _documents():
        if Document.objects.filter(title=spec["title"]).exists():
            continue
        document = Document(
            title=spec["title"],
            file=ContentFile(spec["data"], name=spec["filename"]),
            collection=_collection(spec["collection"]),
        )
        document._set_document_file_metadata()
        document.save()
        # The demo reads its few small files at once, so a demo search finds their words as soon
        # as the index is built, with or without a running worker (the queued task reads them again).
        document.extract_text()
        document.save(update_fields=["text", "text_status"])
        if spec["tags"]:
            document.tags.add(*spec["tags"])
        created += 1
    return {"documents_created": created}
