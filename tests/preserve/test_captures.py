from sqlalchemy import func, select

from marsad.collect.content import RawContent
from marsad.errors import CaptureTooLarge
from marsad.preserve.captures import CaptureRecorder
from marsad.store.models import Capture, Document
from marsad.workspace import Workspace

PAGE = "<html><body><p>خبر</p></body></html>".encode()


def _count(workspace: Workspace, model: type) -> int:
    with workspace.database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_same_bytes_at_same_url_recorded_once(workspace: Workspace) -> None:
    raw = RawContent(url="https://site.example/a", data=PAGE, content_type="text/html")
    for expected_new in (True, False):
        with workspace.database.session() as session:
            outcome = CaptureRecorder(session, workspace.blobs).record(raw, None, "ar")
            assert outcome.is_new is expected_new
            assert outcome.document is not None and outcome.document.language_hint == "ar"
    assert _count(workspace, Capture) == 1
    assert _count(workspace, Document) == 1


def test_changed_bytes_are_a_new_observation(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        recorder = CaptureRecorder(session, workspace.blobs)
        recorder.record(RawContent(url="https://site.example/a", data=PAGE), None)
        recorder.record(RawContent(url="https://site.example/a", data=PAGE + b"<!-- v2 -->"), None)
    assert _count(workspace, Capture) == 2
    assert _count(workspace, Document) == 2


def test_failed_capture_kept_once_per_repeated_error(workspace: Workspace) -> None:
    error = CaptureTooLarge("too big")
    for _ in range(2):
        with workspace.database.session() as session:
            CaptureRecorder(session, workspace.blobs).record_failure("file:///x", error, None)
    with workspace.database.session() as session:
        capture = session.scalars(select(Capture)).one()
        assert capture.error == "CaptureTooLarge: too big"
        assert capture.sha256 is None and capture.blob_key is None
    assert _count(workspace, Document) == 0


def test_a_content_type_longer_than_its_column_is_clipped_and_kept_whole_in_the_headers(
    workspace: Workspace,
) -> None:
    """A hostile server's 300-character Content-Type: PostgreSQL would refuse it whole."""
    content_type = "text/html; charset=utf-8; boundary=" + "x" * 300
    raw = RawContent(url="https://site.example/a", data=PAGE, content_type=content_type,
                     headers={"Content-Type": content_type})  # fmt: skip
    with workspace.database.session() as session:
        CaptureRecorder(session, workspace.blobs).record(raw, None)
    with workspace.database.session() as session:
        capture = session.scalars(select(Capture)).one()
        assert capture.content_type == content_type[:200]
        assert capture.headers == {"Content-Type": content_type}
