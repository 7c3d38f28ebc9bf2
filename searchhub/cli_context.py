"""What every `searchhub` subcommand shares: its settings, from the group's options."""

from __future__ import annotations

from searchhub.settings import Settings


def settings_of(ctx, **overrides) -> Settings:
    """The settings of a command: the group's options (``ctx.obj``), then the given
    ``overrides`` that are not None."""
    base = dict(ctx.obj or {})
    base.update({k: v for k, v in overrides.items() if v is not None})
    return Settings.load(base)
