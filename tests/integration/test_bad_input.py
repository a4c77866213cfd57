"""Arbitrary input to every form, patient and clinician, generated with Hypothesis.

Whatever arrives: never a server error; never a lost answer (a refused post
changes nothing at all, a saved one changes only its own page's answers); and
text with markup in it is shown, printed and stored as text, never run.
Field names come from the rendered pages, so a new field is fuzzed too.
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlencode

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from werkzeug.datastructures import MultiDict

from app.content.versions import Version
from app.extensions import db
from app.models import IN_PROGRESS, AnswerSet, normalise_resume_code
from clinician_helpers import sent_answer_sets, sign_in
from journey_helpers import complete_all_sections, live, start
from support import check_page

pytestmark = pytest.mark.both_databases  # storage: runs on SQLite and PostgreSQL

BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"
UNLIMITED = "100000 per minute"
MARKUP = (
    "<script>alert(1)</script>", '<b id="x">', '"><img src=x onerror=alert(1)>', "{{ 7*7 }}",
    "{% if 1 %}yes{% endif %}",
    '<a href="javascript:alert(1)">here</a>', "<style>*{display:none}</style>", "&amp; &lt;b&gt;", "<!--", "]]>",
)
OTHER_SCRIPTS = ("אני מודאג מהכאב", "أنا قلق", "\u202eevil\u202c", "e\u0301\u0302\u0303", "😟 👍🏽 👨‍👩‍👧",
                 "Rydw i’n poeni ŵ ŷ", "\u200b\ufeff")
# What a refused post may get back: the page again with a message, or "too large"
# past the 64 KB a request may hold. Staff pages also refuse a missing or wrong
# CSRF token (and a note with errors) with 400.
REFUSED = (200, 413)
STAFF_REFUSED = (200, 400, 413)


def fuzz(examples: int):
    """Hypothesis settings for a test that makes real requests.

    The fixtures (app, database, patient) are made once per test and shared by its examples:
    each example starts from a known state itself. One bug shrunk at a time: each try is requests.
    """
    return settings(max_examples=examples, deadline=None, report_multiple_bugs=False,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


# --- What is typed -----------------------------------------------------------

control_character = st.characters(categories=["Cc"])
piece = st.one_of(st.text(max_size=12), st.sampled_from(MARKUP + OTHER_SCRIPTS), control_character)
long_text = st.builds(
    lambda unit, length: (unit * length)[:length],
    st.sampled_from(("x", "é", "<b>", "😟 ", "a\x00", "\u0301")), st.integers(min_value=400, max_value=20_000),
)
typed = st.one_of(st.text(), st.sampled_from(MARKUP + OTHER_SCRIPTS), st.lists(piece, max_size=6).map("".join),
                  long_text)
date_part = st.one_of(
    st.integers(min_value=-1, max_value=10_000).map(str),
    st.sampled_from(("٢٠٣٠", "２０３０", " 12 ", "1_2", "+3", "1e3", "9999")), typed,
)


def kept(text: str) -> str:
    """What the service keeps of typed text: all but invisible control characters (tab and line breaks stay)."""
    return "".join(c for c in text if unicodedata.category(c) != "Cc" or c in "\t\n\r")


def squash(text: str) -> str:
    """Text without whitespace, bidi marks or zero-width joiners, so wrapping, reordering and
    emoji read as separate glyphs in a page or PDF do not matter."""
    return re.sub(r"[\s\x00\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+", "", text)


# --- What a page's form asks for --------------------------------------------

@dataclass
class PageForm:
    """A form as rendered: its hidden fields' values, every other field's kind,
    and what a browser would send as it is."""

    hidden: dict[str, str]
    fields: dict[str, str | tuple[str, ...]]  # "text", "date", or the values offered
    filled: MultiDict

    @classmethod
    def read(cls, form) -> PageForm:
        hidden, fields, filled = {}, {}, MultiDict()
        for element in form.select("input[name], textarea[name], select[name], button[name]"):
            name, kind = element["name"], element.get("type", "text")
            if name == "sign_out":
                continue  # "Save and sign out" ends the session the next draw needs (test_leaving.py covers it)
            if element.name == "input" and kind == "hidden":
                hidden[name] = element.get("value", "")
            elif element.name == "select":
                fields[name] = tuple(o.get("value", "") for o in element.select("option"))
                selected = element.select_one("option[selected]") or element.select_one("option")
                filled.add(name, selected.get("value", ""))
            elif element.name == "button" or kind in ("radio", "checkbox"):
                fields[name] = (*fields.get(name, ()), element.get("value", "on"))
                if element.has_attr("checked"):
                    filled.add(name, element.get("value", "on"))
            else:
                fields[name] = "date" if re.search(r"\[(day|month|year)\]$", name) else "text"
                filled.add(name, element.get_text() if element.name == "textarea" else element.get("value", ""))
        # A list of entries (own-0-text) may be posted with more entries than shown.
        for name, kind in list(fields.items()):
            if match := re.fullmatch(r"(.+)-0-(.+)", name):
                fields.update({f"{match[1]}-{n}-{match[2]}": kind for n in range(1, 12)})
        return cls(hidden, fields, filled)

    def text_fields(self) -> list[str]:
        return [name for name, kind in self.fields.items() if kind in ("text", "date")]


def value_of(kind) -> st.SearchStrategy[str]:
    if kind == "text":
        return typed
    if kind == "date":
        return date_part
    return st.one_of(st.sampled_from(kind), typed)  # an offered choice, or anything else


@st.composite
def posts(draw, form: PageForm, hidden: dict[str, str]) -> MultiDict:
    """What a browser, or someone with a script, might send: the form as filled in with some
    fields changed to anything (wrong choices too), left out or sent several times; extra
    fields; now and then the hidden fields left out or altered."""
    data = MultiDict()
    for name, value in hidden.items():
        tamper = draw(st.sampled_from(("keep",) * 6 + ("drop", "replace", "second", "first")))
        if tamper == "keep":
            data.add(name, value)
        elif tamper != "drop":
            other = draw(typed)
            data.setlist(name, {"replace": [other], "second": [value, other], "first": [other, value]}[tamper])
    touched = draw(st.lists(st.sampled_from(sorted(form.fields)), unique=True)) if form.fields else []
    for name, kind in form.fields.items():
        if name not in touched:
            values = form.filled.getlist(name)
        elif draw(st.booleans()):
            values = draw(st.lists(value_of(kind), max_size=3))  # none: left out
        else:
            values = [draw(value_of(kind))]
        for value in values:
            data.add(name, value)
    for name, value in draw(st.lists(st.tuples(st.text(min_size=1, max_size=15), typed), max_size=3)):
        data.add(name, value)
    return data


# --- What the database holds --------------------------------------------------

def database(app) -> dict[str, list[dict]]:
    """Every row of every table, in key order.

    Leaves out when a signed-in clinician was last seen: it moves on its own, once a minute.
    """
    with app.app_context():
        state = {
            table.name: [dict(row._mapping)
                         for row in db.session.execute(sa.select(table).order_by(*table.primary_key.columns))]
            for table in db.metadata.sorted_tables
        }
    for row in state["login_session"]:
        row.pop("last_seen_at")
    return state


def added_rows(before: dict, after: dict, table: str) -> list[dict]:
    """The rows a request added to a table, checking it changed none that were there."""
    old = {row["id"]: row for row in before[table]}
    new = {row["id"]: row for row in after[table]}
    assert {key: new.get(key) for key in old} == old, f"{table}: existing rows changed"
    return [row for key, row in new.items() if key not in old]


def assert_only_changed(before: dict, after: dict, *tables: str) -> None:
    for table in before:
        if table not in tables:
            assert after[table] == before[table], f"{table} changed"


def without(row: dict, *keys: str) -> dict:
    return {k: v for k, v in row.items() if k not in keys}


def assert_saved_one_page(before: dict, after: dict, key: str, version: Version) -> None:
    """One page saved: its own answers, that it was saved, the version and the time, and an audit line; nothing else.

    Saving the questions may drop a top question no longer chosen: that follows from the page, so it may change too.
    """
    (old,), (new,) = before["answer_set"], after["answer_set"]
    assert new["version"] == old["version"] + 1
    changing = ("answers", "pages_saved", "version", "updated_at")
    assert without(new, *changing) == without(old, *changing)
    items = [i.id for i in version.questionnaire.page(key).items] + (["top"] if key == "questions" else [])
    assert without(new["answers"], *items) == without(old["answers"], *items), "another page's answers changed"
    assert new["pages_saved"][key] == version.version
    assert without(new["pages_saved"], key) == without(old["pages_saved"], key)
    (record,) = added_rows(before, after, "audit_event")
    assert (record["action"], record["detail"]) == ("saved", key)
    assert_only_changed(before, after, "answer_set", "audit_event")


# --- What comes back ----------------------------------------------------------

def refused_page(response) -> BeautifulSoup | None:
    """A refused post's page, checked: a whole page, with a message saying what to do."""
    if response.status_code == 413:
        return None
    page = check_page(response, response.status_code)
    assert page.select(".nhsuk-error-summary, .nhsuk-notification-banner") or page.title.get_text().startswith(
        "Sorry, we could not read that"), "refused without a message"
    return page


