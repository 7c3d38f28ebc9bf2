"""Prefix suggestions as a person types (``/api/suggest?q=``): taxonomy labels and the
lexicon's terms in the interface's language, frequent queries (``searchhub.querylog``),
then document titles.

A suggestion matches when its folded, lowercased text begins with what was typed, or
one of its words does (an Arabic word with or without its article "ال", or the
article after a conjunction or preposition; Chinese, written without spaces,
anywhere); those beginning with it come first, labels before frequent queries before
titles (taxonomy labels before the lexicon's terms); labels and titles shorter before
longer, queries searched in
the interface's language first, then the most searched. The candidates are read once
per taxonomy folder and once per index generation and viewer (titles, at most
``MAX_TITLES``), so a request only scans lists in memory. Titles come only from
documents the asker may see (``searchhub.visibility``) and that curators have not
hidden: a suggestion must not reveal what a search would not show. Likewise a frequent
query is suggested only while it finds documents an anonymous visitor may see
(``querylog.has_public_hits``), and never one that looks like it holds an e-mail
address or a phone number.

Labels are read in the six interface languages. Texts are compared by ``_key``: accents
folded and case ignored; Arabic vowel marks and tatweel removed and the alef, ya and ta
marbuta forms unified (as the Arabic analyzer does); Russian "ё" read as "е".
"""

from __future__ import annotations

import re
import threading
import tomllib
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from searchhub import querylog, visibility
from searchhub.engine.base import SearchEngine
from searchhub.lexicon import bundled_lexicon
from searchhub.text import arabic_normalise, fold

#: Suggestions returned at most.
LIMIT = 10
#: Typed text longer than this is not completed.
MAX_CHARS = 100
#: Titles read from one index generation at most.
MAX_TITLES = 50_000
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
#: Frequent queries checked for public hits at most, per query shown.
CHECKED_PER_SHOWN = 3


@dataclass(frozen=True)
class Suggestion:
    text: str
    kind: str       # "theme", "region", "objective", "term", "query" or "title"
    doc_id: str | None = None    # a title's document
    #: The facet filter a label stands for: ("theme", "Gender"), ("gcm", "5").
    filter: tuple[str, str] | None = None


#: Facet of each kind of label.
FACETS = {"theme": "theme", "region": "region", "objective": "gcm"}
#: The Arabic definite article, alone or after a conjunction or preposition ("and the",
#: "with the", "like the", "so the", "for the"): "لاجئ" also begins "اللاجئين", and
#: "الاشخاص" begins "بالأشخاص".
_ARABIC_ARTICLE = "\u0627\u0644"
_ARABIC_ARTICLES = ("", _ARABIC_ARTICLE, "\u0648\u0627\u0644", "\u0628\u0627\u0644",
                    "\u0643\u0627\u0644", "\u0641\u0627\u0644", "\u0644\u0644")
#: Han ideographs (and CJK punctuation, kana, hangul): words not parted by spaces.
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _key(text: str) -> str:
    """``text`` as suggestions are matched: see the module's docstring."""
    text = fold(text).lower()
    if not text.isascii():
        text = arabic_normalise(text).replace("\u0451", "\u0435")    # ё -> е
    return " ".join(text.split())


class _Candidates:
    """Texts with their keys, in the order they rank when they match alike."""

    def __init__(self, items: list[Suggestion]):
        seen: set[str] = set()
        self.items: list[tuple[str, Suggestion]] = []
        for item in items:
            key = _key(item.text)
            if key and key not in seen:
                seen.add(key)
                self.items.append((key, item))

    def matching(self, typed: str) -> tuple[list[Suggestion], list[Suggestion]]:
        """(Those beginning with ``typed``, those with it inside), ``typed`` a ``_key``."""
        starts, inside = [], []
        heads = (typed,)
        if "\u0600" <= typed[0] <= "\u06ff":
            bare = typed[2:] if typed.startswith(_ARABIC_ARTICLE) and len(typed) > 3 else typed
            heads = tuple(article + bare for article in _ARABIC_ARTICLES)
        anywhere = _CJK.match(typed) is not None
        inner = tuple(" " + head for head in heads)
        for key, item in self.items:
            if key.startswith(heads):
                starts.append(item)
            elif (anywhere and typed in key) or any(i in key for i in inner):
                inside.append(item)
        return starts, inside


