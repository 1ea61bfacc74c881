"""A run's scores recomputed from its stored samples by the task's own metrics.

The log's header names each scorer's metrics and their options (`EvalSpec.scorers`); Inspect's
registry (with every installed task package, as `inspect eval` loads them) turns those names
back into the metric functions, which are applied to the stored per-sample scores. That is how
a run's numbers are found once some of its samples are invalidated. A run whose metrics cannot
be found, or whose recomputed scores do not reproduce the stored ones with nothing excluded,
is not recomputed at all: a correction must never rest on a guess.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, cast

from inspect_ai.log import EvalLog
from inspect_ai.scorer import SampleScore, value_to_float
from inspect_ai.scorer import Score as InspectScore

from registry.errors import RspError
from registry.ingest import score_rows
from registry.schema import Score

StoredSample = tuple[str, int, str]  # sample id, epoch, scores_json


class Unrecomputable(RspError, ValueError):
    """The run's scores cannot be recomputed from its samples; the message says why."""


def recompute_scores(header: EvalLog, run_id: str, samples: Iterable[StoredSample],
                     excluded: frozenset[str] = frozenset()) -> list[Score]:
    """The run's score rows recomputed from `samples`, leaving out the `excluded` sample ids."""
    from inspect_ai._util.entrypoints import ensure_entry_points
    from inspect_ai._util.registry import registry_lookup

    ensure_entry_points()  # task packages register their metrics on import
    config = header.eval.config
    if (config.epochs or 1) > 1 and config.epochs_reducer not in (None, ["mean"]):
        raise Unrecomputable(f"epochs are reduced by {config.epochs_reducer}; only the mean "
                             "reducer is recomputed")
    values: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for sample_id, _epoch, scores_json in samples:
        if sample_id not in excluded:
            for scorer, value in json.loads(scores_json or "{}").items():
                values[scorer][sample_id].append(value)
    rows: list[Score] = []
    for scorer in header.eval.scorers or []:
        listed = scorer.metrics if isinstance(scorer.metrics, list) else []
        definitions = [m for m in listed if not isinstance(m, dict)]
        if not isinstance(scorer.metrics, list) or len(definitions) != len(listed):
            raise Unrecomputable(f"scorer {scorer.name} computes metrics per score key")
        scores = [SampleScore(score=InspectScore(value=_mean(vals)), sample_id=sample_id)
                  for sample_id, vals in values[scorer.name].items()]
        metrics: dict[str, float] = {}
        for definition in definitions:
            factory = cast(Callable[..., Callable[[list[SampleScore]], Any]] | None,
                           registry_lookup("metric", definition.name))
            if factory is None:
                raise Unrecomputable(f"metric {definition.name} of scorer {scorer.name} is not "
                                     "installed here (install the package of its task)")
            result = factory(**(definition.options or {}))(scores)
            if isinstance(result, dict):
                metrics |= {key: float(value) for key, value in result.items()}
            else:
                metrics[definition.name.rsplit("/", 1)[-1]] = float(result)
        rows += score_rows(run_id, scorer.name, metrics, len(scores))
    return rows


def _mean(values: list[Any]) -> Any:
    """A sample's value over its epochs, as Inspect's mean reducer takes it."""
    if len(values) == 1:
        return values[0]
    if all(isinstance(v, dict) for v in values):
        return {key: sum(value_to_float()(v[key]) for v in values) / len(values)
                for key in values[0]}
    return sum(value_to_float()(v) for v in values) / len(values)


def differences(stored: Iterable[Score], recomputed: Iterable[Score]) -> list[str]:
    """How recomputed score rows differ from the stored ones (value, stderr, n)."""
    mine = {(s.scorer, s.metric): s for s in recomputed}
    found = []
    for score in stored:
        again = mine.get((score.scorer, score.metric))
        if again is None:
            found.append(f"{score.scorer}/{score.metric} is not recomputed")
        elif not (_same(score.value, again.value) and _same(score.stderr, again.stderr)
                  and score.n == again.n):
            found.append(f"{score.scorer}/{score.metric}: stored {score.value!r} "
                         f"(stderr {score.stderr!r}, n={score.n}), recomputed {again.value!r} "
                         f"(stderr {again.stderr!r}, n={again.n})")
    return found


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
