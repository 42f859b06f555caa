from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_people_log_actions(actions):
    """Erasing a person (GDPR) leaves an audit entry (Wagtail's ModelLogEntry) that names the
    administrator and the account number, but nothing about the erased person."""
    actions.register_action("people.erase", _("Erase person (GDPR)"), _("Person erased (GDPR)"))
