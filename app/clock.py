"""The time the app reads: the machine's UTC clock, which tests can move forward.

Session ages (a clinician's idle and absolute limits, how long a resume code
lasts) are worked out from utcnow(), so a test can move `ahead` forward
instead of waiting or back-dating rows. Nothing in the app moves it: in
production `ahead` is zero and utcnow() is the real time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

ahead = timedelta(0)


def utcnow() -> datetime:
    """Now, as the naive UTC the database stores."""
    return datetime.now(UTC).replace(tzinfo=None) + ahead
