"""A fictional administration, "Stadt Musterhausen", as LDIF for the directory-sync tests and the
benchmark: Dezernate -> Ämter -> Sachgebiete and one Stabsstelle under ou=Organisation, people in
the unit they work in (no unit attribute: the sync places them by their DN), the staff of the
Stabsstelle under ou=Personen with the unit named in "ou". Units carry their kind in
businessCategory and their head in "manager" (extensibleObject); people their manager.
Deterministic: the same count gives the same file, word for word.

    python -m tests.people.ldap.generate 200 > stadt.ldif
"""

import sys

SUFFIX = "dc=musterhausen,dc=test"
ORG = f"ou=Organisation,{SUFFIX}"
PEOPLE = f"ou=Personen,{SUFFIX}"
SERVICE_DN = f"cn=wissensnetz-sync,ou=Dienste,{SUFFIX}"
SERVICE_PASSWORD = "Sync-Dienstkonto-2026"
DOMAIN = "musterhausen.test"

DEZERNATE = [
    ("Dezernat I", ["Hauptamt", "Personalamt", "Amt für Digitalisierung"]),
    ("Dezernat II", ["Kämmerei", "Steueramt", "Liegenschaftsamt"]),
    ("Dezernat III", ["Ordnungsamt", "Bürgeramt", "Standesamt"]),
    ("Dezernat IV", ["Bauordnungsamt", "Stadtplanungsamt", "Umweltamt"]),
]
SACHGEBIETE = ["Grundsatz", "Service", "Verfahren"]
FIRST = ["Anna", "Jonas", "Özlem", "Lukas", "Marie", "Felix", "Sophie", "Jürgen", "Leonie", "Paul", "Hannah",
         "Tobias", "Lea", "Mehmet", "Clara", "Stefan", "Katrin", "Björn", "Julia", "Maximilian", "Ines", "Timo"]  # fmt: skip
LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
        "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger",
        "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Köhler", "Yılmaz"]  # fmt: skip
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ı": "i"})


def units() -> list[dict]:
    """Every unit: dn, name, kind, parent dn (parents first)."""
    result = []
    for number, (dezernat, aemter) in enumerate(DEZERNATE, start=1):
        d_dn = f"ou={dezernat},{ORG}"
        result.append({"dn": d_dn, "name": dezernat, "kind": "Dezernat", "parent": ORG})
        for a_index, amt in enumerate(aemter, start=1):
            code = f"{number}{a_index}"
            a_dn = f"ou={amt},{d_dn}"
            result.append({"dn": a_dn, "name": amt, "kind": "Amt", "parent": d_dn})
            for s_index, sg in enumerate(SACHGEBIETE, start=1):
                name = f"{code}.{s_index} {sg} {amt}"
                result.append({"dn": f"ou={name},{a_dn}", "name": name, "kind": "Sachgebiet", "parent": a_dn})
    result.append(
        {
            "dn": f"ou=Stabsstelle Controlling,{ORG}",
            "name": "Stabsstelle Controlling",
            "kind": "Stabsstelle",
            "parent": ORG,
        }
    )
    return result


