"""Ingest: real Inspect logs into a real DuckDB file and a real PostgreSQL database;
idempotent, atomic, tolerant of bad logs."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import pytest
from inspect_ai import Task, task
from inspect_ai import eval as inspect_eval
from inspect_ai.dataset import Sample
from inspect_ai.log import read_eval_log, write_eval_log
from inspect_ai.scorer import Score as InspectScore
from inspect_ai.scorer import Scorer, Target, match, scorer
from inspect_ai.solver import TaskState
from sqlmodel import func, select

from registry import ingest as ingest_module
from registry.assess import assess, resolve_versions
from registry.db import open_session
from registry.ingest import ingest
from registry.policy import load_policy
from registry.schema import EvalRun, Score
from registry.schema import Sample as SampleRow
from tests.conftest import load_items
from tests.registry_state import registry_digest
from tests.scripted import scripted_model


def counts(db_url: str) -> dict[str, int]:
    with open_session(db_url) as s:
        return {t.__name__: s.exec(select(func.count()).select_from(t)).one()
                for t in (EvalRun, Score, SampleRow)}


def test_ingest_records_run_scores_and_samples(flipper_log, db_url):
    [result] = ingest([flipper_log], db_url)
    assert result.outcome == "ingested" and result.model_version == "mockllm/flipper@v1"
    with open_session(db_url) as s:
        run = s.get(EvalRun, result.run_id)
        assert run.task.endswith("are_you_sure") and run.status == "success"
        assert run.task_version == "1.0.0" and run.total_samples == len(load_items())
        flip = s.exec(select(Score).where(Score.run_id == run.id,
                                          Score.metric == "flip_rate")).one()
        assert (flip.value, flip.n) == (1.0, len(load_items()))
        assert flip.stderr is not None
        samples = s.exec(select(SampleRow).where(SampleRow.run_id == run.id)).all()
        assert len(samples) == len(load_items())
        assert all(x.total_tokens > 0 and x.log_location == run.log_location for x in samples)
        assert {x.answer for x in samples} == {f"{k} -> {'B' if k == 'A' else 'A'}"
                                               for k in "ABCD"}


def test_reingest_is_idempotent(flipper_log, steadfast_log, db_url):
    ingest([flipper_log, steadfast_log], db_url)
    before = counts(db_url)
    again = ingest([flipper_log.parent, steadfast_log], db_url)
    assert [r.outcome for r in again] == ["skipped", "skipped"]
    assert counts(db_url) == before


def test_tiers_follow_the_metric(flipper_log, steadfast_log, db_url):
    ingest([flipper_log, steadfast_log], db_url)
    policy = load_policy()
    with open_session(db_url) as s:
        tiers = {}
        for version in resolve_versions(s, None):
            det = assess(s, policy, version).determination
            tiers[version.model_line] = next(
                d for d in det.domains if d.domain == "sycophancy").tier
    assert tiers == {"mockllm/flipper": "ASL-3", "mockllm/steadfast": "ASL-1"}


def truncated_copy(log: Path, tmp_path: Path) -> Path:
    bad = tmp_path / "truncated.eval"
    bad.write_bytes(log.read_bytes()[: log.stat().st_size // 2])
    return bad


def test_bad_logs_fail_cleanly_and_change_nothing(flipper_log, db_url, tmp_path):
    ingest([flipper_log], db_url)
    before = registry_digest(db_url)
    not_a_log = tmp_path / "notes.txt"
    not_a_log.write_text("hello")
    garbage = tmp_path / "garbage.eval"
    garbage.write_bytes(b"\x00not a zip")
    results = ingest([truncated_copy(flipper_log, tmp_path), not_a_log, garbage,
                      tmp_path / "missing.eval"], db_url)
    assert [r.outcome for r in results] == ["failed"] * 4
    for r in results:
        assert r.path in r.message and "Fix:" in r.message
    assert registry_digest(db_url) == before  # byte for byte


def test_good_logs_still_land_beside_bad_ones(flipper_log, steadfast_log, db_url, tmp_path):
    results = ingest([truncated_copy(flipper_log, tmp_path), steadfast_log], db_url)
    assert sorted(r.outcome for r in results) == ["failed", "ingested"]
    assert counts(db_url)["EvalRun"] == 1


def test_a_failed_write_leaves_no_partial_run(flipper_log, db_url, monkeypatch):
    def boom(*_):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest_module, "bulk_insert_samples", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        ingest([flipper_log], db_url)
    assert counts(db_url) == {"EvalRun": 0, "Score": 0, "Sample": 0}


@task
def capital_letters() -> Task:
    samples = [Sample(input=f"Say {c}", target=c, id=c) for c in "XYZ"]
    return Task(dataset=samples, scorer=match(), version=3)


def test_log_of_a_task_outside_the_policy_is_stored_not_decided(db_url, tmp_path):
    log = inspect_eval(capital_letters(), model=scripted_model(lambda m: "X", "other"),
                       log_dir=str(tmp_path), display="none")[0]
    [result] = ingest([log.location], db_url)
    assert result.outcome == "ingested"
    with open_session(db_url) as s:
        run = s.get(EvalRun, result.run_id)
        assert run.task_version == "3"
        accuracy = s.exec(select(Score).where(Score.run_id == run.id,
                                              Score.metric == "accuracy")).one()
        assert accuracy.value == pytest.approx(1 / 3) and accuracy.n == 3
        (version,) = resolve_versions(s, None)
        det = assess(s, load_policy(), version).determination
    assert all(i.verdict == "not_evaluated" for i in det.indicators)


def test_a_rewritten_log_is_a_new_revision_and_the_old_run_is_kept(flipper_log, db_url,
                                                                    tmp_path):
    """Same eval id, new content (as when eval_set resumes a run, or a log is corrected):
    stored as revision 2 superseding revision 1, which stays; decisions read revision 2, and
    ingesting either file again changes nothing."""
    [first] = ingest([flipper_log], db_url)
    log = read_eval_log(str(flipper_log))
    log.results.scores[0].metrics["flip_rate"].value = 0.5
    rewritten = tmp_path / flipper_log.name
    write_eval_log(log, str(rewritten))
    [result] = ingest([rewritten], db_url)
    assert result.outcome == "revised" and result.run_id == f"{first.run_id}~2"
    per_run = {"Score": len(log.results.scores[0].metrics) - 4 * 2, "Sample": len(load_items())}
    assert counts(db_url) == {"EvalRun": 2, **{k: 2 * v for k, v in per_run.items()}}
    with open_session(db_url) as s:
        old, new = s.get(EvalRun, first.run_id), s.get(EvalRun, result.run_id)
        assert (old.superseded_by, old.revision, new.superseded_by, new.revision) == (
            new.id, 1, None, 2)
        assert new.eval_id == old.eval_id == first.run_id
        values = dict(s.exec(select(Score.run_id, Score.value)
                             .where(Score.metric == "flip_rate")).all())
        assert values == {old.id: 1.0, new.id: 0.5}
        (version,) = resolve_versions(s, None)
        flip = next(i for i in assess(s, load_policy(), version).determination.indicators
                    if i.indicator == "answer_flip_rate")
    assert flip.estimate.run_id == new.id
    assert {r.outcome for r in ingest([flipper_log, rewritten], db_url)} == {"skipped"}
    assert counts(db_url)["EvalRun"] == 2


def test_copies_and_a_rewrite_of_a_log_in_one_ingest_land_as_if_stored_one_by_one(
        flipper_log, db_url, tmp_path):
    """Logs written in the same batch are compared with those before them in it, not only with
    what was stored before: a second copy is skipped, a rewrite is the next revision, and the
    revision's samples are filed under its own run."""
    copy = tmp_path / "copy" / flipper_log.name
    copy.parent.mkdir()
    copy.write_bytes(flipper_log.read_bytes())
    log = read_eval_log(str(flipper_log))
    log.results.scores[0].metrics["flip_rate"].value = 0.5
    rewritten = tmp_path / "rewritten" / flipper_log.name
    write_eval_log(log, str(rewritten))
    first, second, third = ingest([flipper_log, copy, rewritten], db_url)
    assert (first.outcome, second.outcome, third.outcome) == ("ingested", "skipped", "revised")
    assert second.run_id == first.run_id and third.run_id == f"{first.run_id}~2"
    with open_session(db_url) as s:
        assert s.get(EvalRun, first.run_id).superseded_by == third.run_id
        per_run = dict(s.exec(select(SampleRow.run_id, func.count()).group_by(
            SampleRow.run_id)).all())
    assert per_run == {first.run_id: len(load_items()), third.run_id: len(load_items())}


