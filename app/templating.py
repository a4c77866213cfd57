"""Template filters and globals shared by every page."""

from datetime import date

from flask import Flask, current_app


def long_date(value: date) -> str:
    """22 September 2004: the NHS style for dates in text."""
    return f"{value.day} {value.strftime('%B %Y')}"


def catalogue():
    """The procedures loaded at start-up."""
    return current_app.extensions["catalogue"]


def init_app(app: Flask) -> None:
    app.add_template_filter(long_date)

    @app.context_processor
    def service():
        return {
            "service_name": app.config["SERVICE_NAME"],
            "phase": app.config["PHASE"],
        }
