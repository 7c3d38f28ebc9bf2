"""Collections: curated, ordered lists of documents with a title, slug, description
and a note per document (``store``), shown at /collections and usable as the
``collection`` filter of search; seeded with the core documents (``seed``)."""
