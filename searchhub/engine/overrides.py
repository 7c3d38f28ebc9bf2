"""Facet values curators corrected, applied at query time over the index's own: until
the indexer writes a corrected document, filters and facet counts see the corrected
values anyway. ``overrides`` maps a document number to {facet name: values}."""

from __future__ import annotations

from collections import Counter

import numpy as np

from searchhub.text import facet_key


def override_filters(masks: dict[str, np.ndarray], filters: dict[str, list[str]],
                     overrides: dict[int, dict[str, list[str]]]) -> None:
    """Set each overridden document's bit in each filter mask from its corrected values."""
    for name, mask in masks.items():
        wanted = {facet_key(v) for v in filters[name]}
        for docnum, facets in overrides.items():
            if name in facets:
                mask[docnum] = any(facet_key(v) in wanted for v in facets[name])


def override_counts(column, counts: np.ndarray, mask: np.ndarray, name: str,
                    overrides: dict[int, dict[str, list[str]]]
                    ) -> tuple[np.ndarray, Counter]:
    """``counts`` (by value id of ``column``) with the overridden documents in ``mask``
    counted under their corrected values; values the index does not know yet come back
    apart, as {value: count}."""
    docs = [d for d, facets in overrides.items() if name in facets and mask[d]]
    extra: Counter = Counter()
    if not docs:
        return counts, extra
    counts = counts.copy()
    if counts.size:
        np.subtract.at(counts, column.values[np.isin(column.docs, docs)], 1)
    for docnum in docs:
        for value in overrides[docnum][name]:
            ids = [i for i in column.by_folded.get(facet_key(value), [])
                   if column.labels[i] == value]
            if ids:
                counts[ids[0]] += 1
            else:
                extra[value] += 1
    return counts, extra
