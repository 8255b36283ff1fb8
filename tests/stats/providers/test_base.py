"""Small shared helpers whose edge cases the adapters rely on."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime, timedelta

import pytest

from stats.providers.base import (
    AccountRef,
    MalformedResponse,
    RateLimited,
    as_int,
    finish_after_call_failure,
    parse_iso_datetime,
    parse_retry_after,
)


def test_retry_after_seconds_and_http_date() -> None:
    assert parse_retry_after("7", 60) == 7.0
    assert parse_retry_after(None, 60) == 60.0
    assert parse_retry_after("soon", 60) == 60.0
    later = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= parse_retry_after(later, 60) <= 30


def test_counts() -> None:
    assert as_int("1234567") == 1_234_567
    assert as_int(5) == 5
    assert as_int(None) is None
    with pytest.raises(MalformedResponse):
        as_int("12k")


def test_datetimes_from_both_platforms() -> None:
    assert parse_iso_datetime("2024-05-01T12:00:00Z") == datetime(2024, 5, 1, 12, tzinfo=UTC)
    assert parse_iso_datetime("2024-05-01T12:00:00+0000") == datetime(2024, 5, 1, 12, tzinfo=UTC)
    with pytest.raises(MalformedResponse):
        parse_iso_datetime("yesterday")


def test_whole_call_failure_rule() -> None:
    refs = [AccountRef("a", "a"), AccountRef("b", "b")]
    error = RateLimited("slow down", retry_after=3)
    with pytest.raises(RateLimited):
        finish_after_call_failure({}, refs, error)
    done = finish_after_call_failure({"a": MalformedResponse("x")}, refs, error)
    assert done["b"] is error and isinstance(done["a"], MalformedResponse)
