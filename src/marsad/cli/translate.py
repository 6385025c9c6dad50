"""`marsad translate`: translate documents now, with any backend, into any target language."""

from __future__ import annotations

from typing import Annotated

import typer

from marsad.cli.console import console, escape
from marsad.config import Settings
from marsad.errors import ConfigError, DocumentUnknown


def settings_for(settings: Settings, backend: str | None, lang: str | None) -> Settings:
    """The settings with the command's choices on top. The command translates what it is
    given, whatever the stage's per-language and per-source settings say."""
    from marsad.translate.settings import BACKEND, EVERY, LANGUAGES, SOURCES, TARGET

    overrides = {LANGUAGES.env_var: EVERY, SOURCES.env_var: EVERY}
    if backend:
        overrides[BACKEND.env_var] = backend
    if lang:
        overrides[TARGET.env_var] = lang
    return Settings.from_env({**settings.env, **overrides})


def translate(
    document_ids: Annotated[
        list[int] | None, typer.Argument(help="Ids of the documents to translate.")
    ] = None,
    backend: Annotated[
        str | None,
        typer.Option(
            "--backend", help="gloss, libretranslate, openai-compatible, ctranslate2 or argos."
        ),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Target language (default en).")
    ] = None,
    all_documents: Annotated[bool, typer.Option("--all", help="Every document.")] = False,
    retry_failed: Annotated[
        bool,
        typer.Option(
            "--retry-failed",
            help="Documents whose last translation failed, and those never translated.",
        ),
    ] = False,
) -> None:
    """Translate documents (names and dates protected) and store the translations."""
    from sqlalchemy import func, select

    from marsad.pipeline.runner import InlineRunner
    from marsad.store.models import Document
    from marsad.translate.stage import TranslateStage, translator_for
    from marsad.workspace import Workspace

    if not (document_ids or all_documents or retry_failed):
        raise ConfigError("name documents by id, or use --all or --retry-failed")
    if document_ids and all_documents:
        raise ConfigError("give document ids or --all, not both")
    with Workspace.open() as workspace:
        settings = settings_for(workspace.settings, backend, lang)
        translator = translator_for(settings)  # a misconfigured backend fails here, once
        ids = document_ids or None
        with workspace.database.session() as session:
            if ids is not None:
                known = set(session.scalars(select(Document.id).where(Document.id.in_(ids))))
                missing = [str(i) for i in ids if i not in known]
                if missing:
                    raise DocumentUnknown(f"no document with id {', '.join(missing)}")
            total = len(ids) if ids else session.scalar(select(func.count(Document.id))) or 0
        runner = InlineRunner(workspace.database, settings, workspace.blobs, workspace.registry)
        summary = runner.run(
            document_ids=ids,
            stage_names=[TranslateStage.name],
            retry_failed=retry_failed,
            force=not retry_failed,
        )
    for document_id, _stage, error in summary.failures[:10]:
        console.print(
            f"  [red]not translated[/red] document {document_id}: {escape(error)}", markup=True
        )
    console.print(
        f"translate ({translator.backend.name} → {translator.target.code}): "
        f"{total if ids else summary.documents} documents, {summary.succeeded} done, "
        f"{summary.failed} failed, {summary.skipped} waiting on link or dates"
    )
    if summary.failed:
        console.print("retry with `marsad translate --retry-failed`")
        raise typer.Exit(1)
