#!/usr/bin/env python3
"""Independent check of yici-ledger's Merkle roots and proofs (issue 4, §3).

Reads the JSON file written by crates/ledger/tests/independent.rs and checks
it with pymerkle (https://github.com/fmerg/pymerkle, pinned in scripts/test),
an RFC 6962 / RFC 9162 Merkle-tree library we did not write. pymerkle's
default "sha256" tree with security prefixes hashes exactly as RFC 6962:
leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right), empty
tree = SHA-256("").

What is checked, for every case in the file:

* leaf hashes and the root of every listed tree size equal pymerkle's;
* inclusion proofs: pymerkle's verifier (InclusionProof.verify, with the
  proof layout pymerkle derives itself from index and size) accepts our path
  against our root, our path equals the one pymerkle generates, and the same
  path with one hash flipped is rejected;
* consistency proofs: pymerkle's format is not RFC 9162's (it decomposes
  differently when the old size is a left subtree), so it cannot read our
  proofs directly. Instead (1) pymerkle's own consistency proof between the
  two sizes verifies against *our* two roots, and (2) every hash in our
  proof equals the pymerkle root of the subtree that RFC 9162 §2.1.4.1's
  SUBPROOF definition names (the ranges are transcribed below from the RFC;
  the hashes all come from pymerkle).

Prints "checked N inclusion proofs, M consistency proofs, R roots" and exits
0, or prints the first failure and exits 1. Exits 3 if pymerkle is missing.

Usage: python3 verify_proofs.py CASES.json
"""

import json
import sys

try:
    from pymerkle import InmemoryTree, InclusionProof, ConsistencyProof  # noqa: F401
    from pymerkle.proof import InvalidProof
except ImportError:
    print("pymerkle is not installed: run scripts/test, or: pip install pymerkle==7.0.0",
          file=sys.stderr)
    sys.exit(3)


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def unhex(text):
    return bytes.fromhex(text)


def rfc9162_subproof_ranges(m, start, n, whole):
    """Leaf ranges [a, b) of the hashes of SUBPROOF(m, D[start:start+n], b),
    in proof order (RFC 9162 §2.1.4.1)."""
    if m == n:
        return [] if whole else [(start, start + n)]
    k = 1 << ((n - 1).bit_length() - 1)  # largest power of two < n
    if m <= k:
        return rfc9162_subproof_ranges(m, start, k, whole) + [(start + k, start + n)]
    return rfc9162_subproof_ranges(m - k, start + k, n - k, False) + [(start, start + k)]


def main(path):
    with open(path, encoding="utf-8") as f:
        cases = json.load(f)

    entries = [unhex(e) for e in cases["entries"]]
    tree = InmemoryTree.init_from_entries(entries, algorithm="sha256")

    subtree_cache = {}

    def subtree_root(a, b):
        if (a, b) not in subtree_cache:
            sub = InmemoryTree.init_from_entries(entries[a:b], algorithm="sha256")
            subtree_cache[(a, b)] = sub.get_root()
        return subtree_cache[(a, b)]

    for i, leaf in enumerate(cases["leaf_hashes"]):
        if tree.get_leaf(i + 1) != unhex(leaf):
            fail(f"leaf hash {i} differs from pymerkle's")

    roots = {int(size): unhex(root) for size, root in cases["roots"].items()}
    for size, root in roots.items():
        if tree.get_root(size) != root:
            fail(f"root of size {size} differs from pymerkle's")

    inclusion = 0
    for case in cases["inclusion"]:
        index, size = case["index"], case["size"]
        leaf, ours = unhex(case["leaf_hash"]), [unhex(h) for h in case["proof"]]
        theirs = tree.prove_inclusion(index + 1, size)
        if theirs.path[1:] != ours:
            fail(f"inclusion path of leaf {index} in {size} differs from pymerkle's")
        proof = InclusionProof("sha256", True, size, index + 1, theirs.rule, [leaf] + ours)
        try:
            proof.verify(leaf, roots[size], index=index + 1, size=size)
        except InvalidProof as err:
            fail(f"pymerkle rejects our inclusion proof of leaf {index} in {size}: {err}")
        if ours:
            tampered = [leaf] + ours
            tampered[-1] = bytes([tampered[-1][0] ^ 1]) + tampered[-1][1:]
            bad = InclusionProof("sha256", True, size, index + 1, theirs.rule, tampered)
            try:
                bad.verify(leaf, roots[size], index=index + 1, size=size)
                fail(f"pymerkle accepts a tampered proof of leaf {index} in {size}")
            except InvalidProof:
                pass
        inclusion += 1

    consistency = 0
    for case in cases["consistency"]:
        old, new = case["old"], case["new"]
        ours = [unhex(h) for h in case["proof"]]
        theirs = tree.prove_consistency(old, new)
        try:
            theirs.verify(roots[old], roots[new], prior_size=old, later_size=new)
        except InvalidProof as err:
            fail(f"our roots of sizes {old} and {new} are not consistent for pymerkle: {err}")
        ranges = [] if old == new else rfc9162_subproof_ranges(old, 0, new, True)
        if len(ranges) != len(ours):
            fail(f"consistency proof {old} -> {new} has {len(ours)} hashes, RFC 9162 says {len(ranges)}")
        for (a, b), h in zip(ranges, ours):
            if subtree_root(a, b) != h:
                fail(f"consistency proof {old} -> {new}: hash of leaves [{a}, {b}) differs from pymerkle's")
        consistency += 1

    print(f"checked {inclusion} inclusion proofs, {consistency} consistency proofs, {len(roots)} roots")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
