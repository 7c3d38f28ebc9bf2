"""The interface in six languages: which one a request gets, and the labels of facet
values (themes, regions, countries, languages, GCM objectives, document types) in it.

The language is the ``lang`` URL parameter when it names one of LANGUAGES (the switch
on every page links there, and the choice is remembered in a cookie set only then, so
that pages stay cacheable for everyone else), else that cookie, else the browser's
Accept-Language. URLs keep the stable values (``?theme=Gender``), whatever the language.

Messages are in web/translations/<lang>/LC_MESSAGES/messages.po with their compiled
.mo beside them, committed: an installed searchhub has them without a build step, and
tests/web/test_i18n.py fails when a .mo no longer matches its .po.
"""

from __future__ import annotations

import csv
import tomllib
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.core import get_global
from flask import Flask, request
from flask_babel import (
    Babel,
    format_datetime,
    format_decimal,
    format_number,
    get_locale,
    get_translations,
    gettext,
    lazy_gettext,
    pgettext,
)
from jinja2 import pass_context
from markupsafe import Markup

from searchhub import resources
from searchhub.notice import Notice
from searchhub.search import gcm_titles
from searchhub.stopwords import piece_language
from searchhub.text import language_name as english_language_name

#: The interface's languages: the six official languages of the United Nations.
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
DEFAULT = "en"
#: Scripts written right to left (documents in these get dir="rtl").
RTL = frozenset({"ar", "fa", "he", "ur", "ps", "yi"})
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


#: The facets' names as people read them (searchhub.models.FACET_LIST has them in English).
FACET_LABELS = {
    "agency": lazy_gettext("Agency"), "platform": lazy_gettext("Platform"),
    "region": lazy_gettext("Region"), "country": lazy_gettext("Country"),
    "theme": lazy_gettext("Theme"), "gcm": lazy_gettext("GCM objective"),
    "language": lazy_gettext("Language"), "type": lazy_gettext("Type"),
    "year": lazy_gettext("Year"), "collection": lazy_gettext("Collection"),
}

#: The reasons a visitor or curator gives for a flag (searchhub.curation.store.FLAG_REASONS).
FLAG_REASONS = {
    "irrelevant": lazy_gettext("Irrelevant for this query"),
    "broken-link": lazy_gettext("Broken link"),
    "duplicate": lazy_gettext("Duplicate of another document"),
    "outdated": lazy_gettext("Outdated"),
    "garbled": lazy_gettext("Garbled or incomplete text"),
    "wrong-metadata": lazy_gettext("Wrong agency, region, country or theme"),
    "other": lazy_gettext("Other"),
    # Raised by the indexer from quality signals (searchhub.curation.AUTOMATIC_REASONS).
    "image-only": lazy_gettext("No text: image-only PDF"), "no-text": lazy_gettext("No text"),
    "little-text": lazy_gettext("Very little text"),
    "garbled-text": lazy_gettext("Bad extraction: non-letters or broken characters"),
    "low-language-confidence": lazy_gettext("Language detected with low confidence"),
    "no-title": lazy_gettext("No title"), "no-date": lazy_gettext("No date"),
}
#: Words of the indexing runs' pages (indexer.report.COUNT_KEYS, a run's status and trigger).
RUN_LABELS = {
    "added": lazy_gettext("added"), "updated": lazy_gettext("updated"),
    "unchanged": lazy_gettext("unchanged"), "merged": lazy_gettext("merged"),
    "removed": lazy_gettext("removed"), "failed": lazy_gettext("failed"),
    "unsupported": lazy_gettext("unsupported"), "known_dead": lazy_gettext("known dead"),
    "running": lazy_gettext("running"), "finished": lazy_gettext("finished"),
    "interrupted": lazy_gettext("interrupted"), "manual": lazy_gettext("manual"),
    "schedule": lazy_gettext("schedule"),
}
#: Who raised a flag (searchhub.curation.ORIGINS), and where it stands.
FLAG_ORIGINS = {"curator": lazy_gettext("curator"), "public": lazy_gettext("public"),
                "automatic": lazy_gettext("automatic")}
FLAG_STATUSES = {"open": lazy_gettext("open"), "resolved": lazy_gettext("resolved"),
                 "dismissed": lazy_gettext("dismissed")}


#: Curators' actions as the audit log names them (searchhub.curation.store.ACTIONS, and
#: the entries that are not actions a curator takes).
ACTION_LABELS = {
    "hide": lazy_gettext("Hide from results"), "weight": lazy_gettext("Demote or boost"),
    "correct": lazy_gettext("Correct metadata"), "duplicate": lazy_gettext("Mark as duplicate"),
    "pin": lazy_gettext("Pin as best bet"), "dismiss": lazy_gettext("Dismiss flags"),
    "recrawl": lazy_gettext("Ask for a re-crawl"),
}


