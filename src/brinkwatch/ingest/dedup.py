"""Deduplication: exact copies by hash, syndicated near-copies by MinHash + LSH.

* Exact: ``text_hash`` = blake2b of the normalized text (the store's unique ``articles.text_hash``). The
  same text again adds nothing (the pipeline counts it as "unchanged").
* Near-duplicate: a MinHash (:data:`NUM_PERM` permutations, fixed seed) of the word 5-shingles of the
  lower-cased text, looked up in a :class:`datasketch.MinHashLSH` at ``settings.near_duplicate_threshold``;
  a candidate counts only if its estimated Jaccard similarity reaches the threshold too, and the first
  report (lowest article id) wins. The index is rebuilt from ``store.iter_minhashes()`` at the start of a
  run and updated as articles are stored; signatures are stored as bytes in ``articles.minhash``. The
  originals other processes store meanwhile are added at each write (``pipeline.run``), under the store's
  write lock, so concurrent ingests do not both keep a syndicated copy as an original.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Iterable
from typing import Any, TypeAlias

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


Key: TypeAlias = int | str
Signature: TypeAlias = Any  # a MinHash, NUM_PERM uint32 values, or their bytes
Fetch: TypeAlias = Callable[[list[int]], dict[int, bytes]]


def signature(mh: Signature) -> np.ndarray:
    """A signature as :data:`NUM_PERM` uint32 values (from a MinHash, an array or stored bytes)."""
    if isinstance(mh, MinHash):
        values = np.asarray(mh.hashvalues, dtype=DTYPE)
    elif isinstance(mh, bytes | bytearray | memoryview):
        values = np.frombuffer(bytes(mh), dtype=DTYPE)
    else:
        values = np.asarray(mh, dtype=DTYPE)
    if len(values) != NUM_PERM:
        raise ValueError(f"MinHash of {len(values)} values, expected {NUM_PERM}")
    return values


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity: the share of equal MinHash values (what ``MinHash.jaccard`` computes)."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


FREEZE_AT = 65_536  # band entries in the open table before the stored ones move into a sorted run


class NearDuplicateIndex:
    """LSH over the stored originals; keys are article ids (or pending keys within a batch).

    The banding (``b`` bands of ``r`` rows) is the one :class:`datasketch.MinHashLSH` chooses for the
    threshold, so the candidates are the same; but only what LSH needs stays in memory, and compactly.
    Each band of a signature is hashed together with the band's number into one 64-bit value. New entries
    go to an open table (value → key(s)); once it holds :data:`FREEZE_AT` entries, those of stored articles
    (integer ids) move into a sorted run of two numpy arrays (values, ids: 16 bytes per band), runs being
    merged as they pile up (a handful at any size, each searched with one vectorized ``searchsorted``).
    A candidate's full signature is kept only while its article is pending (not yet stored); stored ones
    are fetched on a hit (``fetch``: ``store.minhashes``) to check the Jaccard similarity. Without
    ``fetch`` (no store) every signature is kept, as 512 bytes.
    """

    def __init__(self, threshold: float, fetch: Fetch | None = None) -> None:
        self.threshold = float(threshold)
        params = MinHashLSH(threshold=self.threshold, num_perm=NUM_PERM)
        self.b, self.r = int(params.b), int(params.r)
        self.open: dict[int, Key | tuple[Key, ...]] = {}
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []  # (band values sorted, article ids), int64 each
        self.fetch = fetch
        self.kept: dict[Key, bytes] = {}  # signatures held in memory (pending keys; all keys without fetch)
        self.n = 0

    @classmethod
    def from_pairs(
        cls, threshold: float, pairs: Iterable[tuple[int, bytes]], fetch: Fetch | None = None
    ) -> NearDuplicateIndex:
        index = cls(threshold, fetch)
        for aid, data in pairs:
            try:
                index.add(aid, data)
            except ValueError:
                continue  # a foreign or damaged signature: that article is simply not matched
        return index

    def __len__(self) -> int:
        return self.n

    def _band_keys(self, sig: np.ndarray) -> list[int]:
        r = self.r
        return [hash((i, sig[i * r : (i + 1) * r].tobytes())) for i in range(self.b)]

    def add(self, key: Key, mh: Signature) -> None:
        sig = signature(mh)
        table = self.open
        for h in self._band_keys(sig):
            old = table.get(h)
            if old is None:
                table[h] = key
            elif isinstance(old, tuple):
                if key not in old:
                    table[h] = (*old, key)
            elif old != key:
                table[h] = (old, key)
        if self.fetch is None or isinstance(key, str):
            self.kept[key] = sig.tobytes()
        self.n += 1
        if len(table) >= FREEZE_AT:
            self._freeze()

    def _freeze(self) -> None:
        """Move the stored articles' entries of the open table into a sorted run (pending keys stay)."""
        values: list[int] = []
        ids: list[int] = []
        still: dict[int, Key | tuple[Key, ...]] = {}
        for h, hit in self.open.items():
            keys = hit if isinstance(hit, tuple) else (hit,)
            pending = tuple(k for k in keys if isinstance(k, str))
            for k in keys:
                if isinstance(k, int):
                    values.append(h)
                    ids.append(k)
            if pending:
                still[h] = pending[0] if len(pending) == 1 else pending
        self.open = still
        if not values:
            return
        self.runs.append(_sorted_run(np.array(values, dtype=np.int64), np.array(ids, dtype=np.int64)))
        while len(self.runs) >= 2 and len(self.runs[-2][0]) <= 2 * len(self.runs[-1][0]):
            (va, ia), (vb, ib) = self.runs[-2], self.runs[-1]
            self.runs[-2:] = [_sorted_run(np.concatenate([va, vb]), np.concatenate([ia, ib]))]

    def _remove(self, key: Key, sig: np.ndarray) -> None:
        """Drop a key from the open table (pending keys live only there)."""
        for h in self._band_keys(sig):
            old = self.open.get(h)
            if old == key:
                del self.open[h]
            elif isinstance(old, tuple) and key in old:
                rest = tuple(k for k in old if k != key)
                self.open[h] = rest[0] if len(rest) == 1 else rest
        self.kept.pop(key, None)
        self.n -= 1

    def rename(self, old: Key, new: Key) -> None:
        """Give a pending entry its stored article id (its signature is then fetched from the store)."""
        data = self.kept.get(old)
        if data is None:
            return
        sig = signature(data)
        self._remove(old, sig)
        self.add(new, sig)

    def candidates(self, mh: Signature) -> set[Key]:
        out: set[Key] = set()
        bands = self._band_keys(signature(mh))
        for h in bands:
            hit = self.open.get(h)
            if hit is None:
                continue
            if isinstance(hit, tuple):
                out.update(hit)
            else:
                out.add(hit)
        if self.runs:
            q = np.array(bands, dtype=np.int64)
            for values, ids in self.runs:
                lo = np.searchsorted(values, q, "left")
                hi = np.searchsorted(values, q, "right")
                for a, z in zip(lo.tolist(), hi.tolist(), strict=True):
                    if z > a:
                        out.update(ids[a:z].tolist())
        return out

    def discard(self, key: Key) -> None:
        """Forget a pending entry (its article was stored as a copy after all)."""
        data = self.kept.get(key)
        if data is not None:
            self._remove(key, signature(data))

    def query(self, mh: Signature, among: Collection[Key] | None = None) -> tuple[Key, float] | None:
        """The earliest entry at or above the threshold, with its estimated Jaccard similarity (among these
        keys only, if given)."""
        keys = self.candidates(mh)
        if among is not None:
            keys &= set(among)
        if not keys:
            return None
        sig = signature(mh)
        stored: dict[Key, bytes] = {k: self.kept[k] for k in keys if k in self.kept}
        missing = [k for k in keys if k not in stored and isinstance(k, int)]
        if missing and self.fetch is not None:
            for k, data in self.fetch(missing).items():
                stored[k] = data
        best: tuple[Key, float] | None = None
        for key, data in stored.items():
            try:
                sim = similarity(sig, signature(data))
            except ValueError:
                continue
            if sim < self.threshold:
                continue
            if best is None or _order(key) < _order(best[0]):
                best = (key, sim)
        return best


def _sorted_run(values: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(values, kind="stable")
    return values[order], ids[order]


def _order(key: Key) -> tuple[int, int | str]:
    return (0, key) if isinstance(key, int) else (1, key)
