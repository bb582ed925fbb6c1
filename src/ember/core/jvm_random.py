"""The JVM-side randomness that decides where ``repartition`` sends each element.

Spark's ``coalesce(n, shuffle=True)`` deals the records of input partition ``i`` round-robin over
the ``n`` output partitions, starting one past ``XORShiftRandom(i).nextInt(n)``. PySpark hands the
JVM its data in pickled batches of ten elements, so each batch of ten moves as one record. This
module reproduces that generator bit for bit: Scala's MurmurHash3 (to seed it), the xorshift step,
and ``java.util.Random.nextInt(bound)``'s rejection rule on top.
"""

from __future__ import annotations

_M32 = 0xFFFFFFFF
_M64 = 0xFFFFFFFFFFFFFFFF
_ARRAY_SEED = 0x3C074A61  # scala.util.hashing.MurmurHash3.arraySeed


def _rotl32(x: int, r: int) -> int:
    return ((x << r) | (x >> (32 - r))) & _M32


def _mix_last(h: int, k: int) -> int:
    k = (k * 0xCC9E2D51) & _M32
    k = _rotl32(k, 15)
    k = (k * 0x1B873593) & _M32
    return h ^ k


def _mix(h: int, k: int) -> int:
    h = _rotl32(_mix_last(h, k), 13)
    return (h * 5 + 0xE6546B64) & _M32


def _avalanche(h: int) -> int:
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _M32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _M32
    h ^= h >> 16
    return h


def murmur3_bytes_hash(data: bytes, seed: int) -> int:
    """Scala's ``MurmurHash3.bytesHash`` (32-bit, little-endian blocks), as an unsigned int.

    Examples
    --------
    >>> hex(murmur3_bytes_hash(b"", 0))
    '0x0'
    """
    h = seed & _M32
    n = len(data)
    full = n - n % 4
    for i in range(0, full, 4):
        h = _mix(h, int.from_bytes(data[i:i + 4], "little"))
    tail = data[full:]
    if tail:
        h = _mix_last(h, int.from_bytes(tail, "little"))
    return _avalanche(h ^ n)


def _signed32(x: int) -> int:
    return x - (1 << 32) if x & 0x80000000 else x


class XORShiftRandom:
    """Spark's ``XORShiftRandom``: a 64-bit xorshift generator seeded through MurmurHash3.

    Examples
    --------
    >>> XORShiftRandom(0).next_int(2) in (0, 1)
    True
    """

    def __init__(self, seed: int) -> None:
        raw = (seed & _M64).to_bytes(8, "big")
        low = murmur3_bytes_hash(raw, _ARRAY_SEED)
        high = murmur3_bytes_hash(raw, _signed32(low))
        self._seed = ((high << 32) | low) & _M64

    def _next(self, bits: int) -> int:
        s = self._seed
        s ^= (s << 21) & _M64
        s ^= s >> 35  # logical shift: the state is kept unsigned
        s ^= (s << 4) & _M64
        self._seed = s
        return _signed32(s & ((1 << bits) - 1)) if bits == 32 else s & ((1 << bits) - 1)

    def next_int(self, bound: int) -> int:
        """``java.util.Random.nextInt(bound)`` driven by this generator."""
        if bound <= 0:
            raise ValueError("bound must be positive")
        r = self._next(31)
        m = bound - 1
        if bound & m == 0:  # a power of two: take the high bits
            return (bound * r) >> 31
        u = r
        while True:
            r = u % bound
            # Java rejects draws from the incomplete last block, detected by int overflow.
            if _signed32((u - r + m) & _M32) >= 0:
                return r
            u = self._next(31)


def shuffle_start_position(partition_index: int, num_partitions: int) -> int:
    """The position Spark's shuffle-coalesce starts from for one input partition.

    The first batch of that partition goes to ``(start + 1) % num_partitions``, the next one
    further on, and so on.

    Examples
    --------
    >>> 0 <= shuffle_start_position(3, 5) < 5
    True
    """
    return XORShiftRandom(partition_index).next_int(num_partitions)
