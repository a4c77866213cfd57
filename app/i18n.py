"""English and Welsh: which language a request is in, the switch between them, and words marked for translation.

The interface's words are gettext messages: marked where they are defined
(`lazy_gettext` in module-level definitions, `gettext` in views, `_()` in
templates), translated in `app/translations/cy/LC_MESSAGES/messages.po` and
compiled by the set-up. The content's words (procedures, standard questions)
are translated in files beside them (content/translations.py).

A patient chooses with the "Cymraeg" / "English" link in the header; the
choice is kept in their session. Staff pages are always in English: they are
not patient-facing, and a clinic reads every submission the same way.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from babel.dates import format_date
from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    has_app_context,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask.json.provider import DefaultJSONProvider
from flask_babel import Babel, force_locale, get_locale
from flask_babel import gettext as _gettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

ENGLISH, WELSH = "en", "cy"
LANGUAGES = {ENGLISH: "English", WELSH: "Cymraeg"}
# Pages only ever in English: the staff area.
ENGLISH_ONLY_BLUEPRINTS = ("clinician",)

babel = Babel()
bp = Blueprint("language", __name__)


class Words(LazyString):
    """A message translated when it is shown, in the language of the request showing it.

    Flask-Babel's own lazy string gives its text to Jinja as if it were
    markup; these are escaped like any other text.
    """

    def __html__(self):
        # A content field named in the message and shown in English (an instruction naming a stale
        # statement) stays marked as English inside the sentence, as it is on its own.
        if any(getattr(value, "lang", None) for value in self._kwargs.values()):
            return with_content(self._func(*self._args), **self._kwargs)
        return escape(str(self))


def lazy_gettext(string: str, **variables) -> Words:
    """Mark a message where it is defined (module level): translated each time it is shown."""
    return Words(gettext, string, **variables)


def gettext(string: str, **variables) -> str:
    """Translate a message now, in the language of this request (English where no app of ours is running)."""
    if _translating():
        return _gettext(string, **variables)
    return string % variables if variables else string


def current_language() -> str:
    """'cy' or 'en': the language of this request; English outside one (commands, unit tests)."""
    locale = get_locale() if _translating() else None
    return WELSH if locale is not None and locale.language == WELSH else ENGLISH


def _translating() -> bool:
    # Unit tests build forms in a bare Flask app, without this extension.
    return has_app_context() and "babel" in current_app.extensions


def select_language() -> str:
    """The patient's choice this session; else what their browser asks for; staff pages are English."""
    if not has_request_context() or request.blueprint in ENGLISH_ONLY_BLUEPRINTS:
        return ENGLISH
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(tuple(LANGUAGES), default=ENGLISH)


def clear_session() -> None:
    """Forget everything this browser's session holds but its language: a patient who chose Welsh stays in Welsh."""
    chosen = session.get("language")
    session.clear()
    if chosen in LANGUAGES:
        session["language"] = chosen


def in_language(language: str):
    """A context manager: words shown inside it are in `language` (an email sent by a command, say)."""
    return force_locale(language if language in LANGUAGES else ENGLISH)


def english(words) -> str:
    """A message's English, whatever language the request is in: what is stored and compared."""
    if isinstance(words, LazyString):
        with in_language(ENGLISH):
            return str(words)
    return words


@bp.get("/language/<language>")
def switch(language: str):
    """The header's switch: remember the choice, then back to the same page."""
    if language in LANGUAGES:
        session["language"] = language
    return redirect(_same_site(request.args.get("next", "")) or "/")


def _same_site(target: str) -> str:
    """`target` if it is a path on this site, else "": the switch never sends anyone elsewhere."""
    parts = urlsplit(target.replace("\\", "/"))
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return ""
    return target


def switch_link() -> dict | None:
    """The header's link to the other language, on patient pages; None on staff pages."""
    if not has_request_context() or request.blueprint in ENGLISH_ONLY_BLUEPRINTS:
        return None
    other = ENGLISH if current_language() == WELSH else WELSH
    here = request.full_path.rstrip("?") if request.query_string else request.path
    if (request.view_args or {}).get("token"):
        here = "/"  # a private link is a secret: never carried in another link
    # Safe: the language's own name from LANGUAGES, marked as that language (WCAG 3.1.2); our words only.
    name = Markup('<span lang="{}">{}</span>').format(other, LANGUAGES[other])
    return {"href": url_for("language.switch", language=other, next=here), "text": LANGUAGES[other],
            "html": name, "lang": other}


def long_date(value) -> str:
    """22 September 2004, 22 Medi 2004: the NHS style for dates in text, in the request's language."""
    if current_language() == WELSH:
        return format_date(value, "d MMMM y", locale=WELSH)
    return f"{value.day} {value.strftime('%B %Y')}"


def month_year(value) -> str:
    """January 2026, Ionawr 2026: a month of a year (content.YearMonth, or a date), in the request's language."""
    day = getattr(value, "first_day", value)
    return format_date(day, "LLLL y", locale=WELSH if current_language() == WELSH else "en_GB")


def in_page_language(version):
    """A content version as this page shows it: in the page's language where translated; noted for the layout."""
    shown = version.in_language(current_language())
    g.translation = shown.translation
    return shown


def translation_notice() -> str:
    """What a page in a translation says about it: that no qualified translator has checked it yet."""
    translation = g.get("translation") if has_app_context() else None
    if translation is None or translation.checked:
        return ""
    return gettext("This Welsh version is a first draft. A qualified translator has not checked it yet.")


def content(text):
    """A content field on a page: as it is; or, when a Welsh page must show it in English, marked as English.

    A field whose translation is stale or missing is kept English
    (content/translations.py, InEnglish): it is marked lang="en", for screen
    readers, with a short note in the page's language that this part is not
    yet translated. The space is inside the note: a space between the two
    spans is dropped where the parent is display: table (NHS.UK legends
    are), running the English into the note.
    """
    if getattr(text, "lang", None) == ENGLISH and current_language() != ENGLISH:
        # Safe: format() escapes both values, the field's English and the note; the tags are ours.
        return Markup('<span lang="en">{}</span><span class="app-not-translated"> ({})</span>').format(
            str(text), gettext("This part is not yet available in Welsh."))
    return escape(text)


def with_content(message: str, **values) -> Markup:
    """A translated message with content fields (or a patient's words) in it, each shown as `content` shows it.

    Called as with_content(gettext("%(question)s (your note: %(note)s)"), ...):
    a stale question inside the Welsh sentence stays marked as English, as it
    is on its own; every value is escaped (Markup's %).
    """
    return escape(message) % {name: content(value) for name, value in values.items()}


class JSONProvider(DefaultJSONProvider):
    """JSON for a message is its text in the request's language, not escaped markup."""

    @staticmethod
    def default(o):
        if isinstance(o, LazyString):
            return str(o)
        return DefaultJSONProvider.default(o)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", ENGLISH)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(Path(app.root_path) / "translations"))
    babel.init_app(app, locale_selector=select_language)
    app.json = JSONProvider(app)
    app.register_blueprint(bp)
    app.add_template_filter(content)

    @app.context_processor
    def language():
        shown = current_language()
        return {"language": shown, "html_lang": "cy" if shown == WELSH else "en-GB", "language_switch": switch_link(),
                "translation_notice": translation_notice()}

