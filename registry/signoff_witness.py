"""A reviewer's own record of the sign-off chain heads they have seen: the local witness.

A hash chain proves the order and content of its records but not how many there are: whoever
owns the database can delete the newest records (the CEO's later "reject") and the rest still
verifies. Certificate Transparency answers this with signed tree heads that clients keep; here
every `rsp` that signs or verifies appends the head it saw to a JSON-lines file on the
reviewer's own machine, which the database owner cannot reach, and every later verification
requires the stored chain to extend all of them.

Where: `$RSP_WITNESS`, else `$XDG_STATE_HOME/rsp/witness.jsonl`, else
`~/.local/state/rsp/witness.jsonl`. Not next to the private key: `status` and `verify` take no
key, and one file per person covers every key and registry they use.

Which heads apply to a registry: each line names the chain (the hash of its record #1, see
`chain_id`) and the registry's location (`registry_location`: path or server/database,
without the user). A head applies when either matches. The chain id follows the registry to
another URL, a tunnel or a copied backup; the location catches what erases the chain id
itself: deleting every record, or rewriting from record #1. The price of the location: a
registry deliberately recreated at the same place looks exactly like a wiped one, and fails
until its lines are removed from the witness.

What a line's `verified` digest adds: a head kept right after the chain up to it verified
against the reviewers file (`vouch`) carries that check's `verification_digest`, so a later
check re-hashes every record but skips the signatures up to that head when the digest and
the hashes are unchanged (why that is sound: `registry.signoff.check_chain`). That makes the
witness vouch for those signatures, as it already vouches for the chain's length; a head first
kept by a sign-off (whose new record was signed, not verified) carries no digest, and keeps
none later: each head is one line, so the first check after your own sign-off is a full one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from registry.db import registry_location
from registry.signoff import (
    EMPTY_HEAD,
    Head,
    Record,
    SignoffError,
    chain_head,
    chain_id,
    parse_head,
)


def default_witness_path() -> Path:
    """$RSP_WITNESS, else the XDG state folder's rsp/witness.jsonl."""
    if os.environ.get("RSP_WITNESS"):
        return Path(os.environ["RSP_WITNESS"])
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "rsp" / "witness.jsonl"


@dataclass(frozen=True)
class Sighting:
    """One line of the witness: a head of a chain, where and when it was seen."""

    registry: str
    chain: str | None
    head: Head
    seen_at: str
    verified: str | None = None  # the verification_digest when the chain up to head verified


@dataclass(frozen=True)
class Witness:
    """The witness file `path`, as it concerns the registry at `registry` (a location)."""

    path: Path
    registry: str
    # heads this process verified completely, with their verification digest, for `see`
    vouched: dict[Head, str] = field(default_factory=dict, compare=False, repr=False)

    def sightings(self) -> list[Sighting]:
        """Every line of the file (none when it does not exist yet)."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise SignoffError(f"Cannot read the witness {self.path} ({exc.strerror}). Fix: "
                               "make it a readable file, or point --witness or $RSP_WITNESS "
                               "at one (`rsp signoff verify --no-witness` skips it).") from None
        found = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                verified = entry.get("verified")
                found.append(Sighting(str(entry["registry"]), entry.get("chain"),
                                      parse_head(str(entry["head"])), str(entry["seen_at"]),
                                      verified if isinstance(verified, str) else None))
            except (ValueError, KeyError, TypeError, SignoffError):
                raise SignoffError(f"{self.path}:{number} is not a witness line. Fix: delete "
                                   "that line (a crash mid-write can leave one); the heads "
                                   "on the other lines still count.") from None
        return found

    def heads_for(self, records: Sequence[Record]) -> list[Head]:
        """The heads seen of this registry or of this chain, wherever it was stored then."""
        chain = chain_id(records)
        return [s.head for s in self.sightings()
                if s.registry == self.registry or (chain is not None and s.chain == chain)]

    def verified_heads(self, records: Sequence[Record]) -> dict[Head, str]:
        """The heads of `heads_for` that were kept with a verification digest, and the digest
        (the signatures up to them need no second check while it still matches)."""
        chain = chain_id(records)
        return {s.head: s.verified for s in self.sightings()
                if s.verified is not None
                and (s.registry == self.registry or (chain is not None and s.chain == chain))}

    def vouch(self, head: Head, digest: str) -> None:
        """Note that the chain up to `head` verified completely, with `digest` its
        verification_digest: `see` keeps the digest with the head."""
        self.vouched[head] = digest

    def see(self, records: Sequence[Record]) -> bool:
        """Append the head of `records` (a verified chain) unless already kept; whether it
        was. The empty head is never kept: every chain extends it."""
        head = chain_head(records)
        chain = chain_id(records)
        if head == EMPTY_HEAD or any(s.head == head and s.registry == self.registry
                                     and s.chain == chain for s in self.sightings()):
            return False
        entry = {"registry": self.registry, "chain": chain, "head": str(head),
                 "seen_at": datetime.now(UTC).isoformat()}
        if head in self.vouched:
            entry["verified"] = self.vouched[head]
        line = json.dumps(entry, sort_keys=True)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # one write of one short line in append mode, so concurrent `rsp`s never interleave
        with self.path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")
        return True


def witness_for(db: str | None, path: Path | None = None) -> Witness:
    """The witness for the registry at `db` (as --db / $RSP_DB name it)."""
    return Witness(path or default_witness_path(), registry_location(db))
