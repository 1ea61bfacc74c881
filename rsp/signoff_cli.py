"""`rsp signoff ...`: keys, attestations, waivers, approvals, status and chain verification.

Imported at every `rsp` start-up (it is a sub-app): the sign-off machinery (cryptography, the
registry) is imported by the commands that use it, inside them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from registry.policy_path import DEFAULT_POLICY_PATH
from rsp import common, output
from rsp.common import DbOption, PolicyOption

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from registry.checklist import Checklist
    from registry.signoff import Head, Kind, Record, Reviewer
    from registry.signoff_store import VersionEvidence
    from registry.signoff_witness import Witness

app = typer.Typer(help="Release sign-off: signed, hash-chained attestations, waivers and "
                       "approvals, checked against the policy's roles.", no_args_is_help=True)

ReviewersOption = Annotated[Path, typer.Option(
    "--reviewers", envvar="RSP_REVIEWERS", help="Reviewers file: 'ID ROLES PUBLIC_KEY' lines.")]
ReviewerOption = Annotated[str, typer.Option("--reviewer", help="Your reviewer id.")]
KeyOption = Annotated[Path, typer.Option("--key", envvar="RSP_KEY",
                                         help="Your private key (from keygen).")]
TextOption = Annotated[str, typer.Option("--text", help="Evidence or reason, recorded verbatim.")]
WitnessOption = Annotated[Path | None, typer.Option(
    "--witness", help="Your witness file: the chain heads you have seen, checked and extended "
    "here (default $RSP_WITNESS, else ~/.local/state/rsp/witness.jsonl).")]
DEFAULT_REVIEWERS = Path("reviewers.allowed")


def _reviewers(path: Path) -> dict:
    from registry.signoff import parse_reviewers

    try:
        return parse_reviewers(path.read_text(encoding="utf-8"), str(path))
    except FileNotFoundError:
        raise common.fail(f"No reviewers file at {path}. Fix: create it with the lines "
                          "`rsp signoff keygen` prints, or pass --reviewers.") from None


def remember(witness: Witness | None, chain: list[Record]) -> None:
    """Have the witness keep the head of a chain just verified or extended. A witness that
    cannot be written is a warning, not an error: the sign-off already stands, and the head
    is printed for the reviewer to keep by hand."""
    from registry.signoff import SignoffError

    if witness is None:
        return
    try:
        witness.see(chain)
    except (OSError, SignoffError) as exc:
        common.errors.print(f"[bold yellow]warning:[/] the chain head was not kept in "
                            f"{escape(str(witness.path))} ({escape(str(exc))}). Fix: make it "
                            "writable or pass --witness; meanwhile keep the head printed "
                            "here yourself.", highlight=False, soft_wrap=True)


def print_head(head: Head) -> None:
    """The head, whole on one line: a wrapped hash could not be pasted back into --head."""
    from registry.signoff import head_advice

    common.console.print(head_advice(head), highlight=False, soft_wrap=True)


@app.command()
def keygen(
    reviewer: Annotated[str, typer.Argument(help="Reviewer id, e.g. alice.")],
    roles: Annotated[str, typer.Option("--roles", help="Comma-separated roles.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the private key.")] =
        Path("keys"),
    reviewers: Annotated[Path | None, typer.Option(
        "--reviewers", help="Also append the public line to this reviewers file.")] = None,
) -> None:
    """Create an Ed25519 key pair; print the reviewers-file line for the public key."""
    from registry.signoff import generate_key

    pem, public = generate_key()
    out.mkdir(parents=True, exist_ok=True)
    key_file = out / f"{reviewer}.key"
    if key_file.exists():
        raise common.fail(f"{key_file} exists. Fix: remove it first or choose another --out.")
    key_file.touch(mode=0o600)
    key_file.write_bytes(pem)
    line = f"{reviewer} {roles} {public}"
    if reviewers is not None:
        with reviewers.open("a", encoding="utf-8") as f:
            f.write(line + "\n")
    common.console.print(f"private key: {key_file} (keep it secret)\nreviewers line:\n{line}",
                         highlight=False)


def _signer(reviewer_id: str, key_path: Path, reviewers_path: Path
            ) -> tuple[dict[str, Reviewer], Reviewer, Ed25519PrivateKey]:
    """The reviewers file, the signing reviewer and their key, or exit 2 saying what is wrong."""
    from registry.signoff import load_private_key, public_key_of

    reviewers = _reviewers(reviewers_path)
    reviewer = reviewers.get(reviewer_id)
    if reviewer is None:
        raise common.fail(f"'{reviewer_id}' is not in {reviewers_path}. Fix: add the line "
                       "`rsp signoff keygen` printed for them.")
    key = load_private_key(key_path)
    if public_key_of(key) != reviewer.public_key:
        raise common.fail(f"{key_path} is not {reviewer_id}'s key in {reviewers_path}. Fix: sign "
                       "with your own key.")
    return reviewers, reviewer, key


def _recorded(record: Record, chain: list[Record], witness: Witness | None) -> None:
    """Say what was recorded, have the witness keep the new head, and print it."""
    from registry.signoff import chain_head

    common.console.print(f"[green]recorded[/] #{record.seq} {record.kind} "
                         f"{escape(record.subject)} on {escape(record.model_version)} by "
                         f"{record.reviewer} (hash {record.record_hash[:16]})", highlight=False)
    # only now: a head kept before the commit would name a record the database may not hold
    remember(witness, [*chain, record])
    print_head(chain_head([*chain, record]))


def _sign(kind: Kind, model: str, subject: str, text: str, reviewer_id: str, key_path: Path,
          reviewers_path: Path, db: str | None, policy_path: Path,
          witness_path: Path | None) -> None:
    from registry.assess import record_determinations, resolve_versions
    from registry.policy import load_policy
    from registry.signoff import check_permitted
    from registry.signoff_store import append_record, read_verified_chain, version_evidence
    from registry.signoff_witness import witness_for

    policy = load_policy(policy_path)
    reviewers, reviewer, key = _signer(reviewer_id, key_path, reviewers_path)
    with common.registry_session(db) as session:
        (version,) = resolve_versions(session, model)
        # made once the session is open, so a malformed --db fails where it always has
        witness = witness_for(db, witness_path)
        chain = read_verified_chain(session, reviewers, witness)
        evidence = version_evidence(session, policy, version)
        check_permitted(kind, subject, text, reviewer,
                        required_roles=policy.signoff.required_roles,
                        separation_of_duties=policy.signoff.separation_of_duties,
                        safeguards=evidence.safeguards, undecided=evidence.undecided,
                        runners=evidence.runners)
        record = append_record(session, key, kind, version.id, subject, text, reviewer,
                               evidence.evidence)
        # the audit trail of what was decided, stored with every decision signed on it
        record_determinations(session, policy, version, evidence.assessment.determination)
    _recorded(record, chain, witness)


def _requires_version(model: str) -> str:
    if "@" not in model:
        raise common.fail(f"'{model}' names no version. Fix: pass MODEL@VERSION.")
    return model


ModelArg = Annotated[str, typer.Argument(help="MODEL@VERSION", callback=_requires_version)]


@app.command()
def attest(model: ModelArg, safeguard: Annotated[str, typer.Option("--safeguard")],
           text: TextOption, reviewer: ReviewerOption, key: KeyOption,
           reviewers: ReviewersOption = DEFAULT_REVIEWERS, db: DbOption = None,
           policy: PolicyOption = DEFAULT_POLICY_PATH, witness: WitnessOption = None) -> None:
    """Attest that a safeguard the required tier demands is in place, with evidence."""
    _sign("attest", model, safeguard, text, reviewer, key, reviewers, db, policy, witness)


@app.command()
def waive(model: ModelArg,
          indicator: Annotated[str, typer.Option("--indicator", help="domain/indicator")],
          text: TextOption, reviewer: ReviewerOption, key: KeyOption,
          reviewers: ReviewersOption = DEFAULT_REVIEWERS, db: DbOption = None,
          policy: PolicyOption = DEFAULT_POLICY_PATH, witness: WitnessOption = None) -> None:
    """Waive an inconclusive indicator, with a reason (sign-off roles only)."""
    _sign("waive", model, indicator, text, reviewer, key, reviewers, db, policy, witness)


@app.command()
def approve(model: ModelArg, role: Annotated[str, typer.Option("--role")], text: TextOption,
            reviewer: ReviewerOption, key: KeyOption,
            reviewers: ReviewersOption = DEFAULT_REVIEWERS, db: DbOption = None,
            policy: PolicyOption = DEFAULT_POLICY_PATH, witness: WitnessOption = None) -> None:
    """Approve the release in a role the policy requires (void if the evidence changes)."""
    _sign("approve", model, role, text, reviewer, key, reviewers, db, policy, witness)


@app.command()
def invalidate(
    run: Annotated[str, typer.Argument(help="Run id (as the report or the Runs page lists it).")],
    sample: Annotated[list[str], typer.Option(
        "--sample", help="A sample id to invalidate (repeatable).")],
    text: TextOption, reviewer: ReviewerOption, key: KeyOption,
    reviewers: ReviewersOption = DEFAULT_REVIEWERS, db: DbOption = None,
    witness: WitnessOption = None,
) -> None:
    """Invalidate samples of a run (a broken item, a harness fault), as a signed record in the
    chain: who, when, why and which samples. Decisions then use the run's scores recomputed
    by its task's own metrics without them, and every approval resting on the run is void
    until re-approved. Nothing stored is edited. Refused when the scores cannot be recomputed
    faithfully (then re-run the eval instead)."""
    from registry.corrections_store import invalidation_for
    from registry.signoff_store import append_record, read_verified_chain
    from registry.signoff_witness import witness_for

    reviewers_by_id, signer, private = _signer(reviewer, key, reviewers)
    if not text.strip():
        raise common.fail("An invalidation needs its reason. Fix: pass --text.")
    with common.registry_session(db) as session:
        witness_file = witness_for(db, witness)
        chain = read_verified_chain(session, reviewers_by_id, witness_file)
        stored, invalidation = invalidation_for(session, run, sample)
        record = append_record(session, private, "invalidate", stored.model_version_id,
                               stored.id, text, signer, invalidation)
    _recorded(record, chain, witness_file)
    common.console.print(f"{len(invalidation.samples)} sample(s) of {invalidation.run_id} now "
                      "invalidated; its scores without them: " + ", ".join(
                          f"{s.metric} {s.value:.4g} (n={s.n})" for s in invalidation.scores),
                      highlight=False, soft_wrap=True)


@app.command()
def reject(model: ModelArg, role: Annotated[str, typer.Option("--role")], text: TextOption,
           reviewer: ReviewerOption, key: KeyOption,
           reviewers: ReviewersOption = DEFAULT_REVIEWERS, db: DbOption = None,
           policy: PolicyOption = DEFAULT_POLICY_PATH, witness: WitnessOption = None) -> None:
    """Reject the release in a role the policy requires."""
    _sign("reject", model, role, text, reviewer, key, reviewers, db, policy, witness)


def signoff_checklist(model: str, db: str | None, policy_path: Path, reviewers_path: Path,
                      witness_path: Path | None = None
                      ) -> tuple[VersionEvidence, Checklist, Head]:
    """The evidence, checklist and chain head of a version, after verifying the chain
    (against the witness too, which then keeps the head)."""
    from registry.assess import resolve_versions
    from registry.policy import load_policy
    from registry.signoff import chain_head
    from registry.signoff_store import checklist_for, read_verified_chain, version_evidence
    from registry.signoff_witness import witness_for

    policy = load_policy(policy_path)
    reviewers = _reviewers(reviewers_path)
    with common.registry_session(db) as session:
        (version,) = resolve_versions(session, model)
        witness = witness_for(db, witness_path)
        chain = read_verified_chain(session, reviewers, witness)
        evidence = version_evidence(session, policy, version)
        checklist = checklist_for(policy, evidence, chain)
    remember(witness, chain)
    return evidence, checklist, chain_head(chain)


@app.command()
def status(model: ModelArg, reviewers: ReviewersOption = DEFAULT_REVIEWERS, db: DbOption = None,
           policy: PolicyOption = DEFAULT_POLICY_PATH,
           as_json: Annotated[bool, typer.Option("--json")] = False,
           witness: WitnessOption = None) -> None:
    """The release checklist: releasable or not, and exactly why. Exit 0 releasable, 1 not."""
    evidence, checklist, head = signoff_checklist(model, db, policy, reviewers, witness)
    det = evidence.assessment.determination
    if as_json:
        print(json.dumps({"model_version": evidence.assessment.version.id,
                          "required_tier": det.required_tier,
                          "releasable": checklist.releasable,
                          "evidence_sha256": evidence.evidence_sha256,
                          "chain_head": str(head),
                          "items": [i.__dict__ for i in checklist.items]}, indent=2))
    else:
        output.print_checklist(common.console, evidence.assessment.version.id,
                                      det.required_tier, checklist)
        print_head(head)
    raise typer.Exit(0 if checklist.releasable else 1)


@app.command()
def verify(
    reviewers: ReviewersOption = DEFAULT_REVIEWERS, db: DbOption = None,
    head: Annotated[list[str] | None, typer.Option(
        "--head", help="A chain head you kept, SEQ:HASH as printed (repeatable): the chain "
        "must still hold that record, unchanged, and everything before it.")] = None,
    witness: WitnessOption = None,
    no_witness: Annotated[bool, typer.Option(
        "--no-witness", help="Neither check the chain against your witness file nor keep its "
        "head there.")] = False,
    full: Annotated[bool, typer.Option(
        "--full", help="Check every signature again, also those your witness kept as "
        "verified.")] = False,
) -> None:
    """Check every record's hash, link and signature, and that the chain still extends every
    --head and every head your witness kept of this registry, so deleting the newest records
    is caught. Exit 0 intact, 1 tampered or cut short, 2 on bad input.

    Signatures up to a head your witness kept as verified are checked again only when a
    record or signature before it changed, or with --full; every hash and link always is."""
    from registry.signoff import chain_head, parse_head
    from registry.signoff_store import anchored_check, read_chain
    from registry.signoff_witness import witness_for

    heads = [parse_head(text) for text in head or []]
    keys = _reviewers(reviewers)
    with common.registry_session(db) as session:
        chain = read_chain(session)
        kept = None if no_witness else witness_for(db, witness)
    problems, checked = anchored_check(chain, keys, heads, kept, recheck=full)
    witnessed = kept.heads_for(chain) if kept else []
    console = common.console
    if problems:
        for problem in problems:
            console.print(f"[bold red]TAMPERED[/] {escape(problem)}", highlight=False,
                          soft_wrap=True)
        raise typer.Exit(1)
    remember(kept, chain)
    console.print(f"[green]intact[/] {len(chain)} sign-off records: hashes, links and "
                  "signatures verify.")
    if checked.signatures_checked < len(chain):  # say what was taken on the witness's word
        now = checked.signatures_checked
        console.print(f"  {now} signature{'' if now == 1 else 's'} checked now; the other "
                      f"{len(chain) - checked.signatures_checked} verified before, as your "
                      "witness kept (--full checks them again).", highlight=False)
    for given in heads:
        console.print(f"[green]extends[/] head {given.short()}", highlight=False)
    if kept is not None:
        where = escape(str(kept.path))
        console.print(f"[green]extends[/] all {len(witnessed)} heads your witness {where} "
                      "kept of this registry" if witnessed else
                      f"your witness {where} kept no head of this registry before",
                      highlight=False, soft_wrap=True)
    print_head(chain_head(chain))
