"""Collection: turn a locator (path, URL) into raw content, safely and politely."""

from marsad.collect.content import RawContent

__all__ = ["RawContent"]
