"""The DDL type parser behind ``createDataFrame(data, "word STRING, n INT")`` and ``cast("int")``.

:func:`_parse_datatype_string` follows Spark's grammar (and its fallbacks: a bare field list, then a
single type); ``ember.sql.types`` re-exports it.
"""

from __future__ import annotations

import re

from ember.errors import (
    ArithmeticException,
    ParseException,
    PySparkNotImplementedError,
    PySparkValueError,
)
from ember.sql.types import (
    _FIELD_INDEX,
    ArrayType,
    BinaryType,
    BooleanType,
    ByteType,
    CharType,
    DataType,
    DateType,
    DayTimeIntervalType,
    DecimalType,
    DoubleType,
    FloatType,
    IntegerType,
    LongType,
    MapType,
    NullType,
    ShortType,
    StringType,
    StructField,
    StructType,
    TimestampNTZType,
    TimestampType,
    VarcharType,
    _error,
)

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<bq>`(?:[^`]|``)*`)
  | (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<num>\d+(?![A-Za-z_]))
  | (?P<ident>[A-Za-z_0-9]+)
  | (?P<op><>|<=|>=|!=|==|[<>(),:.;=\-+*/])
  | (?P<bad>.)
""", re.VERBOSE | re.DOTALL)

_SIMPLE_TYPES: dict[str, type] = {
    "boolean": BooleanType, "tinyint": ByteType, "byte": ByteType, "smallint": ShortType,
    "short": ShortType, "int": IntegerType, "integer": IntegerType, "bigint": LongType, "long": LongType,
    "float": FloatType, "real": FloatType, "double": DoubleType, "date": DateType,
    "timestamp": TimestampType, "timestamp_ltz": TimestampType, "timestamp_ntz": TimestampNTZType,
    "string": StringType, "binary": BinaryType, "void": NullType,
}
_DECIMAL_NAMES = ("decimal", "dec", "numeric")


class _Tok:
    __slots__ = ("kind", "text", "pos")

    def __init__(self, kind: str, text: str, pos: int) -> None:
        self.kind, self.text, self.pos = kind, text, pos

    def word(self) -> str:
        return self.text.lower() if self.kind == "ident" else ""


class _DDLParser:
    """Recursive descent over Spark's DDL grammar: a table schema or a single data type.

    Errors carry Spark's text: ``[PARSE_SYNTAX_ERROR] Syntax error at or near ...`` or
    ``[UNSUPPORTED_DATATYPE]``, with the position and the ``== SQL ==`` excerpt.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks: list[_Tok] = []
        for m in _TOKEN.finditer(text):
            if m.lastgroup != "ws":
                self.toks.append(_Tok(m.lastgroup or "bad", m.group(), m.start()))
        self.i = 0
        self.unsupported: tuple[str, int] | None = None

    # errors
    def _fail(self, error_class: str, message: str, pos: int) -> ParseException:
        state = "0A000" if error_class == "UNSUPPORTED_DATATYPE" else "42601"
        detail = (f"{message} SQLSTATE: {state} (line 1, pos {pos})\n\n== SQL ==\n{self.text}\n"
                  f"{'-' * pos}^^^\n")
        return ParseException(detail, errorClass=error_class)

    def syntax_error(self, missing: str = "") -> ParseException:
        tok = self.peek()
        near = "end of input" if tok is None else f"'{tok.text}'"
        pos = len(self.text.rstrip()) if tok is None else tok.pos
        tail = f": missing '{missing}'" if missing and tok is None else ""
        return self._fail("PARSE_SYNTAX_ERROR", f"Syntax error at or near {near}{tail}.", pos)

    # tokens
    def peek(self, k: int = 0) -> _Tok | None:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise self.syntax_error()
        self.i += 1
        return tok

    def at(self, text: str) -> bool:
        tok = self.peek()
        return tok is not None and (tok.text == text or tok.word() == text)

    def expect(self, text: str) -> None:
        if not self.at(text):
            raise self.syntax_error(missing=text.upper())
        self.i += 1

    def at_end(self) -> None:
        if self.peek() is not None:
            raise self.syntax_error()

    def check_semantics(self) -> None:
        if self.unsupported is not None:
            name, pos = self.unsupported
            raise self._fail("UNSUPPORTED_DATATYPE", f'Unsupported data type "{name}".', pos)

    # grammar
    def identifier(self) -> str:
        tok = self.peek()
        if tok is None or tok.kind not in ("ident", "bq") or tok.kind == "ident" and tok.text[0].isdigit():
            raise self.syntax_error()
        self.i += 1
        return tok.text[1:-1].replace("``", "`") if tok.kind == "bq" else tok.text

    def integer(self) -> int:
        tok = self.peek()
        if tok is None or tok.kind != "num":
            raise self.syntax_error()
        self.i += 1
        return int(tok.text)

    def table_schema(self) -> StructType:
        fields: list[StructField] = []
        if self.peek() is not None:
            fields.append(self.column(colon=False))
            while self.at(","):
                self.i += 1
                fields.append(self.column(colon=False))
        tok = self.peek()
        if tok is not None and tok.kind in ("ident", "bq") and self.unsupported is not None:
            # After an unknown type name Spark's parser sees the next word as surplus input.
            raise self._fail("PARSE_SYNTAX_ERROR", f"Syntax error at or near '{tok.text}': extra input "
                             f"'{tok.text}'.", tok.pos)
        self.at_end()
        return StructType(fields)

    def column(self, colon: bool) -> StructField:
        name = self.identifier()
        if colon and self.at(":"):
            self.i += 1
        dtype = self.data_type()
        nullable, metadata = True, {}
        while True:
            if self.at("not"):
                self.i += 1
                self.expect("null")
                nullable = False
            elif self.at("comment"):
                self.i += 1
                tok = self.peek()
                if tok is None or tok.kind != "str":
                    raise self.syntax_error()
                self.i += 1
                metadata["comment"] = _unquote(tok.text)
            else:
                return StructField(name, dtype, nullable, metadata)

    def data_type(self) -> DataType:
        tok = self.peek()
        if tok is None or tok.kind != "ident" or tok.text[0].isdigit():
            raise self.syntax_error()
        word = tok.word()
        self.i += 1
        if word in ("array", "map", "struct") and self.at("<"):
            # Spark's parser reports a bad complex type at its '<', not where the inside went wrong.
            start = self.i
            try:
                return self.complex_type(word)
            except ParseException as e:
                if e.getErrorClass() != "PARSE_SYNTAX_ERROR":
                    raise
                self.i = start
                raise self.syntax_error() from None
        if word == "struct" and self.at("<>"):
            self.i += 1
            return StructType()
        if word == "interval":
            return self.interval()
        args: list[int] = []
        if self.at("("):
            self.i += 1
            args.append(self.integer())
            while self.at(","):
                self.i += 1
                args.append(self.integer())
            self.expect(")")
        return self.primitive(word, args, tok)

    def complex_type(self, word: str) -> DataType:
        self.i += 1  # '<'
        if word == "array":
            element = self.data_type()
            self.expect(">")
            return ArrayType(element, True)
        if word == "map":
            key = self.data_type()
            self.expect(",")
            value = self.data_type()
            self.expect(">")
            return MapType(key, value, True)
        fields = [] if self.at(">") else [self.column(colon=True)]
        while self.at(","):
            self.i += 1
            fields.append(self.column(colon=True))
        self.expect(">")
        return StructType(fields)

    def primitive(self, word: str, args: list[int], tok: _Tok) -> DataType:
        if word in _SIMPLE_TYPES and not args:
            return _SIMPLE_TYPES[word]()
        if word in _DECIMAL_NAMES and len(args) <= 2:
            precision, scale = (args + [0])[:2] if args else (10, 0)
            if precision > 38:
                raise _error(ArithmeticException, "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION", "Decimal "
                             "precision {precision} exceeds max precision {maxPrecision}. SQLSTATE: 22003",
                             precision=precision, maxPrecision=38)
            if scale > precision:
                raise _error(PySparkValueError, "DECIMAL_SCALE_EXCEEDS_PRECISION", "Decimal scale ({scale})"
                             " cannot be greater than precision ({precision}).", scale=scale,
                             precision=precision)
            return DecimalType(precision, scale)
        if word in ("char", "character", "varchar") and len(args) == 1:
            return VarcharType(args[0]) if word == "varchar" else CharType(args[0])
        if self.unsupported is None:
            shown = tok.text.upper() + (f"({','.join(map(str, args))})" if args else "")
            self.unsupported = (shown, tok.pos)
        return NullType()

    def interval(self) -> DataType:
        start = self.peek()
        if start is None or start.word() not in _FIELD_INDEX:
            raise PySparkNotImplementedError("ember supports only day-time intervals, "
                                             f"not {self.text!r}")
        self.i += 1
        first = last = _FIELD_INDEX[start.word()]
        if self.at("to"):
            self.i += 1
            end = self.take()
            if end.word() not in _FIELD_INDEX:
                raise self.syntax_error()
            last = _FIELD_INDEX[end.word()]
        return DayTimeIntervalType(first, last)


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


def _parse_whole(text: str, rule: str) -> DataType:
    parser = _DDLParser(text)
    result = parser.table_schema() if rule == "schema" else parser.data_type()
    parser.at_end()
    parser.check_semantics()
    return result


def _parse_datatype_string(s: str) -> DataType:
    """Parse a DDL type string as ``createDataFrame``'s ``schema`` argument accepts it.

    Tries, like Spark, a table schema (``"a INT, b STRING"``), then a single type (``"array<int>"``),
    then the text wrapped in ``struct<...>`` (``"a: int, b: string"``); when none parses, the table
    schema's error is raised.

    Examples
    --------
    >>> _parse_datatype_string("word STRING, n INT")
    StructType([StructField('word', StringType(), True), StructField('n', IntegerType(), True)])
    >>> _parse_datatype_string("map<string,int>")
    MapType(StringType(), IntegerType(), True)
    """
    try:
        return _parse_whole(s, "schema")
    except ParseException as schema_error:
        for text in (s, f"struct<{s.strip()}>"):
            try:
                return _parse_whole(text, "type")
            except (ParseException, PySparkValueError, ArithmeticException):
                continue
        raise schema_error from None
