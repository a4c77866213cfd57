"""Load from wrk on loopback: requests listed in a file, sent for a fixed time, in turns.

wrk is the load generator because it is C: on a 2-core machine a Python
client would take much of the CPU it is measuring. The same settings serve the
floor and the app, and a figure and its floor are measured in turns, so their
ratio is fair.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

SCRIPT = Path(__file__).with_name("wrk") / "rotate.lua"
CONNECTIONS = 4  # two per worker: one is served while the other's next request waits
WARM_UP_SECONDS = 1
ROUNDS = 3
ROUND_SECONDS = 2


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    cookie: str = ""
    form: dict | None = None

    def line(self) -> str:
        body = urlencode(self.form or {}, doseq=True)
        return "\t".join([self.method, self.path, self.cookie, body])


@dataclass(frozen=True)
class Subject:
    """What one figure loads: a server, and the requests sent to it round and round."""

    url: str
    requests: list[Request]
    expected_status: int
    # Each request changes something (a save), so none may be sent twice: the
    # warm-up and each round get a share of their own.
    once: bool = False

    def share(self, part: int, parts: int) -> list[Request]:
        if not self.once:
            return self.requests
        size = len(self.requests) // parts
        return self.requests[part * size:(part + 1) * size]


@dataclass(frozen=True)
class Load:
    """What one wrk run measured."""

    requests: int
    seconds: float
    socket_errors: int
    unexpected_status: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise RuntimeError("wrk is not installed: make bench installs the Debian package wrk")
    return path


def in_turns(subjects: dict[str, Subject], work: Path, rounds: int = ROUNDS,
             seconds: int = ROUND_SECONDS, warm_up: bool = True) -> dict[str, list[Load]]:
    """Load each subject in turn, round after round, after a warm-up each; every round's figures, by subject.

    As they take turns, a slow spell of a shared machine falls on every
    subject alike, not on whichever happened to run in it.
    """
    for subject in subjects.values() if warm_up else ():
        _run(subject, subject.share(0, rounds + 1), work, WARM_UP_SECONDS)
    measured: dict[str, list[Load]] = {name: [] for name in subjects}
    for n in range(1, rounds + 1):
        for name, subject in subjects.items():
            share = subject.share(n, rounds + 1)
            load = _run(subject, share, work, seconds)
            if load.socket_errors or load.unexpected_status:
                raise RuntimeError(f"{name}: {load}")
            if subject.once and load.requests > len(share):
                raise RuntimeError(f"{name}: a round sent some requests twice; give it more")
            measured[name].append(load)
    return measured


def fastest(rounds: list[Load]) -> Load:
    """The round that served most: other work on a shared machine only ever slows a round down."""
    return max(rounds, key=lambda load: load.per_second)


def _run(subject: Subject, requests: list[Request], work: Path, seconds: int) -> Load:
    listing = work / "requests.tsv"
    listing.write_text("".join(request.line() + "\n" for request in requests))
    result = subprocess.run(
        [wrk(), "--threads", "1", "--connections", str(CONNECTIONS), "--duration", f"{seconds}s",
         "--timeout", "30s", "--script", str(SCRIPT), subject.url, "--", str(listing), str(subject.expected_status)],
        capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL,
    )
    return Load(**json.loads(result.stdout.strip().splitlines()[-1]))
