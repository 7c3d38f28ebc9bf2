"""The real corpus of ../shared/corpus-real indexed as the real-corpus tests read it:
its PDFs, its pages and its ReliefWeb reports, one source each."""

from __future__ import annotations

from pathlib import Path

from indexer.pipeline import RunOptions, run
from indexer.sources import load_sources
from searchhub.engine import Engine


def sources_toml(corpus: Path) -> str:
    return f"""
[[source]]
id = "realpdf"
name = "Real PDFs"
agency = "Various"
kind = "files"
path = "{corpus / 'pdf'}"

[[source]]
id = "realhtml"
name = "Real pages"
agency = "Various"
kind = "files"
path = "{corpus / 'html'}"

[[source]]
id = "reliefweb"
name = "ReliefWeb reports"
agency = "OCHA"
kind = "catalog"
path = "{corpus / 'meta' / 'reliefweb-reports.jsonl'}"
format = "jsonl"
id_field = "id"
title_field = "title"
text_field = "text"
language_field = "language"
themes_field = "themes"
# ReliefWeb's themes onto ours where they mean the same; "Gender" is a label already,
# and themes we have no counterpart for (Mine Action, Logistics...) are kept.
[source.themes_map]
"Climate Change and Environment" = "Climate and environment"
"Disaster Management" = "Climate and environment"
"Health" = "Migration and health"
"HIV/Aids" = "Migration and health"
"Protection and Human Rights" = "Migrant rights and protection"
"""


def build_real_index(folder: Path, corpus: Path, repo_root: Path):
    """A Whoosh index of ``corpus`` in ``folder``/index, and the indexing run's report."""
    (folder / "sources.toml").write_text(sources_toml(corpus), encoding="utf-8")
    engine = Engine(folder / "index")
    report = run(engine, load_sources(folder / "sources.toml"),
                 RunOptions(taxonomy_dir=repo_root / "corpus" / "taxonomy", workers=2,
                            document_timeout=120, commit_every=1000))
    return engine, report
