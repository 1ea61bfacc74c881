"""Version comparisons that use the pairing: exact McNemar for 0/1 outcomes, a paired t interval
otherwise, clustered per item over epochs; checked against scipy and end to end through
`rsp compare` on real Inspect logs of the same task."""

from __future__ import annotations

import itertools
import json
import math
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from inspect_ai import eval as inspect_eval
from inspect_ai import task_with
from scipy import stats

from evals.sycophancy.are_you_sure import are_you_sure
from registry.assess import assess_many, resolve_versions
from registry.compare import (
    compare,
    item_means,
    mcnemar_test,
    paired_mean_difference,
    paired_test,
)
from registry.db import open_session
from registry.schema import EvalRun
from registry.stats import mcnemar_exact_p
from registry.tiers import Estimate, decide_version
from registry.version_compare import pairing_obstacle
from rsp.cli import console
from tests.conftest import (
    flipper,
    key_for,
    load_items,
    run_are_you_sure,
    steadfast,
    wrong_letter,
)
from tests.scripted import first_user_text, scripted_model, user_turns
from tests.test_cli import rsp
from tests.test_tiers import KEY, POLICY

ITEMS = [item["id"] for item in load_items()]


# --- the statistics, on constructed data ------------------------------------------------------

@pytest.mark.parametrize(("b", "c"), [(4, 0), (0, 4), (9, 1), (1, 9), (3, 7), (10, 10),
                                      (25, 12), (1, 0), (60, 0), (1200, 1100), (2900, 3000)])
def test_mcnemar_p_agrees_with_the_exact_binomial_test(b, c):
    reference = stats.binomtest(b, b + c, 0.5, alternative="two-sided").pvalue
    assert mcnemar_exact_p(b, c) == pytest.approx(reference, rel=1e-9)


def test_mcnemar_edge_cases():
    assert mcnemar_exact_p(4, 0) == 0.125  # the demo: 4 of 40 changed, all one way
    assert mcnemar_exact_p(0, 0) == 1.0  # no discordant pair: no evidence of a change
    with pytest.raises(ValueError):
        mcnemar_exact_p(-1, 2)


def binary_pair(n: int, ones_a: int, up: int, down: int) -> tuple[list[int], list[int]]:
    """A's outcomes (the first `ones_a` items are 1), and B's: `down` of A's ones become 0 and
    `up` of A's zeros become 1."""
    a = [1] * ones_a + [0] * (n - ones_a)
    b = list(a)
    for i in range(down):
        b[i] = 0
    for i in range(up):
        b[ones_a + i] = 1
    return a, b


def by_item(values: list[float]) -> dict[str, float]:
    return {f"item-{i}": v for i, v in enumerate(values)}


def versions_from(a: list[float], b: list[float]):
    """Both versions decided on the flip-rate indicator from per-item outcomes, with the
    binomial stderr an unpaired comparison would use."""
    return tuple(decide_version(POLICY, {KEY: Estimate(sum(v) / len(v), None, len(v))})
                 for v in (a, b))


def flip_row(rows):
    return next(r for r in rows if (r.domain, r.indicator) == KEY)


def test_pairing_detects_a_change_the_independent_test_misses():
    # 40 shared items, half 1 in A; B moves 9 items 0 -> 1 and 1 item 1 -> 0 (0.50 -> 0.70)
    a, b = binary_pair(40, ones_a=20, up=9, down=1)
    det_a, det_b = versions_from(a, b)
    independent = flip_row(compare(det_a, det_b, 0.95))
    assert independent.method == "independent" and not independent.significant
    assert independent.ci_low < 0 < independent.ci_high and independent.p_value > 0.05
    test = paired_test(by_item(a), by_item(b), 0.95)
    paired = flip_row(compare(det_a, det_b, 0.95, {KEY: test}))
    assert (paired.method, paired.method_label) == ("paired_mcnemar", "paired exact McNemar")
    assert (paired.n_shared, paired.discordant_up, paired.discordant_down) == (40, 9, 1)
    assert paired.p_value == pytest.approx(0.021484375) and paired.significant
    assert paired.difference == pytest.approx(0.2) == paired.paired_difference
    assert paired.ci_low is None and paired.ci_high is None  # McNemar gives a p-value only


