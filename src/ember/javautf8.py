"""UTF-8 decoded as Java decodes it: Spark reads text (files, sockets) with Java's decoder.

Every malformed sequence becomes one U+FFFD. Python and Java agree on what a malformed sequence is
(the maximal invalid subpart) except for encoded surrogates, ``ED A0..BF xx``: Java takes ``ED A0..BF``
as the start of a 3-byte sequence, so the 3 bytes (or the 2, when no continuation byte follows) are
one U+FFFD, where Python makes one per byte.

The error handler is registered once, under one name, for every reader in ember.

Examples
--------
>>> decode_utf8(b"a\\xed\\xa0\\x80b\\xffc")
'a\\ufffdb\\ufffdc'
"""

from __future__ import annotations

import codecs

__all__ = ["JAVA_REPLACE", "decode_utf8"]

#: the ``errors=`` name of Java's replacement rule, for ``bytes.decode`` and ``str(data, ...)``
JAVA_REPLACE = "ember-java-replace"


def _java_replace(e: UnicodeError) -> tuple[str, int]:
    if not isinstance(e, UnicodeDecodeError):
        raise e
    data, i = e.object, e.start
    if data[i] == 0xED and i + 1 < len(data) and 0xA0 <= data[i + 1] <= 0xBF:
        end = i + 3 if i + 2 < len(data) and data[i + 2] & 0xC0 == 0x80 else i + 2
        return "\ufffd", end
    return "\ufffd", e.end


codecs.register_error(JAVA_REPLACE, _java_replace)


def decode_utf8(data: bytes) -> str:
    """``data`` as text, each malformed sequence replaced by U+FFFD as Java's decoder does."""
    return data.decode("utf-8", errors=JAVA_REPLACE)
