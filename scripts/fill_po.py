"""Fills msgstr entries of a .po file from a JSON dictionary {msgid: msgstr or [singular, plural]}.

Usage: python scripts/fill_po.py path/to/django.po translations.json
Entries already translated are left alone unless the dictionary names them; `#, fuzzy` flags on
filled entries are removed. Prints the msgids still untranslated."""

import json
import re
import sys


def unquote(lines):
    return "".join(json.loads(line[line.index('"') :]) for line in lines if '"' in line)


def quote(text):
    return json.dumps(text, ensure_ascii=False)


def main(po_path, json_path):
    translations = json.load(open(json_path, encoding="utf-8"))
    blocks = open(po_path, encoding="utf-8").read().split("\n\n")
    out, missing = [], []
    for block in blocks:
        lines = block.split("\n")
        keys = [i for i, line in enumerate(lines) if re.match(r"^(msgid|msgid_plural|msgstr(\[\d\])?|msgctxt) ", line)]
        if not keys:
            out.append(block)
            continue
        parts = {}
        for n, start in enumerate(keys):
            end = keys[n + 1] if n + 1 < len(keys) else len(lines)
            name = lines[start].split(" ", 1)[0]
            parts[name] = (start, end, unquote([lines[start].split(" ", 1)[1], *lines[start + 1 : end]]))
        msgid = parts["msgid"][2]
        if not msgid:  # the header: not fuzzy, and it names the language
            block = block.replace("#, fuzzy\n", "").replace('"Language: \\n"', '"Language: de\\n"')
            out.append(block)
            continue
        head = lines[: keys[0]]
        if msgid in translations:
            value = translations[msgid]
            head = [line for line in head if not line.startswith("#, fuzzy")] + [
                line.replace("fuzzy, ", "") for line in head if line.startswith("#,") and "fuzzy," in line
            ]
            body = [
                lines[i]
                for name in ("msgctxt", "msgid", "msgid_plural")
                if name in parts
                for i in range(parts[name][0], parts[name][1])
            ]
            if "msgid_plural" in parts:
                singular, plural = value if isinstance(value, list) else (value, value)
                body += [f"msgstr[0] {quote(singular)}", f"msgstr[1] {quote(plural)}"]
            else:
                body += [f"msgstr {quote(value)}"]
            out.append("\n".join(head + body))
        else:
            translated = parts.get("msgstr", parts.get("msgstr[0]", (0, 0, "")))[2]
            if not translated or any(line.startswith("#,") and "fuzzy" in line for line in head):
                missing.append(msgid)
            out.append(block)
    open(po_path, "w", encoding="utf-8").write("\n\n".join(out).rstrip("\n") + "\n")
    for msgid in missing:
        print("untranslated:", msgid)


if __name__ == "__main__":
    main(*sys.argv[1:])
