"""The seeded collection of the demo: its page, its JSON and the collection filter."""

from __future__ import annotations


def test_the_core_documents_collection_is_a_page_a_filter_and_json(api, get_page):
    listed = api("/api/collections")
    assert [c["slug"] for c in listed] == ["core-documents"]
    core = api("/api/collections/core-documents")
    ids = [d["id"] for d in core["documents"]]
    assert len(ids) == 6 and all(d["note"] for d in core["documents"])
    search = api("/api/search?collection=core-documents&page_size=50")
    assert sorted(h["id"] for h in search["hits"]) == sorted(ids)
    page = get_page("/collections/core-documents")
    assert [li.get("data-id") for li in page.xpath("//ol[@class='collection-items']/li")] == ids
    assert not page.xpath("//form[@method='post']")            # visitors only read
    narrowed = get_page(page.href("//a[text()='Search within this collection']"))
    assert sorted(narrowed.hit_ids) == sorted(ids)[:10]
    doc = get_page(f"/doc/{ids[0]}")
    assert doc.xpath("//a[@href='/collections/core-documents']")
