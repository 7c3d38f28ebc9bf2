"""The OpenSearch index: its settings, analyzers and mapping, and a ``Document`` as the
JSON source of one indexed document.

The fields follow the Whoosh schema (``schema.py``): per language group a
``title_<g>`` and a ``body_<g>`` text field, filled only for documents of that
group, analysed by OpenSearch's own token filters in the order of our Whoosh
analyzers (lowercase, stop words, Snowball stemmer, then accent folding; English
folded before its stemmer). Each facet is a keyword field holding the values as
written (counted and shown) with a ``key`` sub-field normalised like
``searchhub.text.facet_key`` (lowercase, accents folded) for filters. ``spell``
holds the folded words of the spelling text (as the Whoosh ``spell`` field), a
keyword array read by terms aggregations. ``doc`` keeps the whole ``Document``
(not indexed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields as dataclass_fields

from searchhub.models import FACET_NAMES, Document
from searchhub.text import ELIDED

from .analysis import FOLD_FIRST, GROUPS, group_for, stop_words, terms
from .schema import FACET_FIELDS, K1, B, body_field, title_field

#: Bumped when the mapping or the analysis changes; an index of another version is
#: refused with a message saying how to rebuild it.
MAPPING_VERSION = 7   # 2: visibility; 3: Whoosh's stop words, English reads ’ as '
#                       (as Whoosh's stemmer); 4: French elisions dropped (as Whoosh);
#                       5: the language facet holds every language of a document;
#                       6: English folded before stemming (as Whoosh);
#                       7: BM25's b of 0.4, as Whoosh's (it was Lucene's 0.75)
#: Characters of the text that go into the spelling vocabulary (as the Whoosh engine).
SPELL_CHARS = 1000

#: Group -> Snowball or OpenSearch stemmer language, after Whoosh's analyzers.
_LANGUAGES = {
    "en": "porter2",
    "fr": "french",
    "es": "spanish",
    "pt": "portuguese",
    "de": "german",
    "it": "italian",
    "ru": "russian",
    "ar": "arabic",
}


def analyzer_name(group: str) -> str:
    return f"searchhub_{group}"


def index_body(shards: int, replicas: int) -> dict:
    """Settings and mappings of a new index."""
    filters: dict[str, dict] = {
        "searchhub_min2": {"type": "length", "min": 2},
        # As Whoosh's ElisionFilter (searchhub.text.unelide), in every group: "l'OIM" is
        # "oim", "d'asile" "asile" (Lucene's filter reads ' and ’ alike).
        "searchhub_elision": {"type": "elision", "articles_case": True,
                              "articles": list(ELIDED)},
    }
    analyzers: dict[str, dict] = {}
    for group, stemmer in _LANGUAGES.items():
        chain = ["lowercase", "searchhub_elision"]
        # Whoosh's own stop words (its English list and the language's), and like its
        # StopFilter no word shorter than two letters; it has no Arabic list.
        stops = stop_words(group)
        if stops:
            filters[f"searchhub_stop_{group}"] = {"type": "stop", "stopwords": sorted(stops)}
            chain += [f"searchhub_stop_{group}", "searchhub_min2"]
        if group == "ar":
            chain += ["decimal_digit", "arabic_normalization"]
        filters[f"searchhub_stem_{group}"] = {"type": "stemmer", "language": stemmer}
        # Folded before the stemmer where it knows no accents (English), as Whoosh.
        stem = [f"searchhub_stem_{group}"]
        chain += ["asciifolding", *stem] if group in FOLD_FIRST else [*stem, "asciifolding"]
        analyzers[analyzer_name(group)] = {"type": "custom", "tokenizer": "standard",
                                           "filter": chain}
    # Whoosh's English stemmer reads the typographic apostrophe as "'" ("Cox’s" ->
    # "cox", as "Cox's"); Lucene's leaves "cox’" (folded to "cox'" after it). The other
    # stemmers keep it in both engines, and folding then makes it "'" in OpenSearch.
    analyzers[analyzer_name("en")]["char_filter"] = ["searchhub_apostrophe"]
    analyzers[analyzer_name("cjk")] = {
        "type": "custom", "tokenizer": "standard",
        "filter": ["cjk_width", "lowercase", "cjk_bigram", "asciifolding"]}
    analyzers[analyzer_name("xx")] = {"type": "custom", "tokenizer": "standard",
                                      "filter": ["lowercase", "searchhub_elision",
                                                 "asciifolding"]}
    properties: dict[str, dict] = {
        "id": {"type": "keyword"},
        "hash": {"type": "keyword", "index": False},
        "date": {"type": "date", "format": "strict_date"},
        "spell": {"type": "keyword"},
        # Who may see it (searchhub.visibility): absent for everyone.
        "visibility": {"type": "keyword"},
        "doc": {"type": "object", "enabled": False},
    }
    for group in GROUPS:
        text = {"type": "text", "analyzer": analyzer_name(group)}
        properties[title_field(group)] = text
        properties[body_field(group)] = text
    for name in FACET_FIELDS:
        properties[name] = {"type": "keyword",
                            "fields": {"key": {"type": "keyword", "normalizer": "facet"}}}
    return {
        "settings": {
            "index": {"number_of_shards": shards, "number_of_replicas": replicas,
                      # BM25 as the Whoosh engine scores it (Lucene's b is 0.75).
                      "similarity": {"default": {"type": "BM25", "k1": K1, "b": B}}},
            "analysis": {
                "char_filter": {"searchhub_apostrophe": {"type": "mapping",
                                                         "mappings": ["\u2019=>'"]}},
                "filter": filters,
                "analyzer": analyzers,
                "normalizer": {"facet": {"type": "custom",
                                         "filter": ["lowercase", "asciifolding"]}},
            },
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"searchhub_mapping": MAPPING_VERSION},
            "properties": properties,
        },
    }


def to_source(doc: Document) -> dict:
    """The JSON source of ``doc`` in the index."""
    group = group_for(doc.language)
    record = {f.name: getattr(doc, f.name) for f in dataclass_fields(doc)}
    record["date"] = doc.date.isoformat() if doc.date else None
    record["indexed_at"] = (doc.indexed_at or dt.datetime.now(dt.UTC)).isoformat(
        timespec="seconds")
    text = doc.text
    source = {
        "id": doc.id,
        "hash": doc.content_hash,
        "date": record["date"],
        title_field(group): doc.title,
        body_field(group): doc.title + "\n" + text,
        "spell": sorted(set(terms("xx", "\n".join((doc.title, doc.description,
                                                   text[:SPELL_CHARS]))))),
        "doc": record,
        "source": [doc.source_id],
        "visibility": list(doc.visibility),
    }
    for name in FACET_NAMES:
        source[name] = doc.facet_values(name)
    return source


def from_source(source: dict) -> Document:
    record = dict(source["doc"])
    record["date"] = dt.date.fromisoformat(record["date"]) if record.get("date") else None
    record["indexed_at"] = (dt.datetime.fromisoformat(record["indexed_at"])
                            if record.get("indexed_at") else None)
    return Document(**record)
