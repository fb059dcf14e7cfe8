"""One conversion to plain JSON values for every output (CLI ``--json``, HTTP API, dashboard)."""

from __future__ import annotations

import dataclasses
import math
from typing import Any


def jsonable(value: Any) -> Any:
    """DataFrames (→ list of row dicts), Series, dataclasses, numpy scalars, dates, NaN/inf (→ None) → JSON values.

    Containers are converted recursively; anything else unknown becomes its ``str``.
    """
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return [jsonable(row) for row in value.to_dict("records")]
    if isinstance(value, pd.Series):
        return jsonable(value.to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        to_dict = getattr(value, "to_dict", None)
        return jsonable(to_dict() if callable(to_dict) else dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if value is None or isinstance(value, str | int | bool):
        return value
    if value is pd.NaT:
        return None
    if hasattr(value, "isoformat"):  # datetime, date, pandas Timestamp
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        return jsonable(value.item())
    return str(value)
