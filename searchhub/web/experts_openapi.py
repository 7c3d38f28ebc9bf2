"""The OpenAPI description of the experts' API (``/api/experts``,
``/api/experts/{key}``) and of the ``experts`` beside a search, for ``openapi.spec``."""

from __future__ import annotations

from searchhub.experts.directory import FACETS

STRINGS = {"type": "array", "items": {"type": "string"}}
_ERROR = {"description": "An error, in the one JSON error shape.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _expert_fields() -> dict:
    return {"id": {"type": "string"}, "name": {"type": "string"},
            "title": {"type": "string"}, "organisation": {"type": "string"},
            "agency": {"type": "string"}, "themes": STRINGS, "regions": STRINGS,
            "countries": STRINGS, "languages": STRINGS,
            "gcm_objectives": {"type": "array", "items": {"type": "integer"}},
            "visibility": {"enum": ["public", "members"]}, "example": {"type": "boolean"},
            "url": {"type": "string"}}


def paths() -> dict:
    params = [{"name": "q", "in": "query", "required": False,
               "description": "Words: each must start a word of the profile.",
               "schema": {"type": "string", "maxLength": 500}}]
    params += [{"name": name, "in": "query", "required": False, "style": "form",
                "explode": True,
                "description": f"{label}: keep experts with this value (repeat for several).",
                "schema": {"type": "array", "items": {"type": "string", "maxLength": 200},
                           "maxItems": 20}}
               for name, (label, _) in FACETS.items()]
    return {
        "/api/experts": {"get": {
            "operationId": "experts",
            "summary": "Search the directory of experts, with facet counts",
            "parameters": params,
            "responses": {"200": {"description": "The experts the caller may see.",
                                  "content": {"application/json": {"schema": {
                                      "$ref": "#/components/schemas/ExpertList"}}}}},
        }},
        "/api/experts/{key}": {"get": {
            "operationId": "expert",
            "summary": "One expert's profile with their documents (never an address)",
            "parameters": [{"name": "key", "in": "path", "required": True,
                            "schema": {"type": "string", "minLength": 1}},
                           {"name": "q", "in": "query", "required": False,
                            "description": "Only the documents holding these words.",
                            "schema": {"type": "string", "maxLength": 200}}],
            "responses": {"200": {"description": "The profile.",
                                  "content": {"application/json": {"schema": {
                                      "$ref": "#/components/schemas/Expert"}}}},
                          "404": _ERROR},
        }},
    }


def schemas() -> dict:
    facet = {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
    return {
        "ExpertSummary": {"type": "object", "required": ["id", "name", "organisation"],
                          "properties": _expert_fields()},
        "ExpertList": {"type": "object", "required": ["query", "total", "experts", "facets"],
                       "properties": {
                           "query": {"type": "object"},
                           "total": {"type": "integer", "minimum": 0},
                           "experts": {"type": "array", "items": {
                               "$ref": "#/components/schemas/ExpertSummary"}},
                           "facets": {"type": "object", "required": list(FACETS),
                                      "additionalProperties": facet}}},
        "Expert": {"type": "object", "required": ["id", "name", "documents"],
                   "properties": {**_expert_fields(), "bio": {"type": "string"},
                                  "links": STRINGS, "contact": {"type": "boolean"},
                                  "documents": {"type": "array", "items": {
                                      "type": "object", "required": ["id", "title"]}}}},
        "ExpertMatch": {"type": "object", "required": ["id", "name", "organisation", "reason"],
                        "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                                       "organisation": {"type": "string"},
                                       "reason": {"type": "string",
                                                  "description": "Why this expert: "
                                                                 "\"author of 2 of these "
                                                                 "results\"."},
                                       "url": {"type": "string"}}},
    }


#: The ``experts`` property of a search result.
SEARCH_EXPERTS = {"type": "array", "maxItems": 3,
                  "description": "Experts on this topic, matched through the hits.",
                  "items": {"$ref": "#/components/schemas/ExpertMatch"}}
