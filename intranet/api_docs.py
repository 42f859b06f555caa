"""The API documentation page, /api/v1/docs: the OpenAPI schema of `intranet.api.api` rendered as
plain HTML inside the site's layout (no JavaScript, German and English).

The schema is read per request with `api.get_openapi_schema()` (what /api/v1/openapi.json serves)
and turned into plain data here; the templates `intranet/api_docs*.html` only lay it out. The
schema's own texts (summaries, descriptions, field names) stay as written; every word around them
goes through gettext. `$ref`s are resolved recursively into nested field lists; a schema that
refers to itself is named, not expanded again."""

import json
import re

from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from ninja.openapi.docs import DocsBase

HTTP_METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")
MAX_DEPTH = 8  # deeper schemas are named, not expanded (none of ours comes close)


class SiteDocs(DocsBase):
    """django-ninja's hook for the docs view (`NinjaAPI(docs=…)`): the URL, its name
    (`api:openapi-view`) and its protection (the site's sign-in) stay as they were with Swagger UI."""

    template = "intranet/api_docs.html"

    def render_page(self, request, api, **kwargs):
        context = document(api.get_openapi_schema(path_params=kwargs))
        context["openapi_url"] = self.get_openapi_url(api, kwargs)
        return render(request, self.template, context)


def document(schema: dict) -> dict:
    """The page's content: title, introduction, authentication schemes and one section per tag,
    each with its operations in the schema's order."""
    resolver = _Resolver(schema)
    schemes = schema.get("components", {}).get("securitySchemes", {})
    sections: dict[str, list] = {}
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            tag = (operation.get("tags") or [""])[0]
            sections.setdefault(tag, []).append(_operation(path, method, operation, resolver, schemes))
    info = schema.get("info", {})
    return {
        "title": info.get("title", ""),
        "version": info.get("version", ""),
        "description": paragraphs(info.get("description", "")),
        "schemes": [_scheme_label(scheme) for scheme in schemes.values()],
        "sections": [
            {"id": f"tag-{slugify(tag) or 'other'}", "title": _tag_title(tag), "operations": operations}
            for tag, operations in sections.items()
        ],
        "operation_count": sum(len(operations) for operations in sections.values()),
    }


def count_operations(schema: dict) -> int:
    return sum(1 for item in schema.get("paths", {}).values() for method in item if method in HTTP_METHODS)


# --- Texts ---------------------------------------------------------------------------------------
_CODE = re.compile(r"`([^`]+)`")


def inline(text: str) -> str:
    """Escaped text with `backtick` spans as <code> (the only Markdown our descriptions use)."""
    parts = _CODE.split(text)
    return mark_safe(  # noqa: S308 — every part is escaped
        "".join(f"<code>{escape(part)}</code>" if index % 2 else escape(part) for index, part in enumerate(parts))
    )


def paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; a single line break is a soft one (as in Markdown)."""
    return [inline(" ".join(block.split())) for block in re.split(r"\n\s*\n", text or "") if block.strip()]


def _tag_title(tag: str) -> str:
    titles = {
        "people": pgettext("API section", "People"),
        "pages": _("Wiki pages"),
        "me": _("My reading list"),
        "posts": _("Posts"),
        "search": pgettext("API section", "Search"),
        "": _("Other"),
    }
    return titles.get(tag, tag)


def _scheme_label(scheme: dict) -> str:
    if scheme.get("type") == "http" and scheme.get("scheme", "").lower() == "bearer":
        return _("personal API token (header “Authorization: Bearer …”)")
    if scheme.get("type") == "apiKey" and scheme.get("in") == "cookie":
        return _("signed-in browser session (writes need the header X-CSRFToken)")
    return scheme.get("description") or scheme.get("type", "")


def _location(where: str) -> str:
    return {"query": _("query"), "path": _("path"), "header": _("header"), "cookie": _("cookie")}.get(where, where)


# --- Operations ----------------------------------------------------------------------------------
def _operation(path: str, method: str, operation: dict, resolver, schemes: dict) -> dict:
    identifier = operation.get("operationId") or f"{method}-{path}"
    security = operation.get("security")
    auth = [_scheme_label(schemes.get(name, {})) for requirement in security or [] for name in requirement]
    return {
        "id": f"op-{slugify(identifier)}",
        "method": method.upper(),
        "path": path,
        "summary": operation.get("summary", ""),
        "description": paragraphs(operation.get("description", "")),
        "deprecated": operation.get("deprecated", False),
        "parameters": [_parameter(parameter, resolver) for parameter in operation.get("parameters", [])],
        "body": _body(operation.get("requestBody"), resolver),
        "responses": _responses(operation.get("responses", {}), resolver),
        "auth": auth,
        "public": security == [],
    }


def _parameter(parameter: dict, resolver) -> dict:
    parameter = resolver.follow(parameter)
    shape = resolver.render(parameter.get("schema", {}))
    return {
        "name": parameter.get("name", ""),
        "location": _location(parameter.get("in", "")),
        "required": parameter.get("required", False),
        "type": shape["type"],
        "constraints": shape["constraints"],
        "description": inline(parameter.get("description", "")) or shape["description"],
    }


def _body(body: dict | None, resolver) -> dict | None:
    if not body:
        return None
    body = resolver.follow(body)
    contents = [
        {"media_type": media_type, "shape": resolver.render(content.get("schema", {}))}
        for media_type, content in body.get("content", {}).items()
    ]
    return {
        "required": body.get("required", False),
        "description": inline(body.get("description", "")),
        "contents": contents,
    }


def _responses(responses: dict, resolver) -> list[dict]:
    """Codes with the same body are one entry (every error has the one error shape)."""
    groups: dict[str, dict] = {}
    for code, response in responses.items():
        response = resolver.follow(response)
        content = response.get("content", {})
        key = json.dumps(content, sort_keys=True)
        if key not in groups:
            groups[key] = {
                "codes": [],
                "success": str(code).startswith("2"),
                "contents": [
                    {"media_type": media_type, "shape": resolver.render(item.get("schema", {}))}
                    for media_type, item in content.items()
                ],
            }
        groups[key]["codes"].append({"code": str(code), "description": inline(response.get("description", ""))})
    return list(groups.values())


# --- Schemas -------------------------------------------------------------------------------------
class _Resolver:
    """Turns JSON schemas into {type, name, description, constraints, fields, variants}: `fields`
    the properties of an object (or of an array's items), each a shape of its own."""

    def __init__(self, document: dict):
        self.document = document

    def target(self, ref: str) -> dict:
        """What a local `$ref` ("#/components/schemas/PostOut") points to; {} if nothing."""
        item = self.document
        for part in ref.removeprefix("#/").split("/"):
            item = item.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(item, dict) else {}
        return item if isinstance(item, dict) else {}

    def follow(self, item: dict) -> dict:
        """A parameter, body or response that is itself a `$ref` (#/components/parameters/…)."""
        seen = set()
        while isinstance(item, dict) and "$ref" in item and item["$ref"] not in seen:
            seen.add(item["$ref"])
            item = self.target(item["$ref"])
        return item

    def render(self, schema: dict) -> dict:
        """The shape of `schema`, its descriptions (and those of its fields) ready for HTML."""
        return _finish(self.shape(schema))

    def shape(self, schema: dict, trail: tuple = ()) -> dict:
        schema = schema or {}
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            target = self.target(schema["$ref"])
            title = target.get("title") or name
            if schema["$ref"] in trail or len(trail) >= MAX_DEPTH:
                shape = _empty(_("object %(name)s (described above)") % {"name": title})
                shape["description"] = schema.get("description") or target.get("description", "")
                return shape
            shape = self.shape(target, (*trail, schema["$ref"]))
            shape["name"] = title
            if schema.get("description"):
                shape["description"] = schema["description"]
            return shape
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return self._alternatives(schema, schema[key], trail)
        if "allOf" in schema:
            return self._all_of(schema, trail)
        return self._plain(schema, trail)

    def _plain(self, schema: dict, trail: tuple) -> dict:
        kind = schema.get("type", "")
        if isinstance(kind, list):  # OpenAPI 3.1: ["string", "null"]
            parts = [{**schema, "type": part} for part in kind]
            return self._alternatives(schema, parts, trail)
        shape = _empty(kind or _("any value"))
        shape["description"] = schema.get("description", "")
        shape["constraints"] = _constraints(schema)
        if kind == "array":
            items = self.shape(schema.get("items", {}), trail)
            shape["type"] = _("array of %(type)s") % {"type": items["type"]}
            shape["fields"], shape["variants"] = items["fields"], items["variants"]
            shape["constraints"] += (
                [_("items: %(facts)s") % {"facts": "; ".join(items["constraints"])}] if items["constraints"] else []
            )
        elif kind == "object" or "properties" in schema:
            shape["type"] = _("object")
            if schema.get("title"):
                shape["type"] = _("object %(name)s") % {"name": schema["title"]}
            required = set(schema.get("required", []))
            for name, prop in schema.get("properties", {}).items():
                field = self.shape(prop, trail)
                field.update(field_name=name, required=name in required)
                shape["fields"].append(field)
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict):
                values = self.shape(extra, trail)
                shape["type"] = _("object with values of type %(type)s") % {"type": values["type"]}
                shape["fields"] += values["fields"]
        return shape

    def _alternatives(self, schema: dict, parts: list, trail: tuple) -> dict:
        nullable = any(part.get("type") == "null" for part in parts)
        shapes = [self.shape(part, trail) for part in parts if part.get("type") != "null"]
        if len(shapes) == 1:
            shape = shapes[0]
        else:
            shape = _empty(_(" or ").join(item["type"] for item in shapes))
            shape["variants"] = [item for item in shapes if item["fields"] or item["variants"]]
        if nullable:
            shape["type"] = _("%(type)s or null") % {"type": shape["type"]}
        shape["description"] = schema.get("description") or shape["description"]
        shape["constraints"] = _constraints(schema) + shape["constraints"]
        return shape

    def _all_of(self, schema: dict, trail: tuple) -> dict:
        shapes = [self.shape(part, trail) for part in schema["allOf"]]
        if len(shapes) == 1:
            shape = shapes[0]
        else:
            shape = _empty(_("object"))
            for item in shapes:
                shape["fields"] += item["fields"]
        shape["description"] = schema.get("description") or shape["description"]
        shape["constraints"] = _constraints(schema) + shape["constraints"]
        return shape


