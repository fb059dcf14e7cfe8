"""Parser workers end with the ingest that started them, whatever signal ends it (issue 15, item 1).

Before: after SIGKILL or SIGTERM of ``brinkwatch ingest`` both workers lived on forever (reparented to init,
blocked on the task queue, ~0.6 GB each)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from brinkwatch.dev import synth

pytestmark = pytest.mark.slow


def _alive(pids: list[int]) -> list[int]:
    out = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                out.append(pid)
        except psutil.NoSuchProcess:
            continue
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("workers") / "corpus.jsonl"
    synth.write_jsonl(synth.corpus(synth.template_sentences(200), target_words=150_000, seed=5), path)
    return path


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_no_worker_outlives_a_killed_ingest(corpus: Path, tmp_path: Path, sig: signal.Signals) -> None:
    env = {**os.environ, "BRINKWATCH_N_PROCESS": "2", "BRINKWATCH_BATCH_SIZE": "8"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "brinkwatch", "ingest", str(corpus), "--db", str(tmp_path / "k.db")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        parent = psutil.Process(proc.pid)
        workers: list[int] = []
        deadline = time.monotonic() + 120
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            workers = [c.pid for c in parent.children(recursive=True)]
            time.sleep(0.2)
        assert len(workers) >= 2, "the ingest never started its two workers"
        time.sleep(2.0)  # the workers are parsing (or waiting for the next task)
        assert proc.poll() is None, "the ingest ended before it could be killed"
        os.kill(proc.pid, sig)
        proc.wait(30)
        deadline = time.monotonic() + 15
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = _alive(workers)
        for pid in left:  # never leave them behind, even when the test fails
            os.kill(pid, signal.SIGKILL)
        assert left == [], f"workers {left} outlived the ingest killed by {sig.name}"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
