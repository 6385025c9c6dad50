"""Stage registry: stages come from the `marsad.stages` entry-point group (built-in ones too),
and are ordered by what they require."""

from __future__ import annotations

from collections.abc import Iterable
from graphlib import CycleError, TopologicalSorter
from importlib.metadata import entry_points

from marsad.errors import StageDependencyError, UnknownStage
from marsad.pipeline.stage import Stage

ENTRY_POINT_GROUP = "marsad.stages"


class StageRegistry:
    def __init__(self, stages: Iterable[Stage] = ()) -> None:
        self._stages: dict[str, Stage] = {}
        for stage in stages:
            self.add(stage)

    @classmethod
    def from_entry_points(cls) -> StageRegistry:
        registry = cls()
        for entry_point in entry_points(group=ENTRY_POINT_GROUP):
            stage_class = entry_point.load()
            registry.add(stage_class())
        return registry

    def add(self, stage: Stage) -> None:
        if not isinstance(stage, Stage):
            raise StageDependencyError(f"{stage!r} does not implement the Stage protocol")
        if stage.name in self._stages:
            raise StageDependencyError(f"two stages are named {stage.name!r}")
        self._stages[stage.name] = stage

    def get(self, name: str) -> Stage:
        try:
            return self._stages[name]
        except KeyError:
            known = ", ".join(sorted(self._stages)) or "none"
            raise UnknownStage(f"no stage named {name!r} (installed: {known})") from None

    def names(self) -> list[str]:
        return [stage.name for stage in self.ordered()]

    def ordered(self, only: Iterable[str] | None = None) -> list[Stage]:
        """Every stage (or the named ones), each after the stages it requires."""
        graph: dict[str, set[str]] = {}
        for stage in self._stages.values():
            missing = [name for name in stage.requires if name not in self._stages]
            if missing:
                raise StageDependencyError(
                    f"stage {stage.name!r} requires {', '.join(missing)}, which is not installed"
                )
            graph[stage.name] = set(stage.requires)
        try:
            order = list(TopologicalSorter(graph).static_order())
        except CycleError as exc:
            raise StageDependencyError(
                f"stages require each other in a cycle: {exc.args[1]}"
            ) from None
        if only is not None:
            wanted = {self.get(name).name for name in only}
            order = [name for name in order if name in wanted]
        return [self._stages[name] for name in order]
