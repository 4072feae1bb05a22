"""DiploKG: English diplomacy news -> a validated RDF knowledge graph of diplomatic events.

The Python API (`kg.build`, `kg.load`, `kg.KnowledgeGraph`) is imported on first use, so `import kg`
stays light for the CLI.
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["build", "load", "KnowledgeGraph", "__version__"]


def __getattr__(name: str):
    if name in ("build", "load", "KnowledgeGraph"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
