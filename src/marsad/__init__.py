"""Marsad: a workbench for monitoring the public communications of armed groups."""

__version__ = "0.1.0"
