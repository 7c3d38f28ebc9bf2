"""Members' uploads: a workstream's metadata template (``templates``), taking a file or
URL in (``intake``), upload records and their review (``store``), and publishing the
approved ones through the indexer (``source``, ``publish``)."""
