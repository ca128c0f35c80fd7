"""Ingest back-office exports into the landing zone."""

from .loader import Ingester, IngestOptions, Outcome, UsageError, ingest_paths

__all__ = ["IngestOptions", "Ingester", "Outcome", "UsageError", "ingest_paths"]
