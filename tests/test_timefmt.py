"""The one module that reads the store's time stamps and shows them to people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from coprod_tui.core import timefmt

NOW = datetime(2024, 3, 12, 14, 3, 12, tzinfo=UTC)


def test_parse_reads_store_stamps_and_treats_naive_as_utc():
    assert timefmt.parse("2024-03-12T14:03:12Z") == NOW
    assert timefmt.parse("2024-03-12T14:03:12") == NOW
    assert timefmt.parse("2024-03-12T15:03:12+01:00") == NOW
    assert timefmt.parse("yesterday") is None
    assert timefmt.parse(None) is None


def test_to_stamp_round_trips_and_drops_microseconds():
    cet = timezone(timedelta(hours=1))
    assert (
        timefmt.to_stamp(datetime(2024, 3, 12, 15, 3, 12, 999, tzinfo=cet))
        == "2024-03-12T14:03:12Z"
    )
    assert timefmt.parse(timefmt.utc_now_stamp()) is not None


def test_local_minutes_or_none():
    shown = timefmt.local_minutes("2024-03-12T14:03:12Z")
    local = NOW.astimezone()
    assert shown == f"{local:%Y-%m-%d %H:%M}"
    assert timefmt.local_minutes("garbage") is None
    assert timefmt.local_minutes("2024-03-12T14:03:12") is None  # no zone: shown as stored


def test_relative_time_with_an_injected_now():
    ago = {
        "2024-03-12T14:03:00Z": "just now",
        "2024-03-12T13:00:00Z": "1 h ago",
        "2024-03-12T13:58:12Z": "5 min ago",
        "2024-03-11T10:00:00Z": "yesterday",
        "2024-03-08T10:00:00Z": "4 days ago",
        "2024-01-02T10:00:00Z": "2 Jan",
        "2023-01-02T10:00:00Z": "2 Jan 2023",
        "no time at all": "?",
    }
    assert {stamp: timefmt.relative_time(stamp, NOW) for stamp in ago} == ago


def test_clock_labels_follow_the_clock_zone():
    assert timefmt.clock_label(NOW - timedelta(hours=1), NOW) == "13:03:12"
    assert timefmt.stamp_clock_label("2024-03-10T14:03:12Z", NOW) == "2024-03-10 14:03"
    assert timefmt.stamp_clock_label("broken", NOW) == "broken"


def test_epoch_and_compact_forms_round_trip():
    assert timefmt.from_epoch(NOW.timestamp()) == "2024-03-12T14:03:12Z"
    assert timefmt.to_epoch("2024-03-12T14:03:12Z") == NOW.timestamp()
    assert timefmt.to_epoch("broken") == 0.0
    assert timefmt.to_compact(NOW) == "20240312T140312Z"
    assert timefmt.from_compact("20240312T140312Z") == "2024-03-12T14:03:12Z"
    assert timefmt.from_compact("2024-03-12") is None


@pytest.mark.parametrize(
    "compact",
    ["20241340T000000Z", "2024031T140312ZZ", "20240312 140312Z", "２０２４0312T140312Z", "", "x"],
)
def test_a_compact_stamp_that_is_not_one_reads_as_none(compact):
    """File names are read strictly: an impossible date or a stray character is not a time."""
    assert timefmt.parse_compact(compact) is None
    assert timefmt.from_compact(compact) is None


def test_a_compact_stamp_reads_back_as_the_moment_it_was_written():
    moment = datetime(2026, 12, 1, 15, 28, 9, tzinfo=UTC)
    assert timefmt.parse_compact(timefmt.to_compact(moment)) == moment
