"""Memory of a process tree, as the benchmark measures it (summed RSS, and PSS: shared pages counted once)."""

from __future__ import annotations

from typing import Any


def tree_memory(root: Any) -> tuple[int, int]:
    """(summed RSS, summed PSS) of a process and all its children; PSS counts shared pages once."""
    import psutil

    rss = pss = 0
    try:
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    for p in procs:
        try:
            info = p.memory_full_info()
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
        except psutil.AccessDenied:
            try:
                m = p.memory_info().rss
            except psutil.Error:
                continue
            rss, pss = rss + m, pss + m
        except psutil.Error:
            continue
    return rss, pss
