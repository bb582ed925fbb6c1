"""Polars <-> pandas for ``applyInPandasWithState``, column by column through NumPy (no pyarrow needed).

PySpark hands the function pandas frames built from Arrow: integers with a null become float64,
timestamps are naive wall time in the session time zone (nanoseconds with pandas 2, as ember's
``toPandas``), strings are Python objects. The function's frames come back the same way: naive
timestamps are read in the session time zone, NaN and NaT as null.

Examples
--------
>>> import polars as pl
>>> pdf = to_pandas(pl.DataFrame({"n": [1, None]}), "UTC")
>>> pdf["n"].tolist()
[1.0, nan]
"""

from __future__ import annotations

from typing import Any

import polars as pl

from ember.sql._pandas import require_pandas
from ember.sql.exec_expr import to_wall


def _time_unit(pd: Any) -> str:
    return "ns" if int(pd.__version__.split(".")[0]) < 3 else "us"


def to_pandas(frame: pl.DataFrame, tz: str) -> Any:
    """``frame`` as a pandas DataFrame the way PySpark's Arrow path shapes it."""
    pd = require_pandas()
    unit = _time_unit(pd)
    cols = {}
    for name in frame.columns:
        s = frame.get_column(name)
        if s.dtype == pl.Datetime:
            s = s.to_frame().select(to_wall(pl.col(name), tz)).to_series()
            cols[name] = s.to_numpy().astype(f"datetime64[{unit}]")
        elif s.dtype in (pl.Date, pl.Decimal, pl.Boolean) or isinstance(s.dtype, (pl.List, pl.Struct)):
            cols[name] = pd.Series(s.to_list(), dtype=object if s.dtype != pl.Boolean or s.null_count()
                                   else bool)
        else:
            cols[name] = s.to_numpy()
    return pd.DataFrame(cols, columns=list(frame.columns), index=range(frame.height))


def _missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float):
        return v != v
    return type(v).__name__ in ("NaTType", "NAType")


def _column(values: Any, target: pl.DataType, tz: str) -> pl.Series:
    """One pandas column as a Polars series of ``target``."""
    import numpy as np

    kind = getattr(values.dtype, "kind", "O")
    if kind == "M":  # datetime64, maybe with a time zone (then it is an instant)
        tzinfo = getattr(values.dtype, "tz", None)
        if tzinfo is not None:
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
            local = "UTC"
        else:
            local = tz
        arr = values.to_numpy().astype("datetime64[us]")
        s = pl.Series(arr)
        if local not in ("UTC", "Etc/UTC", "GMT"):
            s = s.dt.replace_time_zone(local).dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    elif isinstance(values.dtype, np.dtype) and kind in "iufb":
        s = pl.Series(values.to_numpy(), nan_to_null=True)
    else:
        items = [None if _missing(v) else _py(v) for v in values.tolist()]
        s = pl.Series(items, strict=False)
    return s.cast(target, strict=False) if s.dtype != target else s


def _py(v: Any) -> Any:
    if hasattr(v, "to_pydatetime"):
        return v.to_pydatetime()
    return v


def from_pandas(pdf: Any, schema: Any, tz: str) -> pl.DataFrame:
    """A frame the function returned, as Polars columns of ``schema``.

    As in PySpark 4.3, the frame must have as many columns as the schema, and they are then taken by
    name: a schema field the frame lacks (integer labels, say) comes out null.
    """
    from ember.errors import PySparkRuntimeError
    from ember.sql.dtypes import to_polars

    names = [f.name for f in schema.fields]
    labels = list(pdf.columns)
    if len(labels) != len(names):
        raise PySparkRuntimeError(
            "Number of columns of the returned data doesn't match specified schema. "
            f"Expected: {len(names)} Actual: {len(labels)}",
            errorClass="RESULT_COLUMN_SCHEMA_MISMATCH",
            messageParameters={"expected": str(len(names)), "actual": str(len(labels))})
    height = len(pdf)
    cols = []
    for f in schema.fields:
        target = to_polars(f.dataType)
        if f.name in labels:
            cols.append(_column(pdf[f.name], target, tz).alias(f.name))
        else:
            cols.append(pl.Series(f.name, [None] * height, dtype=target))
    return pl.DataFrame(cols) if cols else pl.DataFrame()
