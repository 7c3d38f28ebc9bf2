"""Regular cognates between English, French and Spanish: a word the lexicon does not
know, spelt as the other languages spell the same Latin word.

Most of the vocabulary of policy and humanitarian writing is Latin in all three
languages and changes spelling by regular endings: "información" and "information",
"vulnerabilidad", "vulnérabilité" and "vulnerability", "económico", "économique" and
"economic", "emergencia" and "emergency". Analysed with each language's stemmer those
stay apart ("informacion" is no English stem of "information"), so a French or Spanish
query finds no English document through them. ``cognates`` rewrites a word's ending
(and a few Spanish beginnings: "inmigración", "estrategia") by these rules; a form no
document holds matches nothing, so a rule that makes a word that does not exist costs
a lookup and nothing else. The rules are the regular correspondences of grammars of
the three languages, not a list of words; false friends (Spanish "actual") are rare
among the endings rewritten, and a cognate weighs less than the typed word
(``searchhub.lexicon.COGNATE_BOOST``) and counts only where the typed word is missing.
"""

from __future__ import annotations

from functools import lru_cache

from searchhub.text import fold

#: (source language, target language): (ending, its replacements), the longest ending
#: first; a word takes the first ending it has. Words are folded (no accents).
_ENDINGS: dict[tuple[str, str], tuple[tuple[str, tuple[str, ...]], ...]] = {
    ("es", "en"): (
        ("izaciones", ("izations", "isations")), ("izacion", ("ization", "isation")),
        ("ciones", ("tions",)), ("cion", ("tion",)), ("siones", ("sions",)),
        ("sion", ("sion", "ssion")), ("idades", ("ities",)), ("idad", ("ity",)),
        ("encias", ("encies",)), ("encia", ("ency", "ence")), ("ancias", ("ances",)),
        ("ancia", ("ance", "ancy")), ("arios", ("aries", "arians")),
        ("arias", ("aries", "arians")), ("ario", ("ary", "arian")), ("aria", ("ary", "arian")),
        ("icos", ("ics", "ical")), ("icas", ("ics", "ical")), ("ico", ("ic", "ical")),
        ("ica", ("ic", "ical")), ("ivos", ("ives",)), ("ivas", ("ives",)), ("ivo", ("ive",)),
        ("iva", ("ive",)), ("osos", ("ous",)), ("osas", ("ous",)), ("oso", ("ous",)),
        ("osa", ("ous",)), ("ismo", ("ism",)), ("istas", ("ists",)), ("ista", ("ist",)),
        ("antes", ("ants",)), ("ante", ("ant",)), ("entes", ("ents",)), ("ente", ("ent",)),
        ("uras", ("ures",)), ("ura", ("ure",)), ("inas", ("ines",)), ("ina", ("ine",)),
        ("ados", ("ates",)), ("ado", ("ate",)), ("ada", ("ate",)), ("ias", ("ies",)),
        ("ia", ("y",)), ("mente", ("ly",)), ("izar", ("ize",)), ("ales", ("als",)),
    ),
    ("fr", "en"): (
        ("ites", ("ities",)), ("ite", ("ity",)), ("etes", ("eties",)), ("ete", ("ety",)),
        ("iques", ("ics", "ical")), ("ique", ("ic", "ical")), ("aires", ("aries",)),
        ("aire", ("ary", "arian")), ("eurs", ("ors",)), ("eur", ("or",)),
        ("ifs", ("ives",)), ("if", ("ive",)), ("eux", ("ous",)), ("euse", ("ous",)),
        ("isme", ("ism",)), ("ie", ("y",)), ("elles", ("als",)), ("elle", ("al",)),
        ("els", ("als",)), ("el", ("al",)), ("ement", ("ly",)),
    ),
    ("es", "fr"): (
        ("izaciones", ("isations",)), ("izacion", ("isation",)), ("ciones", ("tions",)),
        ("cion", ("tion",)), ("idades", ("ites",)), ("idad", ("ite",)),
        ("encias", ("ences",)), ("encia", ("ence",)), ("ancias", ("ances",)),
        ("ancia", ("ance",)), ("arios", ("aires",)), ("arias", ("aires",)),
        ("ario", ("aire",)), ("aria", ("aire",)), ("icos", ("iques",)), ("icas", ("iques",)),
        ("ico", ("ique",)), ("ica", ("ique",)), ("ivos", ("ifs",)), ("ivas", ("ives",)),
        ("ivo", ("if",)), ("iva", ("ive",)), ("ismo", ("isme",)), ("ista", ("iste",)),
        ("or", ("eur",)),
    ),
    ("fr", "es"): (
        ("isations", ("izaciones",)), ("isation", ("izacion",)), ("tions", ("ciones",)),
        ("tion", ("cion",)), ("ites", ("idades",)), ("ite", ("idad",)),
        ("iques", ("icos", "icas")), ("ique", ("ico", "ica")), ("aires", ("arios",)),
        ("aire", ("ario", "aria")), ("eurs", ("ores",)), ("eur", ("or",)), ("isme", ("ismo",)),
    ),
}
#: Spanish beginnings another language spells otherwise: "inm" (inmigración,
#: immigration), "es" before a consonant cluster (estrategia, strategy).
_SPANISH_BEGINNINGS = (("inm", "imm"),)
_CLUSTER = ("esp", "est", "esc")
#: Words the rules would turn into an English word of another meaning (false friends):
#: Spanish "policía" is the police, not a policy; "estado" a state, not an estate;
#: "realizar" is to carry out, "efectivo" cash, "varias" several, "ambiente" the
#: environment; French "partie" a part, "actuel" current, "éventuel" possible. Checked
#: on the 3,000 commonest words of the corpus's French and Spanish reports.
_FALSE_FRIENDS = frozenset(fold(w) for w in (
    "policía", "policías", "estado", "estados", "realizar", "efectivo", "efectiva", "varias",
    "varios", "ambiente", "principales", "actualmente", "eventualmente", "eventual",
    "eventuales", "partie", "parties", "actuel", "actuelle", "actuels", "actuelles",
    "éventuel", "éventuelle", "éventuels", "éventuelles"))
#: Shorter words are too often another word elsewhere.
MIN_LENGTH = 5
#: Forms kept per word and language.
MAX_FORMS = 3


@lru_cache(maxsize=20_000)
def cognates(word: str, language: str, target: str) -> tuple[str, ...]:
    """The spellings of ``word`` (of ``language``) as a ``target`` cognate, by the
    rules above; none when no rule applies or the word is short or not Latin script."""
    folded = fold(word.lower())
    rules = _ENDINGS.get((language, target))
    if (not rules or len(folded) < MIN_LENGTH or not folded.isascii() or not folded.isalpha()
            or folded in _FALSE_FRIENDS):
        return ()
    stems = [folded]
    if language == "es":
        for old, new in _SPANISH_BEGINNINGS:
            if folded.startswith(old):
                stems = [new + folded[len(old):]]
        if folded.startswith(_CLUSTER) and target == "en":
            stems.append(folded[1:])
    out: list[str] = []
    for stem in stems:
        for ending, replacements in rules:
            if stem.endswith(ending) and len(stem) - len(ending) >= 3:
                out += [stem[:-len(ending)] + r for r in replacements]
                break
        else:
            if stem != folded:
                out.append(stem)
    return tuple(w for w in dict.fromkeys(out) if w != folded)[:MAX_FORMS]
