"""A workstream's metadata template, and the validation of what a member typed.

A template is a ``[group.template]`` table of a workstream in the group registry
(``corpus/workstreams.toml``): which fields are ``required``, the ``allowed`` values
of a field (agencies, types, licences: regions, countries, themes and GCM objectives
are always the taxonomy's), ``defaults``, the ``file_types`` accepted, ``max_mb`` and
the default ``visibility``. ``validate`` returns the cleaned metadata and every error
at once (field -> message), so a form can show them all and keep what was typed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from searchhub import visibility
from searchhub.text import LANGUAGES

#: The fields of an upload, in form order.
FIELDS = ("title", "agency", "workstream", "regions", "countries", "themes",
          "gcm_objectives", "language", "type", "date", "summary", "licence", "visibility")
#: Fields holding several values.
LISTS = ("regions", "countries", "themes", "gcm_objectives")
#: Fields the taxonomy gives the allowed values of.
TAXONOMY_FIELDS = ("regions", "countries", "themes", "gcm_objectives")
#: File types an upload may be (names of the extractors that read them).
FILE_TYPES = ("pdf", "docx", "html", "text")
_KEYS = {"required", "allowed", "defaults", "file_types", "max_mb", "visibility"}
#: Fields every template requires, whatever it says.
ALWAYS_REQUIRED = ("title", "workstream", "visibility")
MAX_TEXT = {"title": 500, "summary": 5000, "agency": 200, "type": 100, "licence": 200}


@dataclass(frozen=True)
class Problem:
    """What is wrong with a field: a ``code`` (see ``MESSAGES``) and its ``detail`` (the
    wrong values, the allowed ones, a length). The web app has the messages translated."""

    code: str
    detail: str = ""

    def __str__(self) -> str:
        return MESSAGES[self.code].format(detail=self.detail)


#: Each problem's message in English (CLI and bulk reports).
MESSAGES = {
    "required": "This field is required.",
    "choose": "Choose at least one.",
    "not-listed": "Not in the list: {detail}.",
    "too-long": "At most {detail} characters.",
    "choose-one": "Choose one of: {detail}.",
    "workstream": "This template is the workstream {detail}'s.",
    "language": "A language code such as en, fr, es, ar, ru or zh.",
    "date": "A date as YYYY-MM-DD, YYYY-MM or YYYY.",
    "visibility": "Public, members, or groups of the registry (not {detail}).",
}


@dataclass(frozen=True)
class Vocabulary:
    """The values the taxonomy allows: regions, countries, themes (labels) and the
    GCM objectives' numbers."""

    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    gcm_objectives: tuple[str, ...] = ()

    @classmethod
    def of(cls, taxonomy) -> Vocabulary:
        return cls(tuple(r.label for r in taxonomy.regions),
                   tuple(c.name for c in taxonomy.countries),
                   tuple(t.label for t in taxonomy.themes),
                   tuple(str(o.number) for o in taxonomy.objectives))


@dataclass(frozen=True)
class Template:
    workstream: str
    required: tuple[str, ...] = ("title", "workstream", "visibility")
    allowed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    defaults: Mapping[str, object] = field(default_factory=dict)
    file_types: tuple[str, ...] = FILE_TYPES
    max_mb: float = 20.0
    visibility: str | list[str] = "public"

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * 2**20)

    def initial(self) -> dict[str, object]:
        """What a new upload's form starts with: the defaults."""
        values: dict[str, object] = {name: [] if name in LISTS else "" for name in FIELDS}
        values.update(self.defaults)
        values["workstream"] = self.workstream
        values["visibility"] = visibility_value(self.visibility)
        return values


def visibility_value(value) -> str:
    """A template's or form's visibility as the form's one value: "public", "members"
    or a comma-separated list of group ids."""
    return ",".join(value) if isinstance(value, list) else str(value or "public")


