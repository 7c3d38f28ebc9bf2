"""Build corpus/dictionary.tsv.gz: words of English, French and Spanish with their
translations in the other two, from Apertium's bilingual dictionaries.

Run on a machine with Debian's packages ``apertium-eng-spa``, ``apertium-fr-es``,
``lttoolbox``, ``dict-freedict-eng-fra``, ``dict-freedict-fra-eng`` and the word lists
``wamerican``, ``wfrench`` and ``wspanish``:

    python3 scripts/build_dictionary.py corpus/dictionary.tsv.gz

Each word of a language's list is analysed by Apertium's morphological analyser of that
language (its lemmas that are nouns, adjectives or verbs) and each lemma translated by
the pair's bilingual dictionary; English and French, which no Apertium pair of Debian's
joins, are joined through Spanish (the English lemma's Spanish translation translated
again) and by FreeDict's English-French and French-English dictionaries (one-word
translations of the lemma; one both give counts twice). A
line holds the source and target language, the source word's key
(``searchhub.dictionary.word_key``: the form, folded) and the translations the
most forms of that key have, "|"-separated. The program reads the file, never Apertium.
"""

from __future__ import annotations

import argparse
import gzip
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from searchhub.dictionary import MAX_TRANSLATIONS, word_key  # noqa: E402
from searchhub.text import fold  # noqa: E402

APERTIUM = Path("/usr/share/apertium")
ANALYSERS = {"en": APERTIUM / "apertium-eng-spa/eng-spa.automorf.bin",
             "es": APERTIUM / "apertium-eng-spa/spa-eng.automorf.bin",
             "fr": APERTIUM / "apertium-fr-es/fr-es.automorf.bin"}
BIDIX = {("en", "es"): APERTIUM / "apertium-eng-spa/eng-spa.autobil.bin",
         ("es", "en"): APERTIUM / "apertium-eng-spa/spa-eng.autobil.bin",
         ("fr", "es"): APERTIUM / "apertium-fr-es/fr-es.autobil.bin",
         ("es", "fr"): APERTIUM / "apertium-fr-es/es-fr.autobil.bin"}
FREEDICT = Path("/usr/share/dictd")
#: FreeDict's pairs joining English and French directly (Debian's dict-freedict-eng-fra
#: and dict-freedict-fra-eng, GPL), beside Apertium's through Spanish.
FREEDICT_PAIRS = {("en", "fr"): "eng-fra", ("fr", "en"): "fra-eng"}
_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
WORDS = {"en": Path("/usr/share/dict/american-english"),
         "es": Path("/usr/share/dict/spanish"), "fr": Path("/usr/share/dict/french")}
#: A verb's forms kept (infinitive, participles, gerund).
VERB_FORMS = ("<inf>", "<pp>", "<ger>", "<pprs>", "<subs>")
_UNIT = re.compile(r"\^(.*?)\$")
_LETTERS = re.compile(r"[^\W\d_]+(?:[- ][^\W\d_]+)*")


def lt_proc(args: list[str], lines: list[str]) -> list[str]:
    out = subprocess.run(["lt-proc", *args], input="\n".join(lines) + "\n",
                         capture_output=True, text=True, check=True).stdout
    return _UNIT.findall(out)


def analyses(language: str) -> dict[str, set[str]]:
    """Each lowercase word of the language's list: its analyses ("lemma<n><pl>") that
    are content words."""
    words = sorted({w.strip() for w in WORDS[language].read_text(encoding="utf-8").split("\n")
                    if w.strip() and w.strip() == w.strip().lower()
                    and _LETTERS.fullmatch(w.strip())})
    out: dict[str, set[str]] = {}
    for unit in lt_proc([str(ANALYSERS[language])], words):
        form, *readings = unit.split("/")
        kept = {r for r in readings if not r.startswith("*") and r.split("<", 1)[0]
                and "+" not in r and _content(r)}
        if kept:
            out[form] = kept
    return out


def _content(reading: str) -> bool:
    """A noun or adjective, or a verb's infinitive, participle or gerund (a conjugated
    verb is seldom a query's word, and its forms would double the file)."""
    tags = re.findall(r"<[^>]+>", reading)
    if not tags:
        return False
    if tags[0] in ("<n>", "<adj>"):
        return True
    return tags[0] == "<vblex>" and any(t in VERB_FORMS for t in tags[1:2])


