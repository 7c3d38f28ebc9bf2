"""What the demo corpus holds, counted from corpus/sources.toml and the files its
sources name, so that tests follow the corpus when a document is added or
removed rather than repeating numbers copied from it."""

from __future__ import annotations

import fnmatch
import math
import tomllib
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _documents_per_agency() -> Counter:
    """Files each files source of the registry takes in (its folder, any depth, its
    ``include`` patterns), counted per agency."""
    with (CORPUS / "sources.toml").open("rb") as fh:
        sources = tomllib.load(fh)["source"]
    counts: Counter = Counter()
    for source in sources:
        assert source["kind"] == "files", "the demo registry has only folders of files"
        folder = CORPUS / source["path"]
        counts[source["agency"]] += sum(
            1 for path in folder.rglob("*") if path.is_file()
            and any(fnmatch.fnmatch(path.name.lower(), g) for g in source["include"]))
    return counts


#: Documents per agency, and in all.
DEMO_BY_AGENCY = _documents_per_agency()
DEMO_COUNT = sum(DEMO_BY_AGENCY.values())


def page_count(page_size: int, total: int = DEMO_COUNT) -> int:
    return math.ceil(total / page_size)


def last_page_hits(page_size: int, total: int = DEMO_COUNT) -> int:
    return total - page_size * (page_count(page_size, total) - 1)
