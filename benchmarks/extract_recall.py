"""How much of a page's visible text the HTML extractor keeps, per page, on real pages.

    python benchmarks/extract_recall.py [PAGE_OR_FOLDER ...]

Default: ../shared/corpus-real/html. For each page it prints the words of its visible
content (its marked main region, else its body, without navigation, header, footer,
sidebars and menus), the words the extractor kept, the share, how many of the
content's headings the kept text holds, and whether the title carries a permalink mark.
Saved documentation sites (Sphinx, mdbook) are the pages that show lost sections.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.extract.encoding import decode_markup  # noqa: E402  (after the path is set)
from indexer.extract.html import (  # noqa: E402
    _tree,
    clean_region,
    content_text,
    extract_html,
    main_region,
)

WORD = re.compile(r"\w+")
DEFAULT = ROOT.parent / "shared" / "corpus-real" / "html"


def measure(path: Path) -> dict:
    markup = decode_markup(path.read_bytes())
    tree = _tree(markup)
    region = main_region(tree) if tree is not None else None
    visible = content_text(tree, region) if tree is not None else ""
    extracted = extract_html(markup, url="https://example.org/" + path.name)
    kept_text = extracted.pages[0]
    kept = " ".join(kept_text.split())
    headings = []
    if tree is not None:
        cleaned = clean_region(tree, region)
        headings = [" ".join(h.text_content().replace("\u00b6", "").split())
                    for h in cleaned.xpath(".//h1|.//h2|.//h3|.//h4|.//h5|.//h6")]
        headings = [h for h in headings if h]
    visible_words = len(WORD.findall(visible))
    kept_words = len(WORD.findall(kept_text))
    return {"page": path.name, "visible_words": visible_words, "kept_words": kept_words,
            "share": round(min(1.0, kept_words / visible_words), 3) if visible_words else 1.0,
            "headings": len(headings), "headings_kept": sum(h in kept for h in headings),
            "mark_in_title": "\u00b6" in extracted.title, "marked_main": region is not None,
            "used_content": bool(extracted.warnings)}


def pages(args: list[str]) -> list[Path]:
    found = []
    for arg in args or [str(DEFAULT)]:
        path = Path(arg)
        found += sorted(path.rglob("*.htm*")) if path.is_dir() else [path]
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args(argv)
    rows = [measure(p) for p in pages(args.paths)]
    if not rows:
        print("no pages")
        return 1
    print(f"{'share':>6} {'kept':>7} {'visible':>7} {'headings':>9}  page")
    for r in rows:
        print(f"{r['share']:>6.2f} {r['kept_words']:>7} {r['visible_words']:>7} "
              f"{r['headings_kept']:>4}/{r['headings']:<4}  {r['page'][:70]}"
              + ("  (content text)" if r["used_content"] else "")
              + ("  (¶ in title)" if r["mark_in_title"] else ""))
    shares = [r["share"] for r in rows]
    print(f"\n{len(rows)} pages: share of visible words kept median "
          f"{statistics.median(shares):.2f}, min {min(shares):.2f}; headings kept "
          f"{sum(r['headings_kept'] for r in rows)} of {sum(r['headings'] for r in rows)}; "
          f"titles with a permalink mark {sum(r['mark_in_title'] for r in rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
