"""From the text a person typed to a ``ParsedQuery`` (``searchhub.query``), for any engine.

Plain words ("simple" queries) become one clause per distinct word, so the engine
can require most of them and rank documents holding more of them first. Anything
else follows its syntax: ``"phrase"`` (``~N`` for slop), ``AND``, ``OR``, ``NOT``,
``ANDNOT``, ``ANDMAYBE``, ``+word``, ``-word``, parentheses, ``field:value``,
``field:"two words"``, ``field:(a OR b)``, ``year:[2015 TO 2020]`` (``{}`` to
exclude an end), ``migra*``, ``migr?nt``, ``word^2``, ``*``. As in Whoosh, whose
syntax this is, operators bind tighter than the juxtaposition of clauses (``a b
OR c`` is ``a AND (b OR c)``); ``NOT`` binds tightest, then ``AND``, ``OR``,
``ANDNOT``, ``ANDMAYBE``. Never raises: what cannot be read as syntax is read as
words, and ``notices`` say so.
"""

from __future__ import annotations

import re
from functools import lru_cache

from searchhub.dictionary import bundled_dictionary
from searchhub.models import FACET_NAMES
from searchhub.notice import notice, plural_notice
from searchhub.query import (
    TEXT_FIELDS,
    And,
    AndMaybe,
    AndNot,
    Every,
    Node,
    Not,
    Or,
    ParsedQuery,
    Phrase,
    Prefix,
    Range,
    Wildcard,
    Word,
    surface_words,
    walk,
)
from searchhub.stopwords import QUESTION_WORDS, query_stopwords
from searchhub.text import ARABIC, CYRILLIC, HAN, HANGUL, KANA, WORD, unelide, without_possessive

MAX_QUERY_CHARS = 1000
#: Words of a plain query used (one clause each).
MAX_CLAUSES = 64
#: Neighbouring word pairs of a plain query checked for proximity.
MAX_PAIRS = 8
#: Parentheses nested deeper than this are not syntax.
MAX_DEPTH = 32

#: Facet fields searchable with ``field:value``.
FACET_FIELDS = (*FACET_NAMES, "source")
FIELDS = frozenset((*TEXT_FIELDS, *FACET_FIELDS))

_SYNTAX = re.compile(r'["()*~^\[\]{}]|\w\?\w|(?:^|\s)[+-]\S'
                     r'|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b|\w:\S')
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
_BINARY = ("AND", "OR", "ANDNOT", "ANDMAYBE")
_FIELD_ALIASES = {"body": "text", "content": "text", "lang": "language", "objective": "gcm",
                  "organization": "agency", "organisation": "agency", "topic": "theme"}
_WORD_RE = re.compile(WORD)

COULD_NOT_READ = notice("Part of your query could not be read as search syntax, "
                        "so it was searched as plain words.")
ONLY_COMMON = notice("Your query holds only very common words, so all documents are shown.")


class _Unreadable(Exception):
    """The text is not valid syntax (``NOT NOT x``, ``a AND OR b``, deep nesting)."""


