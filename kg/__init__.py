"""DiploKG: English diplomacy news -> a validated RDF knowledge graph of diplomatic events."""
from __future__ import annotations

__version__ = "0.1.0"
