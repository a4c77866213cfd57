"""Helpers the tests share: where things are, and how to read a page as a user would."""

from __future__ import annotations

import socket
from pathlib import Path

from bs4 import BeautifulSoup

import html_checks

ROOT = Path(__file__).resolve().parent.parent
# ../shared sits beside the checkout (and the CI clone); tests may read it, the app never does.
SOURCES = ROOT.parent / "shared" / "sources"
SESSION_COOKIE = "__Host-session"  # the production name (app/config.py); tests run with production cookies
# Every patient who starts alone in the tests lands in the first test clinic (tests/publishing.py).
SELF_START_CLINICS = {"breast-interstitial-laser-therapy": "breast-royal", "liver-laser-ablation": "breast-royal"}


def free_port() -> int:
    """A loopback port nothing is listening on, for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_config(database_url: str, **overrides) -> dict:
    """The settings every test app starts from."""
    # The suite starts and sends many journeys from one address; the shipped limits on
    # those are tested on their own (test_security.py).
    lifted = {"START_LIMIT": "10000 per minute", "SEND_LIMIT": "10000 per minute"}
    return {"TESTING": True, "SECRET_KEY": "test-only", "SQLALCHEMY_DATABASE_URI": database_url, **lifted,
            "SELF_START_CLINICS": SELF_START_CLINICS, **overrides}


def text_of(tag) -> str:
    """A page's or element's words as a person reads them: runs of spaces and line breaks as one space."""
    return " ".join(tag.get_text().split())


def edit(folder: Path, name: str, old: str, new: str) -> None:
    """Change one file's text once; the text must be there, so a test cannot pass by editing nothing."""
    path = folder / name
    text = path.read_text()
    assert old in text, f"fixture text {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1))


def check_page(response, status: int = 200) -> BeautifulSoup:
    """Parse a page and check what every page owes a user: one h1, a title that starts with it, unique ids."""
    assert response.status_code == status, response.status_code
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    h1s = page.find_all("h1")
    assert len(h1s) == 1, f"expected one h1, found {len(h1s)}"
    # Both as a browser shows them, runs of spaces as one: a name may have two.
    title = " ".join(page.title.get_text().split())
    h1 = " ".join(h1s[0].get_text().split())
    unprefixed = title.removeprefix("Error: ").removeprefix("Gwall: ")  # "Error:" in English or Welsh
    assert unprefixed.startswith(h1), f"title {title!r} does not start with h1 {h1!r}"
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), f"duplicate ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    assert page.html["lang"] in ("en-GB", "cy")  # English, or Welsh for a patient who chose it
    if "text/html" in response.content_type:
        html_checks.assert_valid(response.get_data(as_text=True), page)
    return page
