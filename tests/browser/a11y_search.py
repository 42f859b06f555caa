"""The search page types for the axe accessibility check: results with facets and snippets,
a "Meinten Sie" / no-result page, a filtered page."""

from posts import actions


def pages(user):
    general = actions.general_channel()
    actions.create_post(
        author=user, channel=general, text="Antrag auf Sondernutzung jetzt online #Bürgerservice", check_limits=False
    )
    return [
        ("search results with facets", "/suche/?q=Sondernutzung"),
        ("search without results", "/suche/?q=Xylophonwartung"),
        ("search filtered by type", "/suche/?q=Sondernutzung&type=post&sort=date"),
    ]
