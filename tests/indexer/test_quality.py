"""Quality signals judged per page: letter-spaced display type, tables of contents."""

from __future__ import annotations

from indexer.enrich.quality import is_garbled, is_letter_spaced, quality_signals

PROSE = ("Migrant workers in the construction sector face recruitment fees and debt, and "
         "labour migration governance requires fair recruitment and social protection. ") * 6
LETTER_SPACED = ("c o n v e n t i o n a n d p r o t o c o l r e l a t i n g t o t h e "
                 "s t a t u s o f r e f u g e e s ") * 3
CONTENTS = "\n".join(f"{n}. Findings on chapter {n} ........................ {n * 3}"
                     for n in range(1, 40))


def test_a_letter_spaced_page_flags_the_document():
    pages = [LETTER_SPACED, PROSE, PROSE, PROSE, PROSE, PROSE, PROSE, PROSE]
    assert is_letter_spaced(LETTER_SPACED)
    assert not is_garbled("\n\n".join(pages))          # lost in the whole text's averages
    assert "garbled-text" in quality_signals("Convention", pages, 0.99, None)


def test_prose_and_tables_of_contents_are_not_garbled():
    assert not is_letter_spaced(PROSE)
    assert not is_garbled(CONTENTS)
    assert "garbled-text" not in quality_signals("Report", [CONTENTS, PROSE], 0.99, None)
