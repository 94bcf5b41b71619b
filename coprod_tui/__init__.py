"""coprod: a terminal workbench for coproduction case notes in primary care."""

__version__ = "0.1.0"
