"""jsonable: the one conversion to JSON values the CLI, API and dashboard share."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math

import numpy as np
import pandas as pd

from brinkwatch.core.jsonutil import jsonable
from brinkwatch.core.records import Party


@dataclasses.dataclass
class _Plain:
    a: int
    b: float


def test_frames_numpy_nan_and_dates() -> None:
    df = pd.DataFrame({"n": np.array([1, 2], dtype=np.int64), "x": [0.5, math.nan], "d": ["2025-01-01", None]})
    assert jsonable(df) == [{"n": 1, "x": 0.5, "d": "2025-01-01"}, {"n": 2, "x": None, "d": None}]
    assert jsonable(pd.Series({"a": np.float64(1.5), "b": np.bool_(True)})) == {"a": 1.5, "b": True}
    assert jsonable({1: (math.inf, {np.int32(3)})}) == {"1": [None, [3]]}
    assert jsonable([dt.date(2025, 10, 10), pd.Timestamp("2025-10-10T12:00"), pd.NaT]) == [
        "2025-10-10",
        "2025-10-10T12:00:00",
        None,
    ]
    out = jsonable({"p": Party(text="Moscow", country="RUS"), "q": _Plain(1, math.nan), "o": object})
    assert out["p"]["country"] == "RUS" and out["q"] == {"a": 1, "b": None} and out["o"].startswith("<class")
    json.dumps(out, allow_nan=False)  # strictly valid JSON
