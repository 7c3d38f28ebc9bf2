"""An expert profile, and how raw values (a CSV row, a form) become one.

``check_profile`` takes text values by field name and returns a ``Profile`` together
with every problem found, so an importer or a form can report them all at once.
Taxonomy values (themes, GCM objectives, regions, countries) are accepted by label or
id, in any case and with or without accents, and stored as the facet values documents
carry (theme label, objective number, region label, English country name); languages as
ISO 639-1 codes. Nothing here touches the database or HTTP.

Problems are notices (searchhub.notice): English text for the CLI, the importer and
the API, which the web forms show in the interface's language.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

from indexer.enrich.taxonomy import Taxonomy, TaxonomyError, load_taxonomy, name_key
from searchhub.errors import SearchhubError
from searchhub.notice import notice, plural_notice
from searchhub.text import LANGUAGES, language_code

#: Who may see a profile: anyone, or only people who are logged in (members).
VISIBILITIES = ("public", "members")
#: Who may write to an expert through the relay.
CONTACTS = ("none", "members", "anyone")
#: A profile is active (listed), pending (suggested, waiting for a curator) or rejected.
STATUSES = ("active", "pending", "rejected")
KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
#: Fields holding several values (``;`` between them in a CSV cell).
LIST_FIELDS = ("themes", "gcm_objectives", "regions", "countries", "languages", "links",
               "documents")
SEPARATOR = ";"
MAX_TEXT = {"name": 120, "title": 200, "organisation": 200, "agency": 60, "bio": 2000,
            "consent_by": 120, "consent_scope": 500, "email": 254}
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class ProfileError(SearchhubError):
    """Values that do not make a valid profile; ``problems`` lists every one as
    (field, message)."""

    status = 400

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))


@dataclass
class Profile:
    """One expert. ``key`` is stable (imports update by it); ``email`` is only ever
    used by the contact relay, never shown."""

    key: str
    name: str
    title: str = ""
    organisation: str = ""
    agency: str = ""
    themes: list[str] = field(default_factory=list)
    gcm_objectives: list[int] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    bio: str = ""
    links: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)     # ids of indexed documents
    contact: str = "none"
    email: str = ""
    visibility: str = "members"
    consent_date: dt.date | None = None
    consent_by: str = ""
    consent_scope: str = ""
    example: bool = False          # a fictional profile of the demo
    status: str = "active"
    id: int | None = None
    #: Authors in document metadata a curator confirmed are this person (name_key).
    author_keys: list[str] = field(default_factory=list)

    @property
    def public(self) -> bool:
        return self.visibility == "public"


#: Profile fields in the order of the CSV template and the forms (``id``, ``status``
#: and ``author_keys`` are the database's own).
FIELDS = tuple(f.name for f in fields(Profile)
               if f.name not in ("id", "status", "author_keys"))
REQUIRED = ("key", "name", "consent_date", "visibility")


@dataclass(frozen=True)
class Vocabulary:
    """The taxonomies, as lookups from anything a person may type to the stored value."""

    themes: dict[str, str]
    objectives: dict[str, int]
    regions: dict[str, str]
    countries: dict[str, str]
    country_region: dict[str, str]

    @classmethod
    def of(cls, taxonomy: Taxonomy) -> Vocabulary:
        objectives: dict[str, int] = {}
        for o in taxonomy.objectives:
            for name in (str(o.number), o.short, o.title, f"objective {o.number}"):
                if name:
                    objectives[name_key(name)] = o.number
        regions = {name_key(n): r.label for r in taxonomy.regions
                   for n in (r.id, r.label, r.label_fr, r.label_es) if n}
        countries = {name_key(n): c.name for c in taxonomy.countries
                     for n in (c.iso3, *c.names) if n}
        return cls(dict(taxonomy.theme_by_name), objectives, regions, countries,
                   {c.name: c.region for c in taxonomy.countries})


@functools.lru_cache(maxsize=4)
def vocabulary(taxonomy_dir: Path | str) -> Vocabulary:
    try:
        return Vocabulary.of(load_taxonomy(taxonomy_dir))
    except TaxonomyError as exc:
        raise SearchhubError(notice("cannot read the taxonomy: %(problem)s",
                                    problem=str(exc))) from exc


def split(value: str | list | None) -> list[str]:
    """A cell's values: ``;`` between them, blanks dropped (a list passes through)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(SEPARATOR)
    return [str(v).strip() for v in items if str(v).strip()]


def _unknown(what: str, value: str) -> str:
    value = repr(value)
    return {"theme": notice("unknown theme %(value)s", value=value),
            "GCM objective": notice("unknown GCM objective %(value)s", value=value),
            "region": notice("unknown region %(value)s", value=value),
            "country": notice("unknown country %(value)s", value=value)}[what]


