"""Pages before the journey: the start page, procedure information, starting and resuming."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm

from .. import pdf, saving
from ..content.versions import Version, versions
from ..extensions import db, limiter
from ..i18n import current_language, gettext, in_page_language
from ..invitations import self_start_clinic
from ..models import AnswerSet, normalise_resume_code
from ..rate_limits import configured, failed, person_key
from ..timeouts import extended
from . import access, bp
from .forms import EmailLinkForm, ResumeForm


def live_or_404(slug: str) -> Version:
    """The version patients start on now; a procedure withdrawn or never published is not found."""
    version = versions().live_for(slug)
    if version is None:
        abort(404)
    return in_page_language(version)


@bp.get("/")
def start():
    language = current_language()
    return render_template("patient/start.html",
                           procedures=[v.in_language(language).procedure for v in versions().live()])


@bp.get("/procedures/<slug>")
def procedure(slug: str):
    return render_template("patient/procedure.html", procedure=live_or_404(slug).procedure, start_form=FlaskForm())


@bp.get("/procedures/<slug>/benefits-and-risks")
def benefits_and_risks(slug: str):
    return render_template("patient/benefits_and_risks.html", procedure=live_or_404(slug).procedure)


@bp.get("/procedures/<slug>/questions")
def all_questions(slug: str):
    """Every question the journey will ask, read-only, before starting."""
    version = live_or_404(slug)
    return render_template("patient/all_questions.html", procedure=version.procedure,
                           questionnaire=version.questionnaire)


@bp.get("/procedures/<slug>/questions.pdf")
@limiter.limit(configured("PDF_LIMIT"), key_func=person_key, scope="pdf")
def blank_questionnaire(slug: str):
    """The same questions on paper, to print and fill in by hand."""
    return pdf.blank_questionnaire(live_or_404(slug))


@bp.post("/procedures/<slug>/start")
@limiter.limit(configured("START_LIMIT"), scope="start")  # every start is a row: per address, as resume codes
def start_journey(slug: str):
    chosen = live_or_404(slug)
    if not FlaskForm().validate_on_submit():
        flash(gettext("Your page had timed out. Press the start button again."))
        return redirect(url_for("patient.procedure", slug=slug))
    try:
        answer_set, token, code = _started(chosen)
    except saving.SaveFailed:
        flash(gettext("Sorry, we could not get things ready for you. Wait a minute, then press Start now again."),
              saving.FAILED)
        return procedure(slug), saving.UNAVAILABLE  # the same page, with the message
    access.remember(answer_set, resume_code=code, link_token=token)
    return redirect(url_for("patient.your_code"))


def _started(chosen: Version) -> tuple[AnswerSet, str, str]:
    """A new answer set, saved, with its link token and resume code, in the clinic that takes self-starters."""

    def make():
        started = AnswerSet.start(chosen.slug, chosen.id, clinic_id=self_start_clinic(chosen.slug),
                                  key=current_app.config["SECRET_KEY"])
        db.session.add(started[0])
        return started

    return saving.with_fresh_reference(make)


@bp.get("/your-code")
def your_code(email_form: EmailLinkForm | None = None):
    """The code and private link, and where and how to use them; shown again whenever the patient asks."""
    answer_set = access.current()
    if answer_set is None:
        return redirect(url_for("patient.resume"))
    return render_template(
        "patient/your_code.html",
        answer_set=answer_set,
        procedure=versions().of(answer_set).procedure,
        resume_code=session.get(access.CODE_KEY),
        resume_link=access.resume_link(),
        form=email_form or EmailLinkForm(formdata=None),  # form: the error summary and title
        sign_out_form=True,
    )


# Codes and links are both secrets to guess, so wrong tries at either count together.
def resume_limit(methods: list[str]):
    return limiter.shared_limit(configured("RESUME_LIMIT"), scope="resume", methods=methods, deduct_when=failed)


@bp.route("/resume", methods=["GET", "POST"])
@resume_limit(methods=["POST"])
def resume():
    form = ResumeForm()
    if form.validate_on_submit():
        answer_set = AnswerSet.by_resume_code(form.code.data)
        if answer_set is None or access.expired(answer_set):
            # The same words whether the code never existed or has expired.
            form.code.errors.append(gettext("We could not find answers for that code. Check the code and try again"))
        else:
            access.remember(answer_set, resume_code=normalise_resume_code(form.code.data))
            next_path = _local_path(request.form.get("next"))
            if next_path:
                # 307 repeats the POST, so the answers typed before the
                # session ended reach the page they were typed on.
                return redirect(next_path, code=307)
            return redirect(url_for("patient.tasks"))
    carried = carried_answers()
    if form.csrf_token.errors:
        flash(gettext("This page timed out. Press Save my answers again.") if carried
              else gettext("This page timed out. Press Continue again."))
    return render_template("patient/resume.html", form=form, **carried)


def carried_answers() -> dict:
    """What a page posted after the session ended, to carry through the resume form."""
    posted_from = request.path if request.endpoint != "patient.resume" else None
    next_path = _local_path(request.form.get("next") or posted_from)
    if request.method != "POST" or not next_path:
        return {}
    skip = {"csrf_token", "code", "next"}
    return {"next_path": next_path, "carried": [(k, v) for k, v in request.form.items(multi=True) if k not in skip]}


@bp.post("/session/extend")
def extend_session():
    """The timeout warning's button. Every request renews the session cookie, so this only has to answer.

    No CSRF check: renewing someone's session harms nobody, and a form token
    older than its time limit must not stop a patient getting more time.
    """
    if access.current() is None:
        return {"error": gettext("Your session has ended")}, 401
    return extended(current_app.permanent_session_lifetime.total_seconds())


@bp.get("/resume/<token>")
@resume_limit(methods=["GET"])
def resume_by_link(token: str):
    answer_set = AnswerSet.by_token(token)
    if answer_set is None or access.expired(answer_set):
        return render_template("patient/link_not_found.html"), 404
    # Back by the link, they can still see their code: it is worked out from the link again.
    access.remember(answer_set, resume_code=access.code_from_link(answer_set, token), link_token=token)
    return redirect(url_for("patient.tasks"))


def _local_path(target: str | None) -> str | None:
    """Only a path on this site, never another host (an open redirect)."""
    if not target:
        return None
    if not target.isprintable():
        return None  # a line break would split the Location header
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
