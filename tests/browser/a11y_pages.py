"""The page types the accessibility check visits. Each builder gets the signed-in staff member,
creates what its pages need, and returns (name, path) pairs, or (name, path, expected status). Apps append their builders here."""


def foundation_pages(user):
    return [
        ("start page", "/"),
        ("profile", f"/personen/{user.username}/"),
        ("directory", "/personen/"),
        ("feed", "/beitraege/"),
        ("search", "/suche/?q=Antrag"),
        ("not found", "/gibt-es-nicht/", 404),
        ("two-factor settings", "/konto/2fa/"),
        ("change password", "/konto/password/change/"),
    ]


PAGE_BUILDERS = [foundation_pages]
