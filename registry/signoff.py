"""Sign-off records: append-only, hash-chained, Ed25519-signed. Pure but for
`load_private_key`, which reads a reviewer's key file: it sits with the other key handling so
that a bad key is explained in one place; nothing else here does I/O.

Each record carries the hash of its predecessor and is signed by its reviewer's key over its
own hash, so `verify_chain` detects an edited, deleted, reordered or forged record and names it.
A chain cannot see its own tail cut off, though: delete the newest records and the rest still
verifies. So every sign-off step prints the chain's head (`SEQ:HASH`), reviewers keep it, and
`extension_problems` says whether the stored chain still extends every head someone kept.
Who may sign what comes from a reviewers file in the spirit of git's allowed-signers:

    # reviewer-id  roles                               base64 Ed25519 public key
    alice          responsible-scaling-officer          3q2+7w...=
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Literal, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from registry.errors import RspError

Kind = Literal["attest", "waive", "approve", "reject", "invalidate"]
GENESIS = "0" * 64


class SignoffError(RspError, ValueError):
    """A sign-off that the rules refuse, or a file that cannot be used; says why and the fix."""


@dataclass(frozen=True)
class Reviewer:
    id: str
    roles: frozenset[str]
    public_key: str  # base64 raw Ed25519

    def key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(self.public_key))


@dataclass(frozen=True)
class Record:
    seq: int
    prev_hash: str
    kind: Kind
    model_version: str
    subject: str  # safeguard (attest), indicator (waive), role (approve / reject), run
    text: str  # evidence or reason
    reviewer: str
    evidence_sha256: str  # the evidence the record covers: policy, runs and their logs
    created_at: str
    record_hash: str = ""
    signature: str = ""
    # the evidence `evidence_sha256` digests (Evidence.to_json), kept beside the record so a
    # reader can say what changed since; outside the hash, it is trusted only when it digests
    # to `evidence_sha256`, which the hash and signature cover
    evidence_json: str = ""

    def body(self) -> bytes:
        # the fields read directly, not through asdict: its deep copy was most of the cost of
        # hashing (every field is a str or an int, so the JSON is byte for byte the same)
        fields = {k: getattr(self, k) for k in _BODY_FIELDS}
        return _BODY_ENCODER.encode(fields).encode()

    def computed_hash(self) -> str:
        return hashlib.sha256(self.body()).hexdigest()


# what a record's hash covers: every field but the hash itself, the signature over it and the
# kept copy of the evidence (which `evidence_sha256` covers)
_BODY_FIELDS = tuple(name for name in Record.__dataclass_fields__
                     if name not in ("record_hash", "signature", "evidence_json"))
# what json.dumps(sort_keys=True, separators=(",", ":")) builds on every call, built once
_BODY_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


def parse_reviewers(text: str, source: str = "reviewers file") -> dict[str, Reviewer]:
    reviewers: dict[str, Reviewer] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 3:
            raise SignoffError(f"{source}:{number}: expected 'REVIEWER ROLES PUBLIC_KEY'. Fix: "
                               "paste the line `rsp signoff keygen` printed.")
        rid, roles, key = parts
        try:
            Ed25519PublicKey.from_public_bytes(base64.b64decode(key, validate=True))
        except ValueError:
            raise SignoffError(f"{source}:{number}: the public key of '{rid}' is not a base64 "
                               "Ed25519 key. Fix: paste it from `rsp signoff keygen`.") from None
        reviewers[rid] = Reviewer(rid, frozenset(roles.split(",")), key)
    return reviewers


def generate_key() -> tuple[bytes, str]:
    """A new private key as PEM, and its public key as base64 raw bytes."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return pem, public_key_of(private)


def public_key_of(private: Ed25519PrivateKey) -> str:
    raw = private.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise SignoffError(f"{path}: not a readable Ed25519 private key ({exc}). Fix: pass the "
                           "file `rsp signoff keygen` wrote.") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SignoffError(f"{path}: not an Ed25519 key. Fix: use `rsp signoff keygen`.")
    return key


def sign(record: Record, key: Ed25519PrivateKey) -> Record:
    digest = record.computed_hash()
    signature = base64.b64encode(key.sign(digest.encode())).decode()
    return replace(record, record_hash=digest, signature=signature)


