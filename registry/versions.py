"""Registering a model version before any eval has run on it (e.g. a training checkpoint), so
its effective compute and date count toward "assessment due" from the moment it exists."""

from __future__ import annotations

from datetime import date
from typing import Literal

from sqlmodel import Session

from registry.errors import RspError
from registry.schema import ModelLine, ModelVersion


class VersionConflict(RspError, ValueError):
    """The version exists with other facts; versions are never edited in place."""


def register_version(session: Session, line: str, label: str, provider_model: str | None,
                     effective_compute: float | None,
                     release_date: date | None) -> tuple[Literal["registered", "exists"],
                                                         ModelVersion]:
    """Record `line@label` (its Inspect model string defaults to the line's name);
    registering the same facts again is a no-op ("exists")."""
    version_id = f"{line}@{label}"
    stored = session.get(ModelVersion, version_id)
    if stored is not None:
        given = {"effective compute": effective_compute, "release date": release_date,
                 "provider model": provider_model}
        held = {"effective compute": stored.effective_compute,
                "release date": stored.release_date, "provider model": stored.provider_model}
        differ = [f"{k} {held[k]} (given {v})" for k, v in given.items()
                  if v is not None and v != held[k]]
        if differ:
            raise VersionConflict(
                f"{version_id} is already recorded with {', '.join(differ)}. Fix: versions are "
                "not edited once recorded (its runs and sign-offs rest on them); register the "
                "checkpoint under a new label.")
        return "exists", stored
    model = provider_model or line
    if session.get(ModelLine, line) is None:
        session.add(ModelLine(name=line, provider=model.split("/", 1)[0]))
    version = ModelVersion(id=version_id, model_line=line, label=label,
                           provider_model=model, effective_compute=effective_compute,
                           release_date=release_date)
    session.add(version)
    return "registered", version
