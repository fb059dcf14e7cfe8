"""Deduplication: exact copies by hash, syndicated near-copies by MinHash + LSH.

* Exact: ``text_hash`` = blake2b of the normalized text (the store's unique ``articles.text_hash``). The
  same text again adds nothing (the pipeline counts it as "unchanged").
* Near-duplicate: a MinHash (:data:`NUM_PERM` permutations, fixed seed) of the word 5-shingles of the
  lower-cased text, looked up in a :class:`datasketch.MinHashLSH` at ``settings.near_duplicate_threshold``;
  a candidate counts only if its estimated Jaccard similarity reaches the threshold too, and the first
  report (lowest article id) wins. The index is rebuilt from ``store.iter_minhashes()`` at the start of a
  run and updated as articles are stored; signatures are stored as bytes in ``articles.minhash``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE_WORDS = 5
SEED = 1
SCHEME = "affine32"  # datasketch ≥ 2: 32-bit values, stored as 4 bytes each
DTYPE = np.uint32

_WORD = re.compile(r"\w+")


def text_hash(text: str) -> str:
    """blake2b (128-bit, hex) of the normalized text."""
    return hashlib.blake2b(text.encode("utf-8", errors="surrogatepass"), digest_size=16).hexdigest()


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) <= k:
        return {" ".join(words).encode("utf-8", errors="surrogatepass")}
    return {" ".join(words[i : i + k]).encode("utf-8", errors="surrogatepass") for i in range(len(words) - k + 1)}


_TEMPLATE: MinHash | None = None


def minhash_of(text: str) -> MinHash:
    """The MinHash signature of a text's word 5-shingles."""
    global _TEMPLATE
    if _TEMPLATE is None:  # permutations are generated once per process
        _TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    mh = _TEMPLATE.copy()
    mh.clear()
    mh.update_batch(list(shingles(text)))
    return mh


def to_bytes(mh: MinHash) -> bytes:
    return np.asarray(mh.hashvalues, dtype=DTYPE).tobytes()


def from_bytes(data: bytes) -> MinHash:
    values = np.frombuffer(data, dtype=DTYPE)
    if len(values) != NUM_PERM:
        raise ValueError(f"MinHash of {len(values)} values, expected {NUM_PERM}")
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=values.copy(), scheme=SCHEME)


class NearDuplicateIndex:
    """MinHashLSH over the stored originals; keys are article ids (or pending keys within a batch)."""

    def __init__(self, threshold: float) -> None:
        self.threshold = float(threshold)
        self.lsh = MinHashLSH(threshold=self.threshold, num_perm=NUM_PERM)
        self.signatures: dict[int | str, MinHash] = {}

    @classmethod
    def from_pairs(cls, threshold: float, pairs: Iterable[tuple[int, bytes]]) -> NearDuplicateIndex:
        index = cls(threshold)
        for aid, data in pairs:
            try:
                index.add(aid, from_bytes(data))
            except ValueError:
                continue  # a foreign or damaged signature: that article is simply not matched
        return index

    def __len__(self) -> int:
        return len(self.signatures)

    def add(self, key: int | str, mh: MinHash) -> None:
        if key in self.signatures:
            return
        self.lsh.insert(key, mh)
        self.signatures[key] = mh

    def rename(self, old: int | str, new: int | str) -> None:
        """Give a pending entry its stored article id."""
        mh = self.signatures.pop(old, None)
        if mh is None:
            return
        self.lsh.remove(old)
        self.add(new, mh)

    def query(self, mh: MinHash) -> tuple[int | str, float] | None:
        """The earliest entry at or above the threshold, with its estimated Jaccard similarity."""
        best: tuple[int | str, float] | None = None
        for key in self.lsh.query(mh):
            sim = float(mh.jaccard(self.signatures[key]))
            if sim < self.threshold:
                continue
            if best is None or _order(key) < _order(best[0]):
                best = (key, sim)
        return best


def _order(key: int | str) -> tuple[int, int | str]:
    return (0, key) if isinstance(key, int) else (1, key)