def _finish(shape: dict) -> dict:
    shape["description"] = inline(shape["description"])
    for item in shape["fields"] + shape["variants"]:
        _finish(item)
    return shape


def _empty(kind: str) -> dict:
    return {"type": kind, "name": "", "description": "", "constraints": [], "fields": [], "variants": []}


def _value(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _constraints(schema: dict) -> list[str]:
    facts = []
    if schema.get("format"):
        facts.append(_("format: %(format)s") % {"format": schema["format"]})
    if "enum" in schema:
        facts.append(_("one of: %(values)s") % {"values": ", ".join(_value(value) for value in schema["enum"])})
    if "const" in schema:
        facts.append(_("always %(value)s") % {"value": _value(schema["const"])})
    for key, label in (
        ("minimum", _("at least %(value)s")),
        ("exclusiveMinimum", _("more than %(value)s")),
        ("maximum", _("at most %(value)s")),
        ("exclusiveMaximum", _("less than %(value)s")),
        ("minLength", _("at least %(value)s characters")),
        ("maxLength", _("at most %(value)s characters")),
        ("minItems", _("at least %(value)s items")),
        ("maxItems", _("at most %(value)s items")),
        ("pattern", _("pattern: %(value)s")),
    ):
        if key in schema:
            facts.append(label % {"value": schema[key]})
    if "default" in schema:
        facts.append(_("default: %(value)s") % {"value": _value(schema["default"])})
    return facts
