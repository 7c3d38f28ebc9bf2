"""A parsed query in our own terms: what a person asked for, before any engine reads it.

``searchhub.query_parser`` turns the typed text into a ``ParsedQuery``; an engine
(behind ``searchhub.engine.base``) translates its tree into its own queries:
stemming per language, spreading the ``text`` field over titles and bodies,
weights. The nodes are frozen dataclasses, so a tree can be compared, hashed and
cached. Fields are logical: ``text`` (titles and bodies), ``title``, and the
facet fields (``agency``, ``year``... ``source``). Words in ``text`` and
``title`` are lowercased and stop words are gone; a facet value is lowercased
as typed ("south sudan").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from searchhub.text import WORD

#: The full-text fields; every other field is a facet field.
TEXT_FIELDS = ("text", "title")
#: A phrase scores as the sum of its words' scores times this, in every engine.
PHRASE_WEIGHT = 1.5


@dataclass(frozen=True)
class Word:
    """One word (or one facet value) in a field. ``language``, when set, says the word
    is of that language (a lexicon's translation), so an engine may search it in the
    documents of that language only."""

    field: str
    text: str
    boost: float = 1.0
    language: str | None = None


@dataclass(frozen=True)
class Phrase:
    """Words in this order, each within ``slop`` positions of the one before (1: side by side)."""

    field: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0
    language: str | None = None     # as Word's


@dataclass(frozen=True)
class Prefix:
    """Words beginning with ``text`` (``migra*``)."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Wildcard:
    """Words matching ``pattern``: ``*`` any run of letters, ``?`` one letter (``migr?nt``)."""

    field: str
    pattern: str
    boost: float = 1.0


@dataclass(frozen=True)
class Range:
    """Values from ``start`` to ``end`` (None: open), each end included unless excluded
    (``year:[2015 TO 2020]``, ``year:{2015 TO 2020}``)."""

    field: str
    start: str | None
    end: str | None
    start_excluded: bool = False
    end_excluded: bool = False


@dataclass(frozen=True)
class Every:
    """Every document (``*``)."""


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Documents matching any of ``items``, scoring the sum of those they match; with
    ``tie`` set, the best of them plus ``tie`` times the others' (Lucene's dis_max):
    the lexicon's alternatives of one term, so that a document is not worth more for
    holding several names of one thing (French's three for climate change)."""

    items: tuple[Node, ...]
    tie: float | None = None


@dataclass(frozen=True)
class Not:
    """Every document that does not match ``item``."""

    item: Node


@dataclass(frozen=True)
class AndNot:
    """Documents matching ``positive`` and not ``negative`` (``a ANDNOT b``, ``a -b``)."""

    positive: Node
    negative: Node


@dataclass(frozen=True)
class AndMaybe:
    """Documents matching ``required``; matching ``optional`` too only adds to the score."""

    required: Node
    optional: Node


Node = Word | Phrase | Prefix | Wildcard | Range | Every | And | Or | Not | AndNot | AndMaybe
#: Nodes that match words of the text (what a hit is highlighted on).
Leaf = Word | Phrase | Prefix | Wildcard


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, And | Or):
        return node.items
    if isinstance(node, Not):
        return (node.item,)
    if isinstance(node, AndNot):
        return (node.positive, node.negative)
    if isinstance(node, AndMaybe):
        return (node.required, node.optional)
    return ()


def walk(node: Node) -> Iterator[Node]:
    """``node`` and every node below it, depth first, left to right."""
    yield node
    for child in children(node):
        yield from walk(child)


def surface_words(node: Node) -> tuple[str, ...]:
    """The words of a full-text leaf as the query holds them (empty for other nodes):
    what a document that matches it is highlighted on."""
    if isinstance(node, Word | Prefix) and node.field in TEXT_FIELDS:
        return (node.text,)
    if isinstance(node, Phrase) and node.field in TEXT_FIELDS:
        return node.words
    if isinstance(node, Wildcard) and node.field in TEXT_FIELDS:
        return tuple(re.findall(WORD, node.pattern))
    return ()


@dataclass(frozen=True)
class ParsedQuery:
    """What the query parser made of the text.

    ``query`` is None when nothing is left to match on (every document matches).
    A plain word query ("simple") also carries its ``clauses``, one ``Word`` (or an
    ``Or`` of it and its lexicon alternatives, see ``related``) per
    distinct word in order, so that an engine can require most of them and rank
    documents holding more of them first, and ``pairs``, neighbouring words, so
    that it can rank documents holding them side by side higher. ``words`` are the
    full-text words to highlight and spell-check; ``language`` is the language
    code the query is written in when its words tell (else None); ``notices`` say
    what was read differently from what was typed. ``related`` are words the query
    also searches without their having been typed (``searchhub.lexicon``: synonyms
    and translations; a clause is then an ``Or`` of its word and those): hits that
    matched them are highlighted on them, but they are never shown as typed.
    ``compounds`` are the runs of words typed joined by hyphens ("non-refoulement",
    "Royaume-Uni"), each one concept (``searchhub.lexicon.bind_compounds``).
    ``acronyms`` are stop words typed in capitals among other words ("WHO", "US"),
    lowercased: dropped from the clauses as the index drops them, but an acronym the
    lexicon knows is searched as its expansions (``searchhub.lexicon.expand``).
    ``places`` are the countries a plain query names, in any language ("Tchad",
    "tchadiens"), as the ``countries`` facet names them ("Chad"), and those covered by
    a region or smaller place it names ("Sahel", "Kakuma"; ``Lexicon.place_of``)."""

    query: Node | None
    clauses: tuple[Node, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    words: tuple[str, ...] = ()
    language: str | None = None
    notices: tuple[str, ...] = field(default_factory=tuple)
    related: tuple[str, ...] = ()
    compounds: tuple[tuple[str, ...], ...] = ()
    acronyms: tuple[str, ...] = ()
    places: tuple[str, ...] = ()

    @property
    def simple(self) -> bool:
        return bool(self.clauses)
