"""Input streams: where each batch's data comes from (one module per kind of source)."""

from __future__ import annotations

from ember.streaming.dstream import DStream


class InputDStream(DStream):
    """A stream with no parent: it makes its RDD for a batch from outside data.

    Input streams slide by the batch duration and are numbered in the order they are made, which is
    the id listeners see in ``streamIdToInputInfo``.
    """

    def __init__(self, ssc) -> None:
        super().__init__(ssc, [], ssc._batch_ms)
        self.id = ssc._graph.add_input(self)

    def start(self) -> None:
        """Called once when the context starts (receivers connect here)."""

    def stop(self) -> None:
        """Called once when the context stops."""

    def has_pending(self) -> bool:
        """Whether data has arrived that no batch has taken yet (a graceful stop waits for it)."""
        return False
