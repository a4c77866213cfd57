"""Pages a patient reads: the start page and each procedure's information."""

from flask import abort, render_template

from ..content import Procedure
from ..templating import catalogue
from . import bp


def _procedure(slug: str) -> Procedure:
    procedure = catalogue().get(slug)
    if procedure is None:
        abort(404)
    return procedure


@bp.get("/")
def start():
    return render_template("patient/start.html", procedures=list(catalogue()))


@bp.get("/procedures/<slug>")
def procedure(slug: str):
    return render_template("patient/procedure.html", procedure=_procedure(slug))


@bp.get("/procedures/<slug>/benefits-and-risks")
def benefits_and_risks(slug: str):
    return render_template("patient/benefits_and_risks.html", procedure=_procedure(slug))
