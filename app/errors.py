"""Error pages in the service's own style, for every HTTP error, from one template."""

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from .i18n import gettext
from .i18n import lazy_gettext as _l
from .rate_limits import seconds_until_allowed

# Plain words for the errors a person can meet: a heading and what to do.
# Any other code uses its standard name and "Go back and try again."
ERRORS = {
    400: (_l("Sorry, we could not read that"),
          [_l("Something in what your browser sent was not right. Go back and try again.")]),
    403: (_l("You do not have access to this page"),
          [_l("Your account cannot open this page. Ask the person who runs this service if you need it.")]),
    404: (_l("Page not found"), [_l("If you typed the web address, check it is correct."),
                                 _l("If you pasted the web address, check you copied the entire address.")]),
    405: (_l("Sorry, that did not work"), [_l("Go back and try again.")]),
    413: (_l("Sorry, that was too much to send"),
          [_l("What you sent was much longer than any answer we need. Go back, shorten it and try again.")]),
    500: (_l("Sorry, there is a problem with the service"), [_l("Please try again later.")]),
}


def init_app(app: Flask) -> None:
    @app.errorhandler(429)
    def too_many_tries(error):
        seconds = seconds_until_allowed()
        minutes = -(-seconds // 60)
        wait = gettext("Try again in 1 minute.") if minutes == 1 else gettext(
            "Try again in %(minutes)s minutes.", minutes=minutes)
        advice = [f"{gettext('There have been too many tries in a short time. This keeps your information safe.')} "
                  f"{wait}"]
        heading = gettext("Please wait before trying again")
        page = render_template("errors/page.html", heading=heading, advice=advice, code=429)
        return page, 429, {"Retry-After": str(seconds)}

    # Unhandled exceptions reach this too, as an InternalServerError.
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error  # routing redirects are exceptions too
        heading, advice = ERRORS.get(error.code, (error.name, [_l("Go back and try again.")]))
        return render_template("errors/page.html", heading=heading, advice=advice, code=error.code), error.code
