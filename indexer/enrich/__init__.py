"""Enrichment: fill in what a document's source did not say (language, places, themes,
GCM objectives) and flag quality problems for curators."""

from __future__ import annotations

from indexer.enrich.language import (
    detect,
    detect_language,
    other_languages,
    title_languages,
    with_declared,
)
from indexer.enrich.places import find_countries, regions_for
from indexer.enrich.quality import quality_signals
from indexer.enrich.taxonomy import Taxonomy, TaxonomyError, load_taxonomy
from indexer.enrich.themes import find_gcm, find_themes, normalise_themes
from searchhub.models import Document


def enrich(doc: Document, taxonomy: Taxonomy, *,
           language_confidence: float | None = None, declared: str = "") -> Document:
    """Fill the empty fields of ``doc`` by inference and set ``doc.quality``.

    Mutates and returns the same ``doc``. Only empty fields are filled (language
    when "und" or "", countries, regions from the countries, themes, GCM
    objectives), so values from the source or a catalogue always win. A detected
    language comes with ``doc.language_confidence`` and ``doc.languages``; a declared
    one gets ``doc.languages`` too: itself, then the others the detector finds; both
    add the languages a title's tag names ("[EN/FR]", ``language.title_languages``).
    ``language_confidence`` is the probability of ``doc.language`` when the caller
    detected it; a language set without one is taken as declared (confidence 1).
    ``declared`` is the language the page says it is in (its ``<html lang>``): it
    wins over a split vote or too little prose (``language.with_declared``).
    """
    text = doc.text
    found_languages = doc.language in ("", "und") or not doc.languages
    if doc.language in ("", "und"):
        # The title votes as a paragraph; the page's declared language where the
        # vote cannot tell against it (``language.with_declared``).
        found = with_declared(detect(doc.title + "\n\n" + text), declared)
        doc.language, confidence = found.language, found.confidence
        doc.language_confidence, doc.languages = confidence, list(found.languages)
    else:
        confidence = 1.0 if language_confidence is None else language_confidence
        if not doc.languages:
            # A declared language stays the main one; the detector adds the others the
            # text holds (a catalogue's French report written in English and French).
            doc.languages = [doc.language,
                             *other_languages(doc.title + "\n\n" + text, doc.language)]
    if found_languages and doc.language != "und":
        # And those its title says it is published in ("[EN/AR]"), as ReliefWeb lists
        # them, though the text read holds one.
        doc.languages += [lang for lang in title_languages(doc.title)
                          if lang not in doc.languages]
    if not doc.countries:
        doc.countries = find_countries(doc.title, text, taxonomy)
    if not doc.regions:
        doc.regions = regions_for(doc.countries, taxonomy)
    if not doc.themes:
        doc.themes = find_themes(doc.title, text, taxonomy)
    if not doc.gcm_objectives:
        doc.gcm_objectives = find_gcm(doc.title, text, taxonomy)
    doc.quality = quality_signals(doc.title, doc.pages, confidence, doc.date)
    return doc


__all__ = ["Taxonomy", "TaxonomyError", "detect_language", "enrich", "find_countries",
           "find_gcm", "find_themes", "load_taxonomy", "normalise_themes", "quality_signals",
           "regions_for"]
