"""/api/v1/docs: the OpenAPI schema rendered in the site's layout (intranet/api_docs.py), German
and English, without JavaScript."""

import re

from django.utils import translation

from intranet.api_docs import count_operations, document


def operations_of(schema):
    return [(method.upper(), path) for path, item in schema["paths"].items() for method in item]


def test_every_operation_of_the_schema_is_on_the_page(user_client):
    schema = user_client.get("/api/v1/openapi.json").json()
    response = user_client.get("/api/v1/docs", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    operations = operations_of(schema)
    assert len(operations) == count_operations(schema) >= 13
    assert html.count('<article class="card api-operation"') == len(operations)
    assert len(re.findall(r'<li><a href="#op-', html)) == len(operations)  # the table of contents
    for method, path in operations:
        assert f'data-operation="{method} {path}"' in html
        summary = schema["paths"][path][method.lower()]["summary"]
        assert summary in html


def test_the_page_is_in_the_sites_layout_and_language(user_client):
    english = user_client.get("/api/v1/docs", headers={"Accept-Language": "en"}).content.decode()
    german = user_client.get("/api/v1/docs", headers={"Accept-Language": "de"}).content.decode()
    assert '<html lang="en">' in english and "<h1>API documentation</h1>" in english
    assert '<html lang="de">' in german and "<h1>API-Dokumentation</h1>" in german
    assert "Parameter" in german and "Antworten" in german and "Anfragekörper" in german
    assert "persönliches API-Token (Header „Authorization: Bearer …“)" in german
    for html in (english, german):
        assert '<main id="main"' in html and "<header" in html  # the site's landmarks
        assert 'aria-labelledby="api-toc-title"' in html
        assert "swagger" not in html.lower() and "<script>" not in html.replace(" ", "")
        assert 'href="/api-zugang/"' in html  # where a token is made
        assert 'href="/api/v1/openapi.json"' in html


def test_parameters_bodies_and_nested_response_fields_are_shown(user_client):
    html = user_client.get("/api/v1/docs", headers={"Accept-Language": "en"}).content.decode()
    # a parameter with its place, type, limits and description (backticks become code)
    assert '<th scope="row"><code>include_subunits</code></th>' in html
    assert "With <code>department</code>: also the channels of the units beneath it." in html
    assert "at least 1; at most 100; default: 20" in html  # posts' limit
    # the request body of POST /posts, and the error shape three $refs deep
    assert "Fields of PostIn" in html
    # in a request a field is marked when it must be sent, in a response when it may be absent
    field = r'<code class="api-field__name">{}</code> <span class="api-field__type">[^<]*</span> <span class="badge">{}</span>'
    assert re.search(field.format("text", "required"), html)  # PostIn.text
    assert re.search(field.format("fields", "may be missing"), html)  # ErrorDetail.fields has a default
    assert not re.search(field.format("id", "may be missing"), html)
    assert "Markdown subset as on the site: #hashtags, @mentions, links." in html
    assert '<code class="api-field__name">reason</code>' in html  # ErrorOut > ErrorDetail > FieldError
    assert "one of: &quot;page&quot;, &quot;post&quot;" in html  # the search's type enum


def test_refs_are_followed_and_a_schema_that_refers_to_itself_is_named_not_expanded_forever():
    schema = {
        "info": {"title": "T", "version": "1", "description": "Use `x`.\nSecond line.\n\nNew <b>paragraph</b>."},
        "paths": {
            "/tree": {
                "get": {
                    "operationId": "tree",
                    "summary": "A tree",
                    "tags": ["misc"],
                    "security": [],
                    "parameters": [{"$ref": "#/components/parameters/Depth"}],
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {
                                "application/json": {
                                    "schema": {"anyOf": [{"$ref": "#/components/schemas/Node"}, {"type": "integer"}]}
                                }
                            },
                        }
                    },
                },
                "parameters": [],  # not an operation
            }
        },
        "components": {
            "parameters": {
                "Depth": {"name": "depth", "in": "query", "schema": {"type": "integer", "minimum": 1}},
            },
            "schemas": {
                "Node": {
                    "title": "Node",
                    "type": "object",
                    "required": ["children"],
                    "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}},
                }
            },
        },
    }
    with translation.override("en"):
        page = document(schema)
    assert page["operation_count"] == count_operations(schema) == 1
    assert page["description"] == ["Use <code>x</code>. Second line.", "New &lt;b&gt;paragraph&lt;/b&gt;."]
    operation = page["sections"][0]["operations"][0]
    assert operation["public"] is True
    (depth,) = operation["parameters"]  # a parameter given by $ref
    assert (depth["name"], depth["location"], depth["type"], depth["constraints"]) == (
        "depth",
        "query",
        "integer",
        ["at least 1"],
    )
    shape = operation["responses"][0]["contents"][0]["shape"]
    assert shape["type"] == "object Node or integer"
    (node,) = shape["variants"]
    (children,) = node["fields"]
    assert children["field_name"] == "children" and children["required"] is True
    assert children["type"] == "array of object Node (described above)"
    assert children["fields"] == []


def test_the_docs_page_is_for_signed_in_staff_and_the_schema_stays_public(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    assert client.get("/api/v1/openapi.json").status_code == 200
