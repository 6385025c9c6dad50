"""The stage pipeline: Stage protocol, registry, runners."""

from marsad.pipeline.stage import BaseStage, Stage, StageContext

__all__ = ["BaseStage", "Stage", "StageContext"]
