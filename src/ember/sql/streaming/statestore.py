"""A versioned state store: one Polars frame per stateful operator, saved with each batch.

Version ``v`` is the state after batch ``v - 1`` (Spark's numbering: the store of batch N commits
version N + 1). Each version is written as a Parquet snapshot
``<checkpoint>/state/<operator>/0/<version>.snapshot`` before the batch's commit, so a restart loads
the version that matches the last committed batch. The newest versions are kept
(``spark.sql.streaming.minBatchesToRetain``, capped to keep the disk bounded), older ones removed.

Examples
--------
>>> import polars as pl, tempfile
>>> store = StateStore(tempfile.mkdtemp(), 0)
>>> store.commit(1, pl.DataFrame({"k": ["a"], "n": [1]}))
>>> store.load(1)["n"].to_list()
[1]
"""

from __future__ import annotations

import os
import pathlib
import uuid

import polars as pl

RETAIN = 10


class StateStore:
    """The state of one operator; in memory between batches, on disk per version when checkpointed.

    Parameters
    ----------
    root : str or None
        ``<checkpoint>/state``; None keeps the state in memory only.
    operator_id : int
        The operator's index in the query (``state/<operator_id>/``).
    retain : int
        How many versions stay on disk.
    """

    def __init__(self, root: str | os.PathLike | None, operator_id: int, retain: int = RETAIN) -> None:
        self.dir = None if root is None else pathlib.Path(root) / str(operator_id) / "0"
        self.retain = max(2, retain)
        self.version = 0
        self.frame: pl.DataFrame | None = None

    def _path(self, version: int) -> pathlib.Path:
        assert self.dir is not None
        return self.dir / f"{version}.snapshot"

    def load(self, version: int) -> pl.DataFrame | None:
        """The state as of ``version`` (None for version 0 or a store that never saved it)."""
        if version == self.version and self.frame is not None:
            return self.frame
        self.version = version
        self.frame = None
        if version > 0 and self.dir is not None:
            path = self._path(version)
            if not path.exists():
                raise FileNotFoundError(f"state version {version} is missing from the checkpoint: {path}")
            self.frame = pl.read_parquet(path)
        return self.frame

    def commit(self, version: int, frame: pl.DataFrame | None) -> None:
        """Make ``frame`` version ``version``, saving it when the store has a directory."""
        self.version, self.frame = version, frame
        if self.dir is None or frame is None:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.dir / f".{version}.{uuid.uuid4().hex}.tmp"
        frame.write_parquet(tmp, compression="lz4", statistics=False)
        os.replace(tmp, self._path(version))
        if version % self.retain == 0:  # remove old versions now and then, not on every batch
            for p in self.dir.glob("*.snapshot"):
                if p.stem.isdigit() and int(p.stem) <= version - self.retain:
                    p.unlink()

    def memory_bytes(self) -> int:
        return 0 if self.frame is None else int(self.frame.estimated_size())

    def rows(self) -> int:
        return 0 if self.frame is None else self.frame.height
