"""The JSON API described in OpenAPI 3.1, served at /api/openapi.json, and as a page for
people at /api/docs. The facet parameters come from the facet list, so a new facet is
described without editing this file."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from searchhub.models import FACETS, YEAR_MAX, YEAR_MIN

from . import experts_openapi, openapi_umbrella

bp = Blueprint("openapi", __name__, url_prefix="/api")

STRINGS = {"type": "array", "items": {"type": "string"}}
NULLABLE_STRING = {"type": ["string", "null"]}


def _error() -> dict:
    return {"description": "An error, in the one JSON error shape.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _facet_parameters() -> list[dict]:
    return [{"name": name, "in": "query", "required": False, "style": "form", "explode": True,
             "description": f"{label}: keep documents with this value (repeat the parameter "
                            "for several: values of one facet combine with OR, facets with "
                            "AND).",
             "schema": {"type": "array", "items": {"type": "string", "maxLength": 200},
                        "maxItems": 50}}
            for name, label in FACETS]


def _year_parameters() -> list[dict]:
    return [{"name": name, "in": "query", "required": False,
             "description": f"Keep documents dated in this year or {later} (inclusive; "
                            "combines with the facets, and the year facet counts only "
                            "these years). A value that is not a year is ignored, with a "
                            "notice; years given the wrong way round are swapped.",
             "schema": {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX}}
            for name, later in (("year_from", "later"), ("year_to", "earlier"))]


def spec() -> dict:
    document_fields = {
        "id": {"type": "string"}, "title": {"type": "string"}, "url": {"type": "string"},
        "source": {"type": "string"}, "agency": {"type": "string"},
        "regions": STRINGS, "countries": STRINGS, "themes": STRINGS,
        "gcm_objectives": {"type": "array", "items": {"type": "integer"}},
        "language": {"type": "string"}, "languages": STRINGS, "type": {"type": "string"},
        "date": {"type": ["string", "null"], "format": "date"},
        "format": {"type": "string"}, "pages": {"type": "integer"},
        "also_at": {"type": "array", "items": {"type": "object"}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "searchhub API", "version": "1",
                 "description": "Search the publications of the UN Network on Migration's "
                                "partners: the same answers as the search pages."},
        "paths": {
            "/api/search": {"get": {
                "operationId": "search",
                "summary": "Search documents, with facet counts",
                "parameters": [
                    {"name": "q", "in": "query", "required": False,
                     "description": "The query: words, \"phrases\", AND/OR/NOT, -word, "
                                    "migra*, field:value. Never an error: what cannot be "
                                    "read as syntax is searched as words, and `notices` "
                                    "says so.",
                     "schema": {"type": "string", "maxLength": 10000}},
                    *_facet_parameters(),
                    {"name": "sort", "in": "query", "required": False,
                     "schema": {"type": "string", "enum": ["relevance", "newest"]}},
                    {"name": "page", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 1}},
                    {"name": "page_size", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    *_year_parameters(),
                ],
                "responses": {
                    "200": {"description": "One page of hits, the facet counts, notices.",
                            "content": {"application/json": {"schema": {
                                "$ref": "#/components/schemas/SearchResult"}}}},
                    "400": _error(),
                },
            }},
            "/api/suggest": {"get": {
                "operationId": "suggest",
                "summary": "Prefix suggestions as a person types: taxonomy labels and "
                           "migration terms in the interface's language, frequent "
                           "queries, then titles",
                "parameters": [
                    {"name": "q", "in": "query", "required": False,
                     "description": "What was typed so far (two letters at least; "
                                    "suggestions begin with it, or one of their words does).",
                     "schema": {"type": "string", "maxLength": 10000}},
                    {"name": "lang", "in": "query", "required": False,
                     "description": "The interface's language (labels and terms in it).",
                     "schema": {"type": "string", "maxLength": 10000}},
                ],
                "responses": {
                    "200": {"description": "At most 10 suggestions, best first.",
                            "content": {"application/json": {"schema": {
                                "type": "object", "required": ["query", "suggestions"],
                                "properties": {
                                    "query": {"type": "string"},
                                    "suggestions": {"type": "array", "maxItems": 10, "items": {
                                        "type": "object", "required": ["text", "kind"],
                                        "properties": {
                                            "text": {"type": "string"},
                                            "kind": {"type": "string", "enum": [
                                                "theme", "region", "objective", "term",
                                                "query", "title"]},
                                            "filter": {
                                                "description": "A label's facet filter "
                                                "(the value as URLs hold it, in English).",
                                                "type": "object",
                                                "required": ["name", "value"],
                                                "properties": {
                                                    "name": {"type": "string", "enum": [
                                                        "theme", "region", "gcm"]},
                                                    "value": {"type": "string"}}}}}}}}}}},
                    "400": _error(),
                },
            }},
            "/api/doc/{doc_id}": {"get": {
                "operationId": "document",
                "summary": "One document with its metadata and text",
                "parameters": [{"name": "doc_id", "in": "path", "required": True,
                                "schema": {"type": "string", "minLength": 1}}],
                "responses": {
                    "200": {"description": "The document.",
                            "content": {"application/json": {"schema": {
                                "$ref": "#/components/schemas/Document"}}}},
                    "404": _error(),
                },
            }},
            "/api/health": {"get": {
                "operationId": "health",
                "summary": "Whether search is up, and how many documents it holds",
                "responses": {
                    "200": {"description": "Up.", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["status", "documents"],
                        "properties": {"status": {"const": "ok"},
                                       "documents": {"type": "integer", "minimum": 0}}}}}},
                    "503": _error(),
                },
            }},
            **openapi_umbrella.paths(),     # platforms, overview, regions, collections
            **experts_openapi.paths(),
        },
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                "type": "object", "required": ["status", "title", "message"],
                "properties": {"status": {"type": "integer"}, "title": {"type": "string"},
                               "message": {"type": "string"}}}}},
            "Hit": {"type": "object",
                    "required": ["id", "title", "url", "agency", "snippet", "page_number"],
                    "properties": {**document_fields,
                                   "snippet": {"type": "string",
                                               "description": "HTML: escaped text with "
                                                              "<mark> around matches."},
                                   "page_number": {"type": ["integer", "null"],
                                                   "description": "The PDF page that "
                                                                  "matched best."},
                                   "score": {"type": "number"},
                                   "pinned": {"type": "boolean"}}},
            "FacetValue": {"type": "object", "required": ["value", "count", "selected", "label"],
                           "properties": {"value": {"type": "string"},
                                          "count": {"type": "integer", "minimum": 0},
                                          "selected": {"type": "boolean"},
                                          "label": {"type": "string"}}},
            "SearchResult": {
                "type": "object",
                "required": ["query", "total", "page", "page_size", "pages", "hits", "facets",
                             "suggestion", "notices"],
                "properties": {
                    "query": {"type": "object", "properties": {
                        "year_from": {"type": ["integer", "null"]},
                        "year_to": {"type": ["integer", "null"]}}},
                    "total": {"type": "integer", "minimum": 0},
                    "page": {"type": "integer", "minimum": 1},
                    "page_size": {"type": "integer", "minimum": 1},
                    "pages": {"type": "integer", "minimum": 1},
                    "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                    "facets": {"type": "object",
                               "required": [name for name, _ in FACETS],
                               "additionalProperties": {
                                   "type": "array",
                                   "items": {"$ref": "#/components/schemas/FacetValue"}}},
                    "suggestion": NULLABLE_STRING,
                    "notices": {**STRINGS, "description": (
                        "How the query was read or adjusted, in English, whatever the "
                        "interface's language (the search page shows them translated), "
                        "so that clients may rely on the text.")},
                    "elapsed_ms": {"type": "number"},
                    "experts": experts_openapi.SEARCH_EXPERTS,
                }},
            "Document": {"type": "object", "required": ["id", "title", "url", "text"],
                         "properties": {**document_fields,
                                        "author": {"type": "string"},
                                        "description": {"type": "string"},
                                        "text": {"type": "string"},
                                        "text_truncated": {"type": "boolean"},
                                        "licence": {"type": "string", "description":
                                                    "A member's upload's licence."}}},
            **experts_openapi.schemas(),
        }},
    }


@bp.route("/openapi.json")
def openapi_json():
    return jsonify(spec())


@bp.route("/docs")
def docs():
    return render_template("api_docs.html", spec=spec())
