"""Error pages in the service's own style, for every HTTP error, not only 404 and 500."""

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from .rate_limits import seconds_until_allowed

# Plain words for the errors a person can meet; any other code uses its standard name.
OTHER_ERRORS = {
    400: ("Sorry, we could not read that", "Something in what your browser sent was not right. Go back and try again."),
    403: ("You do not have access to this page", "Your account cannot open this page. Ask the person who runs this service if you need it."),
    405: ("Sorry, that did not work", "Go back and try again."),
    413: ("Sorry, that was too much to send", "What you sent was much longer than any answer we need. Go back, shorten it and try again."),
}


def init_app(app: Flask) -> None:
    @app.errorhandler(404)
    def not_found(error):
        return render_template("errors/404.html"), 404

    @app.errorhandler(500)
    def server_error(error):
        return render_template("errors/500.html"), 500

    @app.errorhandler(429)
    def too_many_tries(error):
        seconds = seconds_until_allowed()
        minutes = -(-seconds // 60)
        advice = (f"There have been too many tries in a short time. This keeps your information safe. "
                  f"Try again in {minutes} minute{'s' if minutes != 1 else ''}.")
        response = render_template("errors/other.html", heading="Please wait before trying again", advice=advice)
        return response, 429, {"Retry-After": str(seconds)}

    @app.errorhandler(HTTPException)
    def other_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error  # routing redirects are exceptions too
        heading, advice = OTHER_ERRORS.get(error.code, (error.name, "Go back and try again."))
        return render_template("errors/other.html", heading=heading, advice=advice), error.code
