"""The journey pages: task list, one page per part of the questionnaire, check answers, confirmation.

Every page is drawn from the questionnaire of the version the answer set
follows, and saves on Continue. One handler loads, validates, saves and
redirects for all of them, so stale tabs, timed-out pages and failed writes
are handled the same way everywhere.
"""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy.orm.exc import StaleDataError

from .. import audit, pdf, saving
from ..clinic_alerts import alert_clinic
from ..components import typed
from ..content.versions import versions
from ..extensions import db, limiter
from ..i18n import content, current_language, gettext, in_page_language
from ..i18n import lazy_gettext as _l
from ..questionnaire import progress
from ..questionnaire.definition import SURE_CREDIT, sure_score
from ..questionnaire.forms import page_form
from ..rate_limits import configured, made_a_pdf, pdf_limit
from ..summary import NOT_PROVIDED, answer_sections, asks_for_large_print, summarise, support_needs
from ..timeouts import warn_before_timeout
from . import access, bp, leaving, updates
from .forms import ResumeForm, SubmitForm
from .views import carried_answers

JOURNEY_ENDPOINTS = {
    "patient.tasks", "patient.check_answers", "patient.confirmation", "patient.summary", "patient.summary_pdf",
    "patient.summary_large_print", "patient.what_changed", "patient.delete_answers",
}
SUBMITTED_ENDPOINTS = {"patient.confirmation", "patient.summary", "patient.summary_pdf", "patient.summary_large_print"}
STALE_MESSAGE = _l("Your answers were changed in another tab or window. We have not saved this page. "
    "These are your latest saved answers: check them and continue.")
TIMED_OUT_MESSAGE = _l("This page timed out, so we have not saved it yet. We have kept what you typed. "
                     "Press Continue to save it.")
PDF_FAILED_MESSAGE = _l("Sorry, we could not make your summary, so your answers have not been sent yet. "
    "Your answers are still saved. Try sending them again.")
SAVE_FAILED_MESSAGE = _l("Sorry, we could not save this page. We have kept what you typed. Try again in a minute.")
SEND_FAILED_MESSAGE = _l("Sorry, we could not send your answers. Your answers are still saved. "
                         "Try sending them again in a minute.")
TIMED_OUT_SEND_MESSAGE = _l("This page timed out, so we have not saved it yet. We have kept what you typed. "
                            "Press Send my answers to save it.")
NOT_READY_MESSAGE = _l("You need to finish these sections before you send your answers")


@bp.record_once
def _page_routes(state) -> None:
    """A URL for every page of the app's questionnaire: /about-you is the page with key about_you."""
    for section in state.app.config["QUESTIONNAIRE"].sections:
        for page in section.pages:
            state.add_url_rule(page.path, endpoint=page.key, view_func=journey_page, methods=["GET", "POST"],
                               defaults={"page_key": page.key})


def _is_journey_page() -> bool:
    rule = request.url_rule
    return request.endpoint in JOURNEY_ENDPOINTS or bool(rule and rule.defaults and "page_key" in rule.defaults)


@bp.before_request
def load_answer_set():
    if not _is_journey_page():
        return None
    answer_set, live_id = access.current_and_live()
    if answer_set is None:
        if request.method == "POST":
            # The session ended while they typed: keep the text, ask for the code.
            form = ResumeForm(formdata=None)
            return render_template("patient/resume.html", form=form, **carried_answers()), 401
        flash(gettext("Enter your resume code to carry on where you left off."))
        return redirect(url_for("patient.resume"))
    g.answer_set = answer_set
    g.version = versions().of(answer_set)
    if not answer_set.submitted and live_id and live_id != answer_set.content_version_id:
        # A newer version was published while they were part way: carry their answers over to it.
        g.version = updates.move_on(answer_set, versions().get(live_id), g.version)
    g.version = in_page_language(g.version)  # the same items, in the patient's language where translated
    g.procedure, g.questionnaire = g.version.procedure, g.version.questionnaire
    warn_before_timeout(current_app.permanent_session_lifetime.total_seconds(), "patient.extend_session")
    if answer_set.submitted and request.endpoint not in SUBMITTED_ENDPOINTS:
        return redirect(url_for("patient.confirmation"))
    return None


