"""The formats a timeline renders to, apart from the renderer so the CLI can name them cheaply."""

FORMATS = ("text", "jsonl", "html")