def people(count: int) -> list[dict]:
    """`count` people: first a head for every unit, then members round-robin over the Sachgebiete."""
    all_units = units()
    heads = {}
    result = []
    used = set()
    for index in range(count):
        first = FIRST[index % len(FIRST)]
        last = LAST[(index // len(FIRST) + index) % len(LAST)]
        uid = f"{first}.{last}".lower().translate(UMLAUTS)
        base, number = uid, 1
        while uid in used:
            number += 1
            uid = f"{base}{number}"
        used.add(uid)
        if index < len(all_units):
            unit = all_units[index]
            title = {"Dezernat": "Dezernent/in", "Amt": "Amtsleitung", "Sachgebiet": "Sachgebietsleitung",
                     "Stabsstelle": "Leitung Stabsstelle"}[unit["kind"]]  # fmt: skip
        else:
            sections = [u for u in all_units if u["kind"] == "Sachgebiet"] + [all_units[-1]]
            unit = sections[(index - len(all_units)) % len(sections)]
            title = "Sachbearbeitung"
        staff_unit = unit["kind"] == "Stabsstelle"
        dn = f"uid={uid},{PEOPLE if staff_unit else unit['dn']}"
        person = {
            "dn": dn,
            "uid": uid,
            "first": first,
            "last": last,
            "mail": f"{uid}@{DOMAIN}",
            "phone": f"+49 5555 {1000 + index}",
            "room": f"Rathaus {1 + index % 3}.{100 + index % 150}",
            "title": title,
            "unit": unit,
            "ou": unit["name"] if staff_unit else None,
            "manager": heads.get(unit["dn"] if index >= len(all_units) else unit["parent"]),
        }
        if index < len(all_units):
            heads[unit["dn"]] = dn
        result.append(person)
    for unit in all_units:
        unit["head"] = heads.get(unit["dn"])
    return result


def base_entries() -> list[str]:
    """LDIF lines of what every test directory has: the suffix and the sync's service account."""
    return [
        f"dn: {SUFFIX}", "objectClass: dcObject", "objectClass: organization", "dc: musterhausen",
        "o: Stadt Musterhausen", "",
        f"dn: ou=Dienste,{SUFFIX}", "objectClass: organizationalUnit", "ou: Dienste", "",
        f"dn: {SERVICE_DN}", "objectClass: organizationalRole", "objectClass: simpleSecurityObject",
        "cn: wissensnetz-sync", f"userPassword: {SERVICE_PASSWORD}", "",
    ]  # fmt: skip


def directory_settings(
    server, password_file, *, schema: str, units_base: str, page_size: int, attributes: dict
) -> dict:
    """``LDAP_DIRECTORY`` for a test slapd (plain LDAP on loopback) and the service account."""
    return {
        "url": server.url,
        "start_tls": False,
        "ca_file": "",
        "bind_dn": SERVICE_DN,
        "bind_password_file": str(password_file),
        "schema": schema,
        "people_base": SUFFIX,
        "people_filter": "",
        "units_base": units_base,
        "units_filter": "",
        "disabled_filter": "",
        "page_size": page_size,
        "timeout": 5,
        "attributes": attributes,
    }


def ldif(count: int) -> str:
    staff = people(count)  # also fills each unit's head
    lines = [
        *base_entries(),
        f"dn: {ORG}", "objectClass: organizationalUnit", "ou: Organisation", "",
        f"dn: {PEOPLE}", "objectClass: organizationalUnit", "ou: Personen", "",
    ]  # fmt: skip
    for unit in units_with_heads(staff):
        lines += [f"dn: {unit['dn']}", "objectClass: organizationalUnit", "objectClass: extensibleObject",
                  f"ou: {unit['name']}", f"businessCategory: {unit['kind']}"]  # fmt: skip
        if unit.get("head"):
            lines.append(f"manager: {unit['head']}")
        lines.append("")
    for person in staff:
        lines += [
            f"dn: {person['dn']}", "objectClass: inetOrgPerson", f"uid: {person['uid']}",
            f"cn: {person['first']} {person['last']}", f"givenName: {person['first']}", f"sn: {person['last']}",
            f"mail: {person['mail']}", f"telephoneNumber: {person['phone']}", f"roomNumber: {person['room']}",
            f"title: {person['title']}",
        ]  # fmt: skip
        if person["ou"]:
            lines.append(f"ou: {person['ou']}")
        if person["manager"]:
            lines.append(f"manager: {person['manager']}")
        lines.append("")
    return "\n".join(lines)


def units_with_heads(staff: list[dict]) -> list[dict]:
    by_dn = {}
    for person in staff:
        by_dn.setdefault(person["unit"]["dn"], person["unit"])
    result = units()
    for unit in result:
        unit["head"] = (by_dn.get(unit["dn"]) or {}).get("head")
    return result


if __name__ == "__main__":
    sys.stdout.write(ldif(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
