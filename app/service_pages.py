"""The pages every NHS service has: privacy notice, accessibility statement, cookies.

Their words belong to the trust that runs the service, so they are files,
not templates: Markdown in SERVICE_PAGES_DIR (the shipped defaults are in
app/service_pages/), each starting with its "# Title". A few {names} are
filled in from the configuration, so the defaults are true as shipped.
Markdown's raw HTML is switched off: what a file says is shown as text,
never as markup or script.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from flask import Blueprint, current_app, render_template
from markdown_it import MarkdownIt
from markupsafe import Markup

bp = Blueprint("pages", __name__)

DEFAULTS = Path(__file__).parent / "service_pages"
PAGES = {"privacy": "privacy.md", "accessibility": "accessibility.md", "cookies": "cookies.md"}
NAME = re.compile(r"\{(\w+)\}")


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False})


def _escaped(value: str) -> str:
    """A setting's value as Markdown text, so a * or _ in it is shown, not obeyed."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|])", r"\\\1", value)


def names() -> dict[str, str]:
    """What the files may name, from the configuration."""
    config = current_app.config
    email = config["FEEDBACK_EMAIL"]
    return {
        "service_name": _escaped(config["SERVICE_NAME"]),
        "organisation": _escaped(config["ORGANISATION"]),
        "contact": f"email <{email}>" if email else "contact your care team",
        "resume_days": str(config["RESUME_DAYS"]),
        "session_hours": f"{config['PERMANENT_SESSION_LIFETIME'] / 3600:g}",
        "cookie_name": f"`{config['SESSION_COOKIE_NAME']}`",
    }


@cache
def _read(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def rendered(name: str) -> tuple[str, Markup]:
    """A page's title and its body as HTML, from the trust's folder or the shipped default."""
    folder = Path(current_app.config["SERVICE_PAGES_DIR"] or DEFAULTS)
    path = folder / PAGES[name]
    text = _read(str(path if path.is_file() else DEFAULTS / PAGES[name]))
    known = names()
    text = NAME.sub(lambda m: known.get(m[1], m[0]), text)
    first, _, rest = text.partition("\n")
    title = first.removeprefix("# ").strip()
    # Safe: raw HTML is off, so every character of the file is escaped or becomes Markdown's own
    # tags; it is the trust's text, never a patient's.
    return title, Markup(_markdown().render(rest))  # nosec B704: CommonMark with raw HTML off escapes every word


@bp.get("/<any(privacy, accessibility, cookies):name>")
def page(name: str):
    title, body = rendered(name)
    return render_template("service_page.html", title=title, body=body)
