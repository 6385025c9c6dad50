"""The report formats and the function rendering each, named as data so nothing loads early."""

# Format -> (module, function). Renderers load on use: python-docx and WeasyPrint are slow to
# import, and every `marsad` command would pay for them.
RENDERERS: dict[str, tuple[str, str]] = {
    "html": ("marsad.report.html", "render_html"),
    "pdf": ("marsad.report.pdf", "render_pdf"),
    "docx": ("marsad.report.docx", "render_docx"),
    "md": ("marsad.report.markdown", "render_markdown"),
}