@lru_cache(maxsize=16)
def _labels(taxonomy_dir: str, language: str) -> _Candidates:
    """Theme and region labels, GCM objectives' short titles and the lexicon's terms,
    in ``language`` (a label missing in it: in English)."""
    folder = Path(taxonomy_dir)
    suffix = "" if language == "en" else f"_{language}"
    items = []
    for file, table, kind in (("themes.toml", "theme", "theme"),
                              ("regions.toml", "region", "region")):
        path = folder / file
        if path.exists():
            for entry in tomllib.loads(path.read_text(encoding="utf-8")).get(table, []):
                label = entry.get(f"label{suffix}") or entry.get("label")
                if label and entry.get("label"):
                    items.append(Suggestion(label, kind, filter=(FACETS[kind], entry["label"])))
    gcm = folder / "gcm.toml"
    if gcm.exists():
        for o in tomllib.loads(gcm.read_text(encoding="utf-8")).get("objective", []):
            short = o.get(f"short{suffix}") or o.get("short")
            if short and o.get("number") is not None:
                items.append(Suggestion(short, "objective",
                                        filter=(FACETS["objective"], str(o["number"]))))
    lexicon = bundled_lexicon()
    for terms in lexicon.concepts.values():
        for term in terms:
            if (term.language == language and not term.colloquial
                    and not term.concept.startswith(("country-", "territory-"))):
                items.append(Suggestion(term.text, "term"))
    # Labels first (each is a filter, and there are few), then the lexicon's terms, which
    # would fill the list: "mig" shows "Migration data" before "migrant stock".
    items.sort(key=lambda s: (s.kind == "term", len(s.text)))
    return _Candidates(items)


_titles: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_titles_lock = threading.Lock()


def _titles_of(engine: SearchEngine, viewer: visibility.Viewer = None) -> _Candidates:
    """The titles of the documents ``viewer`` may see, once per index generation and
    viewer (keyed on that viewer's vocabulary)."""
    vocabulary = engine.vocabulary(viewer)
    with _titles_lock:
        found = _titles.get(vocabulary)
    if found is None:
        items = []
        for i, doc_id in enumerate(engine.known()):
            if i >= MAX_TITLES:
                break
            doc = engine.get(doc_id)
            if doc is not None and doc.title and visibility.may_see(doc.visibility, viewer):
                items.append(Suggestion(re.sub(r"\s+", " ", doc.title).strip()[:200], "title",
                                        doc.id))
        items.sort(key=lambda s: len(s.text))
        found = _Candidates(items)
        with _titles_lock:
            _titles[vocabulary] = found
    return found


def _queries(log: querylog.QueryLog, language: str) -> _Candidates:
    """The frequent queries of ``log``, in the order they rank for ``language``."""
    return _Candidates([Suggestion(f.text, "query") for f in log.suggested(language)])


def complete(engine: SearchEngine, typed: str, *, taxonomy_dir: str | Path,
             language: str = "en", limit: int = LIMIT, viewer: visibility.Viewer = None,
             hidden: frozenset[str] = frozenset(),
             queries: querylog.QueryLog | None = None) -> list[Suggestion]:
    """At most ``limit`` suggestions for ``typed`` (see the module's docstring); none
    for fewer than two letters or more than MAX_CHARS characters. Titles only of
    documents ``viewer`` may see and not ``hidden``; frequent ``queries`` only while
    they find public documents not ``hidden``."""
    key = _key(typed or "")
    if len(key) < 2 or len(key) > MAX_CHARS:
        return []
    asked = language
    language = language if language in LANGUAGES else "en"
    label_starts, label_inside = _labels(str(taxonomy_dir), language).matching(key)
    title_starts, title_inside = (
        [s for s in found if s.doc_id not in hidden]
        for found in _titles_of(engine, viewer).matching(key))
    query_starts, query_inside = ([], []) if queries is None else \
        _queries(queries, asked).matching(key)
    shown = {_key(s.text) for group in (label_starts, label_inside, title_starts,
                                        title_inside) for s in group}
    # Checked only for what could be shown, and remembered per index generation.
    room = max(0, limit) - len(label_starts)
    query_starts = _public(engine, query_starts, shown, hidden, room)
    room -= len(query_starts) + len(title_starts) + len(label_inside)
    query_inside = _public(engine, query_inside, shown, hidden, room)
    return (label_starts + query_starts + title_starts + label_inside + query_inside
            + title_inside)[:max(0, limit)]


def _public(engine: SearchEngine, found: list[Suggestion], shown: set[str],
            hidden: frozenset[str], limit: int) -> list[Suggestion]:
    """The first ``limit`` queries of ``found`` not ``shown`` already that look like no
    one's details and find public documents not ``hidden``."""
    out: list[Suggestion] = []
    for item in found[:limit * CHECKED_PER_SHOWN]:     # a keystroke stays cheap
        if len(out) >= limit:
            break
        if _key(item.text) not in shown and not querylog.looks_private(item.text) \
                and querylog.has_public_hits(engine, item.text, hidden):
            out.append(item)
    return out