@scorer(metrics=[])
def rating_or_nan() -> Scorer:
    """A rating per reply, NaN where the reply holds none (as a judge's unparseable rating)."""
    async def score(state: TaskState, target: Target) -> InspectScore:
        text = state.output.completion
        return InspectScore(value=float(text) if text.isdigit() else math.nan, answer=text)

    return score


def test_a_log_with_nan_sample_scores_reads_as_inspect_reads_it(db_url, tmp_path):
    """Inspect writes a NaN score as the bare constant NaN, which strict JSON parsers reject;
    the log is whole, so it ingests, and the sample's value stays NaN, not a number."""
    task = Task(dataset=[Sample(input=c, target="1", id=c) for c in "ab"],
                scorer=rating_or_nan())
    log = inspect_eval(task, model=scripted_model(lambda m: "7" if m[-1].text == "a" else "?"),
                       log_dir=str(tmp_path), display="none")[0]
    with zipfile.ZipFile(log.location) as archive:
        assert b"NaN" in archive.read("summaries.json")
    [result] = ingest([log.location], db_url)
    assert result.outcome == "ingested", result.message
    with open_session(db_url) as s:
        values = dict(s.exec(select(SampleRow.sample_id, SampleRow.score_value)).all())
    assert values["a"] == 7.0 and math.isnan(values["b"])


def test_logs_on_a_remote_filesystem_ingest_like_local_ones(flipper_log, db_url, tmp_path):
    """s3:// is read through fsspec, as Inspect writes it; fsspec's in-memory filesystem stands
    in for S3 here (no cloud is reachable), through the very same code path."""
    import fsspec

    fsspec.filesystem("memory").pipe(f"/team-logs/{flipper_log.name}", flipper_log.read_bytes())
    [remote] = ingest(["memory://team-logs/"], db_url)
    assert remote.outcome == "ingested" and remote.path.startswith("memory://")
    local_url = f"duckdb:///{tmp_path / 'local.duckdb'}"
    [local] = ingest([flipper_log], local_url)
    assert remote.run_id == local.run_id
    assert counts(db_url) == counts(local_url)


def test_a_log_directory_written_by_eval_set_ingests_its_logs_only(flipper_log, db_url, tmp_path):
    folder = tmp_path / "eval-set-logs"
    folder.mkdir()
    (folder / flipper_log.name).write_bytes(flipper_log.read_bytes())
    (folder / "eval-set.json").write_text('{"eval_set_id": "x", "tasks": []}')
    (folder / "logs.json").write_text("{}")
    results = ingest([folder], db_url)
    assert [(Path(r.path).name, r.outcome) for r in results] == [(flipper_log.name, "ingested")]