# Below this many records to check, verification stays on the calling thread. Measured on
# 2 cores (best of 5): 8 records 0.95 ms serial vs 1.50 ms on the pool, 32: 3.65 vs 2.80 ms,
# 256: 29.8 vs 16.9 ms; the pool's start and hand-offs cost about a dozen checks.
PARALLEL_FROM = 32


def signature_valid(key: Ed25519PublicKey, record: Record) -> bool:
    """Whether `record`'s signature verifies with `key` over its stored hash. Module-level so
    that a test can count the calls (every signature check goes through here)."""
    try:
        key.verify(base64.b64decode(record.signature), record.record_hash.encode())
    except (InvalidSignature, ValueError):
        return False
    return True


def _check_range(records: Sequence[Record], keys: dict[str, Ed25519PublicKey], start: int,
                 stop: int, hashes: bool) -> tuple[list[bool], list[int]]:
    """For records[start:stop]: whether each one's content matches its hash (when `hashes`),
    and the indexes whose signature fails (a record by an unknown reviewer is left to the
    caller, which names it differently). Hashing and verifying record by record, so that no
    thread holds the GIL for long: Ed25519 verify releases it, SHA-256 of a short body not."""
    hashes_ok, bad = [], []
    for index in range(start, stop):
        record = records[index]
        if hashes:
            hashes_ok.append(record.computed_hash() == record.record_hash)
        key = keys.get(record.reviewer)
        if key is not None and not signature_valid(key, record):
            bad.append(index)
    return hashes_ok, bad


@dataclass(frozen=True)
class ChainCheck:
    """What `check_chain` found: the problems (as `verify_chain` returns them), the digest
    a witness keeps beside the chain's head once it verified (see `verification_digest`),
    and how many signatures were checked (the rest were vouched for by a verified head)."""

    problems: list[str]
    digest: str
    signatures_checked: int


def verification_digest(records: Sequence[Record], reviewers: Mapping[str, Reviewer]) -> str:
    """What checking the signatures of `records` depends on besides their hashes: each
    stored signature, and the public key now in the reviewers file of every reviewer who
    signed one. Records whose hashes are intact and whose digest is unchanged get the same
    verdict on every signature (the hash covers the reviewer id, the digest the rest)."""
    signers = sorted({record.reviewer for record in records})
    keyring = json.dumps([[rid, reviewers[rid].public_key if rid in reviewers else None]
                          for rid in signers])
    digest = hashlib.sha256(keyring.encode() + b"\n")
    # JSON, not a plain join: a stored signature holding the separator cannot shift another's
    digest.update(json.dumps([record.signature for record in records]).encode())
    return digest.hexdigest()


def verify_chain(records: list[Record], reviewers: dict[str, Reviewer]) -> list[str]:
    """Every problem in the chain, each naming the record; empty when the chain is intact."""
    return check_chain(records, reviewers).problems


