"""Reading people and units from an LDAP directory (Active Directory, OpenLDAP) for the directory
sync (people.directory; manage.py sync_directory). Only this module speaks LDAP (ldap3).

Configuration: `settings.LDAP_DIRECTORY` (from the environment; docs/deploy.md "Directory sync
(LDAP/AD)"). `LDAP_SCHEMA` picks a preset of attribute names (`PRESETS`), each of which
`LDAP_ATTR_<FIELD>` may override; an empty override leaves the field out of the sync.

Searches are paged (the simple paged results control; `page_size` entries per round trip), so
a directory of any size is read in constant memory."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

from django.conf import settings

from .directory import (
    InvalidRecord,
    PersonRecord,
    Source,
    SourceError,
    UnitRecord,
    email_problem,
    normalise_id,
    parent_dn,
)

AD_DISABLED = 0x2  # userAccountControl: ACCOUNTDISABLE

PRESETS = {
    "ad": {
        "people_filter": "(&(objectCategory=person)(objectClass=user))",
        "units_filter": "(objectClass=organizationalUnit)",
        "id": "objectGUID",
        "first_name": "givenName",
        "last_name": "sn",
        "email": "mail",
        "phone": "telephoneNumber",
        "room": "physicalDeliveryOfficeName",
        "job_title": "title",
        "department": "department",
        "manager": "manager",
        "disabled": "userAccountControl",
        "unit_id": "objectGUID",
        "unit_name": "ou",
        "unit_short_name": "",
        "unit_kind": "",
        "unit_head": "managedBy",
        "unit_deputy_head": "",
    },
    "openldap": {
        "people_filter": "(objectClass=inetOrgPerson)",
        "units_filter": "(objectClass=organizationalUnit)",
        "id": "entryUUID",
        "first_name": "givenName",
        "last_name": "sn",
        "email": "mail",
        "phone": "telephoneNumber",
        "room": "roomNumber",
        "job_title": "title",
        "department": "ou",
        "manager": "manager",
        "disabled": "pwdAccountLockedTime",
        "unit_id": "entryUUID",
        "unit_name": "ou",
        "unit_short_name": "",
        "unit_kind": "businessCategory",
        "unit_head": "",
        "unit_deputy_head": "",
    },
}
REQUIRED = ("id", "email", "last_name")
PERSON_VALUE_FIELDS = ("phone", "room", "job_title")


def configuration(overrides: dict | None = None) -> dict:
    """The settings with the schema's preset filled in and the attribute overrides applied."""
    config = {**settings.LDAP_DIRECTORY, **(overrides or {})}
    schema = (config.get("schema") or "openldap").lower()
    if schema not in PRESETS:
        raise SourceError(f"LDAP_SCHEMA must be one of {', '.join(PRESETS)}, not {schema!r}")
    preset = PRESETS[schema]
    attributes = {key: value for key, value in preset.items() if not key.endswith("_filter")}
    overrides = config.get("attributes") or {}
    unknown = sorted(set(overrides) - set(attributes))
    if unknown:
        raise SourceError(
            f"unknown LDAP_ATTR_ setting(s): {', '.join('LDAP_ATTR_' + key.upper() for key in unknown)} (known: "
            f"{', '.join('LDAP_ATTR_' + key.upper() for key in attributes)})"
        )
    attributes.update(overrides)
    config["attributes"] = attributes
    config["people_filter"] = config.get("people_filter") or preset["people_filter"]
    config["units_filter"] = config.get("units_filter") or preset["units_filter"]
    for key in REQUIRED:
        if not attributes.get(key):
            raise SourceError(f"LDAP_ATTR_{key.upper()} cannot be empty: the sync needs it")
    for key in ("url", "people_base"):
        if not config.get(key):
            raise SourceError(f"LDAP_{key.upper()} is not set")
    return config


def _password(config: dict) -> str | None:
    path = config.get("bind_password_file")
    if not config.get("bind_dn"):
        return None
    if not path:
        raise SourceError("LDAP_BIND_PASSWORD_FILE is not set (the bind password is read from a file)")
    try:
        with open(path, encoding="utf-8") as file:
            return file.read().rstrip("\r\n")
    except OSError as error:
        raise SourceError(
            f"cannot read the bind password from LDAP_BIND_PASSWORD_FILE ({path}): {error.strerror}"
        ) from None