def parse(text: str) -> ParsedQuery:
    """Parse what a person typed. Never raises: malformed syntax is read as words,
    and what was changed is said in ``notices``."""
    notices: list[str] = []
    text = (text or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notices.append(plural_notice(
            "Your query was shortened to its first %(num)s character.",
            "Your query was shortened to its first %(num)s characters.", MAX_QUERY_CHARS))
    text = _alias_fields(text)
    text = _unknown_fields_as_words(text, notices)
    # A question mark ends a question; only inside a word is it a wildcard.
    text = re.sub(r"\?+(?=\s|$)", " ", text).strip()
    language = query_language(text)
    if not text:
        return ParsedQuery(None, notices=tuple(notices))

    if _SYNTAX.search(text) is None:
        return _simple(text, language, notices)
    try:
        tree = _Parser(_tokens(text), language).parse()
    except _Unreadable:
        # As plain words: operators that could not be read ("NOT NOT x") are dropped.
        notices.append(COULD_NOT_READ)
        return _simple(" ".join(w for w in _WORD_RE.findall(text) if w not in _OPERATORS),
                       language, notices)
    if tree is None or isinstance(tree, Every):
        if tree is None and _WORD_RE.search(text):
            notices.append(ONLY_COMMON)
        return ParsedQuery(None, language=language, notices=tuple(notices))
    # A word or phrase holds its words as read; a pattern as typed.
    stops = query_stopwords(language)
    words = tuple(dict.fromkeys(w for node in walk(tree) for w in surface_words(node)
                                if isinstance(node, Word | Phrase) or w not in stops))
    return ParsedQuery(tree, words=words[:MAX_CLAUSES], language=language,
                       notices=tuple(notices))


def _simple(text: str, language: str | None, notices: list[str]) -> ParsedQuery:
    """Plain words: one clause per distinct word, and the neighbouring pairs."""
    words = tuple(dict.fromkeys(analyse(text, language)))
    asked = QUESTION_WORDS.get(language or "", frozenset())
    if any(w not in asked for w in words):
        words = tuple(w for w in words if w not in asked)
    found = acronyms(text, language)
    if not words:
        if _WORD_RE.search(text):
            notices.append(ONLY_COMMON)
        return ParsedQuery(None, language=language, notices=tuple(notices), acronyms=found)
    clauses = tuple(Word("text", w) for w in words)
    query = clauses[0] if len(clauses) == 1 else Or(clauses)
    if len(clauses) > MAX_CLAUSES:
        clauses = clauses[:MAX_CLAUSES]
        notices.append(plural_notice("Only the first word of your query was used.",
                                     "Only the first %(num)s words of your query were used.",
                                     MAX_CLAUSES))
    pairs = tuple(zip(words, words[1:], strict=False))[:MAX_PAIRS] if len(clauses) > 1 else ()
    return ParsedQuery(query, clauses=clauses, pairs=pairs, words=words[:MAX_CLAUSES],
                       language=language, notices=tuple(notices),
                       compounds=compounds(text, language), acronyms=found)


#: A word in capitals that may be an acronym ("WHO", "US"): two to five letters.
_ACRONYM = re.compile(r"[^\W\d_]{2,5}")


def acronyms(text: str, language: str | None = None) -> tuple[str, ...]:
    """The stop words ``text`` types in capitals as acronyms, lowercased: "WHO" in
    "WHO guidelines" or alone, not in a query all in capitals ("WHO IS A REFUGEE")."""
    words = _WORD_RE.findall(text)
    if len(words) > 1 and not any(c.islower() for c in text):
        return ()
    stops = query_stopwords(language)
    return tuple(dict.fromkeys(
        w.lower() for w in words
        if w.isupper() and _ACRONYM.fullmatch(w) and w.lower() in stops))


#: Words joined by hyphens (ASCII, Unicode hyphen, non-breaking hyphen).
_COMPOUND = re.compile(rf"{WORD}(?:[-\u2010\u2011]{WORD})+")


def compounds(text: str, language: str | None = None) -> tuple[tuple[str, ...], ...]:
    """The runs of words ``text`` joins by hyphens, as a query holds them ("Qu'est-ce
    que le non-refoulement" -> (("non", "refoulement"),)); a run left with fewer than
    two words once stop words are gone ("est-ce") is none."""
    out = []
    for m in _COMPOUND.finditer(text):
        words = tuple(analyse(m.group(0), language))
        if len(words) > 1 and words not in out:
            out.append(words)
    return tuple(out)


def analyse(text: str, language: str | None = None) -> list[str]:
    """The words of ``text`` as a query in ``language`` holds them: lowercased, without
    a French elision ("l'OIM" -> "oim") or an English possessive ("Colombia's" ->
    "colombia": else only English's stemmer finds the name), that language's stop words dropped
    (``query_stopwords``), even one typed in capitals ("WHO"): the index drops it from
    the documents in that language, so they could not match it and the documents of
    other languages holding it would be shown alone."""
    stops = query_stopwords(language)
    return [w for w in (without_possessive(unelide(m.lower())) for m in _WORD_RE.findall(text))
            if w not in stops]


# -- tokens --------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<open>\()
  | (?P<close>\))(?:\^(?P<close_boost>\d+(?:\.\d+)?)(?=[\s()]|$))?
  | "(?P<phrase>[^"]*)"(?:~(?P<slop>\d+))?(?:\^(?P<phrase_boost>\d+(?:\.\d+)?))?
  | (?P<quote>")
  | (?P<range>[\[{])\s*(?:(?P<start>[^\s\]}]+)\s+)?TO
    (?:\s+(?P<end>[^\s\]}]+))?\s*(?P<range_end>[\]}])
  | (?P<field>\w+):(?=[^\s)])
  | (?P<mark>(?<![^\s(])[+-])(?=[^\s)])
  | (?P<word>[^\s()"]+)
""", re.VERBOSE)

_BOOST = re.compile(r"\^(\d+(?:\.\d+)?)$")


def _tokens(text: str) -> list[tuple[str, object]]:
    """The text as (kind, value) tokens; a quote without its pair is dropped."""
    out: list[tuple[str, object]] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "space" or kind == "quote":
            continue
        if m.group("close") is not None:
            boost = m.group("close_boost")
            out.append(("close", float(boost) if boost else 1.0))
        elif m.group("phrase") is not None:
            boost = m.group("phrase_boost")
            out.append(("phrase", (m.group("phrase"), int(m.group("slop") or 1),
                                   float(boost) if boost else 1.0)))
        elif m.group("range") is not None:
            out.append(("range", (m.group("start"), m.group("end"), m.group("range") == "{",
                                  m.group("range_end") == "}")))
        elif kind == "field" and m.group("field") not in FIELDS:
            out.append(("word", (m.group("field"), 1.0)))
        elif kind == "field":
            out.append(("field", m.group("field")))
        elif kind == "mark":
            out.append(("mark", m.group("mark")))
        elif kind == "word" and m.group("word") in _OPERATORS:
            out.append(("op", m.group("word")))
        elif kind == "word":
            raw = m.group("word")
            boost = _BOOST.search(raw)
            if boost and boost.start() > 0:
                out.append(("word", (raw[:boost.start()], float(boost.group(1)))))
            else:
                out.append(("word", (raw, 1.0)))
        else:
            out.append((kind, None))
    return out


# -- the parser ----------------------------------------------------------------------

class _Parser:
    """Recursive descent over the tokens; see the module's docstring for the grammar."""

    def __init__(self, tokens: list[tuple[str, object]], language: str | None = None):
        self.tokens = tokens
        #: The query's language: whose stop words its words drop (``analyse``).
        self.language = language
        self.at = 0
        self.depth = 0

    def peek(self) -> tuple[str, object] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, object]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Node | None:
        node = self.group("text")
        while self.peek() is not None:       # a stray ")": skip it and read on
            self.take()
            more = self.group("text")
            node = _join(And, [node, more])
        return node

    def group(self, field: str) -> Node | None:
        """Clauses up to a ``)`` or the end, with ``+`` and ``-`` marks: as Whoosh,
        the required ones AND-MAYBE the others, minus the banned ones."""
        required: list[Node | None] = []
        optional: list[Node | None] = []
        banned: list[Node | None] = []
        while (token := self.peek()) is not None and token[0] != "close":
            into = optional
            if token[0] == "mark":
                self.take()
                into = required if token[1] == "+" else banned
            if (token := self.peek()) is None or token[0] == "close":
                break
            if token[0] == "op" and token[1] in _BINARY:
                self.take()                  # an operator without a left side: ignored
                continue
            into.append(self.maybe(field))
        node = _join(And, optional)
        if any(n is not None for n in required):
            required_node = _join(And, required)
            node = AndMaybe(required_node, node) if node is not None else required_node
        negative = _join(Or, banned)
        if negative is not None and node is not None:
            node = AndNot(node, negative)
        return node

    def binary(self, operator: str, operand, combine) -> Node | None:
        node = operand()
        while self.peek() == ("op", operator):
            self.take()
            following = self.peek()
            if following is None or following[0] == "close":
                break                        # "x AND": the operator is ignored
            if following[0] == "op" and following[1] in _BINARY:
                raise _Unreadable(operator)  # "a AND OR b"
            node = combine(node, operand())
        return node

    def maybe(self, field: str) -> Node | None:
        return self.binary("ANDMAYBE", lambda: self.andnot(field),
                           lambda a, b: a if a is None or b is None else AndMaybe(a, b))

    def andnot(self, field: str) -> Node | None:
        return self.binary("ANDNOT", lambda: self.either(field),
                           lambda a, b: a if a is None or b is None else AndNot(a, b))

    def either(self, field: str) -> Node | None:
        return self.binary("OR", lambda: self.both(field), lambda a, b: _join(Or, [a, b]))

    def both(self, field: str) -> Node | None:
        return self.binary("AND", lambda: self.unary(field), lambda a, b: _join(And, [a, b]))

    def unary(self, field: str) -> Node | None:
        token = self.peek()
        if token == ("op", "NOT"):
            self.take()
            following = self.peek()
            if following == ("op", "NOT"):
                raise _Unreadable("NOT NOT")
            if following is None or following[0] in ("close", "op"):
                return None                  # "x NOT", "NOT AND": the NOT is ignored
            inner = self.unary(field)
            return Not(inner) if inner is not None else None
        return self.atom(field)

    def atom(self, field: str) -> Node | None:
        kind, value = self.take()
        if kind == "field":
            following = self.peek()
            if following is None or following[0] in ("close", "op", "mark"):
                return _text_words("text", str(value), 1.0, self.language)
            return self.atom(str(value))
        if kind == "open":
            if self.depth >= MAX_DEPTH:
                raise _Unreadable("nesting")
            self.depth += 1
            node = self.group(field)
            self.depth -= 1
            boost = 1.0
            if self.peek() is not None:
                boost = float(self.take()[1])   # the ")" and its boost
            return _boosted(node, boost)
        if kind == "phrase":
            raw, slop, boost = value
            return _phrase(field, raw, slop, boost, self.language)
        if kind == "range":
            start, end, start_excluded, end_excluded = value
            if field in TEXT_FIELDS:
                return None                  # no ranges over words
            return Range(field, start, end, start_excluded, end_excluded)
        if kind == "mark":
            return None
        if kind == "op":                     # an operator where a clause should be
            return None
        raw, boost = value
        return _word(field, raw, boost, self.language)


def _join(cls, items: list[Node | None]) -> Node | None:
    """``cls`` (And or Or) of the items that are not None, flattened, without
    repeats; the item itself when only one is left."""
    flat: list[Node] = []
    for item in items:
        if item is None:
            continue
        for sub in (item.items if isinstance(item, cls) else (item,)):
            if sub not in flat:
                flat.append(sub)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else cls(tuple(flat))


def _word(field: str, raw: str, boost: float, language: str | None) -> Node | None:
    if any(c in raw for c in "*?"):
        return _pattern(field, raw.lower(), boost)
    if field not in TEXT_FIELDS:
        values = [v for v in raw.lower().split(",") if v]
        return _join(And, [Word(field, v, boost) for v in values])
    return _text_words(field, raw, boost, language)


def _text_words(field: str, raw: str, boost: float, language: str | None) -> Node | None:
    """A run of characters read as words ("re-integration": re AND integration)."""
    return _join(And, [Word(field, w, boost) for w in analyse(raw, language)])


def _pattern(field: str, pattern: str, boost: float) -> Node | None:
    if field in TEXT_FIELDS:
        # Punctuation around the pattern is not part of it ("migra*,").
        pattern = re.sub(r"^[^\w*?]+|[^\w*?]+$", "", pattern)
    if not _WORD_RE.search(pattern):
        return Every()               # "*", "*:*"
    stem = pattern[:-1]
    if pattern.endswith("*") and not any(c in stem for c in "*?"):
        return Prefix(field, stem, boost)
    return Wildcard(field, pattern, boost)


def _phrase(field: str, raw: str, slop: int, boost: float,
            language: str | None) -> Node | None:
    if field not in TEXT_FIELDS:
        value = " ".join(raw.lower().split())
        return Word(field, value, boost) if value else None
    words = analyse(raw, language)
    if len(words) > 1:
        return Phrase(field, tuple(words), slop, boost)
    return Word(field, words[0], boost) if words else None


def _boosted(node: Node | None, factor: float) -> Node | None:
    """``node`` with its leaves' boosts multiplied by ``factor`` (``(a b)^2``)."""
    if node is None or factor == 1.0:
        return node
    if isinstance(node, Word | Phrase | Prefix | Wildcard):
        return type(node)(**{**node.__dict__, "boost": node.boost * factor})
    if isinstance(node, And | Or):
        return type(node)(tuple(_boosted(n, factor) for n in node.items))
    if isinstance(node, AndNot):
        return AndNot(_boosted(node.positive, factor), node.negative)
    if isinstance(node, AndMaybe):
        return AndMaybe(_boosted(node.required, factor), _boosted(node.optional, factor))
    return node


# -- fields --------------------------------------------------------------------------

def _alias_fields(text: str) -> str:
    def repl(m):
        return _FIELD_ALIASES[m.group(1).lower()] + ":"
    pattern = r"\b(" + "|".join(_FIELD_ALIASES) + r"):"
    return re.sub(pattern, repl, text, flags=re.IGNORECASE)


def _unknown_fields_as_words(text: str, notices: list[str]) -> str:
    unknown = []

    def repl(m):
        name = m.group(1)
        if name.lower() in FIELDS:
            return name.lower() + ":"
        unknown.append(name)
        return name + " "
    out = re.sub(r"\b(\w+):(?=\S)", repl, text)
    if unknown:
        notices.append(notice("Unknown field %(unknown)s: searched as words. "
                              "Fields you can use: %(fields)s.",
                              unknown=", ".join(sorted(set(unknown))),
                              fields=", ".join(sorted(FIELDS))))
    return out


def _strip_fields(text: str) -> str:
    """The text without facet clauses such as agency:IOM (not words of a language)."""
    names = "|".join(FACET_FIELDS)
    return re.sub(rf'\b(?:{names}):(?:"[^"]*"|\S+)', " ", text, flags=re.IGNORECASE)


# -- the query's language ------------------------------------------------------------

def query_language(text: str) -> str | None:
    """The language code of a query's words (two words at least, or one in a script of
    its own: CJK, where Chinese is typed without spaces, Cyrillic, Arabic; or one with a
    letter or an ending of one language: "migración", "vulnerabilidad"), or None when
    unclear."""
    words = tuple(w.lower() for w in _WORD_RE.findall(_strip_fields(text)))
    if KANA.search(text):
        return "ja"
    if HANGUL.search(text):
        return "ko"
    if HAN.search(text):
        return "zh"
    if len(words) >= 2 or (words and _LATIN_MARK.search(words[0])):
        return _query_language(words)
    if CYRILLIC.search(text):
        return "ru"
    return "ar" if ARABIC.search(text) else None


@lru_cache(maxsize=8192)
def _query_language(words: tuple[str, ...]) -> str | None:
    """Function words ("of", "des", "los") and letters particular to a language (ñ,
    ç, ã, ß, Cyrillic, Arabic) decide; statistical detection is unreliable on a few
    words (it reads "labour migration recruitment fees Qatar" as French), so it is
    not used."""
    text = " ".join(words)
    # A question word ("combien", "cuántos") tells its language as a function word does.
    votes = {lang: 2 * sum(w in stops or w in QUESTION_WORDS.get(lang, ()) for w in words)
             for lang, stops in _FUNCTION_WORDS.items()}
    # An elided article or pronoun ("l'OIM", "qu'est-ce") is French.
    votes["fr"] += 2 * sum(unelide(w) != w for w in words)
    for lang, letters in _LETTERS.items():
        votes[lang] = votes.get(lang, 0) + sum(1 for c in text if c in letters)
    for lang, endings in _ENDINGS.items():
        votes[lang] += sum(1 for w in words if w.endswith(endings))
    if re.search("[\u0400-\u04ff]", text):
        votes["ru"] = votes.get("ru", 0) + 10
    if re.search("[\u0600-\u06ff]", text):
        votes["ar"] = votes.get("ar", 0) + 10
    best = max(votes.values())
    leaders = [lang for lang, n in votes.items() if n == best]
    if best > 0 and len(leaders) == 1:
        return leaders[0]
    if best > 0:
        return _by_dictionary(words, leaders)
    # "de", "en", "la", "que", "un" say French or Spanish, not which, unless they are
    # part of a name in an English query ("Rio de Janeiro floods"): English must hold
    # fewer of the words than the one chosen.
    if not any(w in _FRENCH_OR_SPANISH for w in words):
        return None
    chosen = _by_dictionary(words, ["fr", "es"])
    return chosen if chosen and _held(words, ["fr", "es"], chosen) > _held(
        words, ["fr", "es"], "en") else None


#: Function words French and Spanish share (and English lacks).
_FRENCH_OR_SPANISH = frozenset(("de", "en", "la", "que", "un"))


def _by_dictionary(words: tuple[str, ...], candidates: list[str]) -> str | None:
    """Of the languages a query's function words leave tied (``candidates``: French
    or Spanish for "brote de difteria en Yemen", whose "de" and "en" both share), the
    one whose general dictionary holds more of its other words, if one does; None
    otherwise. A query without function words ("cadre harmonisé") stays undecided:
    its words alone may be any language's ("IDP rapatriement volontaire")."""
    if len(candidates) < 2 or not set(candidates) <= {"en", "fr", "es"}:
        return None
    held = {lang: _held(words, candidates, lang) for lang in candidates}
    best = max(held.values())
    leaders = [lang for lang, n in held.items() if n == best]
    return leaders[0] if best > 0 and len(leaders) == 1 else None


def _held(words: tuple[str, ...], candidates: list[str], language: str) -> int:
    """How many of ``words`` (but the ``candidates``' function words and words of two
    letters) the general dictionary holds as words of ``language``."""
    dictionary = bundled_dictionary()
    return sum(dictionary.holds(w, language) for w in words if len(w) > 2
               and not any(w in _FUNCTION_WORDS[lang] for lang in candidates))


#: Word endings only one of English, French and Spanish has ("vulnerabilidad",
#: "informalidad"; "sécurité", "vulnérabilités").
_ENDINGS = {"es": ("idad", "idades"), "fr": ("ité", "ités")}
#: Letters that point to one language more than the others.
_LETTERS = {"es": "ñáíóú¿¡", "fr": "çèêëàâîïôûùœ", "pt": "ãõ", "de": "äöüß"}
#: A single word with one of those letters or endings tells its language too.
_LATIN_MARK = re.compile("[" + "".join(_LETTERS.values()) + "]|(?:"
                         + "|".join(e for ends in _ENDINGS.values() for e in ends) + ")$")


#: Short function words that tell a query's language (not full stop lists: "a",
#: "de", "la", "en", "un" and "que" are shared, so they are left out where ambiguous).
_FUNCTION_WORDS = {
    "en": frozenset("the of and in on for with from to about what how which why who is are "
                    "do does did can should between by into many much there that this was "
                    "were has have".split()),
    "fr": frozenset("le les des du et au aux pour dans sur avec une est sont quels quelle "
                    "comment pourquoi entre par ces il ils elle elles qui leur leurs nous "
                    "vous ne pas depuis vers chez".split()),
    "es": frozenset("el los las del y con para por una es son cuáles cuál cómo qué "
                    "entre sobre hay lo están está tiene tienen muy más desde hacia sin".split()),
    "pt": frozenset("os as do da dos das em com uma não são como entre sobre".split()),
    "de": frozenset("der die das und den dem mit für von im ist sind wie zwischen "
                    "über auf".split()),
}
