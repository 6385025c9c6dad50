"""Near-duplicates, cross-language stories, first seen and propagation."""
