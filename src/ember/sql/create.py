"""``createDataFrame``: Python rows, RDDs or pandas frames into a LocalRelation, with Spark's inference."""

from __future__ import annotations

from typing import Any

from ember.errors import PySparkTypeError, PySparkValueError
from ember.sql import types as T


def _error(cls, cond: str, msg: str):
    return cls(msg, errorClass=cond)


def _as_schema(schema: Any):
    """(StructType or None, names or None, wrapped) from the ``schema`` argument."""
    if schema is None:
        return None, None, False
    if isinstance(schema, str):
        schema = T._parse_datatype_string(schema)
    if isinstance(schema, (list, tuple)):
        if all(isinstance(s, str) for s in schema):
            return None, list(schema), False
        raise PySparkTypeError(
            "schema should be StructType, str or list of names", errorClass="NOT_LIST_OF_STR"
        )
    if isinstance(schema, T.StructType):
        return schema, None, False
    if isinstance(schema, T.DataType):
        return T.StructType([T.StructField("value", schema, True)]), None, True
    raise PySparkTypeError(
        f"Argument `schema` should be a DataType, list or str, got {type(schema).__name__}.",
        errorClass="NOT_LIST_OR_NONE_OR_STRUCT",
    )


def _row_values(row: Any, names: list[str] | None):
    """A row as a tuple of values, with the names it carries (Row / dict / namedtuple)."""
    if isinstance(row, dict):
        keys = sorted(row)
        return tuple(row[k] for k in keys), keys
    if isinstance(row, T.Row) and "__fields__" in row.__dict__:
        return tuple(row), list(row.__fields__)
    if isinstance(row, tuple) and hasattr(row, "_fields"):
        return tuple(row), list(row._fields)
    if isinstance(row, (tuple, list)):
        return tuple(row), None
    if hasattr(row, "__dict__") and not isinstance(row, (str, bytes)):
        items = sorted(vars(row).items())
        return tuple(v for _, v in items), [k for k, _ in items]
    return (row,), None


def _infer(rows: list, names: list[str] | None):
    if not rows:
        raise PySparkValueError(
            "can not infer schema from empty dataset", errorClass="CANNOT_INFER_EMPTY_SCHEMA"
        )
    schema = None
    for r in rows:
        if not isinstance(r, (tuple, list, dict)) and not hasattr(r, "__dict__"):
            raise PySparkTypeError(
                f"Can not infer schema for type: `{type(r).__name__}`.",
                errorClass="CANNOT_INFER_SCHEMA_FOR_TYPE",
            )
        s = T._infer_schema(r, names)
        schema = s if schema is None else T._merge_type(schema, s)
    if T._has_nulltype(schema):
        raise PySparkValueError(
            "Some of types cannot be determined after inferring.", errorClass="CANNOT_DETERMINE_TYPE"
        )
    return schema


def create_dataframe(session, data: Any, schema: Any = None):
    from ember.sql.dataframe import DataFrame
    from ember.sql.plan import LocalRelation

    if isinstance(data, DataFrame):
        raise PySparkTypeError("data is already a DataFrame", errorClass="INVALID_TYPE")
    struct, names, wrapped = _as_schema(schema)
    if hasattr(data, "collect") and hasattr(data, "mapPartitions"):
        data = data.collect()
    elif type(data).__module__.startswith("pandas"):
        return _from_pandas(session, data, struct, names)
    elif type(data).__module__.startswith("polars"):
        return _from_polars(session, data, struct, names)
    rows = list(data)
    if wrapped:
        values = [(r,) for r in rows]
    else:
        if struct is None:
            struct = _infer(rows, names)
        values = []
        order = [f.name for f in struct.fields]
        for r in rows:
            vals, carried = _row_values(r, names)
            if carried is not None and isinstance(r, dict):
                d = dict(zip(carried, vals))
                vals = tuple(d.get(n) for n in order)
            elif carried is not None and schema is not None and not isinstance(schema, (list, tuple)):
                if set(carried) == set(order):
                    d = dict(zip(carried, vals))
                    vals = tuple(d[n] for n in order)
            if len(vals) != len(order):
                raise PySparkValueError(
                    f"Length of object ({len(vals)}) does not match with length of fields ({len(order)}).",
                    errorClass="LENGTH_SHOULD_BE_THE_SAME",
                )
            values.append(vals)
        if names and schema is not None and isinstance(schema, (list, tuple)):
            fields = list(struct.fields)
            for i, n in enumerate(names[: len(fields)]):
                fields[i] = T.StructField(n, fields[i].dataType, fields[i].nullable)
            struct = T.StructType(fields)
    from ember.sql.convert import rows_to_frame

    frame = rows_to_frame(values, struct)
    return DataFrame(LocalRelation(frame, struct), session)


def _from_polars(session, frame, struct, names):
    from ember.sql.dataframe import DataFrame
    from ember.sql.dtypes import from_polars
    from ember.sql.plan import LocalRelation

    if struct is None:
        cols = names or frame.columns
        struct = T.StructType([T.StructField(n, from_polars(d), True) for n, d in zip(cols, frame.dtypes)])
    return DataFrame(LocalRelation(frame, struct), session)


def _from_pandas(session, pdf, struct, names):
    import polars as pl

    try:
        frame = pl.from_pandas(pdf, nan_to_null=True)  # Spark reads pandas' NaN as null
    except Exception:  # no pyarrow for pandas' extension dtypes: through Python values, NaN/NaT as None
        frame = pl.DataFrame({str(c): [None if _is_missing(v) else v for v in pdf[c].tolist()]
                              for c in pdf.columns}, strict=False)
    if struct is not None:
        from ember.sql.dtypes import to_polars

        frame = frame.select(
            [
                pl.col(c).cast(to_polars(f.dataType), strict=False)
                for c, f in zip(frame.columns, struct.fields)
            ]
        )
    return _from_polars(session, frame, struct, names or [str(c) for c in pdf.columns])


def _is_missing(value) -> bool:
    """pandas' markers of a missing value (NaN, NaT, pd.NA) seen as Python values."""
    if value is None:
        return False
    if isinstance(value, float):
        return value != value
    return type(value).__name__ in ("NaTType", "NAType")