def _lookup(values: list[str], table: dict, what: str, problems, name: str) -> list:
    out = []
    for value in values:
        found = table.get(name_key(value))
        if found is None:
            problems.append((name, _unknown(what, value)))
        elif found not in out:
            out.append(found)
    return out


def _languages(values: list[str], problems) -> list[str]:
    out = []
    for value in values:
        code = value.lower() if value.lower() in LANGUAGES and value.lower() != "und" \
            else language_code(value)
        if code is None:
            problems.append(("languages", notice(
                "unknown language %(value)s (use a code such as en, fr, es or a name such "
                "as French)", value=repr(value))))
        elif code not in out:
            out.append(code)
    return out


def check_profile(raw: dict, vocab: Vocabulary, *, suggestion: bool = False
                  ) -> tuple[Profile | None, list[tuple[str, str]]]:
    """A Profile from text values by field name (missing ones empty), and every problem
    as (field, message); the profile is None when there is any problem. A
    ``suggestion`` (someone proposes an expert) has no consent record yet."""
    problems: list[tuple[str, str]] = []

    def text(name: str) -> str:
        value = "" if raw.get(name) is None else str(raw.get(name))
        value = value.strip() if name == "bio" else " ".join(value.split())
        if len(value) > MAX_TEXT.get(name, 10**6):
            problems.append((name, plural_notice("at most %(num)s character",
                                                 "at most %(num)s characters",
                                                 MAX_TEXT[name])))
        return value

    values = {name: text(name) for name in
              ("key", "name", "title", "organisation", "agency", "bio", "consent_by",
               "consent_scope", "email")}
    for name in REQUIRED:
        if suggestion and name in ("consent_date", "visibility"):
            continue
        if not str(raw.get(name) or "").strip():
            problems.append((name, notice("required")))
    key = values["key"].lower()
    if key and not KEY.fullmatch(key):
        problems.append(("key", notice("use lower-case letters, digits and hyphens "
                                       "(e.g. amina-diallo)")))
    email = values["email"]
    if email and not EMAIL.fullmatch(email):
        problems.append(("email", notice("not an e-mail address: %(value)s",
                                         value=repr(email))))
    consent = None
    raw_date = str(raw.get("consent_date") or "").strip()
    if raw_date:
        try:
            consent = dt.date.fromisoformat(raw_date)
        except ValueError:
            problems.append(("consent_date", notice("not a date (YYYY-MM-DD): %(value)s",
                                                    value=repr(raw_date))))
    choices = {}
    for name, allowed, default in (("visibility", VISIBILITIES, "members"),
                                   ("contact", CONTACTS, "none")):
        value = str(raw.get(name) or "").strip().lower() or default
        if value not in allowed:
            problems.append((name, notice("choose one of %(allowed)s, not %(value)s",
                                          allowed=", ".join(allowed), value=repr(value))))
        choices[name] = value
    if choices["contact"] != "none" and not email:
        problems.append(("email", notice("needed when the expert may be contacted")))
    links = split(raw.get("links"))
    for link in links:
        if not re.match(r"https?://\S+$", link):
            problems.append(("links", notice("not a web address (https://...): %(value)s",
                                             value=repr(link))))
    example = str(raw.get("example") or "").strip().lower()
    if example not in ("", "yes", "no", "true", "false", "1", "0"):
        problems.append(("example", notice("yes or no, not %(value)s",
                                           value=repr(example))))
    profile = Profile(
        key=key, name=values["name"], title=values["title"],
        organisation=values["organisation"], agency=values["agency"],
        themes=_lookup(split(raw.get("themes")), vocab.themes, "theme", problems, "themes"),
        gcm_objectives=_lookup(split(raw.get("gcm_objectives")), vocab.objectives,
                               "GCM objective", problems, "gcm_objectives"),
        regions=_lookup(split(raw.get("regions")), vocab.regions, "region", problems,
                        "regions"),
        countries=_lookup(split(raw.get("countries")), vocab.countries, "country",
                          problems, "countries"),
        languages=_languages(split(raw.get("languages")), problems),
        bio=values["bio"], links=links, documents=split(raw.get("documents")),
        contact=choices["contact"], email=email, visibility=choices["visibility"],
        consent_date=consent, consent_by=values["consent_by"],
        consent_scope=values["consent_scope"], example=example in ("yes", "true", "1"))
    return (None if problems else profile), problems


def as_text(profile: Profile) -> dict[str, str]:
    """A profile as the text values ``check_profile`` reads back (CSV cells, forms)."""
    out = {}
    for name in FIELDS:
        value = getattr(profile, name)
        if isinstance(value, list):
            value = f"{SEPARATOR} ".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "yes" if value else ""
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[name] = "" if value is None else str(value)
    return out
