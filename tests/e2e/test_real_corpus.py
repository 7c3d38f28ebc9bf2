"""The real corpus in ../shared: every document indexed or reported, languages
detected, body words found, and relevance floors on the dev, extra, six-language and
blind judgments."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter

import pytest
from real_corpus import build_real_index

from searchhub.models import Query, document_id
from searchhub.relevance import eval_key, evaluate

pytestmark = pytest.mark.e2e

#: Dev-set floor: fails when a change makes ranking worse (measured 0.918 / 0.873 with
#: a missing word's share lost; 0.915 / 0.875 with a
#: word's rarity counted among its language's documents, 0.918 / 0.882 before; 0.921 /
#: 0.890 with the query's language preferred when it answers, and the language of
#: queries without function words taken from their terms; 0.910 / 0.874 before; 0.901 / 0.859 before
#: French elisions, question words, BM25 b 0.4 and the wider lexicon; 0.883 / 0.824
#: before the lexicon).
NDCG_FLOOR = 0.90
RECALL_FLOOR = 0.86
#: Floor on eval/extra-qrels.jsonl, 43 queries (measured 0.930 / 0.931 with a missing
#: word's share lost, questions 0.955; 0.929 / 0.942 with cognates, the
#: general humanitarian words and "principle of non-refoulement" as a term, questions
#: 0.953; 0.924 / 0.942 with the wider
#: lexicon of December 2026, questions 0.931; 0.922 / 0.942 with respellings
#: searched as lexicon terms; 0.919 / 0.938 with rarity per language, cross-language
#: 0.910, questions 0.925; 0.916 / 0.919 with English
#: folded before stemming and compounds of two terms crossing languages; 0.909 / 0.919
#: with the agencies in the lexicon; 0.901 / 0.919 with hyphenated compounds bound; 0.881
#: / 0.907 and 0.879 / 0.899 before; 0.747 / 0.801 before the changes above), on its
#: cross-language queries (0.898; 0.878, 0.852, 0.843 and 0.608 before) and its questions
#: (0.918; 0.896 and 0.705 before); every cross-language query must find one of its
#: answers in the top 10.
#: A wider margin than the dev set's: one query moves the mean by up to 0.02, a
#: cross-language one the kind's by up to 0.07 (on a loaded machine the 95-page AAP
#: report timed out and the mean fell by 0.04).
EXTRA_NDCG_FLOOR = 0.89
EXTRA_RECALL_FLOOR = 0.90
CROSS_LANGUAGE_NDCG_FLOOR = 0.86
QUESTION_NDCG_FLOOR = 0.90
#: Floor on eval/six-languages-qrels.jsonl, 21 queries in Arabic, Russian and Chinese (measured
#: 0.784 / 0.703 with a term's alternatives scoring the best of them: ar 0.801, ru 0.825, zh 0.726;
#: 0.775 / 0.696 with an Arabic preposition written onto its word looked up without it: ar 0.783,
#: ru 0.814, zh 0.727; 0.741 / 0.696 with a word no document holds weighing nothing in the share,
#: and a query left with two words needing both: ar 0.700, ru 0.798, zh 0.727; 0.730 / 0.677 with
#: the lexicon's concepts in Arabic and Chinese where they lacked them: ar 0.700, ru 0.764, zh
#: 0.727; 0.709 / 0.639 with rarity per language and shared spellings searched in each language;
#: 0.718 / 0.647, 21 answered in the top 10, with places in the lexicon; 0.600 / 0.579, 18
#: answered, before them; 0.308 / 0.288, 10 answered, before their query-side work), each
#: language's mean above LANGUAGE_NDCG_FLOOR.
SIX_LANGUAGES_NDCG_FLOOR = 0.72
SIX_LANGUAGES_ANSWERED = 20
LANGUAGE_NDCG_FLOOR = 0.62
#: Floor on eval/blind-qrels.jsonl, 140 queries written and judged blind (measured 0.804
#: / 0.804, 34 of 35 cross-language queries answered, with round k01-k24 added, regions
#: and smaller places lifting the documents about their countries, and a tie of French
#: and Spanish function words settled by the dictionary; on the first 116 0.803
#: / 0.807, 28 of 29 cross-language queries answered, with the documents about a country
#: the query names lifted among the first matches, searching.PLACE_BONUS; 0.790
#: / 0.803 with a term's alternatives scoring the best of them, Or.tie; 0.780 / 0.802 with
#: the general dictionary, searchhub.dictionary; 0.763 / 0.778 before it;
#: 0.722 / 0.746 with the engine of 2 December 2026's morning, see eval/README.md), 33
#: of its 35 cross-language queries answered in the top 10 (f02's answer is German, which
#: neither the lexicon nor the dictionary holds; h02, answered since the place bonus, and
#: k05, since the dictionary settles its language, are the likeliest to slip back; g04
#: and j03, missed before the dictionary, and g06, missed before possessives and a larger
#: budget of alternatives, are answered).
BLIND_NDCG_FLOOR = 0.78
BLIND_RECALL_FLOOR = 0.79
BLIND_CROSS_LANGUAGE_ANSWERED = 33


@pytest.fixture(scope="module")
def real_index(tmp_path_factory, corpus_real, repo_root):
    tmp = tmp_path_factory.mktemp("real")
    engine, report = build_real_index(tmp, corpus_real, repo_root)
    yield engine, report
    engine.close()


def _docs_by_file(engine):
    snap = engine.snapshot()
    out = {}
    for doc_id in snap.docnum_of:
        doc = engine.get(doc_id)
        if doc.source_id in ("realpdf", "realhtml"):
            out[eval_key(doc)] = doc
    return out


def test_every_file_has_text_or_a_reason(real_index, corpus_real):
    engine, report = real_index
    files = {p.name for folder in ("pdf", "html") for p in (corpus_real / folder).iterdir()}
    indexed = _docs_by_file(engine)
    failed = {f.location.rsplit("/", 1)[-1]: f for s in report.sources for f in s.failures}
    assert set(indexed) | set(failed) == files
    assert {name: f.reason for name, f in failed.items()} == {
        "1971-10-25_GA_Resolution_2758_ru.pdf": "image-only"}
    assert "OCR" in failed["1971-10-25_GA_Resolution_2758_ru.pdf"].message
    for name, doc in indexed.items():
        assert len(doc.text.split()) > 50, name
    records = [line for line in (corpus_real / "meta" / "reliefweb-reports.jsonl")
               .read_text(encoding="utf-8").splitlines() if line.strip()]
    assert report.total("added") == len(files) - len(failed) + len(records)


def test_reliefweb_themes_in_our_vocabulary(real_index, corpus_real):
    engine, _ = real_index
    ours = {"Climate Change and Environment": "Climate and environment",
            "Disaster Management": "Climate and environment",
            "Protection and Human Rights": "Migrant rights and protection",
            "Gender": "Gender"}                  # the last one by the taxonomy's label
    records = [json.loads(line) for line in (corpus_real / "meta" / "reliefweb-reports.jsonl")
               .read_text(encoding="utf-8").splitlines() if line.strip()]
    expected = Counter()
    for record in records:
        themes = engine.get(document_id("reliefweb", record["id"])).themes
        for theirs, label in ours.items():
            if theirs in record["themes"]:
                assert label in themes, (record["id"], theirs, themes)
        assert not set(themes) & (set(ours) - {"Gender"} | {"Health", "HIV/Aids"})
        if "Mine Action" in record["themes"]:
            assert "Mine Action" in themes          # no counterpart: kept as ReliefWeb says
        expected.update({ours[t] for t in record["themes"] if t in ours})
    facet = {fv.value: fv.count for fv in engine.search(
        Query("", {"agency": ["OCHA"]}, page_size=1)).facets["theme"]}
    assert "Climate Change and Environment" not in facet
    assert "Protection and Human Rights" not in facet
    # At least the records that said so; records without themes may add inferred ones.
    for label, count in expected.items():
        assert facet[label] >= count > 0, label


def test_languages_detected(real_index):
    docs = _docs_by_file(real_index[0])
    for name in ("27Razones_humanitarias.pdf.pdf", "28Proteccion_internacional.pdf1.pdf",
                 "Ley_de_Migracion.pdf", "lineamientos-visas-25-jul-2025.pdf",
                 "GUIA_BUENAS_PRACTICAS.pdf0.pdf"):
        assert docs[name].language == "es", name
    for name in ("CS1137-CS1138_Evaluation%20Brief_Javier%20SANCHEZ%20MARTI.pdf",
                 "CS1137-CS1138_Inception%20Report_Javier%20SANCHEZ%20MARTI.pdf",
                 "legrandcontinent.eu.heran.html"):
        assert docs[name].language == "fr", name
    assert docs["bundespolizei.de-Belarus.html"].language == "de"
    assert docs["DUBLIN REGULATIONS.pdf"].language == "en"


def test_words_from_each_body_find_the_document(real_index):
    engine, _ = real_index
    for name, doc in sorted(_docs_by_file(engine).items()):
        # Three rarer words from the middle of the body, as a searcher might remember them.
        # Whole words only (not pieces of letter-spaced or hyphenated display type).
        words = re.findall(r"(?<![^\s(])([^\W\d_]{7,})(?=[\s.,;:)]|$)",
                           doc.text[len(doc.text) // 2:])[:400]
        # ... that occur more than once (not an extraction accident) and are not common
        # across the collection (a searcher remembers the distinctive words).
        # (Checked lazily, in order, until three are found: a search per word is costly.)
        words = list(itertools.islice(
            (w for w in sorted(set(words), key=words.index)
             if len(re.findall(rf"\b{w}\b", doc.text)) > 1
             and engine.search(Query(w, page_size=1)).total <= 40), 3))
        assert words, name
        result = engine.search(Query(" ".join(words), page_size=20))
        assert doc.id in [h.document.id for h in result.hits], (name, words)


def test_pdf_hits_point_at_the_right_page(real_index):
    engine, _ = real_index
    hit = next(h for h in engine.search(Query("Dublin regulation Member State responsible"),
                                         ).hits if h.document.title.startswith("Regulation"))
    assert hit.page_number is not None and hit.page_number > 1
    assert "Member State" in hit.document.pages[hit.page_number - 1]


def test_dev_qrels_floor(real_index, corpus_real):
    qrels = corpus_real.parent / "eval" / "dev-qrels.jsonl"
    if not qrels.exists():
        pytest.skip("../shared/eval is not present")
    report = evaluate(real_index[0], qrels, k=10)
    print(f"dev nDCG@10 {report['ndcg']:.3f} recall@10 {report['recall']:.3f}")
    assert report["ndcg"] >= NDCG_FLOOR
    assert report["recall"] >= RECALL_FLOOR


def test_extra_qrels_floor(real_index, repo_root):
    report = evaluate(real_index[0], repo_root / "eval" / "extra-qrels.jsonl", k=10)
    print(f"extra nDCG@10 {report['ndcg']:.3f} recall@10 {report['recall']:.3f}; "
          + ", ".join(f"{kind} {m['ndcg']:.3f}" for kind, m in report["kinds"].items()))
    assert report["ndcg"] >= EXTRA_NDCG_FLOOR
    assert report["recall"] >= EXTRA_RECALL_FLOOR
    assert report["kinds"]["cross-language"]["ndcg"] >= CROSS_LANGUAGE_NDCG_FLOOR
    assert report["kinds"]["question"]["ndcg"] >= QUESTION_NDCG_FLOOR
    unanswered = [r["qid"] for r in report["queries"]
                  if r["kind"] == "cross-language" and r["recall"] == 0]
    assert not unanswered


def test_six_languages_qrels_floor(real_index, repo_root):
    path = repo_root / "eval" / "six-languages-qrels.jsonl"
    report = evaluate(real_index[0], path, k=10)
    language = {json.loads(line)["qid"]: json.loads(line)["language"]
                for line in path.read_text(encoding="utf-8").splitlines()}
    means = {lang: sum(r["ndcg"] for r in report["queries"] if language[r["qid"]] == lang)
             / sum(1 for r in report["queries"] if language[r["qid"]] == lang)
             for lang in ("ar", "ru", "zh")}
    print(f"six languages nDCG@10 {report['ndcg']:.3f} recall@10 {report['recall']:.3f}; "
          + ", ".join(f"{lang} {mean:.3f}" for lang, mean in means.items()))
    assert report["ndcg"] >= SIX_LANGUAGES_NDCG_FLOOR
    assert sum(r["recall"] > 0 for r in report["queries"]) >= SIX_LANGUAGES_ANSWERED
    assert min(means.values()) >= LANGUAGE_NDCG_FLOOR


def test_blind_qrels_floor(real_index, repo_root):
    report = evaluate(real_index[0], repo_root / "eval" / "blind-qrels.jsonl", k=10)
    print(f"blind nDCG@10 {report['ndcg']:.3f} recall@10 {report['recall']:.3f}; "
          + ", ".join(f"{kind} {m['ndcg']:.3f}" for kind, m in report["kinds"].items()))
    assert report["ndcg"] >= BLIND_NDCG_FLOOR
    assert report["recall"] >= BLIND_RECALL_FLOOR
    answered = [r["qid"] for r in report["queries"]
                if r["kind"] == "cross-language" and r["recall"] > 0]
    assert len(answered) >= BLIND_CROSS_LANGUAGE_ANSWERED


#: Queries on the humanitarian sectors a migration report meets (diseases, hunger,
#: disasters, disarmament), each answered by a report in another language or under
#: another name than the words typed, and the report each must find in its first five
#: (the French report on the earthquake, all of whose words are French, first).
#: Before those sectors were in the lexicon none of them did: the Spanish question
#: found no English report on Yemen at all, and the earthquake report came fifth, on
#: "Sud-Kivu" alone ("séisme" never met "tremblement de terre").
SECTOR_QUERIES = [
    ("¿Cuántos casos de cólera hay en Yemen?", "reliefweb-2390729", 5),  # en, cholera
    ("séisme Sud-Kivu", "reliefweb-2364849", 1),  # fr, "tremblement des terres"
    ("disarmament demobilization and reintegration", "reliefweb-2386539", 5),  # fr
    ("starving kids in Congo", "reliefweb-2384684", 5),  # en, "hunger in Greater Kasai"
    ("tormenta tropical Filipinas", "reliefweb-2389279", 5),  # en, "Tropical Cyclone"
]


@pytest.mark.parametrize(("text", "answer", "depth"), SECTOR_QUERIES)
def test_sector_terms_cross_languages_and_names(real_index, text, answer, depth):
    hits = real_index[0].search(Query(text, page_size=depth)).hits
    assert answer in [h.document.id for h in hits], [h.document.title[:60] for h in hits]


#: French and Spanish queries whose only answer is a report in another language, found
#: through the regular cognates of their words ("sécurité", "universel"), the general
#: humanitarian words and places of the lexicon (NGO, Asia, loans, orphanages,
#: forecasts, UNMISS), a territory the country table leaves out (the British Virgin
#: Islands) and a Spanish plural in "es" ("manglares"). Six were not in their first ten
#: before (the fifth was ninth).
CROSS_LANGUAGE_QUERIES = [
    ("incidents de sécurité contre les ONG en Asie", "reliefweb-2378439", 3),
    ("préstamos para la recuperación de las Islas Vírgenes Británicas", "reliefweb-2376204", 3),
    ("restauración de manglares en Senegal", "reliefweb-2382939", 3),
    ("orphelinat soutenu par le personnel de la MINUSS", "reliefweb-2385669", 3),
    ("accès universel à la santé sexuelle et reproductive Suède", "reliefweb-2354714", 5),
    ("la Croix-Rouge utilise les prévisions météo pour agir avant la catastrophe",
     "reliefweb-2391659", 3),
    ("birth registration in sub-Saharan Africa", "reliefweb-2363369", 5),   # fr report
    # Everyday words of the field: crops, livestock, harvests (not found before).
    ("misión de evaluación de cultivos y ganado en Mongolia", "reliefweb-2390354", 3),
    ("mujeres etíopes ahorro cosechas", "reliefweb-2384524", 3),
    # Legal terms as the instruments write them: "application for international
    # protection", "principle of non-refoulement" (tenth, and not found, before).
    ("¿Quién decide qué país examina mi solicitud de asilo en Europa?",
     "realpdf-DUBLIN REGULATIONS.pdf", 3),
    ("principio de no devolución",
     "realpdf-1951-Refugee Convention-1967-protocol (UNHCR Mandate).pdf", 3),
]


@pytest.mark.parametrize(("text", "answer", "depth"), CROSS_LANGUAGE_QUERIES)
def test_general_words_cross_languages(real_index, text, answer, depth):
    hits = real_index[0].search(Query(text, page_size=depth)).hits
    assert answer in [h.document.id for h in hits], [h.document.title[:60] for h in hits]


def test_a_french_question_finds_the_english_report(real_index):
    # "de" and "en" are French and Spanish alike; "combien" and "sont" tell French, and
    # are dropped as a French question's words, not searched.
    hits = real_index[0].search(
        Query("Combien de migrants sont morts en Méditerranée ?", page_size=3)).hits
    assert "reliefweb-2389529" in [h.document.id for h in hits]  # "Deaths Reach 3,116"


@pytest.mark.parametrize(("text", "answer"), [
    # "training" is as near to "trafiking" and commoner; "trafficking" keeps its letters.
    ("trafiking of migrants", "reliefweb-2389524"),
    # One edit from English "protection" and from Spanish "proteccion": both searched.
    ("protecion internacional", "realpdf-28Proteccion_internacional.pdf1.pdf"),
])
def test_a_misspelt_word_finds_its_documents(real_index, text, answer):
    hits = real_index[0].search(Query(text, page_size=3)).hits
    assert answer in [h.document.id for h in hits], [h.document.title[:60] for h in hits]


#: Local reports that name their towns and regions and never their country: found by
#: the taxonomy's places (corpus/taxonomy/places.csv); each had no country before.
LOCAL_REPORTS = {
    "reliefweb-2386154": "Peru",          # "Huánuco: continúa limpieza de tres carreteras"
    "reliefweb-2378114": "Colombia",      # "Unidad entregó indemnizaciones ... en Pereira"
    "reliefweb-2391654": "Philippines",   # "DSWD DROMIC Report #8 on ... VINTA"
    "reliefweb-2390734": "Chile",         # "Más de 16 mil niños del Biobío ..."
}


def test_local_reports_are_about_the_country_of_their_towns(real_index):
    engine = real_index[0]
    for doc_id, country in LOCAL_REPORTS.items():
        assert country in engine.get(doc_id).countries, doc_id
