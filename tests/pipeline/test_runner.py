"""The inline runner with small stages written here, on SQLite and PostgreSQL."""

from typing import ClassVar

from sqlalchemy import event, select

from marsad.errors import ExtractionFailed
from marsad.pipeline.registry import StageRegistry
from marsad.pipeline.runner import InlineRunner
from marsad.pipeline.stage import BaseStage, StageContext
from marsad.store.models import Capture, Document, Mention, StageRun
from marsad.workspace import Workspace


class CopyTitle(BaseStage):
    """Upstream stage: sets the title from the URL, fails on URLs containing 'bad'."""

    name = "copy_title"
    version = "1"

    def process(self, ctx: StageContext) -> None:
        if "bad" in ctx.document.url:
            raise ExtractionFailed(f"cannot read {ctx.document.url}")
        ctx.document.title = ctx.document.url.rsplit("/", 1)[-1]


class MarkWords(BaseStage):
    """Downstream stage: one Mention row per word of the title (its own output)."""

    name = "mark_words"
    version = "1"
    requires: ClassVar[tuple[str, ...]] = ("copy_title",)
    runs = 0

    def process(self, ctx: StageContext) -> None:
        MarkWords.runs += 1
        self.clear_own_rows(ctx, Mention)
        title = ctx.document.title or ""
        for word in title.split("-"):
            start = title.index(word)
            ctx.session.add(
                Mention(
                    document_id=ctx.document.id,
                    stage=self.name,
                    surface=word,
                    start=start,
                    end=start + len(word),
                    method="test",
                )
            )


class Crashing(BaseStage):
    name = "crashing"

    def process(self, ctx: StageContext) -> None:
        raise RuntimeError("a bug, not a bad document")


def add_documents(workspace: Workspace, *urls: str) -> list[int]:
    with workspace.database.session() as session:
        documents = [Document(capture=Capture(url=url), url=url) for url in urls]
        session.add_all(documents)
        session.flush()
        return [document.id for document in documents]


def runner_for(workspace: Workspace, *stages: BaseStage) -> InlineRunner:
    return InlineRunner(
        workspace.database, workspace.settings, workspace.blobs, StageRegistry(stages)
    )


def runs(workspace: Workspace) -> list[tuple[int, str, str]]:
    with workspace.database.session() as session:
        query = select(StageRun.document_id, StageRun.stage, StageRun.status).order_by(StageRun.id)
        return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def mentions(workspace: Workspace) -> list[tuple[int, str, str]]:
    with workspace.database.session() as session:
        query = select(Mention.document_id, Mention.stage, Mention.surface).order_by(Mention.id)
        return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def test_every_run_is_recorded_and_a_bad_document_does_not_stop_the_rest(
    workspace: Workspace,
) -> None:
    good, bad, other = add_documents(
        workspace,
        "https://a.example/good-news",
        "https://a.example/bad",
        "https://a.example/other-post",
    )
    summary = runner_for(workspace, CopyTitle(), MarkWords()).run()
    assert (summary.succeeded, summary.failed, summary.skipped) == (4, 1, 1)
    assert summary.failures == [
        (bad, "copy_title", "ExtractionFailed: cannot read https://a.example/bad")
    ]
    assert runs(workspace) == [
        (good, "copy_title", "ok"),
        (good, "mark_words", "ok"),
        (bad, "copy_title", "failed"),
        (other, "copy_title", "ok"),
        (other, "mark_words", "ok"),
    ]
    with workspace.database.session() as session:
        run = session.scalars(select(StageRun).where(StageRun.status == "failed")).one()
        assert run.version == "1" and run.duration_ms >= 0 and "cannot read" in (run.error or "")


def test_rerun_is_idempotent_and_replaces_only_own_output(workspace: Workspace) -> None:
    (document,) = add_documents(workspace, "https://a.example/two-words")
    runner = runner_for(workspace, CopyTitle(), MarkWords())
    runner.run()
    with workspace.database.session() as session:  # another stage's output on the same document
        session.add(
            Mention(
                document_id=document, stage="linker", surface="two", start=0, end=3, method="alias"
            )
        )
    assert runner.run().succeeded == 0  # nothing due: same versions, all ok
    runner.run(force=True)
    assert mentions(workspace) == [
        (document, "linker", "two"),
        (document, "mark_words", "two"),
        (document, "mark_words", "words"),
    ]


