"""manage.py sync_directory [--dry-run]: accounts, profiles and units from the LDAP/AD directory
(settings: LDAP_* in the environment; docs/deploy.md "Directory sync (LDAP/AD)"). Run it on a
schedule (deploy/systemd/wissensnetz-directory-sync.timer)."""

from people.directory import SourceError
from people.ldap import LdapSource
from people.management.directory_command import DirectoryCommand


class Command(DirectoryCommand):
    help = "Synchronises staff and units from the LDAP/AD directory: creates, updates, deactivates (never deletes)."

    def source(self, options):
        try:
            return LdapSource()
        except ImportError:
            raise SourceError("the package ldap3 is not installed") from None