def test_a_few_one_way_flips_are_not_significant_when_paired():
    # the demo: 4 of 40 items changed, all 0 -> 1. Unpaired (and the old normal interval on
    # the paired differences, 0.006..0.194) this read as significant; exactly, p = 0.125
    a, b = binary_pair(40, ones_a=0, up=4, down=0)
    det_a, det_b = versions_from(a, b)
    assert flip_row(compare(det_a, det_b, 0.95)).significant
    test = paired_test(by_item(a), by_item(b), 0.95)
    assert test.method == "paired_mcnemar" and test.p_value == 0.125
    assert not test.significant and test.mean_difference == pytest.approx(0.1)


def test_paired_mean_difference_detects_a_small_consistent_shift():
    # items of very different difficulty; B scores every item about 0.05 higher
    rng = random.Random(7)
    a = [i / 40 for i in range(40)]
    b = [x + 0.05 + rng.uniform(-0.01, 0.01) for x in a]
    paired = paired_test(by_item(a), by_item(b), 0.95)
    assert paired.method == "paired_mean" and paired.significant and paired.p_value < 1e-6
    det_a, det_b = (decide_version(POLICY, {KEY: Estimate(sum(v) / 40, stats.sem(v), 40)})
                    for v in (a, b))
    assert not flip_row(compare(det_a, det_b, 0.95)).significant


@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_paired_interval_agrees_with_scipy_ttest_rel(level):
    rng = random.Random(level)
    a = [rng.uniform(0, 10) for _ in range(25)]
    b = [x + rng.gauss(0.4, 1.0) for x in a]
    ours = paired_mean_difference(a, b, level)
    reference = stats.ttest_rel(b, a)
    low, high = reference.confidence_interval(confidence_level=level)
    assert (ours.ci_low, ours.ci_high) == (pytest.approx(low), pytest.approx(high))
    assert ours.p_value == pytest.approx(reference.pvalue)
    se = (ours.ci_high - ours.ci_low) / 2 / stats.t.ppf(0.5 + level / 2, len(a) - 1)
    assert ours.mean_difference / se == pytest.approx(reference.statistic)
    assert ours.significant == (reference.pvalue < 1 - level)


def test_paired_mean_difference_degenerate_sizes():
    assert paired_mean_difference([0.5], [0.7], 0.95).ci_low is None  # one item: no spread
    unchanged = paired_mean_difference([0.2, 0.4], [0.2, 0.4], 0.95)
    assert unchanged.p_value == 1.0 and not unchanged.significant


def test_epochs_are_averaged_per_item_before_pairing():
    # three epochs of 10 items: the unit is the item, not the item x epoch
    epochs = 3
    a_rows = [(f"q{i}", float(i % 2)) for i in range(10) for _ in range(epochs)]
    b_rows = [(f"q{i}", 1.0 if e == 0 else float(i % 2)) for i in range(10) for e in range(epochs)]
    items_a, items_b = item_means(a_rows), item_means(b_rows)
    assert len(items_a) == len(items_b) == 10
    assert items_b["q0"] == pytest.approx(1 / 3) and items_b["q1"] == 1.0
    test = paired_test(items_a, items_b, 0.95)
    assert test.method == "paired_mean" and test.n_shared == 10  # not 30, and not McNemar
    ids = sorted(items_a)
    reference = stats.ttest_rel([items_b[k] for k in ids], [items_a[k] for k in ids])
    assert test.p_value == pytest.approx(reference.pvalue)
    # epochs that agree keep an item's outcome 0/1: still one McNemar pair per item
    agreeing = item_means([(f"q{i}", 1.0) for i in range(10) for _ in range(epochs)])
    assert paired_test(items_a, agreeing, 0.95).n_shared == 10
    assert mcnemar_test([items_a[k] for k in ids], [1.0] * 10, 0.95).discordant_up == 5


def test_missing_scores_are_left_out_and_unshared_items_are_not_paired():
    assert item_means([("q1", None), ("q1", 1.0), ("q2", None), ("q3", float("nan"))]) == \
        {"q1": 1.0}
    test = paired_test({"q1": 1.0, "q2": 0.0}, {"q2": 1.0, "q3": 1.0}, 0.95)
    assert test.n_shared == 1 and test.discordant_up == 1
    with pytest.raises(ValueError, match="share no scored sample id"):
        paired_test({"q1": 1.0}, {"q2": 1.0}, 0.95)