def test_retry_failed_and_version_change_rerun(workspace: Workspace) -> None:
    (document,) = add_documents(workspace, "https://a.example/bad-then-fixed")
    runner = runner_for(workspace, CopyTitle(), MarkWords())
    runner.run()
    assert runner.run().failed == 0  # a failure is not retried on every run ...
    with workspace.database.session() as session:
        session.get(Document, document).url = "https://a.example/fixed-now"  # type: ignore[union-attr]
    summary = runner.run(retry_failed=True)  # ... only when asked
    assert (summary.succeeded, summary.failed) == (2, 0)

    class MarkWordsV2(MarkWords):
        version = "2"

    before = MarkWords.runs
    assert runner_for(workspace, CopyTitle(), MarkWordsV2()).run().succeeded == 1
    assert MarkWords.runs == before + 1


def test_downstream_reruns_when_upstream_reruns(workspace: Workspace) -> None:
    add_documents(workspace, "https://a.example/x-y")
    runner_for(workspace, CopyTitle(), MarkWords()).run()
    summary = runner_for(workspace, CopyTitle(), MarkWords()).run(stage_names=None, force=False)
    assert summary.succeeded == 0

    class CopyTitleV2(CopyTitle):
        version = "2"

    assert runner_for(workspace, CopyTitleV2(), MarkWords()).run().succeeded == 2


def test_unexpected_exception_is_isolated_and_recorded(workspace: Workspace) -> None:
    add_documents(workspace, "https://a.example/one", "https://a.example/two")
    summary = runner_for(workspace, Crashing()).run()
    assert summary.failed == 2
    assert {error for _, _, error in summary.failures} == {
        "RuntimeError: a bug, not a bad document"
    }


class HalfDone(BaseStage):
    """Writes a mention and changes the title, then fails: none of it may land."""

    name = "half_done"
    requires: ClassVar[tuple[str, ...]] = ("copy_title",)

    def process(self, ctx: StageContext) -> None:
        ctx.session.add(
            Mention(
                document_id=ctx.document.id,
                stage=self.name,
                surface="partial",
                start=0,
                end=7,
                method="test",
            )
        )
        ctx.document.title = "overwritten by a stage that failed"
        ctx.session.flush()
        raise ExtractionFailed("gave up half way")


def test_a_failed_stage_leaves_no_output_and_the_stages_before_it_keep_theirs(
    workspace: Workspace,
) -> None:
    (document_id,) = add_documents(workspace, "https://a.example/kept-title")
    summary = runner_for(workspace, CopyTitle(), HalfDone(), MarkWords()).run()
    assert summary.failures == [(document_id, "half_done", "ExtractionFailed: gave up half way")]
    assert mentions(workspace) == [
        (document_id, "mark_words", "kept"),
        (document_id, "mark_words", "title"),
    ]
    with workspace.database.session() as session:
        assert session.get(Document, document_id).title == "kept-title"  # type: ignore[union-attr]
    assert runs(workspace) == [
        (document_id, "copy_title", "ok"),
        (document_id, "half_done", "failed"),
        (document_id, "mark_words", "ok"),
    ]


class ReadTitle(BaseStage):
    """A third stage that only reads the document."""

    name = "read_title"
    requires: ClassVar[tuple[str, ...]] = ("copy_title",)
    titles: ClassVar[list[str | None]] = []

    def process(self, ctx: StageContext) -> None:
        ReadTitle.titles.append(ctx.document.title)


def test_a_document_is_read_once_for_all_its_stages(workspace: Workspace) -> None:
    """The session keeps a loaded object only while something refers to it: the runner holds
    the document, or each stage would read the whole row (its text) again."""
    (document_id,) = add_documents(workspace, "https://a.example/read-once")
    statements: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(workspace.database.engine, "before_cursor_execute", note)
    try:
        summary = runner_for(workspace, CopyTitle(), MarkWords(), ReadTitle()).run([document_id])
    finally:
        event.remove(workspace.database.engine, "before_cursor_execute", note)
    assert summary.succeeded == 3
    assert ReadTitle.titles[-1] == "read-once"
    document_reads = [s for s in statements if s.startswith("SELECT") and "FROM documents" in s]
    assert len(document_reads) == 1, document_reads
