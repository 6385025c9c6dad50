"""Analyst reports: Markdown with citations to archived evidence, rendered with numbered
footnotes as HTML, PDF, DOCX or Markdown."""
