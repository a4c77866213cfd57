"""The pages every NHS service has: privacy notice, accessibility statement, cookies.

Their words belong to the trust that runs the service, so they are files,
not templates: Markdown in SERVICE_PAGES_DIR (the shipped defaults are in
app/service_pages/), each starting with its "# Title". A few {names} are
filled in from the configuration, so the defaults are true as shipped.
Markdown's raw HTML is switched off: what a file says is shown as text,
never as markup or script.

Each page has a Welsh file beside the English (`privacy.cy.md`). A Welsh
request gets the trust's Welsh file, else the shipped Welsh one when the
trust wrote no page of that name; a trust that wrote only its English page
has that shown, marked lang="en", with a note that it is not yet in Welsh
(never the shipped Welsh, which may say something its English does not).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from flask import Blueprint, current_app, render_template
from markdown_it import MarkdownIt
from markupsafe import Markup

from .i18n import ENGLISH, WELSH, current_language, gettext, in_language

bp = Blueprint("pages", __name__)

DEFAULTS = Path(__file__).parent / "service_pages"
PAGES = {"privacy": "privacy.md", "accessibility": "accessibility.md", "cookies": "cookies.md"}
NAME = re.compile(r"\{(\w+)\}")
DEFAULT_ORGANISATION = "Your hospital"  # config.ORGANISATION as shipped


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False})


def _escaped(value: str) -> str:
    """A setting's value as Markdown text, so a * or _ in it is shown, not obeyed."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|])", r"\\\1", value)


def names() -> dict[str, str]:
    """What the files may name, from the configuration, in the language of the file being filled in."""
    config = current_app.config
    email = config["FEEDBACK_EMAIL"]
    organisation = config["ORGANISATION"]
    if organisation == DEFAULT_ORGANISATION:  # the shipped placeholder, in the page's words; a trust's name as it is
        organisation = gettext("Your hospital")
    return {
        "service_name": _escaped(gettext(config["SERVICE_NAME"])),
        "organisation": _escaped(organisation),
        "contact": gettext("email <%(email)s>", email=email) if email else gettext("contact your care team"),
        "resume_days": str(config["RESUME_DAYS"]),
        "session_hours": f"{config['PERMANENT_SESSION_LIFETIME'] / 3600:g}",
        "cookie_name": f"`{config['SESSION_COOKIE_NAME']}`",
    }


@cache
def _read(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def chosen_file(name: str, language: str) -> tuple[Path, str]:
    """The file a page is shown from in `language`, and the language that file is in."""
    english = PAGES[name]
    translated = f"{Path(english).stem}.{language}.md"
    folder = Path(current_app.config["SERVICE_PAGES_DIR"] or DEFAULTS)
    if language != ENGLISH:
        if (folder / translated).is_file():
            return folder / translated, language
        if not (folder / english).is_file() and (DEFAULTS / translated).is_file():
            return DEFAULTS / translated, language
    return (folder / english if (folder / english).is_file() else DEFAULTS / english), ENGLISH


def rendered(name: str, language: str = ENGLISH) -> tuple[str, Markup, str]:
    """A page's title, its body as HTML and the language they are in: the trust's file or the shipped default."""
    path, shown_in = chosen_file(name, language)
    text = _read(str(path))
    with in_language(shown_in):
        known = names()
    text = NAME.sub(lambda m: known.get(m[1], m[0]), text)
    first, _, rest = text.partition("\n")
    title = first.removeprefix("# ").strip()
    # Safe: raw HTML is off, so the trust's file (never a patient's text) is escaped or Markdown's own tags.
    return title, Markup(_markdown().render(rest)), shown_in  # nosec B704: CommonMark with raw HTML off escapes


@bp.get("/<any(privacy, accessibility, cookies):name>")
def page(name: str):
    language = current_language()
    title, body, shown_in = rendered(name, language)
    untranslated = language == WELSH and shown_in == ENGLISH
    return render_template("service_page.html", title=title, body=body, untranslated=untranslated)
