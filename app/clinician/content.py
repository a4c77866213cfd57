"""Content pages for administrators: every procedure's versions, what changed, a preview, and publishing.

A draft is a procedure file in CONTENT_DIR whose version patients do not see
yet (content/publishing.py says why). Its check is the one `flask content
publish` runs, so a draft this page offers to publish is one the command would
publish too. A preview shows a draft or any published version with the
patient pages' own templates; nothing in it is saved, sent or started.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload
from wtforms.fields.choices import SelectChoice

from .. import saving
from ..content import files, publishing
from ..content.checks import Checked
from ..content.differences import differences
from ..content.schema import SLUG
from ..content.translations import LANGUAGES
from ..content.versions import Version, is_overdue, publish, unpublished, versions
from ..extensions import db
from ..forms import ServiceForm
from ..models import Clinician, ContentVersion, PublishedProcedure
from ..questionnaire import progress
from ..questionnaire.changes import changes
from ..questionnaire.forms import page_form
from ..questionnaire.items import Ask
from ..questionnaire.structure import Questionnaire
from ..templating import uk_datetime
from . import bp
from .auth import admin_required
from .forms import CompareForm, PublishForm

DRAFT = "draft"  # in addresses, in place of a published version's id
VERSION = re.compile(r"[0-9a-f]{12}")

# Who may do what with content, in one place. Today the service admin does both;
# when clinics bring roles of their own, map them here and nowhere else.
read_content = admin_required
publish_content = admin_required


def may_read_content(clinician: Clinician) -> bool:
    """Whether to show the content pages in the staff menu: the people `read_content` lets through."""
    return clinician.is_admin


def may_publish(clinician: Clinician) -> bool:
    """Whether to offer Publish: the people `publish_content` lets through."""
    return clinician.is_admin


@bp.context_processor
def content_roles() -> dict:
    return {"may_read_content": may_read_content, "translation_status": translation_status}


@dataclass(frozen=True)
class TranslationStatus:
    """How one version stands in one language, for the content pages: counts, and who checked it."""

    language: str  # its name: "Welsh"
    exists: bool  # the procedure has a translation file of its own
    fields: int = 0
    stale: int = 0  # translated from English that has changed since
    missing: int = 0
    numbers: int = 0  # translated with numbers that are not the English's
    checked_by: str = ""  # who checked the procedure's translation, and when
    checked_on: date | None = None
    standard_checked: bool = False  # the standard questions' translation, which every procedure shares

    @property
    def in_english(self) -> int:
        """How many fields a patient reads in English on this language's pages."""
        return self.stale + self.missing + self.numbers

    @property
    def why_english(self) -> str:
        """"2 stale (the English changed after it was translated), 1 missing", or "" when none is in English."""
        parts = [f"{self.stale} stale (the English changed after it was translated)" if self.stale else "",
                 f"{self.missing} missing" if self.missing else "",
                 f"{self.numbers} with numbers that are not the English's" if self.numbers else ""]
        return ", ".join(filter(None, parts))


def translation_status(version: Version, language: str = "cy") -> TranslationStatus:
    translated = version.translated.get(language)
    found = translated.translation if translated else None
    if found is None or not found.has_file:
        return TranslationStatus(LANGUAGES[language], exists=False)
    return TranslationStatus(LANGUAGES[language], True, found.fields, len(found.stale), len(found.missing),
                             len(found.numbers), found.checked_by, found.checked_on, found.standard_checked)


@dataclass(frozen=True)
class Draft:
    """A procedure's file whose version patients do not see yet, as the content check found it."""

    checked: Checked
    problems: tuple[str, ...]  # its own, and any in the standard questions every file shares
    version: Version | None  # as it would be published; None if the file cannot be read

    @property
    def passed(self) -> bool:
        return self.version is not None and not self.problems


@dataclass(frozen=True)
class Listed:
    """A procedure on the content page: what patients see now, and any draft."""

    slug: str
    title: str
    live: ContentVersion | None
    withdrawn: bool
    draft: Checked | None


def _content_dir() -> Path:
    return Path(current_app.config["CONTENT_DIR"] or files.PROCEDURES_DIR)


def _live() -> dict[str, PublishedProcedure]:
    """Each procedure ever published, with its version (withdrawn ones too), by slug."""
    rows = db.session.scalars(sa.select(PublishedProcedure).options(joinedload(PublishedProcedure.version)))
    return {row.slug: row for row in rows}


def _live_version(live: dict[str, PublishedProcedure], slug: str) -> str | None:
    row = live.get(slug)
    return row.version.version if row and row.withdrawn_at is None else None


