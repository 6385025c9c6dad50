"""Machine translation of documents into the analyst's language, with names and dates
protected: pluggable backends (offline gloss, LibreTranslate, OpenAI-compatible servers, local
CTranslate2 / Argos models), a segment cache in the store, and sentence alignment."""
