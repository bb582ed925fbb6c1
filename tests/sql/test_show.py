# ruff: noqa: E501
"""show_string / format_cell against tables captured from PySpark 4 (``df._show_string``).

The same literal tables are in tests/conformance/test_sql_types_show.py, where they run through
``createDataFrame(...).show()`` on both engines; here they check the formatter on its own.
"""

from __future__ import annotations

from datetime import date as D
from datetime import datetime as T
from datetime import timedelta
from decimal import Decimal

import pytest

from ember.errors import PySparkTypeError
from ember.sql.show import format_cell, java_double_str, java_float_str, show_string
from ember.sql.types import (
    ArrayType,
    BinaryType,
    DoubleType,
    FloatType,
    LongType,
    MapType,
    StringType,
    StructField,
    StructType,
    TimestampType,
    _parse_datatype_string,
)

SHOW_CASES = [
    ('ints', 'a BIGINT, b INT', {},
     [(1, 2), (300, -4), (None, 123456)],
     '+----+------+\n'
     '|   a|     b|\n'
     '+----+------+\n'
     '|   1|     2|\n'
     '| 300|    -4|\n'
     '|NULL|123456|\n'
     '+----+------+\n'),
    ('word_count', 'word STRING, count BIGINT', {},
     [('apache', 1), ('spark', 1)],
     '+------+-----+\n'
     '|  word|count|\n'
     '+------+-----+\n'
     '|apache|    1|\n'
     '| spark|    1|\n'
     '+------+-----+\n'),
    ('strings_padding', 's STRING', {},
     [('a',), ('',), ('hello world',), (None,)],
     '+-----------+\n'
     '|          s|\n'
     '+-----------+\n'
     '|          a|\n'
     '|           |\n'
     '|hello world|\n'
     '|       NULL|\n'
     '+-----------+\n'),
    ('long_string_default', 's STRING, n INT', {},
     [('abcdefghijklmnopqrstuvwxyz', 1), ('12345678901234567890', 2), ('123456789012345678901', 3)],
     '+--------------------+---+\n'
     '|                   s|  n|\n'
     '+--------------------+---+\n'
     '|abcdefghijklmnopq...|  1|\n'
     '|12345678901234567890|  2|\n'
     '|12345678901234567...|  3|\n'
     '+--------------------+---+\n'),
    ('long_string_truncate5', 's STRING, n INT', {'truncate': 5},
     [('abcdefghijklmnopqrstuvwxyz', 1), ('abcde', 2), ('abcdef', 3)],
     '+-----+---+\n'
     '|    s|  n|\n'
     '+-----+---+\n'
     '|ab...|  1|\n'
     '|abcde|  2|\n'
     '|ab...|  3|\n'
     '+-----+---+\n'),
    ('long_string_truncate3', 's STRING', {'truncate': 3},
     [('abcdefghij',), ('ab',)],
     '+---+\n'
     '|  s|\n'
     '+---+\n'
     '|abc|\n'
     '| ab|\n'
     '+---+\n'),
    ('long_string_truncate_false', 's STRING, n INT', {'truncate': False},
     [('abcdefghijklmnopqrstuvwxyz', 1), ('ab', 22)],
     '+--------------------------+---+\n'
     '|s                         |n  |\n'
     '+--------------------------+---+\n'
     '|abcdefghijklmnopqrstuvwxyz|1  |\n'
     '|ab                        |22 |\n'
     '+--------------------------+---+\n'),
    ('nulls', 'a STRING, b BIGINT, c DOUBLE, d BOOLEAN', {},
     [(None, None, None, None), ('x', 1, 1.5, True)],
     '+----+----+----+----+\n'
     '|   a|   b|   c|   d|\n'
     '+----+----+----+----+\n'
     '|NULL|NULL|NULL|NULL|\n'
     '|   x|   1| 1.5|true|\n'
     '+----+----+----+----+\n'),
    ('doubles', 'd DOUBLE', {},
     [
         (1.0,),
         (10000000000.0,),
         (1e-05,),
         (float("nan"),),
         (-0.0,),
         (123456789.123,),
         (float("inf"),),
         (float("-inf"),),
         (0.001,),
         (9999999.0,),
         (10000000.0,),
         (0.30000000000000004,),
         (-1.5e-07,),
         (1.7976931348623157e+308,),
         (5e-324,),
         (100.0,),
         (1234567.0,),
         (0.00099,),
         (3.14159,),
     ],
     '+--------------------+\n'
     '|                   d|\n'
     '+--------------------+\n'
     '|                 1.0|\n'
     '|              1.0E10|\n'
     '|              1.0E-5|\n'
     '|                 NaN|\n'
     '|                -0.0|\n'
     '|     1.23456789123E8|\n'
     '|            Infinity|\n'
     '|           -Infinity|\n'
     '|               0.001|\n'
     '|           9999999.0|\n'
     '|               1.0E7|\n'
     '| 0.30000000000000004|\n'
     '|             -1.5E-7|\n'
     '|1.797693134862315...|\n'
     '|            4.9E-324|\n'
     '|               100.0|\n'
     '|           1234567.0|\n'
     '|              9.9E-4|\n'
     '|             3.14159|\n'
     '+--------------------+\n'),
    ('floats', 'f FLOAT', {},
     [
         (1.1,),
         (10000000000.0,),
         (1e-05,),
         (0.1,),
         (3.4028235e+38,),
         (16777216.0,),
         (1.0,),
         (-2.5,),
         (float("nan"),),
         (123456.79,),
     ],
     '+------------+\n'
     '|           f|\n'
     '+------------+\n'
     '|         1.1|\n'
     '|      1.0E10|\n'
     '|      1.0E-5|\n'
     '|         0.1|\n'
     '|3.4028235E38|\n'
     '| 1.6777216E7|\n'
     '|         1.0|\n'
     '|        -2.5|\n'
     '|         NaN|\n'
     '|   123456.79|\n'
     '+------------+\n'),
    ('decimals', 'a DECIMAL(10,2), b DECIMAL(38,18), c DECIMAL(5,0)', {},
     [
         (Decimal('1.5'), Decimal('1.5'), Decimal('12345')),
         (Decimal('-0.01'), Decimal('0'), Decimal('-7')),
         (None, None, None),
     ],
     '+-----+--------------------+-----+\n'
     '|    a|                   b|    c|\n'
     '+-----+--------------------+-----+\n'
     '| 1.50|1.500000000000000000|12345|\n'
     '|-0.01|0.000000000000000000|   -7|\n'
     '| NULL|                NULL| NULL|\n'
     '+-----+--------------------+-----+\n'),
    ('booleans', 'b BOOLEAN, n INT', {},
     [(True, 1), (False, 2), (None, 3)],
     '+-----+---+\n'
     '|    b|  n|\n'
     '+-----+---+\n'
     '| true|  1|\n'
     '|false|  2|\n'
     '| NULL|  3|\n'
     '+-----+---+\n'),
    ('timestamps', 't TIMESTAMP', {'truncate': False},
     [
         (T(2024, 1, 2, 3, 4, 5),),
         (T(2024, 1, 2, 3, 4, 5, 123000),),
         (T(2024, 1, 2, 3, 4, 5, 100000),),
         (T(2024, 1, 2, 3, 4, 5, 1),),
         (T(1970, 1, 1, 0, 0),),
         (None,),
     ],
     '+--------------------------+\n'
     '|t                         |\n'
     '+--------------------------+\n'
     '|2024-01-02 03:04:05       |\n'
     '|2024-01-02 03:04:05.123   |\n'
     '|2024-01-02 03:04:05.1     |\n'
     '|2024-01-02 03:04:05.000001|\n'
     '|1970-01-01 00:00:00       |\n'
     '|NULL                      |\n'
     '+--------------------------+\n'),
    ('timestamps_truncated', 't TIMESTAMP', {},
     [(T(2024, 1, 2, 3, 4, 5, 123456),)],
     '+--------------------+\n'
     '|                   t|\n'
     '+--------------------+\n'
     '|2024-01-02 03:04:...|\n'
     '+--------------------+\n'),
    ('timestamp_ntz', 't TIMESTAMP_NTZ', {},
     [(T(2024, 1, 2, 3, 4, 5, 120000),)],
     '+--------------------+\n'
     '|                   t|\n'
     '+--------------------+\n'
     '|2024-01-02 03:04:...|\n'
     '+--------------------+\n'),
    ('dates', 'd DATE', {},
     [(D(2024, 1, 2),), (D(1, 1, 1),), (None,)],
     '+----------+\n'
     '|         d|\n'
     '+----------+\n'
     '|2024-01-02|\n'
     '|0001-01-01|\n'
     '|      NULL|\n'
     '+----------+\n'),
    ('arrays', 'a ARRAY<BIGINT>, s ARRAY<STRING>', {'truncate': False},
     [([1, 2, None], ['x', None, 'y z']), ([], []), (None, None)],
     '+------------+--------------+\n'
     '|a           |s             |\n'
     '+------------+--------------+\n'
     '|[1, 2, NULL]|[x, NULL, y z]|\n'
     '|[]          |[]            |\n'
     '|NULL        |NULL          |\n'
     '+------------+--------------+\n'),
    ('array_doubles', 'a ARRAY<DOUBLE>', {'truncate': False},
     [([1.0, 10000000000.0, None, float("nan")],)],
     '+------------------------+\n'
     '|a                       |\n'
     '+------------------------+\n'
     '|[1.0, 1.0E10, NULL, NaN]|\n'
     '+------------------------+\n'),
    ('maps', 'm MAP<STRING,BIGINT>', {'truncate': False},
     [({'a': 1, 'b': None},), ({},), (None,)],
     '+-------------------+\n'
     '|m                  |\n'
     '+-------------------+\n'
     '|{a -> 1, b -> NULL}|\n'
     '|{}                 |\n'
     '|NULL               |\n'
     '+-------------------+\n'),
    ('structs_window', 'window STRUCT<start:TIMESTAMP,end:TIMESTAMP>, `sum(v)` BIGINT', {'truncate': False},
     [((T(2016, 3, 11, 9, 0, 5), T(2016, 3, 11, 9, 0, 10)), 1)],
     '+------------------------------------------+------+\n'
     '|window                                    |sum(v)|\n'
     '+------------------------------------------+------+\n'
     '|{2016-03-11 09:00:05, 2016-03-11 09:00:10}|1     |\n'
     '+------------------------------------------+------+\n'),
    ('structs_window_truncated', 'window STRUCT<start:TIMESTAMP,end:TIMESTAMP>, count BIGINT', {},
     [((T(2026, 1, 1, 0, 0), T(2026, 1, 1, 0, 0, 10)), 1)],
     '+--------------------+-----+\n'
     '|              window|count|\n'
     '+--------------------+-----+\n'
     '|{2026-01-01 00:00...|    1|\n'
     '+--------------------+-----+\n'),
    ('nested_nulls', 's STRUCT<a:BIGINT,b:STRING>, a ARRAY<STRUCT<x:INT>>, m MAP<STRING,ARRAY<INT>>', {'truncate': False},
     [
         ((1, None), [(1,), None, (None,)], {'a': [1, None], 'b': None}),
         (None, None, None),
         ((None, 'x'), [], {}),
     ],
     '+---------+-------------------+---------------------------+\n'
     '|s        |a                  |m                          |\n'
     '+---------+-------------------+---------------------------+\n'
     '|{1, NULL}|[{1}, NULL, {NULL}]|{a -> [1, NULL], b -> NULL}|\n'
     '|NULL     |NULL               |NULL                       |\n'
     '|{NULL, x}|[]                 |{}                         |\n'
     '+---------+-------------------+---------------------------+\n'),
    ('binary', 'b BINARY', {},
     [(b'abc',), (bytearray(b'\x00\xff\x10'),), (b'',), (None,)],
     '+----------+\n'
     '|         b|\n'
     '+----------+\n'
     '|[61 62 63]|\n'
     '|[00 FF 10]|\n'
     '|        []|\n'
     '|      NULL|\n'
     '+----------+\n'),
    ('cjk', 'name STRING, n INT', {},
     [('日本語', 1), ('ｈｅｌｌｏ', 2), ('한국어abc', 3), ('a', 4)],
     '+----------+---+\n'
     '|      name|  n|\n'
     '+----------+---+\n'
     '|    日本語|  1|\n'
     '|ｈｅｌｌｏ|  2|\n'
     '| 한국어abc|  3|\n'
     '|         a|  4|\n'
     '+----------+---+\n'),
    ('cjk_left', 'name STRING, n INT', {'truncate': False},
     [('日本語', 1), ('a', 4)],
     '+------+---+\n'
     '|name  |n  |\n'
     '+------+---+\n'
     '|日本語|1  |\n'
     '|a     |4  |\n'
     '+------+---+\n'),
    ('cjk_truncated', 'name STRING', {},
     [('日本語日本語日本語日本語日本語日本語日本語',)],
     '+-------------------------------------+\n'
     '|                                 name|\n'
     '+-------------------------------------+\n'
     '|日本語日本語日本語日本語日本語日本...|\n'
     '+-------------------------------------+\n'),
    ('cjk_header', '`名前` STRING', {},
     [('x',)],
     '+----+\n'
     '|名前|\n'
     '+----+\n'
     '|   x|\n'
     '+----+\n'),
    ('escaping', '`a\tb` STRING, s STRING', {'truncate': False},
     [('x', 'line1\nline2'), ('y', 'tab\there\rcr\x0bvt\x07bell\x0cff\x08bs')],
     '+----+-------------------------------+\n'
     '|a\\tb|s                              |\n'
     '+----+-------------------------------+\n'
     '|x   |line1\\nline2                   |\n'
     '|y   |tab\\there\\rcr\\vvt\\abell\\fff\\bbs|\n'
     '+----+-------------------------------+\n'),
    ('only_top_1', 'n BIGINT', {'n': 1},
     [(1,), (2,), (3,)],
     '+---+\n'
     '|  n|\n'
     '+---+\n'
     '|  1|\n'
     '+---+\n'
     'only showing top 1 row'),
    ('only_top_2', 'n BIGINT', {'n': 2},
     [(1,), (2,), (3,)],
     '+---+\n'
     '|  n|\n'
     '+---+\n'
     '|  1|\n'
     '|  2|\n'
     '+---+\n'
     'only showing top 2 rows'),
    ('exact_n', 'n BIGINT', {'n': 2},
     [(1,), (2,)],
     '+---+\n'
     '|  n|\n'
     '+---+\n'
     '|  1|\n'
     '|  2|\n'
     '+---+\n'),
    ('n0', 'n BIGINT', {'n': 0},
     [(1,)],
     '+---+\n'
     '|  n|\n'
     '+---+\n'
     '+---+\n'
     'only showing top 0 rows'),
    ('vertical', 'word STRING, count BIGINT', {'vertical': True},
     [('apache', 1), ('spark', 22)],
     '-RECORD 0-------\n'
     ' word  | apache \n'
     ' count | 1      \n'
     '-RECORD 1-------\n'
     ' word  | spark  \n'
     ' count | 22     \n'),
    ('vertical_truncate', 'word STRING, n BIGINT', {'vertical': True, 'truncate': 5},
     [('abcdefghijklmnopqrstuvwxyz', 1)],
     '-RECORD 0-----\n'
     ' word | ab... \n'
     ' n    | 1     \n'),
    ('vertical_more', 'word STRING', {'vertical': True, 'n': 1},
     [('a',), ('b',)],
     '-RECORD 0---\n'
     ' word | a   \n'
     'only showing top 1 row'),
    ('vertical_empty', 'word STRING, count BIGINT', {'vertical': True},
     [],
     '(0 rows)'),
    ('empty', 'word STRING, count BIGINT', {},
     [],
     '+----+-----+\n'
     '|word|count|\n'
     '+----+-----+\n'
     '+----+-----+\n'),
    ('empty_left', 'word STRING, count BIGINT', {'truncate': False},
     [],
     '+----+-----+\n'
     '|word|count|\n'
     '+----+-----+\n'
     '+----+-----+\n'),
    ('short_header', 'a STRING', {},
     [('x',)],
     '+---+\n'
     '|  a|\n'
     '+---+\n'
     '|  x|\n'
     '+---+\n'),
    ('intervals', 'i INTERVAL DAY TO SECOND', {'truncate': False},
     [
         (timedelta(days=1, seconds=3),),
         (timedelta(microseconds=1500),),
         (timedelta(days=-1),),
         (timedelta(days=1, seconds=7261, microseconds=1),),
         (timedelta(days=-1, seconds=1),),
         (None,),
     ],
     '+------------------------------------------+\n'
     '|i                                         |\n'
     '+------------------------------------------+\n'
     "|INTERVAL '1 00:00:03' DAY TO SECOND       |\n"
     "|INTERVAL '0 00:00:00.0015' DAY TO SECOND  |\n"
     "|INTERVAL '-1 00:00:00' DAY TO SECOND      |\n"
     "|INTERVAL '1 02:01:01.000001' DAY TO SECOND|\n"
     "|INTERVAL '-0 23:59:59' DAY TO SECOND      |\n"
     '|NULL                                      |\n'
     '+------------------------------------------+\n'),
    ('bytes_ints', 'a TINYINT, b SMALLINT', {},
     [(1, -300)],
     '+---+----+\n'
     '|  a|   b|\n'
     '+---+----+\n'
     '|  1|-300|\n'
     '+---+----+\n'),
    ('float_array', 'a ARRAY<FLOAT>, m MAP<STRING,DOUBLE>', {'truncate': False},
     [([1.1, None], {'x': 1e-05})],
     '+-----------+-------------+\n'
     '|a          |m            |\n'
     '+-----------+-------------+\n'
     '|[1.1, NULL]|{x -> 1.0E-5}|\n'
     '+-----------+-------------+\n'),
    ('nested_dates', 'a ARRAY<DATE>, t ARRAY<TIMESTAMP>, d ARRAY<DECIMAL(5,2)>, b ARRAY<BINARY>, bl ARRAY<BOOLEAN>', {'truncate': False},
     [([D(2024, 1, 2)], [T(2024, 1, 2, 3, 4, 5, 500000)], [Decimal('1.5')], [b'ab'], [True, None])],
     '+------------+-----------------------+------+---------+------------+\n'
     '|a           |t                      |d     |b        |bl          |\n'
     '+------------+-----------------------+------+---------+------------+\n'
     '|[2024-01-02]|[2024-01-02 03:04:05.5]|[1.50]|[[61 62]]|[true, NULL]|\n'
     '+------------+-----------------------+------+---------+------------+\n'),
    ('map_struct_key', 'm MAP<INT,STRUCT<a:INT,b:STRING>>', {'truncate': False},
     [({1: (2, 'x'), 3: None},)],
     '+------------------------+\n'
     '|m                       |\n'
     '+------------------------+\n'
     '|{1 -> {2, x}, 3 -> NULL}|\n'
     '+------------------------+\n'),
    ('nested_arrays', 'a ARRAY<ARRAY<INT>>', {'truncate': False},
     [([[1, 2], [], None, [None]],)],
     '+--------------------------+\n'
     '|a                         |\n'
     '+--------------------------+\n'
     '|[[1, 2], [], NULL, [NULL]]|\n'
     '+--------------------------+\n'),
    ('fullwidth_bounds', 'c STRING, n INT', {'n': 30},
     [
         ('ᅟ', 1),
         ('ᅠ', 2),
         ('⺀', 3),
         ('\ua4cf', 4),
         ('ꓐ', 5),
         ('힣', 6),
         ('\ud7a4', 7),
         ('豈', 8),
         ('\ufaff', 9),
         ('︐', 10),
         ('︙', 11),
         ('\ufe1a', 12),
         ('︰', 13),
         ('\ufe6f', 14),
         ('ﹰ', 15),
         ('\uff00', 16),
         ('｠', 17),
         ('｡', 18),
         ('￠', 19),
         ('￦', 20),
         ('\uffe7', 21),
     ],
     '+---+---+\n'
     '|  c|  n|\n'
     '+---+---+\n'
     '| ᅟ|  1|\n'
     '|  ᅠ|  2|\n'
     '| ⺀|  3|\n'
     '| \ua4cf|  4|\n'
     '|  ꓐ|  5|\n'
     '| 힣|  6|\n'
     '|  \ud7a4|  7|\n'
     '| 豈|  8|\n'
     '| \ufaff|  9|\n'
     '| ︐| 10|\n'
     '| ︙| 11|\n'
     '|  \ufe1a| 12|\n'
     '| ︰| 13|\n'
     '| \ufe6f| 14|\n'
     '|  ﹰ| 15|\n'
     '| \uff00| 16|\n'
     '| ｠| 17|\n'
     '|  ｡| 18|\n'
     '| ￠| 19|\n'
     '| ￦| 20|\n'
     '|  \uffe7| 21|\n'
     '+---+---+\n'),
    ('emoji', 's STRING', {},
     [('  ',), ('a\\b',), ('😀x',), ('😀😀😀😀😀😀😀😀😀😀😀😀',)],
     '+--------------------+\n'
     '|                   s|\n'
     '+--------------------+\n'
     '|                    |\n'
     '|                 a\\b|\n'
     '|                 😀x|\n'
     '|😀😀😀😀😀😀😀😀?...|\n'
     '+--------------------+\n'),
    ('tiny_doubles', 'd DOUBLE, f FLOAT', {},
     [(5e-324, 1.4e-45), (2.2250738585072014e-308, 3e-45)],
     '+--------------------+-------+\n'
     '|                   d|      f|\n'
     '+--------------------+-------+\n'
     '|            4.9E-324|1.4E-45|\n'
     '|2.225073858507201...|2.8E-45|\n'
     '+--------------------+-------+\n'),
    ('no_columns_rows', '', {},
     [(), ()],
     '++\n'
     '||\n'
     '++\n'
     '||\n'
     '||\n'
     '++\n'),
    ('interval_other', 'a INTERVAL HOUR TO SECOND, b INTERVAL DAY, c INTERVAL MINUTE TO SECOND, d INTERVAL HOUR', {'truncate': False},
     [
         (timedelta(days=1, seconds=7203, microseconds=5), timedelta(days=3), timedelta(seconds=3662), timedelta(days=1, seconds=21600)),
     ],
     '+-----------------------------------------+----------------+---------------------------------+------------------+\n'
     '|a                                        |b               |c                                |d                 |\n'
     '+-----------------------------------------+----------------+---------------------------------+------------------+\n'
     "|INTERVAL '26:00:03.000005' HOUR TO SECOND|INTERVAL '3' DAY|INTERVAL '61:02' MINUTE TO SECOND|INTERVAL '30' HOUR|\n"
     '+-----------------------------------------+----------------+---------------------------------+------------------+\n'),
    ('jdk_integral', 'd DOUBLE, f FLOAT', {'truncate': False},
     [
         (3.6028797018963976e+16, 372713536.0),
         (3.628571428571429e+16, -8766697242624.0),
         (9.223372036854775e+18, 12000000000.0),
         (-9007199254740992.0, 16777217.0),
         (1.0000000000000002e+17, 30000000.0),
     ],
     '+----------------------+-------------+\n'
     '|d                     |f            |\n'
     '+----------------------+-------------+\n'
     '|3.6028797018963976E16 |3.72713536E8 |\n'
     '|3.6285714285714288E16 |-8.7666972E12|\n'
     '|9.2233720368547748E18 |1.2E10       |\n'
     '|-9.007199254740992E15 |1.6777216E7  |\n'
     '|1.00000000000000016E17|3.0E7        |\n'
     '+----------------------+-------------+\n'),
    ('jdk_edges', 'd DOUBLE, f FLOAT', {'truncate': False},
     [
         (2e+23, 3.637978807091713e-12),
         (1e+23, 2.524354896707238e-29),
         (8.41e+21, 0.1),
         (5.684341886080802e-14, 3.0),
         (2.168404344971009e-19, -1.1805916207174113e+21),
     ],
     '+----------------------+-------------+\n'
     '|d                     |f            |\n'
     '+----------------------+-------------+\n'
     '|1.9999999999999998E23 |3.6379788E-12|\n'
     '|9.999999999999999E22  |2.5243549E-29|\n'
     '|8.409999999999999E21  |0.1          |\n'
     '|5.6843418860808015E-14|3.0          |\n'
     '|2.1684043449710089E-19|-1.1805916E21|\n'
     '+----------------------+-------------+\n'),
]