def check_chain(records: Sequence[Record], reviewers: Mapping[str, Reviewer], *,
                verified: Mapping[Head, str] | None = None, workers: int | None = None,
                parallel_from: int = PARALLEL_FROM) -> ChainCheck:
    """Check every record's sequence number, link, hash and signature; the problems come out
    in chain order, each naming its record, exactly as a one-by-one check names them.

    Hashes and signatures are checked in chunks on a thread pool of `workers` (default:
    every core) once there are `parallel_from` records: cryptography's Ed25519 verify, nearly
    all of the cost, releases the GIL, so threads scale like processes (measured) without
    pickling the records or starting interpreters.

    `verified` maps heads to the `verification_digest` kept when the chain up to that head
    was verified with no problem (the witness keeps it, see registry/signoff_witness.py).
    The signatures of records at or before such a head are not checked again when all of
    these hold, which makes a check cost signatures only for the records added since:

    - every record up to the head has seq = its position, links to its predecessor's stored
      hash, and its content recomputes to its stored hash (all rechecked here, every time);
    - the head's record still has the head's hash.

    Then, since every hash covers its predecessor's, the head hash commits to the content of
    every record up to it: an edited record changes its own hash, which breaks either its
    stored hash or the next record's link, all the way to the head, so no record up to the
    head can differ from the one verified (short of a SHA-256 collision). What the hashes do
    not cover is the signatures and the reviewers' keys, so the digest covers those:

    - the `verification_digest` of those records still equals the kept one: the same stored
      signatures, each checked against the same public key as when it verified.

    Ed25519 verification is deterministic, so each of those signatures would verify again;
    the problems are the same as a full check's. When any condition fails (an edited old
    record, a replaced signature, a rotated key), every signature is checked as before.
    The trust this adds is in the witness file, which is the reviewer's own.
    """
    keys = {rid: reviewer.key() for rid, reviewer in reviewers.items()}
    workers = workers or os.cpu_count() or 1
    links_ok = [record.prev_hash == (records[i - 1].record_hash if i else GENESIS)
                for i, record in enumerate(records)]
    trusted = 0
    if verified:  # the hashes first, to find the head that vouches for the most signatures
        hashes_ok = [record.computed_hash() == record.record_hash for record in records]
        trusted = _vouched(records, reviewers, verified, hashes_ok, links_ok)
        bad = _in_chunks(records, keys, trusted, workers, parallel_from, hashes=False)[1]
    else:
        hashes_ok, bad = _in_chunks(records, keys, 0, workers, parallel_from, hashes=True)
    problems: list[str] = []
    broken = set(bad)
    for index, record in enumerate(records):
        position = index + 1
        if (record.seq == position and links_ok[index] and hashes_ok[index]
                and record.reviewer in keys and index not in broken):
            continue  # the common case, without building the name (a tenth of a second)
        name = f"record #{record.seq} ({record.kind} {record.model_version} by {record.reviewer})"
        if record.seq != position:
            problems.append(f"{name}: sequence number {record.seq} where {position} was expected "
                            "(a record was deleted or reordered)")
        if not links_ok[index]:
            problems.append(f"{name}: does not follow its predecessor (a record before it was "
                            "deleted, reordered or edited)")
        if not hashes_ok[index]:
            problems.append(f"{name}: content does not match its hash (the record was edited)")
        if record.reviewer not in keys:
            problems.append(f"{name}: signed by '{record.reviewer}', who is not in the reviewers "
                            "file (forged or revoked)")
        elif index in broken:
            problems.append(f"{name}: signature does not verify with {record.reviewer}'s "
                            "key (forged or edited)")
    return ChainCheck(problems, verification_digest(records, reviewers), len(records) - trusted)


def _in_chunks(records: Sequence[Record], keys: dict[str, Ed25519PublicKey], start: int,
               workers: int, parallel_from: int, hashes: bool) -> tuple[list[bool], list[int]]:
    """`_check_range` over records[start:]: on the calling thread below `parallel_from`
    records, else in a few chunks per worker (so one slow chunk does not leave the other
    cores idle at the end), the results joined in chain order."""
    count = len(records) - start
    if count < max(parallel_from, 1) or workers < 2:
        return _check_range(records, keys, start, len(records), hashes)
    size = -(-count // (workers * 4))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        chunks = [pool.submit(_check_range, records, keys, lo, min(lo + size, len(records)),
                              hashes) for lo in range(start, len(records), size)]
        hashes_ok: list[bool] = []
        bad: list[int] = []
        for chunk in chunks:
            ok, failed = chunk.result()
            hashes_ok += ok
            bad += failed
    return hashes_ok, bad


def _vouched(records: Sequence[Record], reviewers: Mapping[str, Reviewer],
             verified: Mapping[Head, str], hashes_ok: list[bool], links_ok: list[bool]) -> int:
    """How many leading records a verified head vouches for (see `check_chain` for why that
    is sound): the highest head within the intact prefix whose record still has its hash
    and whose records still have its digest; 0 when none does."""
    intact = 0
    while (intact < len(records) and hashes_ok[intact] and links_ok[intact]
           and records[intact].seq == intact + 1):
        intact += 1
    for head in sorted(verified, reverse=True):
        if (0 < head.seq <= intact and records[head.seq - 1].record_hash == head.record_hash
                and verification_digest(records[:head.seq], reviewers) == verified[head]):
            return head.seq
    return 0


@dataclass(frozen=True, order=True)
class Head:
    """Where a chain ended when someone looked: its last record's seq and hash.

    Holding a head proves the whole chain up to it, since every record hashes its predecessor;
    what it adds over the chain itself is the length, which is what a deleter changes.
    """

    seq: int
    record_hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.record_hash}"

    def short(self) -> str:
        """The head as messages name it; the full form is what a reviewer keeps."""
        return f"{self.seq}:{self.record_hash[:16]}"


