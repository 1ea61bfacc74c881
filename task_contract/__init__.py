"""The contract between the tasks (`evals/`) and ingest (`registry/`).

A log carries what a task means only through the names it writes, so both sides take those
names from here; this module imports nothing from the project, and neither side imports the
other. The strings are stored in logs and registries: never change one.

Task metadata (what a task writes in `Task(metadata=...)`, kept in the run's `metadata_json`):

- `SAMPLE_FIELD_KEY`: for a task whose scorer returns a dict, the field that is the per-sample
  value of its headline metric. Ingest stores that field as each sample's `score_value`, which
  version comparisons pair item by item. Without it the first scorer's value is stored as is.
- `HEADLINE_METRIC_KEY`: the metric the task exists to measure, the one `SAMPLE_FIELD_KEY`
  underlies. Version comparisons pair per-sample values only for this metric; the benchmark
  report shows it.
- `DATASET_SHA256_KEY`: the SHA-256 of the dataset file, for a task that reads one. Ingest
  stores it on the run; runs of different files are never paired, whatever their sample ids.
- `CONSTITUTION_KEY`, `CONSTITUTION_VERSION_KEY`: the name and version of the constitution a
  model-graded task's grader applies; ingest records them with the run's elicitation, and a
  policy can name the constitution its evidence must be graded under.
- `POSITION_DEPENDENT_KEY`: how a pairwise-judged task counts verdicts that change with the
  answers' order (`tie` or `exclude`); recorded with the run's elicitation, so a policy can
  require one.
- `NEEDS_GRADER_KEY`: true for a task whose scorer asks a model in the Inspect role `grader`;
  `rsp eval run` refuses to run it without one rather than let it grade with the model under
  test.

Eval metadata (what whoever runs the eval writes, `rsp eval run` or `inspect eval --metadata`):
`MODEL_LINE_KEY` and `MODEL_VERSION_KEY` name the model version a run measured (ingest falls
back to the provider model and `unversioned`), with optional `EFFECTIVE_COMPUTE_KEY` and
`RELEASE_DATE_KEY` (ISO date) for trends.

Uncertainty: a metric that reports its own reports three sibling metrics, `X` (the estimate),
`stderr_key(X)` (its standard error) and `count_key(X)` (the items it is over, which for a rate
over a subset is not the sample count); ingest reads them back as one estimate. Inspect's
built-ins report a shared `stderr` for the scorer's other metrics instead (`SHARED_STDERR`),
with the number of scored samples as n.
"""

from __future__ import annotations

SAMPLE_FIELD_KEY = "sample_field"
HEADLINE_METRIC_KEY = "headline_metric"
DATASET_SHA256_KEY = "dataset_sha256"
NEEDS_GRADER_KEY = "needs_grader"
CONSTITUTION_KEY = "constitution"
CONSTITUTION_VERSION_KEY = "constitution_version"
POSITION_DEPENDENT_KEY = "position_dependent"

MODEL_LINE_KEY = "rsp_model_line"
MODEL_VERSION_KEY = "rsp_model_version"
EFFECTIVE_COMPUTE_KEY = "effective_compute"
RELEASE_DATE_KEY = "release_date"

STDERR_SUFFIX = "_stderr"
COUNT_SUFFIX = "_n"
SHARED_STDERR = "stderr"


def stderr_key(name: str) -> str:
    """The metric holding the standard error of metric `name`."""
    return f"{name}{STDERR_SUFFIX}"


def count_key(name: str) -> str:
    """The metric holding the number of items metric `name` is over."""
    return f"{name}{COUNT_SUFFIX}"


def is_companion(key: str) -> bool:
    """Whether metric `key` describes another metric's uncertainty rather than being an
    estimate itself."""
    return key == SHARED_STDERR or key.endswith((STDERR_SUFFIX, COUNT_SUFFIX))


def estimate_metrics(name: str, value: float, stderr: float, n: int) -> dict[str, float]:
    """The three metrics an estimate with its own uncertainty is reported as."""
    return {name: value, stderr_key(name): stderr, count_key(name): float(n)}