def _draft(slug: str) -> Draft | None:
    """The procedure's file, unless patients already see its version."""
    path = _content_dir() / f"{slug}.toml"  # the slug matched SLUG: no way out of the folder
    if not path.is_file():
        return None
    report = publishing.check_folder(only=[path])
    checked = report.file(slug)
    if checked.content is not None and checked.version == _live_version(_live(), slug):
        return None
    version = unpublished(checked.content, current_app.config["QUESTIONNAIRE"]) if checked.content else None
    return Draft(checked, tuple(report.problems), version)


def _slug_or_404(slug: str) -> str:
    if not SLUG.match(slug):
        abort(404)
    return slug


def _published_or_404(slug: str) -> tuple[list[Version], Draft | None]:
    """Every published version of a procedure, newest first, and its draft; not found if it has neither."""
    published, draft = versions().of_procedure(_slug_or_404(slug)), _draft(slug)
    if not published and draft is None:
        abort(404)
    return published, draft


def _version_or_404(slug: str, key: str) -> Version:
    """The draft, or a published version by its id."""
    if key == DRAFT:
        draft = _draft(_slug_or_404(slug))
        return draft.version if draft and draft.version else abort(404)
    if not VERSION.fullmatch(key):
        abort(404)  # before the query, as for references
    row_id = db.session.scalar(sa.select(ContentVersion.id).where(
        ContentVersion.slug == _slug_or_404(slug), ContentVersion.version == key))
    return versions().get(row_id) if row_id else abort(404)


@bp.get("/content")
@read_content
def content():
    report = publishing.check_folder()
    live = _live()
    titles = dict(db.session.execute(
        sa.select(ContentVersion.slug, ContentVersion.title).where(ContentVersion.id.in_(
            sa.select(sa.func.max(ContentVersion.id)).group_by(ContentVersion.slug)))).all())
    drafts = {f.slug: f for f in report.files if f.content is None or f.version != _live_version(live, f.slug)}
    for slug, checked in drafts.items():
        if checked.content:
            titles.setdefault(slug, checked.content.procedure.title)
    listed = [Listed(slug, titles.get(slug, slug), live[slug].version if slug in live else None,
                     slug in live and live[slug].withdrawn_at is not None, drafts.get(slug))
              for slug in sorted({*titles, *drafts}, key=lambda s: titles.get(s, s))]
    return render_template("clinician/content/index.html", listed=listed, shared=report.shared,
                           today=publishing.today(), is_overdue=is_overdue, content_dir=_content_dir())


@bp.get("/content/<slug>")
@read_content
def content_versions(slug: str):
    published, draft = _published_or_404(slug)
    live = _live().get(slug)
    live_id = live.version_id if live and live.withdrawn_at is None else None
    return render_template(
        "clinician/content/versions.html", slug=slug, published=published, draft=draft, live_id=live_id,
        title=(draft.version.procedure.title if draft and draft.version else published[0].procedure.title),
        withdrawn=live is not None and live.withdrawn_at is not None, today=publishing.today(),
        is_overdue=is_overdue, publish_form=PublishForm(formdata=None), may_publish=may_publish(current_user))


def _compare_form(published: list[Version], draft: Draft | None, live: str | None) -> CompareForm:
    """The two versions to compare: by default the draft against what patients see now, or else the newest
    version against the one before it."""
    choices = [SelectChoice(DRAFT, "The draft")] if draft and draft.version else []
    choices += [SelectChoice(v.version, f"Version {v.version}, published {uk_datetime(v.published_at)}")
                for v in published]
    form = CompareForm(request.args)
    form.from_version.choices = form.to_version.choices = choices
    values = [c.value for c in choices]
    if form.to_version.data not in values:
        form.to_version.data = values[0]
    if form.from_version.data not in values:
        after = values.index(form.to_version.data) + 1
        form.from_version.data = (live if form.to_version.data == DRAFT and live
                                  else values[min(after, len(values) - 1)])
    return form


@bp.get("/content/<slug>/changes")
@read_content
def content_changes(slug: str):
    published, draft = _published_or_404(slug)
    form = _compare_form(published, draft, _live_version(_live(), slug))
    old, new = (_version_or_404(slug, field.data) for field in (form.from_version, form.to_version))
    return render_template(
        "clinician/content/changes.html", slug=slug, form=form, old=old, new=new, draft=draft,
        differences=differences(old.procedure, new.procedure, old.source_sha256, new.source_sha256),
        changes=changes(old.snapshot, new.snapshot), publish_form=PublishForm(formdata=None),
        may_publish=may_publish(current_user), to_draft=form.to_version.data == DRAFT, same=old is new)


