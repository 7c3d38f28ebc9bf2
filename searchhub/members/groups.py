"""The groups members belong to: working groups, the executive committee and the
workstreams, declared in ``corpus/workstreams.toml`` (setting ``workstreams``).

Each ``[[group]]`` has an ``id`` (what a document's ``visibility`` names), a ``name``,
a ``kind`` (working-group, committee or workstream), a ``description``, its
``leads`` (account names: they review the workstream's uploads) and, for a workstream
members upload through, its ``[group.template]`` (``searchhub.uploads.templates``).
``load_groups`` reports every problem at once.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from searchhub import visibility
from searchhub.errors import ConfigError
from searchhub.uploads.templates import Template, parse_template

KINDS = ("working-group", "committee", "workstream")
_KEYS = {"id", "name", "kind", "description", "leads", "template"}


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    kind: str
    description: str = ""
    leads: tuple[str, ...] = ()
    template: Template | None = None


def load_groups(path: Path) -> dict[str, Group]:
    """The groups of ``path`` by id, in file order; no file means no groups. Raises
    ConfigError listing every problem."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    problems: list[str] = []
    groups: dict[str, Group] = {}
    entries = data.get("group", [])
    if not isinstance(entries, list):
        raise ConfigError([f"{path}: groups are [[group]] tables"])
    for n, entry in enumerate(entries, start=1):
        where = f"{path}: group #{n}" + (f" ({entry.get('id')})" if entry.get("id") else "")
        problems += [f"{where}: unknown key {key!r}" for key in sorted(set(entry) - _KEYS)]
        problems += [f"{where}: missing {key}" for key in ("id", "name", "kind")
                     if not entry.get(key)]
        group_id = str(entry.get("id", ""))
        if group_id and (not visibility.GROUP_ID.match(group_id)
                         or group_id == visibility.MEMBERS):
            problems.append(f"{where}: id must be lowercase letters, digits, - or _ "
                            f"(and not {visibility.MEMBERS!r})")
        if group_id in groups:
            problems.append(f"{where}: duplicate id {group_id!r}")
        if entry.get("kind") and entry["kind"] not in KINDS:
            problems.append(f"{where}: kind must be one of {', '.join(KINDS)}")
        leads = entry.get("leads", [])
        if not isinstance(leads, list) or not all(isinstance(x, str) for x in leads):
            problems.append(f"{where}: leads must be a list of account names")
            leads = []
        groups[group_id] = Group(group_id, str(entry.get("name", "")),
                                 str(entry.get("kind", "")),
                                 str(entry.get("description", "")).strip(), tuple(leads))
    ids = {str(e.get("id", "")) for e in entries}
    for n, entry in enumerate(entries, start=1):
        if "template" in entry and str(entry.get("id", "")) in groups:
            where = f"{path}: group #{n} ({entry.get('id')})"
            template, found = parse_template(where, str(entry["id"]), entry["template"], ids)
            problems += found
            groups[str(entry["id"])] = replace(groups[str(entry["id"])], template=template)
    if problems:
        raise ConfigError(problems)
    return groups
