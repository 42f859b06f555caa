"""Signal receivers: they only hand over to actions (no rules here)."""


def on_page_published(sender, instance, revision=None, **kwargs):
    from . import actions

    if kwargs.get("alias"):
        return
    actions.page_published(page=instance, revision=revision)


def on_page_unpublished(sender, instance, **kwargs):
    from . import actions

    actions.end_reading(target=instance)


def on_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        from . import actions

        actions.end_reading(target=instance)


def on_page_moved(sender, instance, **kwargs):
    from . import actions

    actions.reading_urls_moved(page=instance)
