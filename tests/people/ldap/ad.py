"""A small administration shaped as Active Directory has it, for the "ad" preset of the directory
sync (people/ldap.py): loaded into the test slapd with the AD attributes of ad.schema. Users are
of class "user" with objectCategory "person", objectGUID (16 bytes), sAMAccountName,
userPrincipalName, userAccountControl, department (the unit's name), manager and memberOf (DNs);
units are organizationalUnits with objectGUID and managedBy. A computer account (class
"computer", below "user") and a disabled user (userAccountControl 514) are among them."""

import base64
import uuid

from .generate import SUFFIX, base_entries

UNITS_BASE = f"ou=Verwaltung,{SUFFIX}"
DOMAIN = "musterhausen.test"
NORMAL_ACCOUNT = 0x200  # 512
DONT_EXPIRE_PASSWORD = 0x10000
DISABLED = 0x2

DEZERNAT_I = f"ou=Dezernat I,{UNITS_BASE}"
HAUPTAMT = f"ou=Hauptamt,{DEZERNAT_I}"
ORGANISATION = f"ou=Sachgebiet 10.1 Organisation,{HAUPTAMT}"
DEZERNAT_II = f"ou=Dezernat II,{UNITS_BASE}"


def guid(name: str) -> bytes:
    """A fixed objectGUID per name (AD's byte order: bytes_le)."""
    return uuid.uuid5(uuid.NAMESPACE_DNS, f"{name}.{DOMAIN}").bytes_le


def guid_text(name: str) -> str:
    """How the sync stores it: the usual GUID form."""
    return str(uuid.UUID(bytes_le=guid(name)))


def user_dn(cn: str, unit: str) -> str:
    return f"cn={cn},{unit}"


MAX = user_dn("Max Meier", DEZERNAT_I)
ERIKA = user_dn("Erika Mustermann", HAUPTAMT)
JONAS = user_dn("Jonas Becker", ORGANISATION)
LEA = user_dn("Lea Krause", HAUPTAMT)
COMPUTER = user_dn("PC-RATHAUS-01", HAUPTAMT)

UNITS = [
    (DEZERNAT_I, "Dezernat I", MAX),
    (HAUPTAMT, "Hauptamt", ERIKA),
    (ORGANISATION, "Sachgebiet 10.1 Organisation", None),
    (DEZERNAT_II, "Dezernat II", None),
]
#: (dn, given name, surname, sAMAccountName, department, title, room, manager, userAccountControl)
USERS = [
    (MAX, "Max", "Meier", "mmeier", "Dezernat I", "Dezernent", "Rathaus 101", None, NORMAL_ACCOUNT),
    (ERIKA, "Erika", "Mustermann", "emustermann", "Hauptamt", "Amtsleitung", "Rathaus 210", MAX,
     NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD),
    (JONAS, "Jonas", "Becker", "jbecker", "Sachgebiet 10.1 Organisation", "Sachbearbeitung", "Rathaus 214",
     ERIKA, NORMAL_ACCOUNT),
    (LEA, "Lea", "Krause", "lkrause", "Hauptamt", "Sachbearbeitung", "Rathaus 215", ERIKA,
     NORMAL_ACCOUNT | DISABLED),
]  # fmt: skip


def ldif() -> str:
    def b64(value: bytes) -> str:
        return base64.b64encode(value).decode()

    lines = [
        *base_entries(),
        f"dn: {UNITS_BASE}", "objectClass: organizationalUnit", "objectClass: adObject", "ou: Verwaltung",
        f"objectGUID:: {b64(guid('Verwaltung'))}", "objectCategory: organizational-Unit", "",
    ]  # fmt: skip
    for dn, name, head in UNITS:
        lines += [f"dn: {dn}", "objectClass: organizationalUnit", "objectClass: adObject", f"ou: {name}",
                  f"objectGUID:: {b64(guid(name))}", "objectCategory: organizational-Unit"]  # fmt: skip
        if head:
            lines.append(f"managedBy: {head}")
        lines.append("")
    for dn, first, last, account, department, title, room, manager, control in USERS:
        mail = f"{first}.{last}@{DOMAIN}".lower()
        lines += [
            f"dn: {dn}", "objectClass: user", f"cn: {first} {last}", f"givenName: {first}", f"sn: {last}",
            f"displayName: {last}, {first}", f"mail: {mail}", f"userPrincipalName: {account}@{DOMAIN}",
            f"sAMAccountName: {account}", f"userAccountControl: {control}", "objectCategory: person",
            f"objectGUID:: {b64(guid(account))}", f"department: {department}", f"title: {title}",
            f"physicalDeliveryOfficeName: {room}", f"telephoneNumber: +49 5555 {len(account) * 111}",
            f"memberOf: cn=GG-{department},ou=Gruppen,{SUFFIX}",
        ]  # fmt: skip
        if manager:
            lines.append(f"manager: {manager}")
        lines.append("")
    lines += [
        f"dn: {COMPUTER}", "objectClass: computer", "cn: PC-RATHAUS-01", "sn: PC-RATHAUS-01",
        "sAMAccountName: PC-RATHAUS-01$", "userAccountControl: 4096", "objectCategory: computer",
        f"objectGUID:: {b64(guid('PC-RATHAUS-01'))}", f"mail: pc-rathaus-01@{DOMAIN}", "",
    ]  # fmt: skip
    return "\n".join(lines)
