"""The export engine: a spec in, one ZIP out (data file, codebook, risk report, manifest).

Plain Python over the cases and piket tables; no models of its own, nothing of requests, users
or approval (research's workflow calls it). See docs in research/export/__init__.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

FORMATS = ("csv", "xlsx", "sav", "parquet")


class ExportRefused(Exception):
    """Nothing was released; str(e) says why, in Dutch."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ExportSpec:
    study_code: str
    study_key: bytes  # the study's own secret: HMAC key of the pseudonyms
    k: int
    start: date
    end: date  # period of registration, inclusive
    location_ids: tuple[int, ...] | None  # None: all
    fields: tuple[str, ...]
    unit: str  # "subproblem" | "case"
    released_quasi: tuple[str, ...] = ()  # "name" or "name:level" from earlier exports
    diversity_field: str | None = None  # optional ℓ-diversity on this (non-quasi) field
    diversity_l: int = 2

    def parameters(self) -> dict:
        """The spec without its key, for manifests and logs."""
        values = asdict(self)
        del values["study_key"]
        values["start"], values["end"] = self.start.isoformat(), self.end.isoformat()
        values["location_ids"] = list(self.location_ids) if self.location_ids else None
        values["fields"] = list(self.fields)
        values["released_quasi"] = list(self.released_quasi)
        return values


@dataclass(frozen=True)
class RiskReport:
    k: int
    k_reached: int  # the smallest group of cases over the quasi-identifiers after treatment
    unit: str
    quasi_identifiers: tuple[str, ...]
    levels: dict[str, str] = field(default_factory=dict)  # quasi-identifier -> level used
    records: int = 0  # cases in the period with consent (before treatment)
    records_released: int = 0
    rows_released: int = 0  # rows of the data file (sub-problems or cases)
    records_generalised: int = 0  # cases with a value coarser than level 0
    records_suppressed: int = 0  # cases with at least one suppressed value
    records_dropped: int = 0  # cases left out entirely (record suppression)
    at_risk_before: float = 0.0  # share of cases in a group smaller than k, before treatment
    at_risk_after: float = 0.0
    unique_before: int = 0  # combinations that occurred exactly once before treatment
    groups_before: int = 0
    groups_after: int = 0
    suppressed_values: dict[str, int] = field(default_factory=dict)
    information_loss: dict[str, float] = field(default_factory=dict)
    diversity_field: str | None = None
    diversity_l: int | None = None
    l_reached: int | None = None

    def as_dict(self) -> dict:
        values = asdict(self)
        values["quasi_identifiers"] = list(self.quasi_identifiers)
        return values


@dataclass(frozen=True)
class Manifest:
    request: dict
    parameters: dict
    rules_version: str
    k: int
    row_count: int
    files: dict[str, dict]  # name -> {"sha256": ..., "bytes": ...}
    quasi_released: tuple[str, ...]  # "name:level": pass as released_quasi to the next export
    format: str
    created_at: str

    def as_dict(self) -> dict:
        values = asdict(self)
        values["quasi_released"] = list(self.quasi_released)
        return values


def export_check(spec: ExportSpec) -> RiskReport:
    """Dry run in PostgreSQL: validate, check k (and ℓ), plan the treatment; write nothing."""
    raise NotImplementedError


def export_write(
    spec: ExportSpec,
    *,
    fmt: str,
    out_path: Path,
    delimiter: str = ",",
    request_info: dict,
    progress: Callable[[int, int], None] | None = None,
) -> Manifest:
    """Write one ZIP at out_path: data file, codebook, risk report and manifest.json."""
    raise NotImplementedError
