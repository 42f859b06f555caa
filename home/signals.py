"""Signal receivers: they only hand over to actions (no rules here)."""


def on_page_published(sender, instance, revision=None, **kwargs):
    from . import actions

    if kwargs.get("alias"):
        return
    actions.page_published(page=instance, revision=revision)