def type_label(value: str) -> str | None:
    """A document type's label in the interface's language (the types of
    corpus/sources.toml, of the extractors' formats and of the upload workstreams),
    None for another value. The
    context keeps "Report" the document apart from "Report" the button."""
    labels = {
        "Report": pgettext("document type", "Report"),
        "Evaluation": pgettext("document type", "Evaluation"),
        "Policy brief": pgettext("document type", "Policy brief"),
        "Web page": pgettext("document type", "Web page"),
        "News": pgettext("document type", "News"),
        "Legal text": pgettext("document type", "Legal text"),
        "Legal document": pgettext("document type", "Legal document"),
        "Text": pgettext("document type", "Text"),
        "Dataset": pgettext("document type", "Dataset"),
        "Guidance": pgettext("document type", "Guidance"),
        "Toolkit": pgettext("document type", "Toolkit"),
        "Minutes": pgettext("document type", "Minutes"),
        "Statement": pgettext("document type", "Statement"),
        "Data": pgettext("document type", "Data"),
        "Other": pgettext("document type", "Other"),
    }
    return labels.get(value)


def action_label(code: str, default: str | None = None) -> str:
    """A curation action's label in the interface's language (``default``, else the
    code, for entries that have none)."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else (default or code)


def translate_notice(text: str) -> str:
    """A search notice (searchhub.notice) in the interface's language, its counts
    formatted for the locale; other text as it is. The JSON API keeps the English."""
    if not isinstance(text, Notice):
        return text
    values = {name: _localised(value) for name, value in text.values.items()}
    translations = get_translations()
    if text.plural is None:
        template = translations.ugettext(text.msgid)
    else:
        template = translations.ungettext(text.msgid, text.plural, int(text.values["num"]))
    return template % values if values else template


def _localised(value):
    """A notice's value as the locale writes it: counts grouped, decimals (one digit,
    as a size in MiB) with the locale's separator; text as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return format_number(value) if isinstance(value, int) else format_decimal(value, "#,##0.0")


def timestamp(value) -> Markup | str:
    """A recorded moment (an ISO 8601 text, as the curation and crawl databases keep
    it) as the locale writes it, in a <time> element; other text as it is."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    # <bdi>: digits and slashes next to a name would otherwise reorder in Arabic pages
    return Markup('<bdi><time datetime="{}">{}</time></bdi>').format(
        str(value), format_datetime(moment, "short"))


def facet_label(name: str) -> str:
    """A facet's label in the interface's language."""
    from searchhub.models import FACET_BY_NAME
    label = FACET_LABELS.get(name)
    return str(label) if label is not None else FACET_BY_NAME[name].label


def facets() -> list[tuple[str, str]]:
    """(name, label) of each facet in the sidebar's order, labels in the interface's language."""
    from searchhub.models import FACETS
    return [(name, facet_label(name)) for name, _ in FACETS]


def init_app(app: Flask) -> None:
    """Set up Flask-Babel, the template helpers and the language cookie on ``app``."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(resources.translations_dir())
    Babel(app, locale_selector=select_locale)
    # Every one of them reads the request's language, so none may be folded (_per_request).
    filters = dict(
        language_name=language_name, region_label=lambda v: value_label("region", v),
        country_label=lambda v: value_label("country", v),
        theme_label=lambda v: value_label("theme", v), text_lang=text_lang,
        lang_of=lang_of,
        flag_reason=lambda code, label: str(FLAG_REASONS.get(code, label)),
        flag_origin=lambda code: str(FLAG_ORIGINS.get(code, code)),
        flag_status=lambda code: str(FLAG_STATUSES.get(code, code)),
        run_label=lambda code: str(RUN_LABELS.get(code, code)), timestamp=timestamp,
        facet_label=facet_label, notice_text=translate_notice, action_label=action_label,
        value_label=lambda value, facet, default=None: value_label(facet, value,
                                                                   default=default))
    app.jinja_env.filters.update({name: _per_request(f) for name, f in filters.items()})
    app.context_processor(lambda: {"ui_lang": current_language, "ui_dir": current_dir,
                                   "language_switch": language_switch,
                                   "back_arrow": lambda: "→" if current_dir() == "rtl" else "←"})
    app.after_request(remember_language)


def _per_request(filter_):
    """``filter_`` as a Jinja filter that Jinja never folds into a constant. Jinja calls
    a filter of constant arguments (``'theme'|facet_label``) once, when it compiles the
    template, and keeps the result: a filter that reads the request's language would
    keep the language of whichever visitor made the template compile first, for
    everyone after. A filter that takes the context is always called at render time."""
    @pass_context
    def per_request(_context, *args, **kwargs):
        return filter_(*args, **kwargs)
    return per_request


def select_locale() -> str:
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE, "")
    if remembered in LANGUAGES:
        return remembered
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def current_language() -> str:
    return str(get_locale() or DEFAULT)


def current_dir() -> str:
    return "rtl" if current_language() in RTL else "ltr"


