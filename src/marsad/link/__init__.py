"""Linking: the knowledge base (entities, aliases, relations), alias variants, and matching."""
