"""From the text a person typed to a Whoosh query over the per-language fields.

The query is parsed once against two pseudo fields, ``text`` (the default) and
``title``, with a language-neutral analyzer; each word is then re-analysed with
every language's stemmer and spread over that language's title and body fields.
Plain word queries ("simple" queries) are kept as one clause per word, so the
engine can rank documents that hold more of the words first and require most of
them; queries with operators, quotes or fields follow their syntax exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from whoosh import qparser
from whoosh import query as wq
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.fields import KEYWORD, TEXT, Schema
from whoosh.lang import stopwords_for_language

from .analysis import GROUPS, WORD, analyzer, fold_text
from .schema import FACET_FIELDS, TITLE_WEIGHT, body_field, title_field

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 64
MAX_PAIRS = 8

_STOPWORDS = frozenset().union(*(stopwords_for_language(lang) for lang in ("en", "fr", "es")))
_SYNTAX = re.compile(r'["()*~^\[\]{}]|\w\?\w|(?:^|\s)[+-]\S'
                     r'|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b|\w:\S')
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
_FIELD_ALIASES = {"body": "text", "content": "text", "lang": "language", "objective": "gcm",
                  "organization": "agency", "organisation": "agency", "topic": "theme"}


@dataclass
class ParsedQuery:
    query: wq.Query | None                 # None: no words, match every document
    clauses: list[wq.Query] = field(default_factory=list)   # simple queries: one per word
    pairs: list[list[wq.Phrase]] = field(default_factory=list)  # adjacent words, per language
    words: tuple[str, ...] = ()            # the words to highlight and spell-check
    notices: list[str] = field(default_factory=list)

    @property
    def simple(self) -> bool:
        return bool(self.clauses)


def _query_analyzer():
    return RegexTokenizer(WORD) | LowercaseFilter() | StopFilter(stoplist=_STOPWORDS, minsize=1)


def _parse_schema() -> Schema:
    fields = {"text": TEXT(analyzer=_query_analyzer(), phrase=True),
              "title": TEXT(analyzer=_query_analyzer(), phrase=True)}
    for name in FACET_FIELDS:
        fields[name] = KEYWORD(lowercase=True, commas=True)
    return Schema(**fields)


_SCHEMA = _parse_schema()


def _parser(group) -> qparser.QueryParser:
    parser = qparser.QueryParser("text", _SCHEMA, group=group)
    parser.remove_plugin_class(qparser.PlusMinusPlugin)   # a dash inside words is not NOT
    parser.add_plugin(qparser.PlusMinusPlugin("(^|(?<=\\s))\\+", "(^|(?<=\\s))-"))
    return parser


_AND_PARSER = _parser(qparser.AndGroup)
_OR_PARSER = _parser(qparser.OrGroup)


def parse(text: str) -> ParsedQuery:
    """Parse what a person typed. Never raises: malformed syntax is read as words,
    and what was changed is said in ``notices``."""
    notices: list[str] = []
    text = (text or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notices.append(f"Your query was shortened to its first {MAX_QUERY_CHARS} characters.")
    text = _alias_fields(text)
    text = _unknown_fields_as_words(text, notices)
    # A question mark ends a question; only inside a word is it a wildcard.
    text = re.sub(r"\?+(?=\s|$)", " ", text).strip()
    weights = language_weights(text)
    if not text:
        return ParsedQuery(None, notices=notices)

    simple = _SYNTAX.search(text) is None
    try:
        parsed = (_OR_PARSER if simple else _AND_PARSER).parse(text)
    except Exception:  # noqa: BLE001 - Whoosh's parser raises assorted errors on odd syntax
        parsed = None
    if parsed is None or _has_errors(parsed):
        # As plain words: operators that could not be read ("NOT NOT x") are dropped.
        cleaned = " ".join(w for w in re.findall(WORD, text) if w not in _OPERATORS)
        notices.append("Part of your query could not be read as search syntax, "
                       "so it was searched as plain words.")
        parsed = _OR_PARSER.parse(cleaned) if cleaned else wq.NullQuery
        simple = True

    words = tuple(dict.fromkeys(
        w.lower() for w in re.findall(WORD, _strip_fields(text)) if w.lower() not in _STOPWORDS
        and w not in ("AND", "OR", "NOT")))
    expanded = _expand(parsed, weights)
    if expanded is None or isinstance(expanded, type(wq.NullQuery)):
        if words or re.search(WORD, text):
            notices.append("Your query holds only very common words, so all documents are shown.")
        return ParsedQuery(None, words=(), notices=notices)

    clauses: list[wq.Query] = []
    if simple:
        clauses = (list(expanded.subqueries)
                   if isinstance(expanded, wq.Or) and isinstance(parsed, wq.Or) else [expanded])
        if len(clauses) > MAX_CLAUSES:
            clauses = clauses[:MAX_CLAUSES]
            notices.append(f"Only the first {MAX_CLAUSES} words of your query were used.")
    pairs = _adjacent_pairs(parsed) if simple and len(clauses) > 1 else []
    return ParsedQuery(expanded, clauses=clauses, pairs=pairs, words=words[:MAX_CLAUSES],
                       notices=notices)


def _adjacent_pairs(parsed: wq.Query) -> list[list[wq.Phrase]]:
    """For a plain query, each pair of neighbouring words as a phrase in every
    language's body field ("health care" in "health care for migrants")."""
    subs = parsed.subqueries if isinstance(parsed, wq.Or) else []
    words = [str(t.text) for t in subs if isinstance(t, wq.Term) and t.fieldname == "text"]
    out = []
    for first, second in list(zip(words, words[1:], strict=False))[:MAX_PAIRS]:
        phrases = []
        for group in GROUPS:
            a = [t.text for t in analyzer(group)(first)]
            b = [t.text for t in analyzer(group)(second)]
            if len(a) == 1 and len(b) == 1:
                phrases.append(wq.Phrase(body_field(group), [a[0], b[0]]))
        if phrases:
            out.append(phrases)
    return out


