"""Trusted timestamps (RFC 3161) of the custody chain (adversarial probe, item 8): a token from a
real TSA (OpenSSL's, on 127.0.0.1) catches a rewrite or a cut that a forger holding the custody
key re-signs, which the MACs and the checkpoint alone cannot."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from marsad.config import Settings
from marsad.preserve.timestamps import TimestampError, TimestampFolder, stamp_head
from marsad.preserve.verify import VerifyReport
from marsad.store.models import CustodyEntry
from marsad.workspace import Workspace
from tests.commandline import marsad_for
from tests.conftest import make_settings
from tests.preserve.test_custody_seal import ingest, problems, rechain_from
from tests.preserve.test_custody_seal import verify as verify_sealed
from tests.tsa import LocalTSA, make_tsa_certificates, running_tsa

pytestmark = pytest.mark.adversarial


@pytest.fixture(scope="module")
def tsa() -> Iterator[LocalTSA]:
    with running_tsa() as running:
        yield running


def tsa_settings(tmp_path: Path, database_url: str, tsa: LocalTSA, **more: str) -> Settings:
    overrides = {"custody_tsa_url": tsa.url, "custody_tsa_roots": str(tsa.root_pem), **more}
    return make_settings(tmp_path / "home", database_url, **overrides)


@pytest.fixture
def stamped(tmp_path: Path, database_url: str, tsa: LocalTSA) -> Iterator[Workspace]:
    """A home of three captures whose head (entry 3) the TSA stamped."""
    workspace, _before, _after = Workspace.initialise(tsa_settings(tmp_path, database_url, tsa))
    ingest(workspace, tmp_path)
    with workspace.database.session() as session:
        head = stamp_head(session, workspace.settings, workspace.custody_seal)
    assert head.seq == 3 and head.token_file.name == "3.tsr"
    yield workspace
    workspace.close()


def verify(workspace: Workspace, timestamps: bool = True) -> VerifyReport:
    return verify_sealed(workspace, timestamps=timestamps)


def forge_with_the_key(workspace: Workspace) -> None:
    """What a forger holding the custody key does after changing the log: re-MAC every entry
    and sign a checkpoint of the new head, so the key-based checks pass."""
    seal = workspace.custody_seal
    key = seal.key_file.read_bytes()
    with workspace.database.session() as session:
        entries = list(session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq)))
        for entry in entries:
            entry.entry_mac = seal.mac_with(key, entry.entry_hash)
        head = entries[-1]
        fields = {
            "version": 1,
            "seq": head.seq,
            "entry_hash": head.entry_hash,
            "sealed_from": 1,
            "written_at": "2026-01-01T00:00:00+00:00",
        }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    mac = hmac.new(key, canonical, hashlib.sha256).hexdigest()
    seal.checkpoint_file.write_text(json.dumps({**fields, "mac": mac}))


def test_a_stamped_home_verifies_with_its_timestamp(stamped: Workspace) -> None:
    report = verify(stamped)
    assert report.problems == [] and report.warnings == [], problems(report)
    assert report.timestamps == 1


def test_a_rewrite_resigned_with_the_key_is_caught_by_the_timestamp(stamped: Workspace) -> None:
    rechain_from(stamped, 2, actor="analyst:someone-else")
    forge_with_the_key(stamped)
    assert verify(stamped, timestamps=False).problems == []  # key and checkpoint are fooled
    report = verify(stamped)
    assert report.timestamps == 0
    assert "custody log rewritten: entry 3 no longer has the hash the TSA stamped at" in problems(
        report
    )


def test_a_cut_resigned_with_the_key_is_caught_by_the_timestamp(stamped: Workspace) -> None:
    with stamped.database.session() as session:
        session.execute(delete(CustodyEntry).where(CustodyEntry.seq == 3))
    forge_with_the_key(stamped)
    assert verify(stamped, timestamps=False).problems == []
    assert "custody log cut: the TSA vouched for entry 3 at" in problems(verify(stamped))


def test_a_damaged_token_is_a_problem(stamped: Workspace) -> None:
    token = stamped.custody_timestamps.folder / "3.tsr"
    token.write_bytes(token.read_bytes()[:-40])
    assert "timestamp 3.tsr: not a valid timestamp of entry 3" in problems(verify(stamped))


def test_a_token_from_another_authority_does_not_verify(stamped: Workspace, tmp_path: Path) -> None:
    """A forger's own TSA can stamp the rewritten log, but not under the configured root."""
    rechain_from(stamped, 2, actor="analyst:someone-else")
    forge_with_the_key(stamped)
    with running_tsa() as forger_tsa, stamped.database.session() as session:
        forged = make_settings(
            tmp_path / "unused",
            stamped.settings.database_url,
            custody_tsa_url=forger_tsa.url,
            custody_timestamps=str(stamped.custody_timestamps.folder),
        )
        stamp_head(session, forged, stamped.custody_seal)  # no roots: kept unchecked
    text = problems(verify(stamped))
    assert "not a valid timestamp of entry 3: its signature does not verify" in text