@pytest.mark.parametrize("name, ddl, kw, rows, expected", SHOW_CASES, ids=[c[0] for c in SHOW_CASES])
def test_show_string_matches_spark(name, ddl, kw, rows, expected):
    schema = _parse_datatype_string(ddl)
    n = kw.get("n", 20)
    got = show_string(schema.names, rows[:n + 1], [f.dataType for f in schema.fields], n,
                      kw.get("truncate", True), kw.get("vertical", False))
    assert got == expected


def test_float_columns_get_float32_values_from_the_engine():
    # An engine holding FloatType as float32 hands over 1.100000023841858 for 1.1.
    assert show_string(["f"], [(1.100000023841858,), (0.10000000149011612,)], [FloatType()]) == (
        "+---+\n|  f|\n+---+\n|1.1|\n|0.1|\n+---+\n")


@pytest.mark.parametrize("value, text", [
    (1.0, "1.0"), (1e10, "1.0E10"), (1e-5, "1.0E-5"), (float("nan"), "NaN"), (-0.0, "-0.0"),
    (0.0, "0.0"), (float("inf"), "Infinity"), (float("-inf"), "-Infinity"), (123456789.123, "1.23456789123E8"),
    (0.001, "0.001"), (9.99e-4, "9.99E-4"), (9999999.0, "9999999.0"), (1e7, "1.0E7"), (-1234.5, "-1234.5"),
    (5e-324, "4.9E-324"), (1.7976931348623157e308, "1.7976931348623157E308"), (100.0, "100.0"),
])
def test_java_double_str(value, text):
    assert java_double_str(value) == text