def _alias_fields(text: str) -> str:
    def repl(m):
        return _FIELD_ALIASES[m.group(1).lower()] + ":"
    pattern = r"\b(" + "|".join(_FIELD_ALIASES) + r"):"
    return re.sub(pattern, repl, text, flags=re.IGNORECASE)


def _unknown_fields_as_words(text: str, notices: list[str]) -> str:
    known = set(FACET_FIELDS) | {"text", "title"}
    unknown = []

    def repl(m):
        name = m.group(1)
        if name.lower() in known:
            return name.lower() + ":"   # Whoosh's field names are case-sensitive
        unknown.append(name)
        return name + " "
    out = re.sub(r"\b(\w+):(?=\S)", repl, text)
    if unknown:
        notices.append("Unknown field " + ", ".join(sorted(set(unknown)))
                       + ": searched as words. Fields you can use: "
                       + ", ".join(sorted(known)) + ".")
    return out


def _strip_fields(text: str) -> str:
    """The text without facet clauses such as agency:IOM (not words to highlight)."""
    names = "|".join(FACET_FIELDS)
    return re.sub(rf'\b(?:{names}):(?:"[^"]*"|\S+)', " ", text, flags=re.IGNORECASE)


def _has_errors(q: wq.Query) -> bool:
    return any(isinstance(node, qparser.ErrorNode) or type(node).__name__ == "ErrorQuery"
               for node in q.leaves()) or type(q).__name__ == "ErrorQuery"



def language_weights(text: str) -> dict[str, float]:
    """Weight of each language group for this query: matches in the language the
    query is written in count fully, stemmed matches in other languages (French
    "climat" for "climate") count less. All 1.0 when the language is unclear."""
    words = tuple(w.lower() for w in re.findall(WORD, _strip_fields(text)))
    if len(words) < 2:
        return {}
    group = _query_language(words)
    if group is None:
        return {}
    return {g: (1.0 if g in (group, "xx", "cjk") else OTHER_LANGUAGE_WEIGHT) for g in GROUPS}


@lru_cache(maxsize=8192)
def _query_language(words: tuple[str, ...]) -> str | None:
    """The language group of a query, or None when unclear. Function words ("of",
    "des", "los") and letters particular to a language (ñ, ç, ã, ß, Cyrillic,
    Arabic) decide; statistical detection is unreliable on a few words (it reads
    "labour migration recruitment fees Qatar" as French), so it is not used."""
    text = " ".join(words)
    votes = {lang: 2 * sum(w in stops for w in words) for lang, stops in _FUNCTION_WORDS.items()}
    for lang, letters in _LETTERS.items():
        votes[lang] = votes.get(lang, 0) + sum(1 for c in text if c in letters)
    if re.search("[\u0400-\u04ff]", text):
        votes["ru"] = votes.get("ru", 0) + 10
    if re.search("[\u0600-\u06ff]", text):
        votes["ar"] = votes.get("ar", 0) + 10
    best = max(votes.values())
    leaders = [lang for lang, n in votes.items() if n == best]
    return leaders[0] if best > 0 and len(leaders) == 1 else None