# The empty chain's head: seq 0 and the hash record #1 links to, so it needs no special case.
EMPTY_HEAD = Head(0, GENESIS)
_HEAD = re.compile(r"([0-9]+):([0-9a-f]{64})")


def chain_head(records: Sequence[Record]) -> Head:
    """The head of `records` (in seq order): its last record, or EMPTY_HEAD."""
    return Head(records[-1].seq, records[-1].record_hash) if records else EMPTY_HEAD


def chain_id(records: Sequence[Record]) -> str | None:
    """What names a chain wherever it is stored: the hash of its record #1 (None without one).

    It is fixed by the first sign-off, so two URLs or copies of one registry share it, and no
    other registry has it: the record it hashes names its reviewer, text and signing time.
    """
    return records[0].record_hash if records and records[0].seq == 1 else None


def parse_head(text: str) -> Head:
    """A head as printed (`SEQ:HASH`, the full hash); SignoffError with the fix otherwise."""
    match = _HEAD.fullmatch(text.strip().lower())
    if match is None or (match[1].lstrip("0") == "" and match[2] != GENESIS):
        raise SignoffError(f"'{text}' is not a chain head. Fix: pass SEQ:HASH with the full "
                           "64-hex-digit hash, exactly as a sign-off, `rsp signoff status` or "
                           f"the report printed it, e.g. --head 7:{'ab12' * 16}.")
    return Head(int(match[1]), match[2])


def head_advice(head: Head) -> str:
    """The line that hands a reviewer the head to keep, and what keeping it buys them."""
    if head == EMPTY_HEAD:
        return f"chain head {head} (no sign-off records yet)"
    return (f"chain head {head}; keep it: `rsp signoff verify --head {head}` proves that none "
            f"of these {head.seq} records was removed or changed since.")


def _records(first: int, last: int) -> str:
    return f"record #{first} is" if first == last else f"records #{first}..{last} are"


def extension_problems(records: Sequence[Record], heads: Iterable[Head]) -> list[str]:
    """Why `records` (in seq order) does not extend the heads; empty when it extends them all.

    A head is extended when the record at its seq is still there with its hash: `verify_chain`
    then proves every record before it, because each links to its predecessor's hash. Many
    heads fail together after one attack, so two problems at most are named: the lowest head
    whose record differs (where the rewrite begins) and the highest whose record is gone (the
    whole deleted range).
    """
    stored = {r.seq: r.record_hash for r in records}
    end = max(stored, default=0)
    wanted = [h for h in heads if h.seq > 0]
    differ = [h for h in wanted if h.seq in stored and stored[h.seq] != h.record_hash]
    missing = [h for h in wanted if h.seq not in stored]
    problems = []
    if differ:
        head = min(differ)
        problems.append(f"record #{head.seq} is not the record of head {head.short()}: its "
                        f"hash is now {stored[head.seq][:16]} (the chain was rewritten at "
                        f"#{head.seq} or before)")
    if missing:
        head = max(missing)
        if head.seq > end:
            now = f"the chain now ends at #{end}" if end else "the chain is now empty"
            problems.append(f"{_records(end + 1, head.seq)} missing, up to head "
                            f"{head.short()}: {now} (its newest records were deleted)")
        else:
            problems.append(f"record #{head.seq} of head {head.short()} is missing (deleted "
                            "from within the chain)")
    return problems


@dataclass(frozen=True)
class EvidenceItem:
    """One number a decision rests on: an indicator's estimate and the run and log behind it."""

    indicator: str  # "domain/indicator"
    run_id: str
    log_sha256: str
    value: float
    stderr: float | None
    n: int
    correction: int = 0  # the invalidation record that recomputed the estimate, if any