@pytest.mark.parametrize("value, text", [
    (1.1, "1.1"), (1e10, "1.0E10"), (16777216.0, "1.6777216E7"), (3.4028235e38, "3.4028235E38"),
    (1.4e-45, "1.4E-45"), (123456.79, "123456.79"), (-2.5, "-2.5"), (0.00085, "8.5E-4"),
    (float("nan"), "NaN"), (-0.0, "-0.0"),
])
def test_java_float_str(value, text):
    assert java_float_str(value) == text


# Pairs captured from Spark 4 on JDK 17 (cast to string prints numbers as show() does): integral
# values below 2**63, decimals exactly half an ulp away, powers of two, random bit patterns.
JDK_DOUBLES = [
    (1.27e+22, '1.2700000000000001E22'),
    (1.29e+22, '1.2899999999999999E22'),
    (-3.777051754135808e+19, '-3.7770517541358076E19'),
    (4e+23, '3.9999999999999997E23'),
    (8.41e+21, '8.409999999999999E21'),
    (2e+23, '1.9999999999999998E23'),
    (1e+23, '9.999999999999999E22'),
    (2.82879384806159e+17, '2.82879384806159008E17'),
    (5.684341886080802e-14, '5.6843418860808015E-14'),
    (3.628571428571429e+16, '3.6285714285714288E16'),
    (1.1945774316841202e-299, '1.1945774316841202E-299'),
    (1.5290591125556738e-297, '1.5290591125556738E-297'),
    (1.9571956640712625e-295, '1.9571956640712625E-295'),
    (3.2066693760143564e-291, '3.2066693760143564E-291'),
    (4.1045368012983762e-289, '4.1045368012983762E-289'),
    (5.253807105661922e-287, '5.2538071056619216E-287'),
    (1.4103081061443981e-278, '1.4103081061443981E-278'),
    (1.8051943758648296e-276, '1.8051943758648296E-276'),
    (9142857142857142.0, '9.142857142857142E15'),
    (9285714285714286.0, '9.285714285714286E15'),
    (9428571428571428.0, '9.428571428571428E15'),
    (9571428571428572.0, '9.571428571428572E15'),
    (9.314530788716812e-262, '9.314530788716812E-262'),
    (-0.0005545038844112025, '-5.545038844112025E-4'),
    (1.1751710103624394e+262, '1.1751710103624394E262'),
    (-4.2505498994355214e+214, '-4.2505498994355214E214'),
    (4.484745790875963e-145, '4.484745790875963E-145'),
    (494320000000.0, '4.9432E11'),
    (3.5951e-14, '3.5951E-14'),
    (8.08e-14, '8.08E-14'),
]
JDK_FLOATS = [
    (5274144256.0, '5.2741443E9'),
    (372713536.0, '3.72713536E8'),
    (-8766697242624.0, '-8.7666972E12'),
    (-31804561408.0, '-3.18045614E10'),
    (-44684204.0, '-4.4684204E7'),
    (9139490689908736.0, '9.1394907E15'),
    (1.401298464324817e-45, '1.4E-45'),
    (1.1210387714598537e-44, '1.1E-44'),
    (8.96831017167883e-44, '9.0E-44'),
    (5.739718509874451e-42, '5.74E-42'),
    (4.591774807899561e-41, '4.5918E-41'),
    (-6.807287981214127e-28, '-6.807288E-28'),
    (-418881248165888.0, '-4.18881248E14'),
    (-1.1713995343585055e+27, '-1.1713995E27'),
    (-1.230224991103154e+28, '-1.230225E28'),
    (8.954692592703601e-22, '8.954693E-22'),
    (2.4331183952089613e+25, '2.4331184E25'),
    (9.030286013313876e-16, '9.030286E-16'),
    (-6.883061232088039e-09, '-6.8830612E-9'),
]