def parse_template(where: str, group_id: str, entry, known_groups) -> tuple[Template | None,
                                                                          list[str]]:
    """The Template of a ``[group.template]`` table, and its problems."""
    if not isinstance(entry, dict):
        return None, [f"{where}: template must be a table"]
    problems = [f"{where}: template: unknown key {key!r}" for key in sorted(set(entry) - _KEYS)]
    required = entry.get("required", [])
    if not isinstance(required, list) or any(f not in FIELDS for f in required):
        problems.append(f"{where}: template: required must list fields of "
                        f"{', '.join(FIELDS)}")
        required = []
    allowed = entry.get("allowed", {})
    if not isinstance(allowed, dict) or any(
            k not in FIELDS or k in TAXONOMY_FIELDS or not isinstance(v, list)
            or not all(isinstance(x, str) for x in v) for k, v in allowed.items()):
        problems.append(f"{where}: template: allowed is a table of field = [values] "
                        "(the taxonomy gives regions, countries, themes and objectives)")
        allowed = {}
    defaults = entry.get("defaults", {})
    if not isinstance(defaults, dict) or any(k not in FIELDS for k in defaults):
        problems.append(f"{where}: template: defaults must name fields of {', '.join(FIELDS)}")
        defaults = {}
    file_types = entry.get("file_types", list(FILE_TYPES))
    if not isinstance(file_types, list) or any(t not in FILE_TYPES for t in file_types):
        problems.append(f"{where}: template: file_types must be some of "
                        f"{', '.join(FILE_TYPES)}")
        file_types = list(FILE_TYPES)
    max_mb = entry.get("max_mb", 20)
    if isinstance(max_mb, bool) or not isinstance(max_mb, int | float) or max_mb <= 0:
        problems.append(f"{where}: template: max_mb must be a number of MiB above 0")
        max_mb = 20
    chosen = entry.get("visibility", "public")
    try:
        groups = visibility.parse(chosen)
    except ValueError as exc:
        problems.append(f"{where}: template: {exc}")
        groups = []
    unknown = [g for g in groups if g != visibility.MEMBERS and g not in known_groups]
    if unknown:
        problems.append(f"{where}: template: visibility names no group {', '.join(unknown)}")
    template = Template(group_id, tuple(dict.fromkeys([*ALWAYS_REQUIRED, *required])),
                        {k: tuple(v) for k, v in allowed.items()}, dict(defaults),
                        tuple(file_types), float(max_mb), chosen)
    return template, problems


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _date(text: str) -> dt.date | None:
    """YYYY-MM-DD, YYYY-MM or YYYY (the first day of the month or year)."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
    except ValueError:
        return None


def validate(template: Template, typed: Mapping[str, object], vocabulary: Vocabulary,
             groups: Mapping[str, object]) -> tuple[dict[str, object], dict[str, Problem]]:
    """Check ``typed`` (field -> a string, or a list for the list fields) against the
    template; returns (cleaned metadata, errors by field). The cleaned metadata holds
    every field; with errors it is not to be stored."""
    errors: dict[str, Problem] = {}
    clean: dict[str, object] = {}
    for name in FIELDS:
        raw = typed.get(name)
        if name in LISTS:
            values = _as_list(raw)
            if name in template.required and not values:
                errors[name] = Problem("choose")
            allowed = getattr(vocabulary, name)
            wrong = [v for v in values if v not in allowed]
            if wrong:
                errors[name] = Problem("not-listed", ", ".join(wrong))
            clean[name] = [int(v) for v in values] if name == "gcm_objectives" and not wrong \
                else values
            continue
        text = " ".join(str(raw or "").split()) if name != "summary" else str(raw or "").strip()
        clean[name] = text
        if not text:
            if name in template.required:
                errors[name] = Problem("required")
            continue
        if len(text) > MAX_TEXT.get(name, 500):
            errors[name] = Problem("too-long", str(MAX_TEXT.get(name, 500)))
        elif name in template.allowed and text not in template.allowed[name]:
            errors[name] = Problem("choose-one", ", ".join(template.allowed[name]))
        elif name == "workstream" and text != template.workstream:
            errors[name] = Problem("workstream", template.workstream)
        elif name == "language" and text not in LANGUAGES:
            errors[name] = Problem("language")
        elif name == "date":
            day = _date(text)
            if day is None:
                errors[name] = Problem("date")
            else:
                clean[name] = day.isoformat()
        elif name == "visibility":
            problem = _visibility_problem(text, groups)
            if problem:
                errors[name] = problem
            else:
                clean[name] = visibility.parse(text if text in ("public", visibility.MEMBERS)
                                               else _as_list(text))
    return clean, errors


def _visibility_problem(text: str, groups: Mapping[str, object]) -> Problem | None:
    if text in ("public", visibility.MEMBERS):
        return None
    ids = _as_list(text)
    unknown = [g for g in ids if g not in groups]
    if unknown or not ids:
        return Problem("visibility", ", ".join(unknown))
    return None