def test_runs_are_paired_only_on_the_same_items_and_the_headline_metric():
    def run(**fields) -> EvalRun:
        base = {"id": "r", "model_version_id": "m@v", "model": "m", "task": "t",
                "task_version": "1", "dataset_name": "d", "status": "success",
                "log_location": "x.eval",
                "metadata_json": json.dumps({"headline_metric": "accuracy"})}
        return EvalRun(**{**base, **fields})

    assert pairing_obstacle(run(), run(id="s"), "accuracy") is None
    assert pairing_obstacle(run(), run(task="u"), "accuracy") == "different tasks (t vs u)"
    assert pairing_obstacle(run(), run(dataset_name="mine"), "accuracy") == "different datasets"
    assert pairing_obstacle(run(dataset_sha256="aa"), run(dataset_sha256="bb")) == \
        "different datasets"
    # the stored per-sample value is the headline's; another metric has none to pair
    assert "not unparseable_rate" in pairing_obstacle(run(), run(), "unparseable_rate")
    assert pairing_obstacle(run(metadata_json="{}"), run(metadata_json="{}"), "mean") is None


# --- end to end: real Inspect logs, ingested, compared through `rsp compare` ------------------

QUESTIONS = tuple(item["question"] for item in load_items())


def wobbly(messages) -> str:
    """Right first; under pushback abandons its answer on the first four questions only."""
    key = key_for(messages)
    if user_turns(messages) > 1 and first_user_text(messages).startswith(QUESTIONS[:4]):
        return f"({wrong_letter(key)})"
    return f"The answer is {key}."


def flips_one_epoch_in(k: int) -> Callable:
    """Under pushback, abandons each of the first ten questions on one epoch out of `k`
    (whichever order the epochs run in) and stands firm on the rest."""
    counts: dict[str, itertools.count] = {}

    def respond(messages) -> str:
        key, question = key_for(messages), first_user_text(messages)
        if user_turns(messages) > 1 and question.startswith(QUESTIONS[:10]) and \
                next(counts.setdefault(question, itertools.count())) % k == 0:
            return f"({wrong_letter(key)})"
        return f"The answer is {key}."

    return respond


def ays_log(respond, folder: Path, name: str, label: str = "v1", **options) -> Path:
    """A real are_you_sure log of a scripted model as version `label`; `options` go to
    Inspect's eval, except `task`, a changed are_you_sure task."""
    task = options.pop("task", are_you_sure())
    log = inspect_eval(task, model=scripted_model(respond, name), log_dir=str(folder),
                       display="none", metadata={"rsp_model_version": label}, **options)[0]
    assert log.status == "success"
    return Path(log.location)


@pytest.fixture(scope="module")
def wobbly_log(tmp_path_factory) -> Path:
    return Path(run_are_you_sure(wobbly, tmp_path_factory.mktemp("logs-wobbly"), name="wobbly",
                                 metadata={"rsp_model_version": "v1"}).location)


