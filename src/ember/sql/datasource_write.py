"""Writing to Python data sources: ``df.write.format(name).save()`` and ``writeStream.format(name)``.

A batch write asks the source for ``writer(schema, overwrite)`` (the DataFrame's schema; only the
``append`` and ``overwrite`` modes exist for Python data sources), hands its rows to ``write`` and passes
the commit messages to ``commit``, or to ``abort`` (``None`` for the failed write) when ``write`` raised.
A streaming query does the same per micro-batch with ``streamWriter`` and ``commit(messages, batchId)``.
ember runs one write task per batch, where Spark runs one per partition: ``commit`` gets one message.
"""

from __future__ import annotations

from typing import Any

from ember.errors import AnalysisException

_MODE_NAMES = {"error": "ErrorIfExists", "errorifexists": "ErrorIfExists", "ignore": "Ignore",
               "append": "Append", "overwrite": "Overwrite"}


def _source(cls: type, options: dict) -> Any:
    from ember.sql import datasource

    try:
        return cls(options=datasource.CaseInsensitiveDict(options))
    except Exception as e:
        raise datasource.data_source_error("create Python data source instance", e) from None


def _run(writer: Any, rows: list, commit: Any, abort: Any) -> None:
    """One write task over ``rows`` (``Row`` objects), then the job's commit or abort."""
    from ember.sql import datasource

    try:
        message = writer.write(iter(rows))
    except Exception as e:
        abort([None])
        raise datasource.worker_error(e) from None
    commit([message])


def save(df: Any, cls: type, options: dict, mode: str) -> None:
    """``df.write.format(<registered name>).mode(mode).save()``."""
    from ember.sql import datasource

    mode = (mode or "errorifexists").lower()
    if mode not in ("append", "overwrite"):
        shown = _MODE_NAMES.get(mode, mode)
        raise AnalysisException(
            errorClass="UNSUPPORTED_DATA_SOURCE_SAVE_MODE", messageParameters={"source": cls.name(),
                                                                               "createMode": shown},
            message=f'The data source "{cls.name()}" cannot be written in the "{shown}" mode. Please use '
                    'either the "Append" or "Overwrite" mode instead. SQLSTATE: 0A000')
    source = _source(cls, options)
    schema = df.schema
    try:
        writer = source.writer(schema, mode == "overwrite")
    except Exception as e:
        raise datasource.data_source_error("initialize Python data source writer", e) from None
    _run(writer, df.collect(), writer.commit, writer.abort)


class PythonStreamSink:
    """``writeStream.format(<registered name>)``: each micro-batch through the source's stream writer."""

    name = "python"
    modes = ("append", "update", "complete")
    counts_rows = True

    def __init__(self, cls: type, options: dict, mode: str) -> None:
        self.cls = cls
        self.options = options
        self.overwrite = mode == "complete"
        self.writer: Any = None

    def start(self, query: Any) -> None:
        from ember.sql import datasource

        source = _source(self.cls, self.options)
        try:
            self.writer = source.streamWriter(query.output_schema, self.overwrite)
        except Exception as e:
            raise datasource.data_source_error("initialize Python data source writer", e) from None

    def add_batch(self, batch_id: int, frame: Any, schema: Any, mode: str) -> None:
        from ember.sql.streaming import _compat

        w = self.writer
        _run(w, _compat.frame_rows(frame, schema), lambda m: w.commit(m, batch_id),
             lambda m: w.abort(m, batch_id))

    def stop(self) -> None:
        """Nothing to release: the writer lives as long as the query."""

    def description(self) -> str:
        return "PythonDataSourceStreamingWrite"
