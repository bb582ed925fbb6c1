"""Zone ids read as Spark reads them (ember's own parser; Spark's answers are in the conformance tests)."""

import pytest

from ember.errors import DateTimeException
from ember.sql.zoneids import zone_of


@pytest.mark.parametrize(
    "text, zone",
    [
        ("+8", 28800), ("+08", 28800), ("+8:00", 28800), ("+0800", 28800), ("-05:30", -19800),
        ("+05:43:21", 20601), ("+054321", 20601), ("Z", 0), ("UTC", 0), ("GMT", 0), ("UT", 0),
        ("GMT+1", 3600), ("UTC-1:30", -5400), ("UT+18", 64800), ("EST", -18000),
        ("PST", "America/Los_Angeles"), ("Asia/Tokyo", "Asia/Tokyo"), ("Etc/GMT+8", "Etc/GMT+8"),
    ],
)  # fmt: skip
def test_zone_forms(text, zone):
    assert zone_of(text) == zone


@pytest.mark.parametrize(
    "text", ["+19", "+18:00:01", "+1:3", "+123", "utc", "Asia/tokyo", "", "GMT+", "UTC0x"]
)
def test_invalid_zones(text):
    with pytest.raises(DateTimeException) as info:
        zone_of(text)
    assert info.value.getCondition() == "INVALID_TIMEZONE"
    assert f"The timezone: {text} is invalid." in str(info.value)