def remember_language(response):
    """Keep the language chosen with the switch; pages depend on the cookie and on
    Accept-Language, which shared caches must know."""
    if request.endpoint == "static" or response.mimetype != "text/html":
        return response     # the JSON API, feeds and exports are the same in every language
    asked = request.args.get("lang", "")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=COOKIE_MAX_AGE, samesite="Lax",
                            httponly=True)
    response.vary.update(("Cookie", "Accept-Language"))
    return response


def language_switch() -> list[tuple[str, str, str, bool]]:
    """(code, name in its own language, URL of this page in it, current?) per language."""
    current = current_language()
    args = request.args.to_dict(flat=False)
    view_args = request.view_args or {}
    links = []
    for code in LANGUAGES:
        href = _url(request.endpoint, {**view_args, **args, "lang": code})
        links.append((code, Locale.parse(code).get_display_name(code).capitalize()
                      if code != "zh" else "中文", href, code == current))
    return links


def _url(endpoint: str | None, values: dict) -> str:
    from flask import url_for
    from werkzeug.routing import BuildError
    try:
        return url_for(endpoint or "search.search", **values)
    except BuildError:          # an error page without a routed endpoint
        return url_for("search.search", lang=values["lang"])


def text_lang(code: str | None) -> Markup:
    """` lang="…" dir="…"` for an element holding a document's text in language ``code``
    (nothing for an unknown language: the element then inherits the page's)."""
    if not code or code == "und":
        return Markup("")
    return Markup(' lang="{}" dir="{}"').format(code, "rtl" if code in RTL else "ltr")


def lang_of(text, doc) -> Markup:
    """``text_lang`` of a piece of ``doc``'s text (its title, a snippet, a page): the
    language of ``doc`` it is written in, for a document in more than one."""
    return text_lang(piece_language(str(text or ""), doc.all_languages))


def language_name(code: str) -> str:
    """A language code's name in the interface's language ("français", "Französisch")."""
    if not code or code == "und":
        return gettext("Unknown")
    try:
        name = Locale.parse(current_language()).languages.get(code)
    except (ValueError, TypeError):
        name = None
    return name or english_language_name(code)


def value_label(facet: str, value: str, taxonomy_dir: Path | None = None,
                default: str | None = None) -> str:
    """The label of a facet's value in the interface's language; ``default`` (else
    ``value``) when it has none."""
    lang = current_language()
    if facet == "language":
        return language_name(value)
    taxonomy = str(taxonomy_dir or _taxonomy_dir())
    if facet == "gcm":
        title = gcm_labels(taxonomy, lang).get(value) or gcm_titles(taxonomy).get(value)
        return f"{value}. {title}" if title else (default or value)
    if lang == DEFAULT:
        return default or value
    if facet == "country":
        code = country_codes(taxonomy).get(value)
        name = Locale.parse(lang).territories.get(code) if code else None
        return name or default or value
    if facet in ("theme", "region"):
        return taxonomy_labels(taxonomy, facet, lang).get(value) or default or value
    if facet == "type":
        return type_label(value) or default or value
    return default or value


def localize_facets(facets: dict) -> None:
    """Relabel a result's facet values (FacetValue.label) in the interface's language."""
    for name, values in facets.items():
        if name in ("language", "gcm", "country", "theme", "region", "type"):
            for fv in values:
                fv.label = value_label(name, fv.value, default=fv.label)


def _taxonomy_dir() -> Path:
    from . import services
    return services().settings.taxonomy_dir


@lru_cache(maxsize=32)
def taxonomy_labels(taxonomy_dir: str, facet: str, lang: str) -> dict[str, str]:
    """English label -> label in ``lang`` of the themes or regions (``label_<lang>``)."""
    file, table = {"theme": ("themes.toml", "theme"), "region": ("regions.toml", "region")}[facet]
    entries = _toml(Path(taxonomy_dir) / file).get(table, [])
    return {e["label"]: e[f"label_{lang}"] for e in entries
            if isinstance(e.get("label"), str) and isinstance(e.get(f"label_{lang}"), str)}


@lru_cache(maxsize=16)
def gcm_labels(taxonomy_dir: str, lang: str) -> dict[str, str]:
    """Objective number (as text) -> its short title in ``lang`` (``short_<lang>``)."""
    key = "short" if lang == DEFAULT else f"short_{lang}"
    entries = _toml(Path(taxonomy_dir) / "gcm.toml").get("objective", [])
    return {str(e["number"]): e[key] for e in entries if isinstance(e.get(key), str)}


@lru_cache(maxsize=4)
def country_codes(taxonomy_dir: str) -> dict[str, str]:
    """Country name as indexed (countries.csv ``name``) -> ISO 3166 alpha-2 code, from
    its alpha-3 code by CLDR's territory aliases (Babel's locale data has the names)."""
    aliases = get_global("territory_aliases")
    try:
        with (Path(taxonomy_dir) / "countries.csv").open(encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}
    codes = {}
    for row in rows:
        alpha2 = aliases.get((row.get("iso3") or "").strip())
        if alpha2 and row.get("name"):
            codes[row["name"]] = alpha2[0]
    return codes


def _toml(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return {}     # the indexer's loader reports a broken taxonomy; labels fall back