def test_without_roots_the_signatures_are_a_warning(
    tmp_path: Path, database_url: str, tsa: LocalTSA
) -> None:
    settings = make_settings(tmp_path / "home", database_url, custody_tsa_url=tsa.url)
    workspace, _before, _after = Workspace.initialise(settings)
    try:
        ingest(workspace, tmp_path)
        with workspace.database.session() as session:
            stamp_head(session, settings, workspace.custody_seal)
        report = verify(workspace)
        assert report.problems == [] and report.timestamps == 1
        assert [w.subject for w in report.warnings] == ["trusted timestamps"]
    finally:
        workspace.close()


def test_a_tsa_that_is_not_set_down_or_not_a_tsa_is_a_clear_error(
    workspace: Workspace, tmp_path: Path, database_url: str
) -> None:
    ingest(workspace, tmp_path)
    cases = {
        "": "no TSA configured: set MARSAD_CUSTODY_TSA_URL",
        "http://127.0.0.1:9/tsa": "cannot reach the TSA at http://127.0.0.1:9/tsa",
    }
    for url, message in cases.items():
        settings = make_settings(tmp_path / "home", database_url, custody_tsa_url=url)
        with workspace.database.session() as session, pytest.raises(TimestampError) as error:
            stamp_head(session, settings, workspace.custody_seal)
        assert message in str(error.value)
    assert list(TimestampFolder.for_settings(settings, workspace.custody_seal).tokens()) == []


def test_a_token_of_a_root_the_verifier_does_not_trust_fails_at_stamping(
    tmp_path: Path, database_url: str, tsa: LocalTSA
) -> None:
    other_root_folder = tmp_path / "other-root"
    other_root_folder.mkdir()
    other_root = make_tsa_certificates(other_root_folder, "Some Other Root")
    settings = tsa_settings(tmp_path, database_url, tsa, custody_tsa_roots=str(other_root))
    workspace, _before, _after = Workspace.initialise(settings)
    try:
        ingest(workspace, tmp_path)
        with workspace.database.session() as session, pytest.raises(TimestampError) as error:
            stamp_head(session, settings, workspace.custody_seal)
        assert "its signature does not verify" in str(error.value)
        assert list(workspace.custody_timestamps.tokens()) == []
    finally:
        workspace.close()


def test_the_timestamp_command_stamps_and_verify_counts_it(
    tmp_path: Path, database_url: str, tsa: LocalTSA
) -> None:
    settings = tsa_settings(tmp_path, database_url, tsa)
    workspace, _before, _after = Workspace.initialise(settings)
    try:
        ingest(workspace, tmp_path)
    finally:
        workspace.close()
    extra = {"MARSAD_CUSTODY_TSA_URL": tsa.url, "MARSAD_CUSTODY_TSA_ROOTS": str(tsa.root_pem)}
    stamped = marsad_for(settings, "timestamp", extra_env=extra)
    assert "custody entry 3 stamped by the TSA at" in stamped.stdout
    checked = marsad_for(settings, "verify", extra_env=extra)
    assert "1 trusted timestamps of the custody log hold" in checked.stdout
    assert "all evidence intact" in checked.stdout
    refused = marsad_for(
        settings, "timestamp", check=False, extra_env={"MARSAD_CUSTODY_TSA_URL": ""}
    )
    assert refused.returncode == 1
    assert "error: no TSA configured: set MARSAD_CUSTODY_TSA_URL" in refused.stderr
