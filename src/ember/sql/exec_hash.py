"""``hash`` (Murmur3 x86_32, seed 42) and ``xxhash64`` (seed 42) with Spark's value encodings.

Spark folds the columns left to right, each hash seeding the next, and a null leaves the running
hash unchanged. Ints, dates and booleans hash as 4-byte ints; longs, timestamps (microseconds) and
decimals of precision <= 18 (unscaled) as 8-byte longs; floats and doubles by their IEEE bits with
-0.0 as 0.0; strings and binaries by their bytes (Spark's own tail rule: each byte left over from
the 4-byte blocks is mixed as a whole signed int); arrays and structs fold their elements.

Everything runs on whole Polars Series: the only Python loops walk byte positions and array
indexes (vectorised over all rows at once), never rows.
"""

from __future__ import annotations

import polars as pl

from ember.errors import AnalysisException
from ember.sql import types as T

_M32 = 0xFFFFFFFF
_M64 = 0xFFFFFFFFFFFFFFFF
SEED = 42


# -- Murmur3 x86_32 on UInt64 series holding 32-bit values -------------------------------------
def _rotl32(x: pl.Series, r: int) -> pl.Series:
    return ((x * (1 << r)) & _M32) | (x // (1 << (32 - r)))


def _mix_k1(k: pl.Series) -> pl.Series:
    k = (k * 0xCC9E2D51) & _M32
    k = _rotl32(k, 15)
    return (k * 0x1B873593) & _M32


def _mix_h1(h: pl.Series, k: pl.Series) -> pl.Series:
    h = _rotl32(h ^ k, 13)
    return (h * 5 + 0xE6546B64) & _M32


def _fmix32(h: pl.Series, length) -> pl.Series:
    h = h ^ length
    h = h ^ (h // (1 << 16))
    h = (h * 0x85EBCA6B) & _M32
    h = h ^ (h // (1 << 13))
    h = (h * 0xC2B2AE35) & _M32
    return h ^ (h // (1 << 16))


def _u32(s: pl.Series) -> pl.Series:
    """Signed or unsigned integers as their low 32 bits, in UInt64."""
    return (s.cast(pl.Int64) & _M32).cast(pl.UInt64)


def _murmur_int(v: pl.Series, h: pl.Series) -> pl.Series:
    return _fmix32(_mix_h1(h, _mix_k1(_u32(v))), 4)


def _murmur_long(v: pl.Series, h: pl.Series) -> pl.Series:
    bits = v.cast(pl.Int64).reinterpret(signed=False) if v.dtype != pl.UInt64 else v
    low, high = bits & _M32, bits // (1 << 32)
    h = _mix_h1(h, _mix_k1(low))
    h = _mix_h1(h, _mix_k1(high))
    return _fmix32(h, 8)


def _bytes_hex(s: pl.Series) -> pl.Series:
    return s.cast(pl.Binary).bin.encode("hex") if s.dtype != pl.Binary else s.bin.encode("hex")


def _byte_at(hexs: pl.Series, i: int) -> pl.Series:
    return hexs.str.slice(2 * i, 2).str.to_integer(base=16, strict=False).fill_null(0).cast(pl.UInt64)


def _murmur_bytes(s: pl.Series, h: pl.Series) -> pl.Series:
    hexs = _bytes_hex(s).fill_null("")
    n = (hexs.str.len_bytes() // 2).cast(pl.UInt64)
    top = int(n.max() or 0)
    blocks = n // 4
    for j in range(top // 4):
        word = _byte_at(hexs, 4 * j)
        for k in range(1, 4):
            word = word | (_byte_at(hexs, 4 * j + k) * (1 << (8 * k)))
        h = pl.select(pl.when(pl.lit(blocks) > j).then(_mix_h1(h, _mix_k1(word))).otherwise(h)).to_series()
    for i in range(top):
        # the bytes after the last whole block, one at a time, each as a sign-extended int
        b = _byte_at(hexs, i)
        signed = pl.select(pl.when(pl.lit(b) >= 128).then(pl.lit(b) + 0xFFFFFF00).otherwise(pl.lit(b)))
        mixed = _mix_h1(h, _mix_k1(signed.to_series().cast(pl.UInt64)))
        tail = pl.select((pl.lit(n) > i) & (pl.lit(blocks) * 4 <= i)).to_series()
        h = pl.select(pl.when(pl.lit(tail)).then(pl.lit(mixed)).otherwise(pl.lit(h))).to_series()
    return _fmix32(h, n)


def _float_bits(s: pl.Series, double: bool) -> pl.Series:
    """IEEE bits with -0.0 as 0.0 and every NaN as Java's canonical NaN (Spark normalises both).

    Polars cannot reinterpret floats as integers, so the bits go through one packed buffer.
    """
    import struct as _struct

    vals = s.cast(pl.Float64 if double else pl.Float32).fill_null(0.0).fill_nan(None).to_list()
    vals = [0.0 if v is None or v == 0.0 else v for v in vals]
    packed = _struct.pack(f"<{len(vals)}{'d' if double else 'f'}", *vals)
    ints = _struct.unpack(f"<{len(vals)}{'Q' if double else 'I'}", packed)
    bits = pl.Series(ints, dtype=pl.UInt64)
    canonical = 0x7FF8000000000000 if double else 0x7FC00000
    nan = s.is_nan().fill_null(False)
    fixed = pl.when(pl.lit(nan)).then(pl.lit(canonical, pl.UInt64)).otherwise(pl.lit(bits))
    return pl.select(fixed).to_series()


def _unscaled(s: pl.Series, dtype) -> pl.Series:
    """A decimal column's unscaled values as Int64 (precision <= 18)."""
    return (s.cast(pl.Decimal(38, dtype.scale)) * (10**dtype.scale)).cast(pl.Int64, strict=False)


def _java_bigint_bytes(v: int) -> bytes:
    """``BigInteger.toByteArray``: big-endian two's complement in the fewest bytes."""
    n = (v + (v < 0)).bit_length() // 8 + 1
    return v.to_bytes(n, "big", signed=True)


def _fold(s: pl.Series, dtype, h: pl.Series, algo: str) -> pl.Series:
    """The running hash ``h`` after ``s`` (rows where ``s`` is null keep ``h``)."""
    mask = s.is_null()
    out = _hash_values(s, dtype, h, algo)
    return pl.select(pl.when(pl.lit(mask)).then(pl.lit(h)).otherwise(pl.lit(out))).to_series()


def _hash_values(s: pl.Series, dtype, h: pl.Series, algo: str) -> pl.Series:
    ints, longs, data = (
        (_murmur_int, _murmur_long, _murmur_bytes) if algo == "murmur3" else (_xx_int, _xx_long, _xx_bytes)
    )
    if isinstance(dtype, T.BooleanType):
        return ints(s.cast(pl.Int32), h)
    if isinstance(dtype, (T.ByteType, T.ShortType, T.IntegerType)):
        return ints(s, h)
    if isinstance(dtype, T.DateType):
        return ints(s.cast(pl.Int32), h)
    if isinstance(dtype, T.LongType):
        return longs(s, h)
    if isinstance(dtype, (T.TimestampType, T.TimestampNTZType)):
        return longs(s.dt.cast_time_unit("us").to_physical(), h)
    if isinstance(dtype, T.FloatType):
        return ints(_float_bits(s, False), h)
    if isinstance(dtype, T.DoubleType):
        return longs(_float_bits(s, True), h)
    if isinstance(dtype, T.DecimalType):
        if dtype.precision <= 18:
            return longs(_unscaled(s, dtype), h)
        raw = [None if v is None else _java_bigint_bytes(int(v.scaleb(dtype.scale))) for v in s.to_list()]
        return data(pl.Series(raw, dtype=pl.Binary), h)
    if isinstance(dtype, (T.StringType, T.BinaryType)):
        return data(s, h)
    if isinstance(dtype, T.ArrayType):
        lengths = s.list.len().fill_null(0)
        for j in range(int(lengths.max() or 0)):
            item = s.list.get(j, null_on_oob=True)
            h = _fold(item, dtype.elementType, h, algo)
        return h
    if isinstance(dtype, T.StructType):
        for f in dtype.fields:
            h = _fold(s.struct.field(f.name), f.dataType, h, algo)
        return h
    if isinstance(dtype, T.NullType):
        return h
    raise AnalysisException(f"ember cannot hash values of type {dtype.simpleString()}")


# -- xxHash64 ----------------------------------------------------------------------------------
_P1, _P2, _P3, _P4, _P5 = (
    0x9E3779B185EBCA87,
    0xC2B2AE3D27D4EB4F,
    0x165667B19E3779F9,
    0x85EBCA77C2B2AE63,
    0x27D4EB2F165667C5,
)


def _rotl64(x: pl.Series, r: int) -> pl.Series:
    return (x * (1 << r)) | (x // (1 << (64 - r)))


def _xx_fmix(h: pl.Series) -> pl.Series:
    h = h ^ (h // (1 << 33))
    h = h * _P2
    h = h ^ (h // (1 << 29))
    h = h * _P3
    return h ^ (h // (1 << 32))


def _xx_int(v: pl.Series, seed: pl.Series) -> pl.Series:
    h = seed + _P5 + 4
    h = h ^ (_u32(v) * _P1)
    h = _rotl64(h, 23) * _P2 + _P3
    return _xx_fmix(h)


def _xx_long(v: pl.Series, seed: pl.Series) -> pl.Series:
    bits = v.cast(pl.Int64).reinterpret(signed=False) if v.dtype != pl.UInt64 else v
    h = seed + _P5 + 8
    h = h ^ (_rotl64(bits * _P2, 31) * _P1)
    h = _rotl64(h, 27) * _P1 + _P4
    return _xx_fmix(h)


def _xx_bytes(s: pl.Series, seed: pl.Series) -> pl.Series:
    hexs = _bytes_hex(s).fill_null("")
    n = (hexs.str.len_bytes() // 2).cast(pl.UInt64)
    top = int(n.max() or 0)
    if top >= 32:
        # the four-lane stripe loop is not vectorised here: long values hash one by one
        out = [
            _xx_bytes_one(bytes.fromhex(x), int(sd)) for x, sd in zip(hexs.to_list(), seed.to_list())
        ]
        return pl.Series(out, dtype=pl.UInt64)
    h = seed + _P5 + n

    def word(off: int, width: int) -> pl.Series:
        w = _byte_at(hexs, off)
        for k in range(1, width):
            w = w | (_byte_at(hexs, off + k) * (1 << (8 * k)))
        return w

    def where(cond: pl.Series, a: pl.Series, b: pl.Series) -> pl.Series:
        return pl.select(pl.when(pl.lit(cond)).then(pl.lit(a)).otherwise(pl.lit(b))).to_series()

    pos = pl.Series([0] * len(n), dtype=pl.UInt64)
    for off in range(0, 32, 8):  # 8-byte words while 8 bytes remain
        ok = n >= off + 8
        k1 = _rotl64(word(off, 8) * _P2, 31) * _P1
        h = where(ok, _rotl64(h ^ k1, 27) * _P1 + _P4, h)
        pos = where(ok, pos + 8, pos)
    # at most one 4-byte word, then single bytes, from ``pos`` on: per distinct pos value
    for p in sorted(set(pos.to_list())):
        at = pos == p
        ok = at & (n >= p + 4)
        h = where(ok, _rotl64(h ^ (word(p, 4) * _P1), 23) * _P2 + _P3, h)
        start = where(ok, pos + 4, pos)
        for q in sorted(set(start.filter(at).to_list())):
            for i in range(q, min(q + 4, top)):
                ok2 = at & (start == q) & (n > i)
                h = where(ok2, _rotl64(h ^ (_byte_at(hexs, i) * _P5), 11) * _P1, h)
    return _xx_fmix(h)


def _xx_bytes_one(b: bytes, seed: int) -> int:
    def rotl(x, r):
        return ((x << r) | (x >> (64 - r))) & _M64

    def rnd(acc, lane):
        return (rotl((acc + lane * _P2) & _M64, 31) * _P1) & _M64

    n, i = len(b), 0
    if n >= 32:
        v = [(seed + _P1 + _P2) & _M64, (seed + _P2) & _M64, seed & _M64, (seed - _P1) & _M64]
        while i <= n - 32:
            for k in range(4):
                v[k] = rnd(v[k], int.from_bytes(b[i + 8 * k : i + 8 * k + 8], "little"))
            i += 32
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & _M64
        for k in range(4):
            h = ((h ^ rnd(0, v[k])) * _P1 + _P4) & _M64
    else:
        h = (seed + _P5) & _M64
    h = (h + n) & _M64
    while i <= n - 8:
        h = (rotl(h ^ rnd(0, int.from_bytes(b[i : i + 8], "little")), 27) * _P1 + _P4) & _M64
        i += 8
    if i <= n - 4:
        h = (rotl(h ^ (int.from_bytes(b[i : i + 4], "little") * _P1) & _M64, 23) * _P2 + _P3) & _M64
        i += 4
    while i < n:
        h = (rotl(h ^ (b[i] * _P5) & _M64, 11) * _P1) & _M64
        i += 1
    h ^= h >> 33
    h = (h * _P2) & _M64
    h ^= h >> 29
    h = (h * _P3) & _M64
    return h ^ (h >> 32)


# -- entry point -------------------------------------------------------------------------------
def hash_columns(columns: list[pl.Series], dtypes: list, algo: str) -> pl.Series:
    """Spark's ``hash`` (algo ``murmur3``, Int32) or ``xxhash64`` (Int64) of the columns, row-wise."""
    height = len(columns[0]) if columns else 0
    h = pl.Series([SEED] * height, dtype=pl.UInt64)
    for s, dt in zip(columns, dtypes):
        h = _fold(s, dt, h, algo)
    if algo == "murmur3":
        return (h.cast(pl.Int64) - ((h >= (1 << 31)).cast(pl.Int64) * (1 << 32))).cast(pl.Int32)
    return h.reinterpret(signed=True)


def hash_expr(e, ctx, algo: str) -> pl.Expr:
    """The Polars expression for ``hash(...)``/``xxhash64(...)`` (a Func node) over ``ctx``."""
    from ember.sql.exec_expr import dtype_of, translate

    dtypes = [dtype_of(a, ctx) for a in e.args]
    names = [f"__h{i}" for i in range(len(e.args))]
    cols = pl.struct([translate(a, ctx).alias(n) for a, n in zip(e.args, names)])

    def run(st: pl.Series) -> pl.Series:
        return hash_columns([st.struct.field(n) for n in names], dtypes, algo)

    return cols.map_batches(run, return_dtype=pl.Int32 if algo == "murmur3" else pl.Int64)