def _text(raw: list, name: str) -> str:
    if not raw:
        return ""
    value = raw[0]
    if name.lower() == "objectguid":
        return normalise_id(value)
    return value.decode("utf-8", "replace").strip() if isinstance(value, bytes) else str(value).strip()


class LdapSource(Source):
    manager_key = "directory_dn"

    def __init__(self, overrides: dict | None = None):
        import ldap3  # noqa: F401  (fails here, clearly, where the package is missing)

        self.config = configuration(overrides)
        self.attrs = self.config["attributes"]
        self.label = f"the directory at {self.config['url']}"
        self.fields = tuple(f for f in ("first_name", "last_name", "email", *PERSON_VALUE_FIELDS) if self.attrs[f])
        if self.attrs["department"] or self.config.get("units_base"):
            self.fields += ("department",)
        if self.attrs["manager"]:
            self.fields += ("manager",)
        self.connection = None

    # --- the connection ---------------------------------------------------------------------
    def connect(self):
        import ldap3
        from ldap3.core import exceptions

        config = self.config
        tls = None
        if config["url"].lower().startswith("ldaps://") or config.get("start_tls"):
            tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=config.get("ca_file") or None)
        try:
            server = ldap3.Server(
                config["url"], get_info=ldap3.NONE, tls=tls, connect_timeout=config.get("timeout", 10)
            )
            connection = ldap3.Connection(
                server,
                user=config.get("bind_dn") or None,
                password=_password(config),
                receive_timeout=config.get("timeout", 10) * 6,
                raise_exceptions=True,
                read_only=True,
                auto_referrals=False,  # AD answers with referrals to other partitions: not ours
            )
            connection.open()
            if config.get("start_tls") and not config["url"].lower().startswith("ldaps://"):
                connection.start_tls()
            connection.bind()
        except exceptions.LDAPInvalidCredentialsResult:
            raise SourceError(
                f"{self.label} refused the credentials of {config.get('bind_dn') or 'an anonymous bind'} "
                "(LDAP_BIND_DN, LDAP_BIND_PASSWORD_FILE)"
            ) from None
        except exceptions.LDAPSocketOpenError as error:
            raise SourceError(f"{self.label} cannot be reached: {error}") from None
        except exceptions.LDAPStartTLSError as error:
            raise SourceError(f"StartTLS with {self.label} failed: {error}") from None
        except exceptions.LDAPException as error:
            raise SourceError(f"{self.label}: {error}") from None
        self.connection = connection
        return self

    def close(self) -> None:
        if self.connection is not None:
            self.connection.unbind()
            self.connection = None

    def __enter__(self):
        return self.connect()

    def __exit__(self, *exc):
        self.close()

    def _search(self, base: str, search_filter: str, attributes: list[str]) -> Iterator[list[dict]]:
        """Pages of entries ({"dn", "raw": {attribute: [bytes]}}), one paged round trip each."""
        from ldap3 import SUBTREE
        from ldap3.core import exceptions

        cookie = None
        wanted = [a for a in dict.fromkeys(attributes) if a] or ["1.1"]
        while True:
            try:
                self.connection.search(
                    base,
                    search_filter,
                    search_scope=SUBTREE,
                    attributes=wanted,
                    paged_size=self.config.get("page_size") or 500,
                    paged_cookie=cookie,
                )
            except exceptions.LDAPNoSuchObjectResult:
                raise SourceError(f"{self.label} has no entry {base!r} (check the base DN)") from None
            except exceptions.LDAPInvalidFilterError as error:
                raise SourceError(f"the filter {search_filter!r} is not valid: {error}") from None
            except exceptions.LDAPException as error:
                raise SourceError(f"searching {base!r} in {self.label} failed: {error}") from None
            page = []
            for entry in self.connection.response:
                if entry.get("type") != "searchResEntry":
                    continue
                raw = {name.lower(): values for name, values in entry["raw_attributes"].items()}
                page.append({"dn": entry["dn"], "raw": raw})
            yield page
            controls = self.connection.result.get("controls", {})
            cookie = controls.get("1.2.840.113556.1.4.319", {}).get("value", {}).get("cookie")
            if not cookie:
                return

    def _people_filter(self) -> str:
        search_filter = self.config["people_filter"]
        disabled = self.config.get("disabled_filter")
        if disabled:
            if not disabled.startswith("("):
                disabled = f"({disabled})"
            search_filter = f"(&{search_filter}(!{disabled}))"
        return search_filter

    def _value(self, entry: dict, field: str) -> str:
        name = self.attrs.get(field)
        return _text(entry["raw"].get(name.lower(), []), name) if name else ""

    # --- what the sync asks for ----------------------------------------------------------------
    def count(self) -> int:
        return sum(len(page) for page in self._search(self.config["people_base"], self._people_filter(), []))

    def units(self) -> list[UnitRecord]:
        base = self.config.get("units_base")
        if not base:
            return []
        names = [
            self.attrs[key]
            for key in ("unit_id", "unit_name", "unit_short_name", "unit_kind", "unit_head", "unit_deputy_head")
        ]
        base_depth = len(base.split(","))
        units = []
        for page in self._search(base, self.config["units_filter"], names):
            for entry in page:
                dn = entry["dn"]
                if dn.lower().replace(" ", "") == base.lower().replace(" ", ""):
                    continue  # the base itself (e.g. ou=Organisation) is not a unit
                units.append(
                    UnitRecord(
                        source=dn,
                        directory_id=normalise_id(self._value(entry, "unit_id") or dn),
                        dn=dn,
                        name=self._value(entry, "unit_name"),
                        parent_dn=parent_dn(dn),
                        depth=len(dn.split(",")) - base_depth,
                        kind=self._value(entry, "unit_kind"),
                        short_name=self._value(entry, "unit_short_name") if self.attrs["unit_short_name"] else None,
                        head=self._value(entry, "unit_head") if self.attrs["unit_head"] else None,
                        deputy_head=(
                            self._value(entry, "unit_deputy_head") if self.attrs["unit_deputy_head"] else None
                        ),
                    )
                )
        return units

    def people(self) -> Iterator[list[PersonRecord | InvalidRecord]]:
        fields = ("id", "first_name", "last_name", "email", *PERSON_VALUE_FIELDS, "department", "disabled")
        for page in self._search(self.config["people_base"], self._people_filter(), [self.attrs[f] for f in fields]):
            yield [self._person(entry) for entry in page]

    def _person(self, entry: dict) -> PersonRecord | InvalidRecord:
        dn = entry["dn"]
        directory_id = self._value(entry, "id")
        directory_id = normalise_id(directory_id) if directory_id else ""
        missing = [self.attrs[field] for field in REQUIRED if not self._value(entry, field)]
        if missing:
            return InvalidRecord(dn, f"the attribute {', '.join(missing)} is missing", directory_id)
        email = self._value(entry, "email").lower()
        if problem := email_problem(email):
            return InvalidRecord(dn, problem, directory_id)
        values = {field: self._value(entry, field) for field in PERSON_VALUE_FIELDS if self.attrs[field]}
        return PersonRecord(
            source=dn,
            directory_id=directory_id,
            email=email,
            first_name=self._value(entry, "first_name"),
            last_name=self._value(entry, "last_name"),
            values=values,
            unit=self._value(entry, "department") if "department" in self.fields else None,
            dn=dn,
            active=not self._disabled(entry),
        )

    def _disabled(self, entry: dict) -> bool:
        name = self.attrs.get("disabled")
        if not name:
            return False
        value = _text(entry["raw"].get(name.lower(), []), name)
        if name.lower() == "useraccountcontrol":
            return value.isdigit() and bool(int(value) & AD_DISABLED)
        return bool(value) and value.lower() not in {"false", "0"}

    def managers(self) -> Iterator[list[tuple[str, str]]]:
        attributes = [self.attrs["id"], self.attrs["manager"]]
        for page in self._search(self.config["people_base"], self._people_filter(), attributes):
            pairs = []
            for entry in page:
                directory_id = self._value(entry, "id")
                if directory_id:
                    pairs.append((normalise_id(directory_id), self._value(entry, "manager")))
            yield pairs
