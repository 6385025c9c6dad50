from typing import ClassVar

import pytest

from marsad.errors import StageDependencyError, UnknownStage
from marsad.pipeline.registry import StageRegistry
from marsad.pipeline.stage import BaseStage, StageContext


def stage(stage_name: str, *needs: str) -> BaseStage:
    class Named(BaseStage):
        name = stage_name
        requires: ClassVar[tuple[str, ...]] = needs

        def process(self, ctx: StageContext) -> None:
            pass

    return Named()


def test_builtin_stages_register_through_entry_points() -> None:
    registry = StageRegistry.from_entry_points()
    assert registry.names()[:2] == ["extract", "langid"]


def test_stages_are_ordered_after_what_they_require() -> None:
    registry = StageRegistry(
        [
            stage("events", "link", "langid"),
            stage("link", "langid"),
            stage("langid", "extract"),
            stage("extract"),
        ]
    )
    assert registry.names() == ["extract", "langid", "link", "events"]
    assert [s.name for s in registry.ordered(["events", "extract"])] == ["extract", "events"]


def test_cycle_and_missing_requirement_are_reported() -> None:
    with pytest.raises(StageDependencyError, match="cycle"):
        StageRegistry([stage("a", "b"), stage("b", "a")]).ordered()
    with pytest.raises(StageDependencyError, match="requires extract, which is not installed"):
        StageRegistry([stage("langid", "extract")]).ordered()


def test_unknown_and_duplicate_stage_names() -> None:
    registry = StageRegistry([stage("extract")])
    with pytest.raises(UnknownStage, match="installed: extract"):
        registry.get("translate")
    with pytest.raises(StageDependencyError, match="two stages"):
        registry.add(stage("extract"))
    with pytest.raises(StageDependencyError, match="Stage protocol"):
        registry.add(object())  # type: ignore[arg-type]