def journey_page(page_key: str):
    """Show a page's form filled from saved answers; on a valid Continue, save and move on."""
    page = g.questionnaire.page(page_key) or abort(404)
    answer_set = g.answer_set
    if not page.applies(answer_set.answers):
        return redirect(url_for("patient.tasks"))  # not asked, given their answers (Page.shown_when)
    form = page_form(page)()
    form.prepare(answer_set.answers)
    if request.method == "GET":
        form.load(answer_set.answers)
    elif form.validate_on_submit():
        if form.version.data != str(answer_set.version):
            return _stale(page)
        try:
            with saving.all_or_nothing():
                answers = g.questionnaire.reconcile({**answer_set.answers, **form.answers()})
                answer_set.save_page(page.key, answers, g.version.version, support_needs(g.questionnaire, answers))
                answer_set.language = current_language()
                audit.record("saved", answer_set, detail=page.key)
        except StaleDataError:
            return _stale(page)
        except saving.SaveFailed:
            # The form still holds what they typed; the rollback restored the saved version.
            flash(str(SAVE_FAILED_MESSAGE), saving.FAILED)
            return _render(page, form), saving.UNAVAILABLE
        if form.adding_another:
            form.add_another_box()
            form.version.data = str(answer_set.version)
            return _render(page, form)
        if form.signing_out:
            return leaving.end_session(answer_set)
        # The answers just saved, not the answer set's: reading those after the commit would load them again.
        following = progress.next_page(g.questionnaire, page, request.args.get("return_to"), answers)
        if following is None:
            return redirect(url_for("patient.check_answers"))
        return redirect(url_for(following.endpoint, return_to=request.args.get("return_to")))
    elif form.csrf_token.errors:
        form.csrf_token.errors = []
        flash(str(TIMED_OUT_MESSAGE))
    return _render(page, form)


def _stale(page):
    db.session.refresh(g.answer_set)
    fresh = page_form(page)(formdata=None)
    fresh.prepare(g.answer_set.answers)
    fresh.load(g.answer_set.answers)
    flash(str(STALE_MESSAGE))
    return _render(page, fresh)


def _render(page, form):
    if request.method == "GET" or not form.version.data or not form.errors:
        form.version.data = str(g.answer_set.version)
    return render_template(
        "patient/page.html", page=page, form=form, answer_set=g.answer_set, procedure=g.procedure,
        return_to=request.args.get("return_to"), recheck=updates.to_recheck(g.answer_set, g.version, page),
    )


@bp.get("/tasks")
def tasks():
    answer_set = g.answer_set
    statuses = progress.statuses(g.questionnaire, answer_set.pages_saved, g.version.version, answer_set.answers)
    last = progress.check_answers_status(g.questionnaire, answer_set.pages_saved, g.version.version,
                                         answer_set.answers)
    return render_template(
        "patient/tasks.html", answer_set=answer_set, procedure=g.procedure, task_items=_task_items(statuses, last),
        to_check_again=any(s.text == progress.CHECK_AGAIN for s in statuses),
    )


# How each status shows on the task list (NHS.UK task list: plain text when done, a tag otherwise).
TAG_COLOURS = {progress.IN_PROGRESS: "blue", progress.CHECK_AGAIN: "orange", progress.NOT_STARTED: "grey"}


def _task_items(statuses: list[progress.Status], last: str) -> list[dict]:
    words = progress.STATUS_WORDS
    items = [{
        "title": {"text": f"{s.section.title} {gettext('(optional)')}" if s.section.optional else str(s.section.title)},
        "href": url_for(s.section.first_page.endpoint),
        "status": {"text": str(words[s.text])} if s.done else {
            "tag": {"text": str(words[s.text]), "colour": TAG_COLOURS[s.text]}},
    } for s in statuses]
    check = {"title": {"text": gettext("Check your answers and send them")}}
    if last == progress.CANNOT_START_YET:
        # Not a link until every section it needs is done (NHS.UK task list's "Cannot start yet").
        items.append({**check, "status": {"text": str(words[last]),
                                          "classes": "nhsuk-task-list__status--cannot-start-yet"}})
    else:
        items.append({**check, "href": url_for("patient.check_answers"),
                      "status": {"tag": {"text": str(words[last]), "colour": "grey"}}})
    return items


@bp.get("/what-changed")
def what_changed():
    return render_template("patient/what_changed.html", answer_set=g.answer_set, procedure=g.procedure,
                           updates=g.answer_set.updates)


