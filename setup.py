"""Packages of the distribution; everything else is in pyproject.toml.

The repository keeps the web app's templates and static files in ``web/`` and the
bundled registry, taxonomies and demo corpus in ``corpus/``. They ship as package data
of ``searchhub_assets.web`` and ``searchhub_assets.corpus``, mapped onto those folders,
so an installed searchhub finds them without a checkout (see ``searchhub/resources.py``).
Their data folders are listed as (namespace) packages too, as setuptools asks. Found code
packages plus mapped folders cannot be said in pyproject.toml alone, hence this file.
"""

from setuptools import find_namespace_packages, find_packages, setup

ASSETS = {"searchhub_assets.web": "web", "searchhub_assets.corpus": "corpus"}
# corpus/demo itself holds build_demo.py and demo/src the texts it builds from: both stay
# in the repository.
LEFT_OUT = ["demo", "demo.src", "demo.src.*", "*__pycache__*"]


def asset_packages() -> list[str]:
    packages = []
    for package, folder in ASSETS.items():
        packages.append(package)
        packages += [f"{package}.{sub}"
                     for sub in find_namespace_packages(where=folder, exclude=LEFT_OUT)]
    return packages


setup(
    packages=find_packages(include=["searchhub", "searchhub.*", "indexer", "indexer.*"])
    + asset_packages(),
    package_dir=ASSETS,
)
