"""Random sampling that draws exactly what PySpark draws for the same seed.

PySpark samples in Python with the standard ``random`` module: each partition gets its own
generator seeded with ``seed ^ partition_index``, warmed up with ten draws (the per-partition seeds
are close to each other), and each element either survives a uniform draw (without replacement) or
is repeated a Poisson-distributed number of times (with replacement). ``sortByKey`` uses this to pick
its range bounds, so matching it also matches Spark's sorted partitions.
"""

from __future__ import annotations

import math
import random
import sys
from typing import TYPE_CHECKING, Iterable, Iterator

if TYPE_CHECKING:
    from ember.core.rdd import RDD


def resolve_seed(seed: int | None) -> int:
    """The seed to use: the given one, or a random one fixed now (as PySpark fixes it)."""
    return random.randint(0, sys.maxsize) if seed is None else seed


def _partition_rng(seed: int, split: int) -> random.Random:
    rng = random.Random(seed ^ split)
    for _ in range(10):
        rng.randint(0, 1)
    return rng


def _poisson(rng: random.Random, mean: float) -> int:
    if mean < 20.0:
        # Knuth: multiply uniforms until the product drops below e^-mean.
        limit = math.exp(-mean)
        p = rng.random()
        k = 0
        while p > limit:
            k += 1
            p *= rng.random()
        return k
    # Large means: count exponential inter-arrival times that fit in one unit.
    total = rng.expovariate(mean)
    k = 0
    while total < 1.0:
        k += 1
        total += rng.expovariate(mean)
    return k


def sample_partition(split: int, iterator: Iterable, with_replacement: bool, fraction: float,
                     seed: int) -> Iterator:
    """The elements of one partition that ``rdd.sample(with_replacement, fraction, seed)`` keeps.

    Examples
    --------
    >>> list(sample_partition(0, range(5), False, 1.0, 7))
    [0, 1, 2, 3, 4]
    """
    rng = _partition_rng(seed, split)
    if with_replacement:
        for x in iterator:
            for _ in range(_poisson(rng, fraction)):
                yield x
    else:
        draw = rng.random
        for x in iterator:
            if draw() < fraction:
                yield x


def _range_partition(split: int, iterator: Iterable, lower: float, upper: float, seed: int) -> Iterator:
    draw = _partition_rng(seed, split).random
    for x in iterator:
        if lower <= draw() < upper:
            yield x


def random_split(rdd: RDD, weights: list[float], seed: int | None) -> list[RDD]:
    """``rdd.randomSplit``: one uniform draw per element decides which split it joins."""
    total = float(sum(weights))
    bounds = [0.0]
    for w in weights:
        bounds.append(bounds[-1] + w / total)
    if seed is None:
        seed = random.randint(0, 2**32 - 1)
    return [rdd.mapPartitionsWithIndex(
        lambda split, it, lo=lo, hi=hi: _range_partition(split, it, lo, hi, seed), True)
        for lo, hi in zip(bounds, bounds[1:])]


def _fraction_for_sample_size(num: int, total: int, with_replacement: bool) -> float:
    # Oversample so that one pass almost always yields ``num`` elements (Spark's bounds).
    fraction = float(num) / total
    if with_replacement:
        std_devs = 9 if num < 12 else 5
        return fraction + std_devs * math.sqrt(fraction / total)
    gamma = -math.log(0.00005) / total
    return min(1, fraction + gamma + math.sqrt(gamma * gamma + 2 * gamma * fraction))


def take_sample(rdd: RDD, with_replacement: bool, num: int, seed: int | None) -> list:
    """``rdd.takeSample``: oversample, shuffle with ``random.Random(seed)``, keep ``num``."""
    max_size = sys.maxsize - int(10.0 * math.sqrt(sys.maxsize))
    if num < 0:
        raise ValueError("Sample size cannot be negative.")
    if num > max_size:
        raise ValueError("Sample size cannot be greater than %d." % max_size)
    if num == 0 or rdd.getNumPartitions() == 0:
        return []
    total = rdd.count()
    if total == 0:
        return []
    rng = random.Random(seed)
    if not with_replacement and num >= total:
        everything = rdd.collect()
        rng.shuffle(everything)
        return everything
    fraction = _fraction_for_sample_size(num, total, with_replacement)
    samples = rdd.sample(with_replacement, fraction, seed).collect()
    while len(samples) < num:
        samples = rdd.sample(with_replacement, fraction, rng.randint(0, sys.maxsize)).collect()
    rng.shuffle(samples)
    return samples[:num]
