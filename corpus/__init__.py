"""Package data, not code: the bundled source registry, taxonomies and demo corpus,
installed as ``searchhub_assets.corpus`` (see setup.py and searchhub/resources.py)."""
