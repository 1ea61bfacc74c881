"""How reliable a grader is as a judge, as the registry has measured it: the newest
`judge_position_bias` run of that model. Shown beside every indicator the model graded, so a
reader weighs the verdicts by the judge that gave them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from registry.formatting import num
from registry.schema import EvalRun, Score

BIAS_TASK = "judge_position_bias"


@dataclass(frozen=True)
class JudgeReliability:
    """A grader's measured position bias and swap consistency, with the run behind them."""

    model: str
    run_id: str | None  # None: never measured here
    first_position_preference: Score | None = None
    swap_consistency: Score | None = None

    def describe(self) -> str:
        if self.run_id is None:
            return (f"{self.model} has no {BIAS_TASK} run in this registry: its reliability "
                    "as a judge is unmeasured")
        pref, same = self.first_position_preference, self.swap_consistency
        return (f"{self.model} as a judge ({BIAS_TASK} run {self.run_id}): first-position "
                f"preference {_score(pref)} (0.5 unbiased), swap consistency {_score(same)}")


def _score(score: Score | None) -> str:
    if score is None:
        return "not reported"
    return f"{num(score.value)} ± {num(score.stderr)} (n={score.n})"


def judge_reliability(session: Session, models: set[str]) -> dict[str, JudgeReliability]:
    """Per grader model, its newest successful, current judge_position_bias run's figures."""
    found = {m: JudgeReliability(m, None) for m in models}
    if not models:
        return found
    runs = session.exec(
        select(EvalRun).where(col(EvalRun.model).in_(list(models)), EvalRun.status == "success",
                              col(EvalRun.superseded_by).is_(None))
        .order_by(col(EvalRun.completed_at))).all()
    newest = {r.model: r for r in runs if r.task.rsplit("/", 1)[-1] == BIAS_TASK}
    if not newest:
        return found
    scores = session.exec(select(Score).where(
        col(Score.run_id).in_([r.id for r in newest.values()]))).all()
    for model, run in newest.items():
        by_metric = {s.metric: s for s in scores if s.run_id == run.id}
        found[model] = JudgeReliability(model, run.id, by_metric.get("first_position_preference"),
                                        by_metric.get("swap_consistency"))
    return found
