"""``socketStream``: records that a converter function reads from a TCP server.

Spark's Scala and Java API have ``socketStream(hostname, port, converter, storageLevel)``, where the
converter turns the connection's input stream into an iterator of records; PySpark has only
``socketTextStream``. ember offers it in Python: ``converter`` gets the connection as a binary file
object (``read``, ``readline``, iteration) and yields the records, which is how a binary protocol
(length-prefixed frames, fixed-size structs, JSON lines...) becomes a stream. A program that uses it
runs on ember only.

It behaves as the line receiver does (:mod:`ember.streaming.sources.socket`): a client thread that
reconnects every 2 s with one warning, a bounded buffer (each record counted at ``sys.getsizeof``)
that pushes back on the server when processing falls behind, ``maxRate`` and backpressure per record.
A converter that raises is reported once, with its error, and the receiver reconnects, as Spark
restarts its receiver. The receiver write-ahead log is not there yet for it (``start()`` says so).

Examples
--------
>>> import struct
>>> def ints(stream):  # 4-byte big-endian integers
...     while (frame := stream.read(4)) and len(frame) == 4:
...         yield struct.unpack(">i", frame)[0]
"""

from __future__ import annotations

import socket
import sys
from typing import Any, Callable, Iterable

from ember.errors import SparkException
from ember.streaming import wal as wal_mod
from ember.streaming.sources.socket import SocketInputDStream, SocketReceiver, _reason, log

#: what a record costs beyond its own ``getsizeof``: its slot in the block's list
_RECORD_OVERHEAD = 8


class RecordReceiver(SocketReceiver):
    """A socket receiver whose records come from a user's converter of the connection's bytes."""

    api = "socketStream"

    def __init__(self, *args: Any, converter: Callable[[Any], Iterable], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.converter = converter

    def _read(self, sock: socket.socket) -> str:
        sock.settimeout(None)  # the converter blocks on reads; stop() shuts the socket down to end them
        stream = sock.makefile("rb")
        try:
            for record in self.converter(stream):
                if self._stop.is_set():
                    return "stopped"
                if self.rate > 0:
                    self._pace(1)
                if not self._store_record(record):
                    return "failed" if self._failed else "stopped"
        except OSError as e:
            return f"dropped the connection ({_reason(e)})"
        except Exception as e:  # the user's converter: reported, then a new connection (Spark restarts)
            if self._stop.is_set():
                return "stopped"
            log.debug("socketStream: the converter's traceback", exc_info=e)  # the warning: one line
            return f"gave data the converter failed on ({type(e).__name__}: {e})"
        finally:
            stream.close()
        return "closed the connection (no more data)"

    def _store_record(self, record: object) -> bool:
        return self.buffer.put_record(record, sys.getsizeof(record) + _RECORD_OVERHEAD)


class SocketStreamInputDStream(SocketInputDStream):
    """The stream of a :class:`RecordReceiver`: each batch is the records received since the last one."""

    def __init__(self, ssc, host: str, port: int, converter: Callable[[Any], Iterable]) -> None:
        if not callable(converter):
            raise TypeError(f"socketStream's converter must be a function of the connection's binary "
                            f"stream, not {type(converter).__name__}")
        self.converter = converter
        super().__init__(ssc, host, port)

    def _validate_at_start(self) -> None:
        if wal_mod.enabled(self._sc.getConf()):
            raise SparkException("ember's receiver write-ahead log holds the lines of socketTextStream; "
                                 "socketStream cannot use it yet (set "
                                 f"{wal_mod.ENABLE_KEY}=false, or read lines with socketTextStream)")
        super()._validate_at_start()

    def _make_receiver(self) -> SocketReceiver:
        return RecordReceiver(*self._settings[:2], self.buffer, *self._settings[2:], self._event,
                              converter=self.converter)
