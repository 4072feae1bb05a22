"""Where graphs live: an Oxigraph store (in memory or on disk), one named graph per article plus the shared entities."""
