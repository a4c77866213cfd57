"""The journey pages: task list, one page per section, check answers, confirmation.

Every page saves on Continue. One handler does load, validate, save and
redirect for all of them, so stale tabs, timed-out pages and failed writes are
handled the same way everywhere.
"""

from __future__ import annotations

from flask import current_app, flash, g, make_response, redirect, render_template, request, url_for
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from .. import audit, journey, pdf, saving
from ..extensions import db, limiter
from ..rate_limits import configured, person_key
from ..summary import build_summary, summarise
from ..templating import catalogue
from ..timeouts import warn_before_timeout
from . import access, bp
from .forms import (
    AboutYouForm,
    ReadForm,
    ResumeForm,
    SubmitForm,
    TopQuestionsForm,
    WhereYouAreForm,
    consent_form,
    questions_form,
    what_matters_form,
)
from .views import carried_answers

JOURNEY_ENDPOINTS = {s.endpoint for s in journey.SECTIONS} | {
    "patient.tasks", "patient.top_questions", "patient.check_answers", "patient.confirmation", "patient.summary",
    "patient.summary_pdf",
}
SUBMITTED_ENDPOINTS = {"patient.confirmation", "patient.summary", "patient.summary_pdf"}
STALE_MESSAGE = (
    "Your answers were changed in another tab or window. We have not saved this page. "
    "These are your latest saved answers: check them and continue."
)
TIMED_OUT_MESSAGE = ("This page timed out, so we have not saved it yet. We have kept what you typed. "
                     "Press Continue to save it.")
PDF_FAILED_MESSAGE = (
    "Sorry, we could not make your summary, so your answers have not been sent yet. "
    "Your answers are still saved. Try sending them again."
)
SAVE_FAILED_MESSAGE = "Sorry, we could not save this page. We have kept what you typed. Try again in a minute."
SEND_FAILED_MESSAGE = (
    "Sorry, we could not send your answers. Your answers are still saved. Try sending them again in a minute."
)


@bp.before_request
def load_answer_set():
    if request.endpoint not in JOURNEY_ENDPOINTS:
        return None
    g.answer_set = access.current()
    if g.answer_set is None:
        if request.method == "POST":
            # The session ended while they typed: keep the text, ask for the code.
            form = ResumeForm(formdata=None)
            return render_template("patient/resume.html", form=form, **carried_answers()), 401
        flash("Enter your resume code to carry on where you left off.")
        return redirect(url_for("patient.resume"))
    g.procedure = catalogue().get(g.answer_set.procedure_slug)
    warn_before_timeout(current_app.permanent_session_lifetime.total_seconds(), "patient.extend_session")
    if g.answer_set.submitted and request.endpoint not in SUBMITTED_ENDPOINTS:
        return redirect(url_for("patient.confirmation"))
    return None


def _after_save(key: str) -> str:
    return_to = request.args.get("return_to")
    if key == "questions":
        # Choosing questions always leads to picking the ones that matter most.
        return url_for("patient.top_questions", return_to=return_to)
    if return_to == "check":
        return url_for("patient.check_answers")
    following = journey.next_section("questions" if key == "top_questions" else key)
    return url_for(following.endpoint) if following else url_for("patient.check_answers")


def handle_section(key: str, form, template: str, **context):
    """Show a section's form filled from saved answers; on a valid Continue, save and move on."""
    answer_set = g.answer_set
    saved = answer_set.answers.get(key, {})
    if request.method == "GET":
        form.load(saved)
    elif form.validate_on_submit():
        if form.version.data != str(answer_set.version):
            return _stale(form, key, template, **context)
        try:
            with saving.all_or_nothing():
                answer_set.save_section(key, form.answers())
                audit.record("saved", answer_set, detail=key)
        except StaleDataError:
            return _stale(form, key, template, **context)
        except saving.SaveFailed:
            # The form still holds what they typed; the rollback restored the saved version.
            flash(SAVE_FAILED_MESSAGE, saving.FAILED)
            return _render(template, form, key, **context), saving.UNAVAILABLE
        if getattr(form, "add_another", None) and form.add_another.data:
            form.own.append_entry()
            form.version.data = str(answer_set.version)
            return _render(template, form, key, **context)
        return redirect(_after_save(key))
    elif form.csrf_token.errors:
        form.csrf_token.errors = []
        flash(TIMED_OUT_MESSAGE)
    return _render(template, form, key, **context)


def _stale(form, key, template, **context):
    db.session.refresh(g.answer_set)
    fresh = type(form)(formdata=None)
    for name, field in fresh._fields.items():
        if hasattr(field, "choices"):
            field.choices = form[name].choices  # set by the view, not the class (the top questions)
    fresh.load(g.answer_set.answers.get(key, {}))
    flash(STALE_MESSAGE)
    return _render(template, fresh, key, **context)


