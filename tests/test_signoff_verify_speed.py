"""Fast chain verification: signatures checked in parallel give exactly the one-by-one
verdict, and a head the witness kept as verified spares the signatures up to it, never the
hashes, so an edited old record is still named."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.signoff import (
    GENESIS,
    Record,
    Reviewer,
    chain_head,
    check_chain,
    public_key_of,
    sign,
    verify_chain,
)
from registry.signoff_store import anchored_problems
from registry.signoff_witness import Witness

WHO = ("alice", "bob", "carol")


@pytest.fixture(scope="module")
def keys() -> dict[str, Ed25519PrivateKey]:
    return {who: Ed25519PrivateKey.generate() for who in WHO}


@pytest.fixture(scope="module")
def reviewers(keys) -> dict[str, Reviewer]:
    return {who: Reviewer(who, frozenset({"ceo"}), public_key_of(k)) for who, k in keys.items()}


def grow(chain: list[Record], keys, count: int) -> list[Record]:
    """`chain` with `count` more signed records."""
    out = list(chain)
    for _ in range(count):
        seq = len(out) + 1
        who = WHO[seq % 3]
        out.append(sign(Record(seq, out[-1].record_hash if out else GENESIS, "attest",
                               f"line@v{seq % 5}", "model-card-published", f"evidence {seq}",
                               who, "0" * 64, "2026-11-22T00:00:00+00:00"), keys[who]))
    return out


def serial(chain, reviewers) -> list[str]:
    return check_chain(chain, reviewers, workers=1).problems


def parallel(chain, reviewers) -> list[str]:
    return check_chain(chain, reviewers, workers=4, parallel_from=2).problems


def test_parallel_check_gives_the_serial_verdict(keys, reviewers, counted):
    chain = grow([], keys, 40)
    assert serial(chain, reviewers) == parallel(chain, reviewers) == []
    assert sorted(counted) == sorted([*range(1, 41)] * 2)  # every signature, each way
    # an edited record (hash kept), a forged signature, a record re-hashed after an edit
    # (which breaks its successor's link) and a reviewer not in the file
    tampered = list(chain)
    tampered[9] = replace(chain[9], text="edited")
    forged = base64.b64encode(Ed25519PrivateKey.generate().sign(b"x")).decode()
    tampered[19] = replace(chain[19], signature=forged)
    rehashed = replace(chain[24], subject="other")
    tampered[24] = replace(rehashed, record_hash=rehashed.computed_hash())
    tampered[29] = replace(chain[29], reviewer="mallory")
    expected = serial(tampered, reviewers)
    assert parallel(tampered, reviewers) == expected == verify_chain(tampered, reviewers)
    assert [p.split(":")[0].split(" ")[1] for p in expected] == [
        "#10", "#20", "#25", "#26", "#30", "#30"]
    assert "content does not match its hash" in expected[0]
    assert "signature does not verify with" in expected[1]
    # a deleted record: every later seq is named, the same way on both paths
    cut = chain[:15] + chain[16:]
    assert parallel(cut, reviewers) == serial(cut, reviewers) != []


def verified_head(chain, reviewers) -> dict:
    """What a witness keeps once `chain` verified: its head and verification digest."""
    check = check_chain(chain, reviewers)
    assert check.problems == []
    return {chain_head(chain): check.digest}


def test_a_verified_head_spares_only_the_signatures_up_to_it(keys, reviewers, counted):
    old = grow([], keys, 30)
    verified = verified_head(old, reviewers)
    counted.clear()
    chain = grow(old, keys, 5)
    check = check_chain(chain, reviewers, verified=verified, workers=4, parallel_from=2)
    assert check.problems == [] and check.signatures_checked == 5
    assert sorted(counted) == [31, 32, 33, 34, 35]  # not one record up to the head
    # the new records' signatures are still checked: a forged one after the head is named
    forged = base64.b64encode(Ed25519PrivateKey.generate().sign(b"x")).decode()
    bad = [*chain[:32], replace(chain[32], signature=forged), *chain[33:]]
    assert check_chain(bad, reviewers, verified=verified).problems == serial(bad, reviewers)
    assert "record #33" in serial(bad, reviewers)[0]


@pytest.mark.parametrize("attack", ["edit", "edit and rehash", "signature", "rotated key"])
def test_a_verified_head_does_not_hide_a_change_before_it(keys, reviewers, counted, attack):
    chain = grow([], keys, 30)
    verified = verified_head(chain, reviewers)
    chain = grow(chain, keys, 3)
    tampered, keyring = list(chain), dict(reviewers)
    if attack == "edit":  # hash kept: the content no longer matches it
        tampered[9] = replace(chain[9], text="edited")
    elif attack == "edit and rehash":  # the next link breaks, and the signature
        edited = replace(chain[9], text="edited")
        tampered[9] = replace(edited, record_hash=edited.computed_hash())
    elif attack == "signature":  # outside the hash: the digest catches it
        forged = base64.b64encode(Ed25519PrivateKey.generate().sign(b"x")).decode()
        tampered[9] = replace(chain[9], signature=forged)
    else:  # the reviewers file now holds another key for bob
        keyring["bob"] = replace(reviewers["bob"], public_key=public_key_of(
            Ed25519PrivateKey.generate()))
    counted.clear()
    check = check_chain(tampered, keyring, verified=verified, workers=4, parallel_from=2)
    assert sorted(counted) == list(range(1, 34))  # nothing vouched for: every signature
    assert check.signatures_checked == 33
    assert check.problems == serial(tampered, keyring) != []


def test_the_witness_keeps_verified_heads_and_later_checks_use_them(keys, reviewers, counted,
                                                                    tmp_path: Path):
    witness = Witness(tmp_path / "witness.jsonl", "here")
    chain = grow([], keys, 20)
    assert anchored_problems(chain, reviewers, witness=witness) == []
    assert witness.see(chain)
    assert len(counted) == 20
    # a new process: a fresh Witness over the same file
    later = Witness(tmp_path / "witness.jsonl", "here")
    assert later.verified_heads(chain) == {chain_head(chain): check_chain(chain, reviewers)
                                           .digest}
    counted.clear()
    longer = grow(chain, keys, 4)
    assert anchored_problems(longer, reviewers, witness=later) == []
    assert sorted(counted) == [21, 22, 23, 24]
    # an edited record before the kept head is still named, and its head reported
    counted.clear()
    edited = [*longer[:4], replace(longer[4], text="edited"), *longer[5:]]
    problems = anchored_problems(edited, reviewers, witness=Witness(later.path, "here"))
    assert problems[0].startswith("record #5 ") and "does not match its hash" in problems[0]
    assert len(counted) == 24
    # a head kept without a check (as a sign-off keeps its new record's) vouches for nothing
    unvouched = Witness(tmp_path / "other.jsonl", "here")
    assert unvouched.see(chain) and unvouched.verified_heads(chain) == {}