@bp.route("/check-answers", methods=["GET", "POST"])
@limiter.limit(configured("SEND_LIMIT"), scope="send", methods=["POST"], deduct_when=made_a_pdf)
def check_answers():
    form = SubmitForm()
    answer_set = g.answer_set
    status = 200
    blocking = progress.blocking(g.questionnaire, answer_set.pages_saved, g.version.version, answer_set.answers)
    if form.validate_on_submit():
        if blocking:
            status = 400  # the page says which sections, with links
        elif form.version.data != str(answer_set.version):
            flash(str(STALE_MESSAGE))
        else:
            try:
                g.made_a_pdf = True  # counted by SEND_LIMIT, however the send ends
                with saving.all_or_nothing():
                    answer_set.submit()
                    answer_set.language = current_language()  # the summary and PDF are made in it, now
                    # The summary is made once, now, and kept: what is printed
                    # later is what the patient sent, whatever the content says then.
                    pdf.snapshot(answer_set, g.version)
                    audit.record("submitted", answer_set)
            except StaleDataError:
                flash(str(STALE_MESSAGE))
            except saving.SaveFailed:
                flash(str(SEND_FAILED_MESSAGE), saving.FAILED)
                status = saving.UNAVAILABLE
            except pdf.PdfError:
                current_app.logger.exception("Summary PDF failed for answer set %s", answer_set.id)
                flash(str(PDF_FAILED_MESSAGE))
            else:
                alert_clinic(answer_set, g.version)  # after the commit: a slow mail server never stops a send
                db.session.commit()
                return redirect(url_for("patient.confirmation"))
    elif form.csrf_token.errors:
        form.csrf_token.errors = []
        flash(str(TIMED_OUT_SEND_MESSAGE))
    form.version.data = str(answer_set.version)
    sections = answer_sections(answer_set, g.version)
    return render_template(
        "patient/check_answers.html", form=form, answer_set=answer_set, procedure=g.procedure, sections=sections,
        rows=_check_rows(sections), sure_score=sure_score(answer_set.answers), sure_credit=SURE_CREDIT,
        earlier_rows=[{"key": {"text": f"{e['section']}: {e['heading']}"},
                       "value": {"text": typed(", ".join(e["lines"]))}}
                      for e in answer_set.earlier_answers],
        blocking=blocking, tried_to_send=status == 400, not_ready_message=NOT_READY_MESSAGE,
        not_ready=[{"text": f"{s.section.title}: {s.text.lower()}", "href": url_for(s.section.first_page.endpoint)}
                   for s in blocking],
    ), status


def _check_rows(sections) -> dict[str, list[dict]]:
    """Each section's check-answers rows: the answer in the words the patient chose, and a link to change it."""
    # One address per page, not per row: url_for was a fifth of the page's time.
    change = {page.key: url_for(page.endpoint, return_to="check") for page in g.questionnaire.pages}
    return {s.key: [_check_row(row, change[row.page]) for row in s.rows] for s in sections}


def _check_row(row, change_url: str) -> dict:
    lines = row.page_lines or (NOT_PROVIDED,)
    # Content fields (a question, a statement) go through i18n.content, as on their own pages: a stale one
    # is marked English with the note; everything else, the patient's words included, is escaped.
    classes = " app-not-provided" if not row.page_lines else ""
    # Safe: format() escapes every line content() has not already escaped; only our <p> tags are markup.
    paragraphs = [Markup('<p class="nhsuk-body{}">{}</p>').format(classes, content(line)) for line in lines]
    # Safe: the paragraphs just made, each escaped.
    value = Markup("").join(paragraphs)
    return {
        "key": {"html": content(row.label)},
        "value": {"html": typed(value)},
        "actions": {"items": [{"href": change_url, "text": gettext("Change"), "visuallyHiddenText": str(row.label)}]},
    }


@bp.get("/confirmation")
def confirmation():
    if not g.answer_set.submitted:
        return redirect(url_for("patient.check_answers"))
    return render_template("patient/confirmation.html", answer_set=g.answer_set, procedure=g.procedure,
                           large_print_first=asks_for_large_print(g.answer_set.answers, g.version.questionnaire.glance))


@bp.get("/summary")
def summary():
    """The summary as a page: the same words as the PDF, for reading on screen or printing."""
    stored = g.answer_set.summary_pdf
    return render_template(
        "summary/page.html", summary=summarise(g.answer_set, g.version), pdf_size=stored.size if stored else None,
    )


@bp.get("/summary.pdf")
@pdf_limit()
def summary_pdf():
    if not g.answer_set.submitted:
        return redirect(url_for("patient.check_answers"))
    response = pdf.download(g.answer_set)
    audit.record("downloaded", g.answer_set, detail="by the patient")
    db.session.commit()  # after loading the PDF: a commit expires the answer set, which would be read again
    return response


@bp.get("/summary-large-print.pdf")
@pdf_limit()
def summary_large_print():
    """The same summary in large print, for anyone who asks: made when asked, from what was sent."""
    if not g.answer_set.submitted:
        return redirect(url_for("patient.check_answers"))
    return pdf.large_print(g.answer_set)
