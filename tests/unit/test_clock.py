"""The app's clock (app/clock.py): the real time, unless a test moves it forward."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app import clock


def test_the_clock_reads_the_real_time_as_naive_utc():
    before = datetime.now(UTC).replace(tzinfo=None)
    now = clock.utcnow()
    assert now.tzinfo is None and before <= now <= datetime.now(UTC).replace(tzinfo=None)


def test_a_test_can_move_the_clock_forward(monkeypatch):
    monkeypatch.setattr(clock, "ahead", timedelta(minutes=31))
    later = datetime.now(UTC).replace(tzinfo=None) + timedelta(minutes=31)
    assert abs(clock.utcnow() - later) < timedelta(seconds=5)
