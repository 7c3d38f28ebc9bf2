"""Package data, not code: the web app's templates and static files, installed as
``searchhub_assets.web`` (see setup.py and searchhub/resources.py)."""
