"""reduceByKeyAndWindow's partitions, their order and how its functions are applied, on 3 partitions.

Values are strings and the functions write what they did, so every result shows the order in which
values were combined, which keys each partition holds and in what order (``glom``), and where the
inverse function and ``filterFunc`` applied: the incremental path (window >= 5 slides) and the plain
one, with ``groupByKeyAndWindow`` over lists as a function that mutates its first argument.
"""

from __future__ import annotations

BATCHES = [[("a", "1"), ("b", "1"), ("c", "1")], [("b", "2"), ("d", "2")], [("a", "3"), ("e", "3")],
           [], [("c", "5"), ("a", "5"), ("f", "5")], [("b", "6")], [("g", "7"), ("a", "7")], [("d", "8")]]


def functions():
    """``func`` and ``invFunc`` that write what they did (nested: Spark's workers pickle them by value)."""

    def plus(a, b):
        return f"({a}+{b})"

    def minus(a, b):
        return f"({a}-{b})"

    return plus, minus


def run(make_streams, tmp_path, func, n=10):
    s = make_streams(batch=0.5, parallelism=3)
    s.ssc.checkpoint(str(tmp_path))
    source = s.queue(BATCHES, slices=2)
    out = s.collect(func(source).glom())
    source.foreachRDD(lambda rdd: None)
    s.run(n)
    return out


def test_incremental_window_keeps_partitions_and_order(make_streams, tmp_path):
    plus, minus = functions()
    out = run(make_streams, tmp_path, lambda d: d.reduceByKeyAndWindow(plus, minus, 2.5, 0.5))
    assert out == EXPECTED_INCREMENTAL


def test_incremental_window_with_filter_and_slide(make_streams, tmp_path):
    plus, minus = functions()
    out = run(make_streams, tmp_path, lambda d: d.reduceByKeyAndWindow(
        plus, minus, 3, 0.5, 2, lambda kv: len(kv[1]) < 12))
    assert out == EXPECTED_FILTERED


def test_plain_window_keeps_partitions_and_order(make_streams, tmp_path):
    plus, minus = functions()
    out = run(make_streams, tmp_path, lambda d: d.reduceByKeyAndWindow(plus, minus, 2, 1))
    assert out == EXPECTED_PLAIN


def test_group_by_key_and_window_over_partitions(make_streams, tmp_path):
    out = run(make_streams, tmp_path, lambda d: d.groupByKeyAndWindow(2.5, 0.5).mapValues(list))
    assert out == EXPECTED_GROUPED


MIXED = [[("t", True), ("i", 2), ("f", 0.1)], [("i", 3), ("f", 0.2), ("n", -0.0)], [("t", True), ("i", 4)],
         [("f", 0.3), ("b", False)], [("i", 5)]]


def test_sums_by_slide_keep_each_values_type(make_streams, tmp_path):
    """Sums of ints may be taken slide by slide; bools, floats and -0.0 must still come out of a fold."""
    import operator

    s = make_streams(batch=0.5, parallelism=2)
    s.ssc.checkpoint(str(tmp_path))
    source = s.ssc.queueStream([s.sc.parallelize(b, 2) for b in MIXED])
    out = s.collect(source.reduceByKeyAndWindow(operator.add, operator.sub, 1.5, 0.5).glom())
    source.foreachRDD(lambda rdd: None)
    s.run(7)
    assert [[sorted(map(repr, part)) for part in batch] for batch in out] == EXPECTED_MIXED


