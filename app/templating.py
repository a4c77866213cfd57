"""Template filters and globals shared by every page."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask
from markupsafe import Markup, escape

from .content.translations import InEnglish
from .i18n import ENGLISH, gettext, long_date, month_year
from .i18n import lazy_gettext as _l
from .icon_arrays import icon_array_layers

UK = ZoneInfo("Europe/London")
# The default SERVICE_NAME (app/config.py), marked so the catalogue has its Welsh.
DEFAULT_SERVICE_NAME = _l("Prepare for your procedure")


def clock(value: datetime) -> str:
    """2:05pm, 12 noon, 12 midnight (2:05yh, 12 hanner dydd): the NHS style for times."""
    if (value.hour, value.minute) == (12, 0):
        return gettext("12 noon")
    if (value.hour, value.minute) == (0, 0):
        return gettext("12 midnight")
    suffix = gettext("am") if value.hour < 12 else gettext("pm")
    return f"{value.hour % 12 or 12}:{value.minute:02d}{suffix}"


def uk_time(moment: datetime) -> datetime:
    """Stored times are naive UTC; people read UK time."""
    return moment.replace(tzinfo=UTC).astimezone(UK)


def uk_datetime(value: datetime) -> str:
    """A stored time as UK people read it: 3 March 2027, 2:05pm."""
    local = uk_time(value)
    return f"{long_date(local)}, {clock(local)}"


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value)


def file_size(size: int) -> str:
    """120 KB, 1.4 MB: how big a download is, before it starts."""
    # Welsh writes numbers as English does (1,000.5), so one format serves both.
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} KB"


def shortened(text: str, limit: int) -> str:
    """The text whole if it has `limit` characters or fewer, else cut after a word, with an ellipsis, to fit."""
    if len(text) <= limit:
        return text
    cut = text[:limit]  # the ellipsis takes the place of the space or character it cuts at
    space = cut.rfind(" ")
    # One long word (a web address) is cut where it must be, not at a space far back.
    shown = (cut[:space] if space > limit // 2 else cut[:-1]).rstrip(" ,;:.") + "…"
    # A question a Welsh page shows in English (InEnglish, which has `lang`) is still marked so when cut.
    return InEnglish(shown) if getattr(text, "lang", None) == ENGLISH else shown


def callout_heading(text: str, level: int) -> Markup:
    """A warning callout's heading, for its "html" parameter.

    Given as text, NHS.UK frontend wraps it in <span role="text">, which is not
    an ARIA role; this is the same heading and hidden "Important:" without it.
    """
    # Safe: Markup.format escapes the text; the tags are ours.
    return Markup('<h{0} class="nhsuk-card__heading"><span class="nhsuk-u-visually-hidden">{2}: </span>'
                  '{1}</h{0}>').format(int(level), text, gettext("Important"))


def error_list(form) -> list[dict]:
    """The error summary's links, in page order, each to the field it is about."""
    items = []

    def walk(fields):
        for f in fields:
            if f.type == "FieldList":
                for entry in f:
                    walk(entry.form)
            elif f.errors and f.type != "CSRFTokenField":
                target = f"{f.id}-{(f.parts_in_error or ('day',))[0]}" if f.type == "DateInputField" else f.id
                # escape() keeps the English of a content field in the message marked (i18n.Words).
                items.append({"html": escape(f.errors[0]), "href": f"#{target}"})

    walk(form)
    return items


def init_app(app: Flask) -> None:
    app.add_template_filter(long_date)
    app.add_template_filter(month_year)
    app.add_template_filter(clock)
    app.add_template_filter(file_size)
    app.add_template_filter(shortened)
    app.add_template_filter(uk_datetime)
    app.add_template_filter(parse_iso)
    app.add_template_global(error_list)
    app.add_template_global(callout_heading)
    app.add_template_global(icon_array_layers)

    @app.context_processor
    def service():
        return {
            # The default name has its Welsh in the catalogue; a deployment's own name is shown as it is set.
            "service_name": gettext(app.config["SERVICE_NAME"]),
            "phase": app.config["PHASE"],
            "feedback_email": app.config["FEEDBACK_EMAIL"],
        }
