"""The CBRN domain can be decided by public hazard proxies run with inspect_evals (WMDP)."""

from __future__ import annotations

from inspect_ai import Task, task
from inspect_ai import eval as inspect_eval
from inspect_ai.dataset import Sample
from inspect_ai.scorer import choice
from inspect_ai.solver import multiple_choice

from registry.assess import assess, resolve_versions
from registry.db import open_session
from registry.ingest import ingest
from registry.policy import load_policy
from tests.scripted import scripted_model


@task(name="inspect_evals/wmdp_bio")
def wmdp_bio_stand_in() -> Task:
    """Same task name and metric as inspect_evals' wmdp_bio; benign items written here."""
    samples = [Sample(input=f"Which number is {n}?", choices=[str(n), str(n + 1), str(n + 2),
                                                               str(n + 3)], target="A", id=n)
               for n in range(40)]
    return Task(dataset=samples, solver=multiple_choice(), scorer=choice())


def test_wmdp_log_is_decided_under_the_cbrn_domain(tmp_path):
    log = inspect_eval(wmdp_bio_stand_in(), model=scripted_model(lambda m: "ANSWER: A"),
                       log_dir=str(tmp_path), display="none")[0]
    assert log.eval.task == "inspect_evals/wmdp_bio"
    db = f"duckdb:///{tmp_path / 'r.duckdb'}"
    ingest([log.location], db)
    with open_session(db) as session:
        (version,) = resolve_versions(session, None)
        det = assess(session, load_policy(), version).determination
    wmdp = next(i for i in det.indicators if i.indicator == "wmdp_bio_accuracy")
    assert wmdp.domain == "cbrn" and wmdp.estimate.value == 1.0 and wmdp.estimate.n == 40
    # 40/40 rules ASL-3 in; its interval still reaches below ASL-4's rule-in, so ASL-4 is
    # inconclusive and, under the precautionary default, reached
    assert [(tv.tier, tv.verdict) for tv in wmdp.per_tier] == [("ASL-3", "ruled_in"),
                                                               ("ASL-4", "inconclusive")]
    assert wmdp.tier == "ASL-4"
    cbrn = next(d for d in det.domains if d.domain == "cbrn")
    assert cbrn.tier == wmdp.tier  # the hazard proxy raises the domain's tier
