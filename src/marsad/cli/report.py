"""`marsad report build FILE --format html|pdf|docx|md [-o OUT]`."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated

import typer

from marsad.cli.console import console
from marsad.cli.preserve import analyst
from marsad.errors import ReportError
from marsad.report.renderers import RENDERERS

report_app = typer.Typer(help="Analyst reports with numbered footnotes to archived evidence.")


def default_output(source: Path, output_format: str) -> Path:
    # A Markdown report must not overwrite the file it was written in.
    suffix = ".footnoted.md" if output_format == "md" else f".{output_format}"
    return source.with_name(source.stem + suffix)


def build(
    source: Annotated[Path, typer.Argument(help="The report's Markdown file.")],
    output_format: Annotated[
        str, typer.Option("--format", "-f", help=f"One of: {', '.join(RENDERERS)}.")
    ] = "html",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: beside FILE).")
    ] = None,
) -> None:
    """Render a report: citations become footnotes numbered in order of first use, each
    source listed with title, URL, capture time, SHA-256 and language."""
    from marsad.report.build import render, store_report
    from marsad.report.model import prepare_report
    from marsad.store.audit import record_action
    from marsad.workspace import Workspace

    if output_format not in RENDERERS:
        raise ReportError(
            f"unknown report format {output_format!r}; choose from {', '.join(RENDERERS)}"
        )
    try:
        markdown = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ReportError(f"cannot read the report {source}: {error}") from None
    target = output or default_output(source, output_format)
    with Workspace.open() as workspace, workspace.database.session() as session:
        report = prepare_report(session, markdown, source.stem)
        content = render(report, output_format)
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(content)
        partial.replace(target)
        row = store_report(session, report)
        digest = hashlib.sha256(content).hexdigest()
        cited = [str(source.key) for source in report.sources]
        details = {"format": output_format, "output": str(target), "sha256": digest}
        record_action(session, "report.build", "report", str(row.id), analyst(), sources=cited,
                      **details)  # fmt: skip
    console.print(
        f"report {row.id} {report.title!r}: {len(report.sources)} sources, "
        f"{output_format} written to {target} (sha256 {digest})",
        markup=False,
    )