def translated(pair: tuple[str, str], readings: set[str]) -> dict[str, list[str]]:
    """Each reading's translations (readings), by the pair's bilingual dictionary."""
    ordered = sorted(readings)
    out = {}
    for unit in lt_proc(["-b", str(BIDIX[pair])], [f"^{r}$" for r in ordered]):
        source, *targets = unit.split("/")
        out[source] = [t for t in targets if not t.startswith("@") and t.split("<", 1)[0]]
    return out


def freedict(pair: str) -> dict[str, list[str]]:
    """FreeDict's dictionary ``pair`` ("eng-fra"): each headword's translations, in
    its order (the senses' numbers and the pronunciation dropped), or nothing when
    the package is not installed."""
    index, body = FREEDICT / f"freedict-{pair}.index", FREEDICT / f"freedict-{pair}.dict.dz"
    if not index.is_file() or not body.is_file():
        return {}
    data = gzip.open(body).read()
    out: dict[str, list[str]] = {}
    for line in index.read_text(encoding="utf-8").splitlines():
        head, offset, length = line.split("\t")
        if head.startswith("00") or head != head.lower():
            continue
        start = _base64(offset)
        entry = data[start:start + _base64(length)].decode("utf-8").split("\n")[1:]
        words = [w.strip() for sense in entry
                 for w in re.sub(r"^\d+\.\s*|\([^)]*\)", "", sense).split(",")]
        # One word each: its multi-word glosses ("camp of tents") are explanations.
        out.setdefault(head, []).extend(w.lower() for w in words
                                        if _LETTERS.fullmatch(w) and " " not in w)
    return out


def _base64(text: str) -> int:
    """dictd's numbers: base 64, most significant digit first."""
    n = 0
    for c in text:
        n = n * 64 + _DIGITS.index(c)
    return n


def lemma(reading: str) -> str:
    return reading.split("<", 1)[0].replace("#", " ").strip().lower()


def build() -> list[tuple[str, str, str, tuple[str, ...]]]:
    rows = []
    for source in ("en", "fr", "es"):
        forms = analyses(source)
        readings = {r for rs in forms.values() for r in rs}
        direct = "es" if source != "es" else None
        steps: dict[str, dict[str, list[str]]] = {}
        if direct:
            steps["es"] = translated((source, "es"), readings)
            spanish = {t for ts in steps["es"].values() for t in ts}
            other = "fr" if source == "en" else "en"
            again = translated(("es", other), spanish)
            steps[other] = {r: [t for s in ts for t in again.get(s, [])]
                            for r, ts in steps["es"].items()}
        else:
            for target in ("en", "fr"):
                steps[target] = translated(("es", target), readings)
        for target, table in steps.items():
            direct = freedict(FREEDICT_PAIRS.get((source, target), ""))
            by_key: dict[str, Counter] = defaultdict(Counter)
            for form, rs in forms.items():
                key = word_key(form)
                own = {fold(lemma(r)) for r in rs} | {fold(form)}
                for r in rs:
                    # A translation both dictionaries give counts twice.
                    found = [*dict.fromkeys(lemma(t) for t in table.get(r, [])),
                             *dict.fromkeys(direct.get(lemma(r), ()))]
                    for t in found:
                        if t and fold(t) not in own and _LETTERS.fullmatch(t):
                            by_key[key][t] += 1
            for key, counts in by_key.items():
                ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
                best = tuple(t for t, _ in ranked[:MAX_TRANSLATIONS])
                rows.append((source, target, key, best))
    return sorted(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    rows = build()
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("# source\ttarget\tkey\ttranslations (Apertium apertium-eng-spa and "
                "apertium-fr-es, FreeDict eng-fra and fra-eng, GPL; "
                "scripts/build_dictionary.py)\n")
        for source, target, key, best in rows:
            f.write(f"{source}\t{target}\t{key}\t{'|'.join(best)}\n")
    print(f"{len(rows)} keys -> {args.out}")


if __name__ == "__main__":
    main()