def evidence_digest(policy_sha256: str, items: Sequence[EvidenceItem]) -> str:
    """What an approval covers: the policy and, per indicator it rests on, the run, the log's
    hash and the estimate itself (value, stderr, n), so that editing a stored number voids
    the approval as surely as a new run does. Floats are hashed by their exact repr."""
    rows = sorted([i.indicator, i.run_id, i.log_sha256, repr(i.value), repr(i.stderr), i.n,
                   # only when there is one, so evidence without corrections hashes as before
                   *([i.correction] if i.correction else [])] for i in items)
    payload = json.dumps({"policy": policy_sha256, "evidence": rows}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


class Covered(Protocol):
    """What a record covers: `sha256` is its `evidence_sha256`, `to_json()` its kept copy."""

    @property
    def sha256(self) -> str: ...

    def to_json(self) -> str: ...


@dataclass(frozen=True)
class Evidence:
    """The evidence a sign-off is made on: the policy and every number it rests on."""

    policy_sha256: str
    items: tuple[EvidenceItem, ...]

    @property
    def sha256(self) -> str:
        return evidence_digest(self.policy_sha256, self.items)

    def to_json(self) -> str:
        return json.dumps({"policy": self.policy_sha256,
                           "items": [asdict(i) for i in sorted(self.items,
                                                               key=lambda i: i.indicator)]},
                          sort_keys=True)


def signed_evidence(record: Record) -> Evidence | None:
    """The evidence a record was signed on, when it kept it and it is what the record's signed
    digest covers; None for a record made before records kept it, or whose copy was edited."""
    try:
        data = json.loads(record.evidence_json)
        evidence = Evidence(data["policy"], tuple(EvidenceItem(**i) for i in data["items"]))
    except (ValueError, TypeError, KeyError):
        return None
    return evidence if evidence.sha256 == record.evidence_sha256 else None


def evidence_changes(signed: Evidence, now: Evidence) -> list[str]:
    """Each difference between the evidence a record was signed on and the evidence now."""
    changes = [] if signed.policy_sha256 == now.policy_sha256 else [
        f"policy sha256 {signed.policy_sha256[:12]} -> {now.policy_sha256[:12]}"]
    before = {i.indicator: i for i in signed.items}
    after = {i.indicator: i for i in now.items}
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old is None or new is None:
            changes.append(f"{key}: {'no longer evaluated' if new is None else 'newly evaluated'}")
            continue
        fields = [f"{name} {_shown(getattr(old, name))} -> {_shown(getattr(new, name))}"
                  for name in ("run_id", "log_sha256", "value", "stderr", "n", "correction")
                  if repr(getattr(old, name)) != repr(getattr(new, name))]
        if fields:
            changes.append(f"{key}: {', '.join(fields)}")
    return changes


def _shown(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, str) and len(value) == 64:  # a sha256
        return value[:12]
    return str(value)


def check_permitted(kind: Kind, subject: str, text: str, reviewer: Reviewer, *,
                    required_roles: list[str], separation_of_duties: bool,
                    safeguards: list[str], undecided: list[str], runners: set[str]) -> None:
    """Raise SignoffError unless the policy lets `reviewer` sign this record."""
    if not text.strip():
        raise SignoffError("Every sign-off needs its evidence or reason. Fix: pass --text.")
    if kind in ("approve", "reject"):
        if subject not in required_roles:
            raise SignoffError(f"'{subject}' is not a sign-off role of the policy. Fix: use one "
                               f"of {', '.join(required_roles)}.")
        if subject not in reviewer.roles:
            raise SignoffError(f"{reviewer.id} does not hold the role '{subject}' in the "
                               f"reviewers file (holds {', '.join(sorted(reviewer.roles))}).")
        if separation_of_duties and reviewer.id in runners:
            raise SignoffError(f"{reviewer.id} ran or ingested evals of this version and cannot "
                               "approve them (separation of duties). Fix: another reviewer "
                               f"holding '{subject}' must sign.")
    elif kind == "attest":
        if subject not in safeguards:
            raise SignoffError(f"'{subject}' is not a safeguard the required tier demands. Fix: "
                               f"attest one of {', '.join(safeguards) or '(none required)'}.")
    elif kind == "waive":
        if not reviewer.roles & set(required_roles):
            raise SignoffError(f"{reviewer.id} holds no sign-off role, so cannot waive. Fix: a "
                               f"reviewer holding one of {', '.join(required_roles)} must waive.")
        if subject not in undecided:
            raise SignoffError(f"'{subject}' is not an inconclusive indicator of this version. "
                               f"Fix: waive one of {', '.join(undecided) or '(none)'}.")