def tidy(text: str, one_line: bool) -> str:
    """Line breaks as a browser sends them. A one-line box holds none (a browser drops them),
    and the page may indent after one."""
    return re.sub(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+ *", "", text) if one_line else text.replace("\r\n", "\n")


def assert_text_kept(page: BeautifulSoup, posted: MultiDict, form: PageForm) -> None:
    """After an error, each box shows what was typed into it, less control characters.

    Entries of a list (own-3-text) are numbered again from 0, so they are compared in order.
    """
    def same(name: str, typed: str) -> bool:
        element = page.find(["input", "textarea"], attrs={"name": name})
        if element is None or element.get("type") == "password":
            return True
        one_line = element.name == "input"
        shown = element.get("value", "") if one_line else element.get_text()
        typed = tidy(kept(typed), one_line)
        return tidy(shown, one_line) in (typed, typed.strip())

    lists: dict[tuple[str, str], dict[int, str]] = {}
    for name in form.text_fields():
        if name not in posted:
            continue
        if entry := re.fullmatch(r"(.+)-(\d+)-(.+)", name):
            lists.setdefault((entry[1], entry[3]), {})[int(entry[2])] = posted.getlist(name)[0]
        else:
            assert same(name, posted.getlist(name)[0]), name
    for (prefix, suffix), typed in lists.items():
        for n, index in enumerate(sorted(typed)):
            assert same(f"{prefix}-{n}-{suffix}", typed[index]), f"{prefix}-{index}-{suffix}"


def assert_shown_as_text(page: BeautifulSoup, texts: list[str]) -> None:
    """Typed markup is on the page as the characters typed, and made no element."""
    main = page.select_one("main")
    injected = main.select("script, style, img, #x, a[href^='javascript']") + [
        tag for tag in main.find_all(True) if any(attribute.startswith("on") for attribute in tag.attrs)
    ]
    assert not injected, f"typed text became markup: {injected}"
    shown = squash(main.get_text())
    for text in texts:
        assert squash(kept(text)) in shown, text


# --- A patient part way through, and a clinician ------------------------------

@pytest.fixture
def app(app_with):
    """The app with its rate limits out of the way: fuzzing is not guessing."""
    return app_with(RESUME_LIMIT=UNLIMITED, SIGN_IN_LIMIT=UNLIMITED, SIGN_IN_ADDRESS_LIMIT=UNLIMITED,
                    PDF_LIMIT=UNLIMITED)


class Patient:
    """A patient's browser, their good answers, and each journey page's form."""

    def __init__(self, client, slug: str, good_answers: dict, forms: dict[str, PageForm]):
        self.client, self.slug, self.good_answers, self.forms = client, slug, good_answers, forms

    def __repr__(self) -> str:  # how a failing example names it: the forms would fill the screen
        return f"Patient({self.slug!r})"


def the_answer_set(app) -> AnswerSet:
    with app.app_context():
        return db.session.scalars(sa.select(AnswerSet).order_by(AnswerSet.id)).first()


def back_to(app, answers: dict) -> int:
    """Put the answer set back to these answers, unsent; return its version."""
    with app.app_context():
        answer_set = db.session.scalars(sa.select(AnswerSet).order_by(AnswerSet.id)).first()
        if answer_set.answers != answers or answer_set.status != IN_PROGRESS:
            answer_set.answers = answers
            answer_set.status, answer_set.submitted_at, answer_set.summary_pdf = IN_PROGRESS, None, None
            db.session.commit()
        return answer_set.version


def journey_pages(app) -> dict[str, str]:
    """Every journey page that saves answers, by its address: every page of the questionnaire."""
    return {page.path: page.key for page in live(app, LIVER).questionnaire.pages}


def answered_every_page(app, slug: str) -> Patient:
    """A patient who has answered every page with good answers, and each page's form as it renders."""
    client = app.test_client()
    start(client, slug)
    complete_all_sections(client, slug, app)
    forms = {url: PageForm.read(check_page(client.get(url)).select_one("main form[method=post]"))
             for url in [*journey_pages(app), "/check-answers"]}
    return Patient(client, slug, the_answer_set(app).answers, forms)


@pytest.fixture(params=[LIVER, BREAST])
def patient(request, app) -> Patient:
    """Each procedure in turn: their pages ask different things."""
    return answered_every_page(app, request.param)


@pytest.fixture
def liver_patient(app) -> Patient:
    """One procedure, for what is the same for both."""
    return answered_every_page(app, LIVER)


@pytest.fixture
def clinician(app, make_clinician):
    """A signed-in clinician, with some sent answer sets to look at."""
    email, password = make_clinician()
    references = sent_answer_sets(app, 6, datetime(2026, 1, 5, 9), [LIVER, BREAST], reviewed_every=3)
    client = app.test_client()
    assert sign_in(client, email, password).status_code == 302
    return client, email, password, references


# --- The patient's pages -------------------------------------------------------

@fuzz(60)
@given(data=st.data())
def test_journey_pages_take_any_input(app, patient, data):
    pages = journey_pages(app)
    url = data.draw(st.sampled_from(sorted(pages)), label="page")
    form = patient.forms[url]
    version = back_to(app, patient.good_answers)
    posted = data.draw(posts(form, {**form.hidden, "version": str(version)}), label="posted")
    before = database(app)
    response = patient.client.post(url, data=posted)
    after = database(app)

    assert response.status_code in (*REFUSED, 302), response.status_code
    saved = after["answer_set"][0]["version"] != version
    event(f"{url}: {'saved' if saved else 'refused'}")  # pytest --hypothesis-show-statistics
    if saved:
        assert_saved_one_page(before, after, pages[url], live(app, patient.slug))
    else:
        assert after == before
    if response.status_code == 302:
        assert saved and response.location.startswith("/")
    elif saved:  # Add another question saves and shows the page again, one box longer
        assert url in ("/questions", "/the-person-coming-with-you") and response.status_code == 200
        check_page(response)
    else:
        page = refused_page(response)
        if page and "changed in another tab" not in page.get_text():
            assert_text_kept(page, posted, form)


def test_add_another_question_past_the_limit(app):
    """The button is not shown with 10 questions; an old or altered page that sends it,
    or an 11th, saves 10 and moves on."""
    client = app.test_client()
    start(client, LIVER)
    form = PageForm.read(check_page(client.get("/questions")).select_one("main form[method=post]"))
    own = {f"own-{n}-text": f"Question {n}" for n in range(11)}
    response = client.post("/questions", data={**form.hidden, **own, "add_another": "y"})
    assert response.status_code == 302 and response.location.startswith("/questions/most-important")
    assert [q["text"] for q in the_answer_set(app).answers["own"]] == [f"Question {n}" for n in range(10)]


def test_stale_most_important_questions_page(app):
    client = app.test_client()
    start(client, LIVER)
    question = live(app, LIVER).procedure.all_questions[0]
    form = PageForm.read(check_page(client.get("/questions")).select_one("main form[method=post]"))
    assert client.post("/questions", data={**form.hidden, f"ask_{question.id}": "y"}).status_code == 302
    form = PageForm.read(check_page(client.get("/questions/most-important")).select_one("main form[method=post]"))
    top = {**form.hidden, "top": f"ask_{question.id}"}
    assert client.post("/questions/most-important", data=top).status_code == 302
    response = client.post("/questions/most-important", data={**form.hidden, "top": f"ask_{question.id}"})
    page = check_page(response)
    assert "changed in another tab" in page.get_text()
    assert page.select("input[name=top][checked]")


@fuzz(6)
@given(data=st.data())
def test_sending_takes_any_input(app, liver_patient, data):
    patient = liver_patient
    form = patient.forms["/check-answers"]
    version = back_to(app, patient.good_answers)
    posted = data.draw(posts(form, {**form.hidden, "version": str(version)}), label="posted")
    before = database(app)
    response = patient.client.post("/check-answers", data=posted)
    after = database(app)
    event(str(response.status_code))

    assert response.status_code in (*REFUSED, 302), response.status_code
    if response.status_code == 302:
        assert response.location.endswith("/confirmation")
        (sent,) = after["answer_set"]
        assert sent["status"] == "submitted" and sent["answers"] == patient.good_answers
        assert len(added_rows(before, after, "summary_pdf")) == 1
        assert [e["action"] for e in added_rows(before, after, "audit_event")] == ["submitted"]
        # The patient needs an interpreter, so the clinic's inbox is told (no mail server here: logged as failed).
        assert [d["kind"] for d in added_rows(before, after, "email_delivery")] == ["clinic-alert"]
        assert_only_changed(before, after, "answer_set", "summary_pdf", "audit_event", "email_delivery")
    else:
        refused_page(response)
        assert after == before


@pytest.fixture
def part_way(app):
    """A patient who has saved one page, with a browser of their own and the resume code."""
    client = app.test_client()
    code = start(client, LIVER)
    page = check_page(client.get("/about-you"))
    form = PageForm.read(page.select_one("main form[method=post]"))
    assert client.post("/about-you", data={**form.hidden, "name": "Ann Example"}).status_code == 302
    return client, code


@fuzz(25)
@given(
    slug=st.one_of(st.sampled_from((LIVER, BREAST)), st.text(min_size=1)),
    fields=st.data(),
)
def test_starting_takes_any_input(app, part_way, slug, fields):
    client, _ = part_way
    procedure_page = client.get(f"/procedures/{quote(slug, safe='')}")
    hidden = {}
    if procedure_page.status_code == 200:
        page = check_page(procedure_page)
        hidden = PageForm.read(page.select_one("form[action$='/start']")).hidden
    posted = fields.draw(posts(PageForm(hidden, {}, MultiDict()), hidden), label="posted")
    before = database(app)
    response = client.post(f"/procedures/{quote(slug, safe='')}/start", data=posted)
    after = database(app)
    event(str(response.status_code))

    # A slug with "/" can reach another page (405), or a "//" that routing merges with a redirect (308).
    assert response.status_code in (302, 308, 404, 405, 413), response.status_code
    if response.status_code == 302 and response.location.endswith("/your-code"):
        (new,) = added_rows(before, after, "answer_set")  # earlier answers untouched
        assert (new["procedure_slug"], new["answers"], new["status"]) == (slug, {}, IN_PROGRESS)
        assert_only_changed(before, after, "answer_set")
    else:
        assert after == before
        if response.status_code == 302:  # the page had timed out: start again from the procedure's page
            assert response.location == f"/procedures/{quote(slug, safe='')}"


def codes_like(code: str) -> st.SearchStrategy[str]:
    """The right code typed in other ways, and codes that are nearly right."""
    return st.one_of(
        st.sampled_from((code, code.lower(), code.replace("-", " "), f"  {code}  ", code[:-1],
                         code[:-1] + "\x00" + code[-1])),
        st.builds(lambda before, after: before + code + after, st.text(max_size=3), st.text(max_size=3)),
    )


@fuzz(30)
@given(data=st.data())
def test_resuming_takes_any_input(app, part_way, data):
    _, code = part_way
    client = app.test_client()
    form = PageForm.read(check_page(client.get("/resume")).select_one("main form[method=post]"))
    posted = data.draw(posts(form, form.hidden), label="posted")
    if data.draw(st.booleans(), label="the right code, typed any way"):
        posted.setlist("code", [data.draw(codes_like(code))])
    before = database(app)
    response = client.post("/resume", data=posted)
    event(str(response.status_code))

    assert database(app) == before  # resuming only reads
    assert response.status_code in (*REFUSED, 302), response.status_code
    if response.status_code == 302:
        assert response.location.endswith("/tasks")
        assert normalise_resume_code(kept(posted.getlist("code")[0])) == code
        assert check_page(client.get("/about-you")).select_one("input[name=name]")["value"] == "Ann Example"
    elif response.status_code == 200:
        page = check_page(response)
        if posted.getlist("csrf_token")[:1] == [form.hidden["csrf_token"]]:
            assert page.select(".nhsuk-error-summary"), "refused without a message"
        assert_text_kept(page, posted, form)


def test_resume_next_with_a_line_break(app, part_way):
    _, code = part_way
    client = app.test_client()
    form = PageForm.read(check_page(client.get("/resume")).select_one("main form[method=post]"))
    response = client.post("/resume", data={**form.hidden, "code": code, "next": "/about-you\r\nX-Injected: 1"})
    assert response.status_code in (302, 307) and "\n" not in response.location


# --- What a patient typed, shown and printed -----------------------------------

def with_markup(limit: int, alphabet=None) -> st.SearchStrategy[str]:
    """Text holding markup, short enough to be saved, and not blank."""
    around = st.text(alphabet=alphabet, max_size=20) if alphabet is not None else st.one_of(
        st.text(max_size=20), st.sampled_from(OTHER_SCRIPTS))
    return st.builds(
        lambda before, markup, after: (before + markup + after)[:limit], around, st.sampled_from(MARKUP), around,
    ).filter(lambda text: kept(text).strip())


def markup_answers(alphabet=None) -> st.SearchStrategy[dict[str, str]]:
    """A value with markup for every free-text answer that a summary shows."""
    return st.fixed_dictionaries({
        "name": with_markup(100, alphabet), "language": with_markup(60, alphabet),
        "support_needs": with_markup(1000, alphabet), "note": with_markup(1000, alphabet),
        "own": with_markup(500, alphabet), "views": with_markup(1000, alphabet),
    })


def save_answers(client, app, slug: str, texts: dict[str, str]) -> list[str]:
    """Type the texts into the pages that take them, with good answers elsewhere; return what a summary should show."""
    procedure = live(app, slug).procedure
    first = procedure.all_questions[0]
    pages = {
        "/about-you": {"name": texts["name"], "interpreter": "spoken", "language": texts["language"],
                       "support_needs": texts["support_needs"]},
        "/questions": {f"ask_{first.id}": "y", f"note_{first.id}": texts["note"], "own-0-text": texts["own"]},
        "/questions/most-important": {"top": "own"},  # the patient's own question, by the id it was given
        "/what-matters": {**{f"rate_{s.id}": "quite" for s in procedure.what_matters}, "views": texts["views"]},
    }
    for url, fields in pages.items():
        page = check_page(client.get(url))
        form = PageForm.read(page.select_one("main form[method=post]"))
        if fields.get("top") == "own":
            boxes = page.select("input[name=top]")
            fields = {"top": [box["value"] for box in boxes if box["value"].startswith("own-")]}
        assert client.post(url, data={**form.hidden, **fields}).status_code == 302, url
    # The name is shown as typed; the others as saved, without the spaces around them.
    return [texts["name"], *(kept(text).strip() for name, text in texts.items() if name != "name")]


@fuzz(12)
@given(texts=markup_answers())
def test_typed_markup_is_shown_as_text(app, liver_patient, clinician, texts):
    patient = liver_patient
    staff, *_ = clinician
    # The name heads the clinician's page and its title, where a browser shows runs of spaces as one.
    texts = {**texts, "name": " ".join(kept(texts["name"]).split())}
    back_to(app, patient.good_answers)
    shown = save_answers(patient.client, app, patient.slug, texts)
    assert_shown_as_text(check_page(patient.client.get("/check-answers")), shown)

    with app.app_context():  # sent, without making the PDF: that has a test of its own below
        answer_set = db.session.scalars(sa.select(AnswerSet).order_by(AnswerSet.id)).first()
        answer_set.submit()
        db.session.commit()
        reference = answer_set.reference
    assert_shown_as_text(check_page(patient.client.get("/summary")), shown)
    assert_shown_as_text(check_page(staff.get(f"/clinician/submissions/{reference}")), shown)
    listed = check_page(staff.get(f"/clinician/?{urlencode({'reference': reference})}"))
    assert_shown_as_text(listed, shown[:1])


def poppler_text(data: bytes, *options: str) -> str:
    """Text as poppler reads it: pypdf mis-decodes a few glyphs of subset fonts."""
    return subprocess.run(["pdftotext", *options, "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def assert_nothing_active(data: bytes, allowed_links: set[str]) -> None:
    """No JavaScript, actions, attachments or links other than the content's own."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert not {"/OpenAction", "/AA"} & set(root), "the PDF acts when opened"
    # root["/Names"], not root.get(): indexing resolves pypdf's indirect object.
    assert not {"/JavaScript", "/EmbeddedFiles"} & set(root["/Names"] if "/Names" in root else {})  # noqa: SIM401
    for page in reader.pages:
        assert "/AA" not in page
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            assert annotation["/Subtype"] == "/Link", annotation["/Subtype"]
            if "/A" in annotation:  # without one, a link within the document
                action = annotation["/A"]
                assert action["/S"] == "/URI" and action["/URI"] in allowed_links, action


# Around the markup in the PDF: ASCII, plus a few scripts the PDF's fonts cover. A character
# with no glyph prints as an empty box, which no reader can check.
PRINTABLE = st.characters(codec="ascii", categories=["L", "N", "P", "S", "Zs"])


@settings(fuzz(3), phases=[Phase.generate])  # a PDF per example: a failure is shown as found, not shrunk
@given(texts=markup_answers(PRINTABLE), other_script=st.sampled_from(OTHER_SCRIPTS[:2] + OTHER_SCRIPTS[4:6]))
def test_typed_markup_is_printed_as_text(app, texts, other_script):
    client = app.test_client()
    start(client, LIVER)
    complete_all_sections(client, LIVER, app)  # every section done, so the answers can be sent
    # A word between, so a reader cannot move the markup's first brackets into the right-to-left run.
    texts = {**texts, "views": f"{other_script} and then {texts['views']}"[:1000]}
    shown = save_answers(client, app, LIVER, texts)
    form = PageForm.read(check_page(client.get("/check-answers")).select_one("main form[method=post]"))
    assert client.post("/check-answers", data=form.hidden).status_code == 302
    download = client.get("/summary.pdf")
    assert download.status_code == 200

    # Poppler's reading order puts right-to-left text as a reader reads it, but takes a line
    # that ends in "-" for a hyphenated word: it drops the hyphen and joins the next line on.
    # Its layout mode keeps each line's end. Every text must be whole in one of the two.
    readings = [squash(poppler_text(download.data)), squash(poppler_text(download.data, "-layout"))]
    for text in shown:
        assert any(squash(text) in printed for printed in readings), text
    assert_nothing_active(download.data, {live(app, LIVER).procedure.source.url})


# --- The clinician's pages -----------------------------------------------------

def emails_like(email: str) -> st.SearchStrategy[str]:
    return st.sampled_from((email, email.upper(), f" {email} ", email + "\x00", "\x00" + email, email + "x"))


@fuzz(20)
@given(data=st.data())
def test_signing_in_takes_any_input(app, clinician, data):
    _, email, password, _ = clinician
    client = app.test_client()
    form = PageForm.read(check_page(client.get("/clinician/sign-in")).select_one("main form[method=post]"))
    posted = data.draw(posts(form, form.hidden), label="posted")
    if data.draw(st.booleans(), label="the right account"):
        posted.setlist("email", [data.draw(emails_like(email))])
        passwords = st.sampled_from((password, password + "\x00", password + " ", password.upper()))
        posted.setlist("password", [data.draw(passwords)])
    before = database(app)
    response = client.post("/clinician/sign-in", data=posted)
    after = database(app)
    event(str(response.status_code))

    assert response.status_code in (*STAFF_REFUSED, 302), response.status_code
    if response.status_code == 302:
        assert kept(posted.getlist("email")[0]).strip().lower() == email
        assert kept(posted.getlist("password")[0]) == password
        assert len(added_rows(before, after, "login_session")) == 1
        assert [e["action"] for e in added_rows(before, after, "audit_event")] == ["signed-in"]
        assert_only_changed(before, after, "login_session", "audit_event")
    else:
        assert after == before
        page = refused_page(response)
        if page and page.select_one("input[name=password]"):
            assert not page.select_one("input[name=password]").get("value"), "the password was sent back"
            assert_text_kept(page, posted, form)


@fuzz(30)
@given(data=st.data())
def test_submissions_filter_takes_any_input(app, clinician, data):
    staff, *_ = clinician
    page = check_page(staff.get("/clinician/"))
    form = PageForm.read(page.select_one("main form[method=get]"))
    query = data.draw(posts(form, form.hidden), label="query")
    before = database(app)
    response = staff.get("/clinician/?" + urlencode(list(query.items(multi=True))))

    assert response.status_code == 200, response.status_code
    assert database(app) == before
    listed = check_page(response)
    assert_text_kept(listed, query, form)


def test_submissions_filter_dates_at_the_ends_of_the_calendar(app, clinician):
    """Rare enough that the fuzzing above may not type them."""
    staff, *_ = clinician
    for end in ("sent_from", "sent_to"):
        for day in (("1", "1", "0001"), ("31", "12", "9999")):
            query = {f"{end}[{part}]": value for part, value in zip(("day", "month", "year"), day)}
            listed = check_page(staff.get("/clinician/?" + urlencode(query)))
            errors = listed.select_one(".nhsuk-error-summary")
            if (end, day[2]) == ("sent_to", "9999"):
                assert "The last date must be before 31 December 9999" in errors.get_text()
            else:
                assert errors is None


def test_submissions_page_cursor_out_of_range(app, clinician):
    staff, *_ = clinician
    response = staff.get("/clinician/?" + urlencode({"after": f"2026-01-05T09:00:00~{10**30}"}))
    assert response.status_code == 200


@fuzz(20)
@given(data=st.data())
def test_notes_take_any_input(app, clinician, data):
    staff, _, _, references = clinician
    reference = data.draw(st.sampled_from(references), label="submission")
    page = check_page(staff.get(f"/clinician/submissions/{reference}"))
    form = PageForm.read(page.select_one("form[action$='/notes']"))
    posted = data.draw(posts(form, form.hidden), label="posted")
    before = database(app)
    response = staff.post(f"/clinician/submissions/{reference}/notes", data=posted)
    after = database(app)
    event(str(response.status_code))

    assert response.status_code in (*STAFF_REFUSED, 302), response.status_code
    if response.status_code == 302:
        (note,) = added_rows(before, after, "clinician_note")
        assert note["text"] == kept(posted.getlist("text")[0]).strip()
        assert [e["action"] for e in added_rows(before, after, "audit_event")] == ["noted"]
        assert_only_changed(before, after, "clinician_note", "audit_event")
        assert_shown_as_text(check_page(staff.get(response.location)), [note["text"]])
    else:
        assert after == before
        page = refused_page(response)
        if page and page.select_one("textarea[name=text]"):
            assert_text_kept(page, posted, form)


@fuzz(15)
@given(data=st.data())
def test_review_takes_any_input(app, clinician, data):
    staff, email, _, references = clinician
    reference = data.draw(st.sampled_from(references), label="submission")
    page = check_page(staff.get(f"/clinician/submissions/{reference}"))
    review = page.select_one("form[action$='/review']")
    form = PageForm.read(review or page.select_one("form[action$='/notes']"))  # reviewed already: the token is the same
    posted = data.draw(posts(PageForm(form.hidden, {}, MultiDict()), form.hidden), label="posted")
    before = database(app)
    response = staff.post(f"/clinician/submissions/{reference}/review", data=posted)
    after = database(app)
    event(str(response.status_code))

    assert response.status_code in (*STAFF_REFUSED, 302), response.status_code
    if response.status_code == 302:
        assert response.location.endswith(f"/clinician/submissions/{reference}")
        changed = [(old, new) for old, new in zip(before["answer_set"], after["answer_set"]) if old != new]
        if review:  # not reviewed before: now it is, by this clinician; nothing else about it changed
            ((old, new),) = changed
            (me,) = [row["id"] for row in after["clinician"] if row["email"] == email]
            assert new["reference"] == reference and new["reviewed_at"] and new["reviewed_by_id"] == me
            marks = ("reviewed_at", "reviewed_by_id", "version")
            assert without(new, *marks) == without(old, *marks)
        else:
            assert not changed
        assert [e["action"] for e in added_rows(before, after, "audit_event")] == ["reviewed"]
        assert_only_changed(before, after, "answer_set", "audit_event")
    else:
        assert after == before
        refused_page(response)
