"""The engine seam: what a full-text engine must do for searchhub, and nothing more.

An engine stores and fetches ``Document``s and answers one question: *which
documents match this parsed query under these filters, scored; which are the
top k, how many match, and how do they spread over the facets.* Everything
else (reading the query, curation and visibility as data, snippets, "did you
mean", notices, pages) lives above the seam in ``searchhub.searching``, once,
for every engine. The Whoosh engine (``whoosh_engine.Engine``) implements it;
``tests/engine/test_contract.py`` holds any implementation to it.

The query an engine receives is ours (``searchhub.query.ParsedQuery``, made by
``searchhub.query_parser``): a tree of frozen dataclasses (Word, Phrase, Prefix,
Wildcard, Range, Every, And, Or, Not, AndNot, AndMaybe) over logical fields
(``text``, ``title``, the facet fields). Turning it into the engine's own queries
(stemming per language, spreading ``text`` over titles and bodies, weights) is
the engine's work: the Whoosh engine's is ``translate``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from searchhub.models import FACET_NAMES, Document

if TYPE_CHECKING:
    from searchhub.query import ParsedQuery


class CurationView:
    """What curation asks of a search: hidden ids, per-id weights, pinned ids per query,
    corrected facet values per id ({facet name: values}) that filters and counts use
    instead of the index's, and corrected documents to show.

    The curation package builds it; the search service turns it into the data of a
    ``MatchRequest`` and corrects the hits it shows. Empty by default.
    """

    hidden: frozenset[str] = frozenset()
    weights: dict[str, float] = {}
    facet_values: dict[str, dict[str, list[str]]] = {}
    #: Who asks (``searchhub.visibility``): None for an anonymous visitor.
    viewer: frozenset[str] | None = None

    def pinned_for(self, text: str) -> list[str]:
        return []

    def correct(self, doc: Document) -> Document:
        """``doc`` as curators corrected it (unchanged here)."""
        return doc


@dataclass(frozen=True)
class MatchRequest:
    """One question to an engine.

    ``query`` is None to match every live document (a browse); a simple query
    (``ParsedQuery.simple``) asks the engine to match documents holding most of its
    ``clauses`` (rare words weighing more) and rank those holding its ``pairs`` side
    by side higher; any other follows its tree. ``filters`` maps a
    facet name to values: a document must hold one of the values of each facet
    (compared by ``searchhub.text.facet_key``: case and accents ignored).
    ``hidden`` ids never match; a matching document's score is multiplied by its
    ``weights`` entry; ``pinned`` ids that match (after filters and hiding) come
    first, in that order. ``sort`` is "relevance" (score, then newest) or "newest"
    (date, then score). The engine returns the hits ranked ``start`` to
    ``start + limit`` (0-based) of that order. ``facet_values`` replace the indexed
    facet values of the documents they name, for filters and counts. ``viewer``
    says who asks (``searchhub.visibility``: None for an anonymous visitor): a
    document it may not see is treated as if the index did not hold it, in hits,
    totals, facet counts, pins and the rarity of a plain query's words.
    """

    query: ParsedQuery | None
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    sort: str = "relevance"
    start: int = 0
    limit: int = 10
    hidden: frozenset[str] = frozenset()
    weights: Mapping[str, float] = field(default_factory=dict)
    pinned: Sequence[str] = ()
    facets: Sequence[str] = FACET_NAMES
    #: Document id -> {facet name: values}: curators' corrections, which filters and
    #: counts use instead of the values indexed.
    facet_values: Mapping[str, Mapping[str, Sequence[str]]] = field(default_factory=dict)
    viewer: frozenset[str] | None = None


@dataclass
class Match:
    """One ranked document: its id, score (0 when the query had no words), the
    stored document, whether it is a pinned best bet, and the words it matched."""

    id: str
    score: float
    document: Document
    pinned: bool = False
    #: The words of the query's full-text leaves (``searchhub.query.surface_words``)
    #: this document matched, in query order: what its snippet highlights.
    terms: tuple[str, ...] = ()


@dataclass
class Matches:
    """An engine's answer to a ``MatchRequest``.

    ``total`` counts every matching document (filters applied, hidden ones not);
    ``hits`` the requested window of the ranking. ``facets`` holds, for each
    requested facet, every value with a non-zero count as (value, count), each
    facet counted under the query and the filters of the *other* facets
    (disjunctive faceting), in no particular order. ``relaxed`` says that no
    document held all the words of a plain query, so documents holding some of
    them were matched instead.
    """

    total: int
    hits: list[Match]
    facets: dict[str, list[tuple[str, int]]]
    relaxed: bool = False


class Vocabulary(Protocol):
    """The words an index holds, for "did you mean" (``spelling.Speller``).

    An engine returns the same object for as long as its committed index is
    unchanged, so a caller may cache what it derives from one."""

    def words_from(self, initial: str) -> Iterable[str]:
        """The accent-folded words of the spelling vocabulary beginning with ``initial``."""
        ...

    def frequency(self, word: str) -> int:
        """How many documents hold ``word`` (folded) in the spelling vocabulary."""
        ...

    def holds(self, word: str) -> bool:
        """Whether a search for ``word`` as typed finds it in the index (folded, or
        stemmed in some language), so that it is not "corrected"."""
        ...


@runtime_checkable
class IndexWriter(Protocol):
    """Adds, replaces and deletes documents; nothing is visible before ``commit``.

    As a context manager it commits on a normal exit and cancels on an exception."""

    pending: int

    def add(self, doc: Document) -> None:
        """Add ``doc``, replacing any document with the same id."""
        ...

    def delete(self, doc_id: str) -> None:
        """Delete the document with ``doc_id`` (nothing if there is none)."""
        ...

    def commit(self) -> None: ...

    def cancel(self) -> None: ...

    def __enter__(self) -> IndexWriter: ...

    def __exit__(self, exc_type, exc, tb) -> None: ...


@runtime_checkable
class SearchEngine(Protocol):
    """A searchable store of ``Document``s. Safe to share between threads for reading.

    Raises ``IndexBusy`` from ``writer`` when another writer holds the index."""

    def match(self, request: MatchRequest) -> Matches:
        """Match, filter, score, count facets and rank; see ``MatchRequest``."""
        ...

    def get(self, doc_id: str) -> Document | None:
        """The stored document with ``doc_id``, or None."""
        ...

    def known(self, source_id: str | None = None) -> dict[str, str]:
        """Ids of the live documents (of one source) with their content hash."""
        ...

    def count(self) -> int:
        """The number of live documents."""
        ...

    def writer(self, *, timeout: float = 0.0) -> IndexWriter:
        """A writer; waits up to ``timeout`` seconds for another writer to finish."""
        ...

    def vocabulary(self, viewer: frozenset[str] | None = None) -> Vocabulary:
        """The spelling vocabulary of the newest committed index, as if it held only
        the documents ``viewer`` may see (``searchhub.visibility``)."""
        ...

    def refresh(self) -> None:
        """See the newest commit now (reads may otherwise lag by about a second)."""
        ...

    def close(self) -> None: ...