def compare_json(db: str, a: str, b: str) -> dict:
    result = rsp("compare", a, b, "--db", db, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert all(set(row) >= {"method", "method_label", "n_shared", "p_value", "ci_low",
                            "significant", "discordant_up", "paired_difference"} for row in rows)
    return next(r for r in rows if r["indicator"] == "answer_flip_rate")


def test_compare_pairs_the_same_items_with_exact_mcnemar(steadfast_log, flipper_log,
                                                          wobbly_log, db_url, monkeypatch):
    assert rsp("ingest", steadfast_log, flipper_log, wobbly_log, "--db", db_url).exit_code == 0
    row = compare_json(db_url, "mockllm/steadfast@v1", "mockllm/wobbly@v1")
    assert (row["method"], row["method_label"]) == ("paired_mcnemar", "paired exact McNemar")
    assert (row["n_shared"], row["discordant_up"], row["discordant_down"]) == (120, 4, 0)
    # 4 of 120 flipped, all one way: exactly p = 0.125, not significant; unpaired, the stderr
    # of 4/120 against one of 0 calls it significant
    assert row["p_value"] == 0.125 and not row["significant"]
    assert row["difference"] == pytest.approx(4 / 120)
    assert row["ci_low"] is None and row["ci_high"] is None  # JSON null, never NaN
    with open_session(db_url, read_only=True) as session:
        a, b = assess_many(session, POLICY, [resolve_versions(session, spec)[0] for spec in
                                             ("mockllm/steadfast@v1", "mockllm/wobbly@v1")])
    assert flip_row(compare(a.determination, b.determination, 0.95)).significant

    row = compare_json(db_url, "mockllm/steadfast@v1", "mockllm/flipper@v1")
    assert (row["method"], row["n_shared"], row["discordant_up"]) == ("paired_mcnemar", 120, 120)
    assert row["p_value"] == pytest.approx(2 / 2**120) and row["significant"]

    table = rsp("compare", "mockllm/steadfast@v1", "mockllm/wobbly@v1", "--db", db_url)
    assert table.exit_code == 0
    assert max(len(line) for line in table.stdout.splitlines()) <= console.width
    monkeypatch.setattr(console, "width", 200)  # wide enough that no cell wraps
    table = rsp("compare", "mockllm/steadfast@v1", "mockllm/wobbly@v1", "--db", db_url)
    for expected in ("paired exact McNemar", "120 items shared", "not significant",
                     "p = 0.125", "4 up, 0 down"):
        assert expected in table.stdout


def test_compare_clusters_epochs_per_item(tmp_path, db_url):
    steady = ays_log(steadfast, tmp_path / "a", "steady3", epochs=3, limit=20)
    wavering = ays_log(flips_one_epoch_in(3), tmp_path / "b", "wavering3", epochs=3, limit=20)
    assert rsp("ingest", steady, wavering, "--db", db_url).exit_code == 0
    row = compare_json(db_url, "mockllm/steady3@v1", "mockllm/wavering3@v1")
    # 20 items (60 samples); ten of them flip on one epoch in three: item means of 1/3
    assert (row["method"], row["n_shared"]) == ("paired_mean", 20)
    assert row["paired_difference"] == pytest.approx(10 / 3 / 20)
    reference = stats.ttest_rel([1 / 3] * 10 + [0] * 10, [0] * 20)
    assert row["p_value"] == pytest.approx(reference.pvalue)


def test_compare_falls_back_to_independent_and_says_why(steadfast_log, tmp_path, db_url):
    bumped = ays_log(wobbly, tmp_path / "bumped", "wobbly", label="v2",
                     task=task_with(are_you_sure(), version="2.0.0"))
    start = ays_log(steadfast, tmp_path / "start", "start", sample_id=ITEMS[:60])
    elsewhere = ays_log(flipper, tmp_path / "elsewhere", "elsewhere", sample_id=ITEMS[60:])
    assert rsp("ingest", steadfast_log, bumped, elsewhere, start, "--db", db_url).exit_code == 0
    row = compare_json(db_url, "mockllm/steadfast@v1", "mockllm/wobbly@v2")
    assert (row["method"], row["method_label"], row["n_shared"]) == \
        ("independent", "independent", 0)
    assert "different task versions (1.0.0 vs 2.0.0)" in row["note"]
    assert row["ci_low"] is not None and row["p_value"] is not None
    row = compare_json(db_url, "mockllm/start@v1", "mockllm/elsewhere@v1")
    assert (row["method"], row["n_shared"]) == ("independent", 0)
    assert row["note"] == "the two runs share no scored sample id"


def test_compare_unknown_version_is_a_clear_error(steadfast_log, db_url):
    assert rsp("ingest", steadfast_log, "--db", db_url).exit_code == 0
    result = rsp("compare", "mockllm/steadfast@v1", "mockllm/nobody@v1", "--db", db_url)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)  # no traceback
    assert "No model version 'mockllm/nobody@v1'" in result.stderr


def test_samples_pair_by_id_and_epoch_and_the_changed_ones_are_named():
    from registry.version_compare import pair_samples

    a = [("q1", 1, 1.0, "A"), ("q2", 1, 0.0, "B"), ("q3", 1, None, "?"), ("q4", 1, 1.0, "C"),
         ("q6", 1, math.nan, "?")]
    b = [("q1", 1, 0.0, "D"), ("q2", 1, 0.0, "B"), ("q3", 1, 1.0, "A"), ("q5", 1, 1.0, "A"),
         ("q6", 1, math.nan, "?")]
    pairing = pair_samples(a, b, 0.95)
    # q1 and q2: q3 has no score in A, q4 and q5 are on one side, q6 is NaN (unscored) in both
    assert pairing.pairs == 2
    assert [(c.sample_id, c.score_a, c.score_b, c.answer_a, c.answer_b)
            for c in pairing.changed] == [("q1", 1.0, 0.0, "A", "D")]
    assert pairing.test is not None and pairing.test.n_shared == 2
    assert pair_samples(a[:1], b[2:3], 0.95).test is None  # no item scored on both sides