@pytest.mark.parametrize("value, text", JDK_DOUBLES)
def test_double_like_spark_on_jdk17(value, text):
    assert java_double_str(value) == text


@pytest.mark.parametrize("value, text", JDK_FLOATS)
def test_float_like_spark_on_jdk17(value, text):
    assert java_float_str(value) == text


def test_format_cell_nested_values():
    window = StructType([StructField("start", TimestampType()), StructField("end", TimestampType())])
    assert format_cell((T(2016, 3, 11, 9, 0, 5), T(2016, 3, 11, 9, 0, 10)), window) == (
        "{2016-03-11 09:00:05, 2016-03-11 09:00:10}")
    # Structs may also arrive as dicts and maps as Arrow-style key/value entries.
    assert format_cell({"end": None, "start": T(2016, 3, 11)}, window) == "{2016-03-11 00:00:00, NULL}"
    m = MapType(StringType(), ArrayType(DoubleType()))
    assert format_cell([{"key": "a", "value": [1.0, None]}], m) == "{a -> [1.0, NULL]}"
    assert format_cell([("a", None)], m) == "{a -> NULL}"
    assert format_cell(bytearray(b"\x00\xab"), BinaryType()) == "[00 AB]"
    assert format_cell(None, LongType()) == "NULL"
    assert format_cell(Decimal("-0.00"), _parse_datatype_string("decimal(5,2)")) == "0.00"