#: Letters that point to one language more than the others.
_LETTERS = {"es": "ñáíóú¿¡", "fr": "çèêëàâîïôûùœ", "pt": "ãõ", "de": "äöüß"}


#: Short function words that tell a query's language (not full stop lists: "a",
#: "de" and "la" are shared, so they are left out where ambiguous).
_FUNCTION_WORDS = {
    "en": frozenset("the of and in on for with from to about what how which why who is are "
                    "do does can should between by into".split()),
    "fr": frozenset("le les des du et au aux pour dans sur avec une est sont quels quelle "
                    "comment pourquoi entre par".split()),
    "es": frozenset("el los las del y en con para por una es son cuáles cuál cómo qué "
                    "entre sobre".split()),
    "pt": frozenset("os as do da dos das em com uma não são como entre sobre".split()),
    "de": frozenset("der die das und den dem mit für von im ist sind wie zwischen "
                    "über auf".split()),
}


OTHER_LANGUAGE_WEIGHT = 0.85


def _expand(q: wq.Query, weights: dict[str, float] | None = None) -> wq.Query | None:
    """Replace pseudo fields by the per-language fields; drop empty nodes."""
    # Binary queries ("a -b", ANDNOT, ANDMAYBE) are CompoundQuery subclasses too,
    # but take two positional queries: handle them first.
    if isinstance(q, wq.AndNot | wq.AndMaybe | wq.Require | wq.Otherwise):
        a, b = _expand(q.a, weights), _expand(q.b, weights)
        if a is None:
            return None
        return type(q)(a, b) if b is not None else a
    if isinstance(q, wq.compound.CompoundQuery):
        subs = [s for s in (_expand(sub, weights) for sub in q.subqueries) if s is not None]
        if not subs:
            return None
        return type(q)(subs, boost=q.boost) if len(subs) > 1 or isinstance(q, wq.Or | wq.And) \
            else subs[0]
    if isinstance(q, wq.Not):
        inner = _expand(q.query, weights)
        return wq.Not(inner) if inner is not None else None
    fieldname = getattr(q, "fieldname", None)
    if fieldname not in ("text", "title"):
        return q
    fields = [(g, f, b * (weights or {}).get(g, 1.0)) for g, f, b in _target_fields(fieldname)]
    if isinstance(q, wq.Term):
        alternatives = []
        surface = fold_text(str(q.text))
        for group, fname, boost in fields:
            tokens = [t.text for t in analyzer(group)(str(q.text))]
            if len(tokens) == 1:
                if tokens[0] == surface and weights:
                    # The word is the same in that language (a name such as "Kakuma"
                    # or "Libya"): a match there is no stemming accident.
                    boost = boost / weights.get(group, 1.0)
                alternatives.append(wq.Term(fname, tokens[0], boost=boost * q.boost))
            elif tokens:
                alternatives.append(wq.And([wq.Term(fname, t, boost=boost * q.boost)
                                            for t in tokens]))
        return wq.Or(alternatives) if alternatives else None
    if isinstance(q, wq.Phrase):
        alternatives = []
        for group, fname, boost in fields:
            tokens = [tok.text for w in q.words for tok in analyzer(group)(w)]
            if len(tokens) > 1:
                alternatives.append(wq.Phrase(fname, tokens, slop=2, boost=boost * q.boost))
            elif tokens:
                alternatives.append(wq.Term(fname, tokens[0], boost=boost * q.boost))
        return wq.Or(alternatives) if alternatives else None
    if isinstance(q, wq.Prefix | wq.Wildcard):
        # Indexed terms are accent-folded stems: fold the pattern, and let a prefix
        # also match as its stem ("migration*" must find "migrat", "migración*"
        # "migracion").
        pattern = fold_text(str(q.text))
        alternatives = []
        for group, fname, boost in fields:
            stems = [t.text for t in analyzer(group)(pattern)] if isinstance(q, wq.Prefix) else []
            stem = stems[0] if len(stems) == 1 else pattern
            if stem != pattern and not pattern.startswith(stem):
                alternatives.append(type(q)(fname, pattern, boost=boost))
            alternatives.append(type(q)(fname, stem, boost=boost))
        return wq.Or(alternatives)
    # Ranges or fuzzy terms on text make little sense here; read them as words.
    words = re.findall(WORD, str(getattr(q, "text", "")))
    return _expand(wq.Or([wq.Term("text", w) for w in words]), weights) if words else None


def _target_fields(pseudo: str) -> list[tuple[str, str, float]]:
    out = [(g, title_field(g), TITLE_WEIGHT) for g in GROUPS]
    if pseudo == "text":
        out += [(g, body_field(g), 1.0) for g in GROUPS]
    return out
