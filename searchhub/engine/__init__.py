"""The seam between searchhub and its full-text engine (Whoosh today)."""

from .whoosh_engine import CurationView, Engine, EngineWriter

__all__ = ["CurationView", "Engine", "EngineWriter"]
