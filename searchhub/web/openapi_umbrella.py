"""The OpenAPI description of the JSON behind the platform, overview, region and
collection pages; ``openapi.spec`` adds these paths to its own."""

from __future__ import annotations

ERROR = {"description": "What went wrong.", "content": {"application/json": {"schema": {
    "$ref": "#/components/schemas/Error"}}}}
SLUG = {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,79}$"}
COUNTS = {"type": "array", "items": {
    "type": "object", "required": ["value", "count"],
    "properties": {"value": {"type": "string"}, "count": {"type": "integer", "minimum": 0}}}}
PLATFORM = {
    "type": "object",
    "required": ["id", "name", "agency", "documents", "health", "scope", "mapped_only",
                 "by_type", "by_language", "top_themes", "top_regions", "url"],
    "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "agency": {"type": "string"},
        "documents": {"type": "integer", "minimum": 0},
        "health": {"enum": ["ok", "degraded", "failing", "never run"]},
        "scope": {"enum": ["global", "regional", "thematic"]},
        "mapped_only": {"type": "boolean"}, "by_type": COUNTS, "by_language": COUNTS,
        "top_themes": COUNTS, "top_regions": COUNTS, "url": {"type": "string"},
        "search_url": {"type": "string"},
    }}
LINK = {"type": "object", "required": ["from", "to", "links", "shared"],
        "properties": {"from": {"type": "string"}, "to": {"type": "string"},
                       "links": {"type": "integer", "minimum": 0},
                       "shared": {"type": "integer", "minimum": 0}}}


def _get(operation_id: str, summary: str, schema: dict, parameters=(), not_found=False):
    responses = {"200": {"description": "The answer.",
                         "content": {"application/json": {"schema": schema}}}}
    if not_found:
        responses["404"] = ERROR
    return {"get": {"operationId": operation_id, "summary": summary,
                    "parameters": list(parameters), "responses": responses}}


def _path(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": SLUG}


def paths() -> dict:
    filters = [{"name": name, "in": "query", "required": False, "schema": {"type": "string"},
                "description": f"Only platforms with this {name}."}
               for name in ("agency", "scope", "region", "theme", "language")]
    return {
        "/api/platforms": _get(
            "platforms", "The partner platforms: documents, themes, regions, health",
            {"type": "array", "items": PLATFORM}, filters),
        "/api/platforms/links": _get(
            "platform_links", "How the platforms link and the reports they share",
            {"type": "object", "required": ["links", "platforms", "unknown_hosts"],
             "properties": {"links": {"type": "array", "items": LINK},
                            "platforms": {"type": "array"},
                            "unknown_hosts": {"type": "array"}}}),
        "/api/platforms/{platform_id}": _get(
            "platform", "One platform, its newest documents and its links",
            {**PLATFORM, "required": [*PLATFORM["required"], "newest", "links_to",
                                      "linked_from"]},
            [_path("platform_id")], not_found=True),
        "/api/overview": _get(
            "overview", "What the index holds: the overview's tables and knowledge gaps",
            {"type": "object", "required": ["documents", "tables", "gaps"],
             "properties": {"documents": {"type": "integer", "minimum": 0},
                            "tables": {"type": "object"}, "gaps": {"type": "array"}}}),
        "/api/regions/{slug}": _get(
            "region", "A region: its themes, objectives, agencies, years and platforms",
            {"type": "object", "required": ["slug", "label", "documents", "top_themes",
                                            "years", "newest", "platforms"],
             "properties": {"documents": {"type": "integer", "minimum": 0},
                            "top_themes": COUNTS, "years": COUNTS}},
            [_path("slug")], not_found=True),
        "/api/collections": _get(
            "collections", "The curated collections",
            {"type": "array", "items": {"type": "object",
                                        "required": ["slug", "title", "documents"]}}),
        "/api/collections/{slug}": _get(
            "collection", "One collection's documents in order, each with its note",
            {"type": "object", "required": ["slug", "title", "documents", "search_url"]},
            [_path("slug")], not_found=True),
    }