def test_format_cell_does_not_escape_or_truncate():
    assert format_cell("a\nb" * 10, StringType()) == "a\nb" * 10


@pytest.mark.parametrize("kw, message", [
    ({"n": "2"}, "[NOT_EXPECTED_TYPE] Argument `n` should be int, got str."),
    ({"n": True}, "[NOT_EXPECTED_TYPE] Argument `n` should be int, got bool."),
    ({"truncate": "x"}, "[NOT_EXPECTED_TYPE] Argument `truncate` should be bool, got str."),
    ({"vertical": 1}, "[NOT_EXPECTED_TYPE] Argument `vertical` should be bool, got int."),
])
def test_bad_arguments(kw, message):
    with pytest.raises(PySparkTypeError) as e:
        show_string(["n"], [(1,)], [LongType()], **kw)
    assert str(e.value) == message


@pytest.mark.parametrize("kw, expected", [
    ({"n": -1}, "+---+\n|  n|\n+---+\n+---+\nonly showing top 0 rows"),
    ({"truncate": -5}, "+---+\n|n  |\n+---+\n|1  |\n|2  |\n|3  |\n+---+\n"),
    ({"truncate": 0}, "+---+\n|n  |\n+---+\n|1  |\n|2  |\n|3  |\n+---+\n"),
    ({"truncate": "3"}, "+---+\n|  n|\n+---+\n|  1|\n|  2|\n|  3|\n+---+\n"),
    ({"truncate": 2.5}, "+---+\n|  n|\n+---+\n|  1|\n|  2|\n|  3|\n+---+\n"),
])
def test_odd_arguments_as_spark_reads_them(kw, expected):
    # captured from PySpark: df(n BIGINT: 1, 2, 3)._show_string(...)
    n = kw.get("n", 20)
    rows = [(1,), (2,), (3,)][:max(n, 0) + 1]
    assert show_string(["n"], rows, [LongType()], **kw) == expected
