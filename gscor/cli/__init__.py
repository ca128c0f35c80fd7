"""The ``gscor`` command line: ``ingest``, ``status``, ``build``, ``report``, ``run``, ``action done|list``.

``commands`` holds the typer app (options, one function per command, resolving the home once: everything
below the CLI takes a :class:`gscor.paths.Home`); ``preflight`` refuses work that could only produce empty
output (a build with nothing loaded, a report without a warehouse or data for its week); ``render`` prints
what they return. Help texts show metavars (``ID``, ``YYYY-MM-DD``), never Python type names. ``run`` is the nightly
job and calls the same steps as ``ingest``, ``build`` and ``report``.

Exit codes (gscor.errors): 0 success; 1 a file was quarantined (the others loaded), a build or its quality
gate failed (the published warehouse is untouched), a report could not be written, or nothing is loaded yet; 2 usage error;
3 another build of the same home is running.
"""

from __future__ import annotations

from .commands import app


def main() -> None:
    app()


__all__ = ["app", "main"]