@bp.post("/content/<slug>/publish")
@publish_content
def content_publish(slug: str):
    draft = _draft(_slug_or_404(slug))
    form = PublishForm()
    back = redirect(url_for("clinician.content_versions", slug=slug))
    if not form.validate_on_submit() or draft is None or draft.version is None or (
            draft.version.version != form.version.data):
        flash("The draft has changed since you looked at it, so we have not published it. "
              "Look at what it changes, then publish it.")
        return back
    if not draft.passed:
        flash("This draft cannot be published until the problems listed are fixed.")
        return back
    try:
        with saving.all_or_nothing():
            publish([draft.checked.content], current_app.config["QUESTIONNAIRE"], actor=current_user.email)
    except saving.SaveFailed:
        flash("Sorry, we could not publish the draft. Nothing has changed for patients. Try again in a minute.",
              saving.FAILED)
        return back
    flash(f"Version {draft.version.version} is published. Patients who start now see it. Patients part way "
          "are shown what changed when they next open a page.", "success")
    return back


# The preview: the patient pages' own templates, drawn from a draft or any published version.


def _preview_pages(questionnaire: Questionnaire, slug: str) -> list[tuple[str, str]]:
    """(path under the preview, title) of every page a patient reads, in the order they meet them."""
    return [(f"procedures/{slug}", "About the procedure, before starting"),
            (f"procedures/{slug}/benefits-and-risks", "Benefits and risks, before starting"),
            *((page.path.lstrip("/"), page.title) for page in questionnaire.pages)]


def _preview_url_for(version: Version, key: str):
    """url_for for the patient templates: their own pages lead to the same page in this preview, and nothing else
    a patient could reach (their task list, resume code, answers) leaves it."""
    prefix = url_for("clinician.content_preview", slug=version.slug, version=key, path="")
    previewed = {"patient.procedure", "patient.benefits_and_risks", "patient.start_journey",
                 *(page.endpoint for page in version.questionnaire.pages)}

    def preview_url_for(endpoint: str, **values) -> str:
        if endpoint in previewed:
            return prefix + url_for(endpoint, **values).lstrip("/")
        return prefix if endpoint.startswith("patient.") else url_for(endpoint, **values)

    return preview_url_for


def _preview_context(version: Version, key: str, path: str) -> dict:
    pages = _preview_pages(version.questionnaire, version.slug)
    paths = [p for p, _ in pages]
    here = paths.index(path)
    url = url_for("clinician.content_preview", slug=version.slug, version=key, path="")
    return {"url_for": _preview_url_for(version, key), "preview": {
        "version": version, "draft": key == DRAFT, "page": here + 1, "pages": len(pages), "index": url,
        "previous": url + paths[here - 1] if here else None,
        "next": url + paths[here + 1] if here + 1 < len(paths) else None,
        "back": url_for("clinician.content_versions", slug=version.slug),
    }}


@bp.route("/content/<slug>/preview/<version>/", defaults={"path": ""})
@bp.route("/content/<slug>/preview/<version>/<path:path>", methods=["GET", "POST"])
@read_content
def content_preview(slug: str, version: str, path: str):
    """Every page a patient reads, exactly as they see it: answers are checked as theirs would be, never saved."""
    chosen = _version_or_404(slug, version)
    questionnaire = chosen.questionnaire
    if not path:
        return render_template("clinician/content/preview.html", version=chosen, key=version,
                               pages=_preview_pages(questionnaire, slug), back=url_for("clinician.content_versions",
                                                                                          slug=slug))
    if path == f"procedures/{slug}/start" and request.method == "POST":
        return redirect(_preview_url_for(chosen, version)(questionnaire.pages[0].endpoint))
    if path == f"procedures/{slug}":
        return render_template("patient/procedure.html", procedure=chosen.procedure, start_form=ServiceForm(),
                               **_preview_context(chosen, version, path))
    if path == f"procedures/{slug}/benefits-and-risks":
        return render_template("patient/benefits_and_risks.html", procedure=chosen.procedure,
                               **_preview_context(chosen, version, path))
    page = next((p for p in questionnaire.pages if p.path == "/" + path), None) or abort(404)
    form = page_form(page)()
    # The questions that matter most are picked from those ticked: here, every suggested one.
    form.prepare({item.id: "" for item in questionnaire.items if isinstance(item, Ask)})
    context = _preview_context(chosen, version, path)
    if request.method == "POST" and form.validate_on_submit():
        if form.adding_another:
            form.add_another_box()
        else:
            # As the patient's journey would go from what was just entered (someone coming: their page).
            following = progress.next_page(questionnaire, page, None, form.data)
            return redirect(context["url_for"](following.endpoint) if following else context["preview"]["index"])
    return render_template("patient/page.html", page=page, form=form, answer_set=None, procedure=chosen.procedure,
                           return_to=None, recheck={}, **context)