def _render(template, form, key, **context):
    if request.method == "GET" or not form.version.data or not form.errors:
        form.version.data = str(g.answer_set.version)
    return render_template(
        template, form=form, section_key=key, answer_set=g.answer_set, procedure=g.procedure,
        return_to=request.args.get("return_to"), **context,
    )


@bp.get("/tasks")
def tasks():
    answers = g.answer_set.answers
    statuses = [(s, journey.section_status(answers, s.key)) for s in journey.SECTIONS]
    return render_template("patient/tasks.html", answer_set=g.answer_set, procedure=g.procedure, statuses=statuses)


@bp.route("/about-you", methods=["GET", "POST"])
def about_you():
    return handle_section("about_you", AboutYouForm(), "patient/about_you.html")


@bp.route("/about-the-procedure", methods=["GET", "POST"])
def about_procedure():
    return handle_section("about_procedure", ReadForm(), "patient/journey_procedure.html")


@bp.route("/benefits-and-risks", methods=["GET", "POST"])
def journey_benefits_and_risks():
    return handle_section("benefits_risks", ReadForm(), "patient/journey_benefits_and_risks.html")


@bp.route("/questions", methods=["GET", "POST"])
def questions():
    form = questions_form(catalogue().questions_for(g.procedure))()
    return handle_section("questions", form, "patient/questions.html")


@bp.route("/questions/most-important", methods=["GET", "POST"])
def top_questions():
    chosen = journey.chosen_questions(g.answer_set.answers, catalogue().questions_for(g.procedure))
    form = TopQuestionsForm()
    form.top.choices = [SelectChoice(key, text) for key, text, _ in chosen]
    return handle_section("top_questions", form, "patient/top_questions.html", chosen=chosen)


@bp.route("/what-matters", methods=["GET", "POST"])
def what_matters():
    return handle_section("what_matters", what_matters_form(g.procedure)(), "patient/what_matters.html")


@bp.route("/consent", methods=["GET", "POST"])
def consent():
    return handle_section("consent", consent_form(g.procedure)(), "patient/consent.html")


@bp.route("/where-you-are", methods=["GET", "POST"])
def where_you_are():
    return handle_section("where_you_are", WhereYouAreForm(), "patient/where_you_are.html")


@bp.route("/check-answers", methods=["GET", "POST"])
def check_answers():
    form = SubmitForm()
    answer_set = g.answer_set
    status = 200
    if form.validate_on_submit():
        if form.version.data != str(answer_set.version):
            flash(STALE_MESSAGE)
        else:
            try:
                with saving.all_or_nothing():
                    answer_set.submit()
                    # The summary is made once, now, and kept: what is printed
                    # later is what the patient sent, whatever the content says then.
                    pdf.snapshot(answer_set)
                    audit.record("submitted", answer_set)
            except StaleDataError:
                flash(STALE_MESSAGE)
            except saving.SaveFailed:
                flash(SEND_FAILED_MESSAGE, saving.FAILED)
                status = saving.UNAVAILABLE
            except pdf.PdfError:
                current_app.logger.exception("Summary PDF failed for answer set %s", answer_set.id)
                flash(PDF_FAILED_MESSAGE)
            else:
                return redirect(url_for("patient.confirmation"))
    elif form.csrf_token.errors:
        form.csrf_token.errors = []
        flash(TIMED_OUT_MESSAGE.replace("Press Continue", "Press Send my answers"))
    form.version.data = str(answer_set.version)
    return render_template(
        "patient/check_answers.html", form=form, answer_set=answer_set, procedure=g.procedure,
        summary=build_summary(answer_set, g.procedure), sure_score=journey.sure_score(answer_set.answers),
    ), status


@bp.get("/confirmation")
def confirmation():
    if not g.answer_set.submitted:
        return redirect(url_for("patient.check_answers"))
    return render_template("patient/confirmation.html", answer_set=g.answer_set, procedure=g.procedure)


@bp.get("/summary")
def summary():
    """The summary as a page: the same words as the PDF, for reading on screen or printing."""
    stored = g.answer_set.summary_pdf
    response = make_response(render_template(
        "summary/page.html", summary=summarise(g.answer_set, g.procedure),
        pdf_size=stored.size if stored else None,
    ))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/summary.pdf")
@limiter.limit(configured("PDF_LIMIT"), key_func=person_key, scope="pdf")
def summary_pdf():
    if not g.answer_set.submitted:
        return redirect(url_for("patient.check_answers"))
    return pdf.download(g.answer_set)