# captured from PySpark 4.3 (PYTHONHASHSEED=0): one list per batch, one list per partition
EXPECTED_INCREMENTAL = [
    [[('b', '1')], [('a', '1'), ('c', '1')], []],
    [[('b', '(1+2)')], [('a', '1'), ('c', '1')], [('d', '2')]],
    [[('b', '(1+2)')], [('a', '(1+3)'), ('c', '1')], [('d', '2'), ('e', '3')]],
    [[('b', '(1+2)')], [('a', '(1+3)'), ('c', '1')], [('d', '2'), ('e', '3')]],
    [[('b', '(1+2)'), ('f', '5')], [('a', '((1+3)+5)'), ('c', '(1+5)')], [('d', '2'), ('e', '3')]],
    [
        [('b', '(((1+2)-1)+6)'), ('f', '5')],
        [('a', '(((1+3)+5)-1)'), ('c', '((1+5)-1)')],
        [('d', '2'), ('e', '3')],
    ],
    [
        [('b', '((((1+2)-1)+6)-2)'), ('f', '5')],
        [('a', '((((1+3)+5)-1)+7)'), ('c', '((1+5)-1)')],
        [('d', '(2-2)'), ('e', '3'), ('g', '7')],
    ],
    [
        [('b', '((((1+2)-1)+6)-2)'), ('f', '5')],
        [('a', '(((((1+3)+5)-1)+7)-3)'), ('c', '((1+5)-1)')],
        [('d', '((2-2)+8)'), ('e', '(3-3)'), ('g', '7')],
    ],
    [
        [('b', '((((1+2)-1)+6)-2)'), ('f', '5')],
        [('a', '(((((1+3)+5)-1)+7)-3)'), ('c', '((1+5)-1)')],
        [('d', '((2-2)+8)'), ('e', '(3-3)'), ('g', '7')],
    ],
    [
        [('b', '((((1+2)-1)+6)-2)'), ('f', '(5-5)')],
        [('a', '((((((1+3)+5)-1)+7)-3)-5)'), ('c', '(((1+5)-1)-5)')],
        [('d', '((2-2)+8)'), ('e', '(3-3)'), ('g', '7')],
    ],
]
EXPECTED_FILTERED = [
    [[('b', '1'), ('c', '1')], [('a', '1')]],
    [[('b', '(1+2)'), ('c', '1'), ('d', '2')], [('a', '1')]],
    [[('b', '(1+2)'), ('c', '1'), ('d', '2')], [('a', '(1+3)'), ('e', '3')]],
    [[('b', '(1+2)'), ('c', '1'), ('d', '2')], [('a', '(1+3)'), ('e', '3')]],
    [[('b', '(1+2)'), ('c', '(1+5)'), ('d', '2')], [('a', '((1+3)+5)'), ('e', '3'), ('f', '5')]],
    [[('b', '((1+2)+6)'), ('c', '(1+5)'), ('d', '2')], [('a', '((1+3)+5)'), ('e', '3'), ('f', '5')]],
    [[('c', '((1+5)-1)'), ('d', '2'), ('g', '7')], [('e', '3'), ('f', '5')]],
    [[('c', '((1+5)-1)'), ('d', '((2-2)+8)'), ('g', '7')], [('e', '3'), ('f', '5')]],
    [[('c', '((1+5)-1)'), ('d', '((2-2)+8)'), ('g', '7')], [('e', '(3-3)'), ('f', '5')]],
    [[('c', '((1+5)-1)'), ('d', '((2-2)+8)'), ('g', '7')], [('e', '(3-3)'), ('f', '5')]],
]
EXPECTED_PLAIN = [
    [[('b', '(1+2)')], [('a', '1'), ('c', '1')], [('d', '2')]],
    [[('b', '(1+2)')], [('a', '(1+3)'), ('c', '1')], [('d', '2'), ('e', '3')]],
    [[('f', '5'), ('b', '6')], [('a', '(3+5)'), ('c', '5')], [('e', '3')]],
    [[('f', '5'), ('b', '6')], [('c', '5'), ('a', '(5+7)')], [('g', '7'), ('d', '8')]],
    [[], [('a', '7')], [('g', '7'), ('d', '8')]],
]
EXPECTED_GROUPED = [
    [[('b', ['1'])], [('a', ['1']), ('c', ['1'])], []],
    [[('b', ['1', '2'])], [('a', ['1']), ('c', ['1'])], [('d', ['2'])]],
    [[('b', ['1', '2'])], [('a', ['1', '3']), ('c', ['1'])], [('d', ['2']), ('e', ['3'])]],
    [[('b', ['1', '2'])], [('a', ['1', '3']), ('c', ['1'])], [('d', ['2']), ('e', ['3'])]],
    [
        [('b', ['1', '2']), ('f', ['5'])],
        [('a', ['1', '3', '5']), ('c', ['1', '5'])],
        [('d', ['2']), ('e', ['3'])],
    ],
    [[('b', ['2', '6']), ('f', ['5'])], [('a', ['3', '5']), ('c', ['5'])], [('d', ['2']), ('e', ['3'])]],
    [
        [('b', ['6']), ('f', ['5'])],
        [('a', ['3', '5', '7']), ('c', ['5'])],
        [('d', []), ('e', ['3']), ('g', ['7'])],
    ],
    [
        [('b', ['6']), ('f', ['5'])],
        [('a', ['5', '7']), ('c', ['5'])],
        [('d', ['8']), ('e', []), ('g', ['7'])],
    ],
    [
        [('b', ['6']), ('f', ['5'])],
        [('a', ['5', '7']), ('c', ['5'])],
        [('d', ['8']), ('e', []), ('g', ['7'])],
    ],
    [[('b', ['6']), ('f', [])], [('a', ['7']), ('c', [])], [('d', ['8']), ('e', []), ('g', ['7'])]],
]
EXPECTED_MIXED = [
    [["('t', True)"], ["('f', 0.1)", "('i', 2)"]],
    [["('t', True)"], ["('f', 0.30000000000000004)", "('i', 5)", "('n', -0.0)"]],
    [["('t', 2)"], ["('f', 0.30000000000000004)", "('i', 9)", "('n', -0.0)"]],
    [["('b', False)", "('t', True)"], ["('f', 0.5)", "('i', 7)", "('n', -0.0)"]],
    [["('b', False)", "('t', True)"], ["('f', 0.3)", "('i', 9)"]],
    [["('b', False)"], ["('f', 0.3)", "('i', 5)"]],
    [[], ["('i', 5)"]],
]
