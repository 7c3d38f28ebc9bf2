"""Whoosh's private names are used in one module only: ``postings``, which reads and
writes the W3 codec's on-disk format and lists each one with why."""

from __future__ import annotations

import ast
from pathlib import Path

import searchhub.engine

ENGINE = Path(searchhub.engine.__file__).parent
#: The one module allowed to reach into Whoosh's private names.
CONFINED = "postings.py"


def _private_uses(path: Path) -> list[str]:
    """Private names imported from whoosh, and private attributes reached on anything
    but ``self`` and ``cls`` (a subclass's own state and hooks are its business)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
            found += [f"{path.name}:{node.lineno} import {a.name}" for a in node.names
                      if a.name.startswith("_")]
        elif (isinstance(node, ast.Attribute) and node.attr.startswith("_")
              and not node.attr.startswith("__")
              and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))):
            found.append(f"{path.name}:{node.lineno} .{node.attr}")
    return found


def test_private_whoosh_names_are_confined_to_postings():
    outside = [use for path in sorted(ENGINE.glob("*.py")) if path.name != CONFINED
               for use in _private_uses(path)]
    assert outside == []


def test_the_confined_module_lists_what_it_uses():
    postings = ENGINE / CONFINED
    comments = "\n".join(line for line in postings.read_text(encoding="utf-8").splitlines()
                         if line.lstrip().startswith("#"))
    names = {use.rsplit(" ", 1)[-1].lstrip(".") for use in _private_uses(postings)}
    assert names, "postings.py no longer needs Whoosh's private names: drop this test"
    assert [name for name in sorted(names) if name not in comments] == []
