"""Dependency-tree helpers shared by the context stages (dates, places)."""

from __future__ import annotations

from spacy.tokens import Token


def tree_distance(a: Token, b: Token, limit: int) -> int:
    """Edges between two tokens of one sentence in the dependency tree: up from ``b`` to the root, then up
    from ``a`` until the paths meet. Each walk stops after ``limit`` steps (degenerate parses of huge
    sentences); tokens that do not meet within it are ``2 * limit`` apart."""
    depth: dict[int, int] = {}
    tok, steps = b, 0
    while steps < limit:
        depth[tok.i] = steps
        if tok.head.i == tok.i:
            break
        tok, steps = tok.head, steps + 1
    tok, steps = a, 0
    while steps < limit:
        if tok.i in depth:
            return steps + depth[tok.i]
        if tok.head.i == tok.i:
            break
        tok, steps = tok.head, steps + 1
    return 2 * limit
