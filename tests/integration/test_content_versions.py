"""Published versions: a new one while a patient is part way, one sent before it, and a procedure withdrawn.

Everything about an answer set is built from the version it follows, so what
a patient saw and said is what their care team reads, whatever is published later.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from app.extensions import db
from app.models import AnswerSet, ContentVersion
from clinician_helpers import sign_in
from export_helpers import answers_of, by_link_id, read_csv
from journey_helpers import complete_all_sections, start, submit
from support import check_page, edit, text_of

pytestmark = [pytest.mark.both_databases, pytest.mark.fresh_app]  # storage; each test publishes its own versions

LIVER = "liver-laser-ablation"
FILE = f"{LIVER}.toml"
OLD_STATEMENT = "Having fewer hospital appointments afterwards"
NEW_STATEMENT = "Not having many hospital appointments afterwards"
REMOVED_POINT = "Thin fibres are put through your skin into the tumour. A fine needle and scans are used to guide them."
ADDED_POINT = "Your team will tell you who to call if you feel unwell at home."


def publish(app) -> None:
    result = app.test_cli_runner().invoke(args=["content", "publish"])
    assert result.exit_code == 0, result.output


def second_version(content_dir) -> None:
    """Items added, removed and reworded: a question's id renamed, consent points gone and new, a statement reworded."""
    edit(content_dir, FILE, 'id = "what-is-known"', 'id = "longer-term"')
    edit(content_dir, FILE, f'[[consent_points]]\nid = "how-it-is-done"\ntext = "{REMOVED_POINT}"\n\n', "")
    edit(content_dir, FILE, f'text = "{OLD_STATEMENT}"', f'text = "{NEW_STATEMENT}"')
    path = content_dir / FILE
    path.write_text(path.read_text() + f'\n[[consent_points]]\nid = "who-to-call"\ntext = "{ADDED_POINT}"\n')


@pytest.fixture
def app(make_app, content_dir):
    return make_app(CONTENT_DIR=str(content_dir))


@pytest.fixture
def two_patients(app):
    """One patient who has sent their answers, and one part way who ticked the question about to be renamed."""
    sent = app.test_client()
    start(sent, LIVER)
    complete_all_sections(sent, LIVER, app)
    submit(sent, "/check-answers", status=302)
    part_way = app.test_client()
    start(part_way, LIVER)
    complete_all_sections(part_way, LIVER, app)
    submit(part_way, "/questions", {"ask_what-is-known": "y", "note_what-is-known": "Ten years?",
                                    "own-0-text": "Can my daughter come in with me?"}, status=302)
    return sent, part_way


def answer_sets(app) -> list[AnswerSet]:
    """The sent one first, then the one part way."""
    with app.app_context():
        return db.session.scalars(sa.select(AnswerSet).order_by(AnswerSet.id)).all()


def statuses(client) -> dict[str, str]:
    page = check_page(client.get("/tasks"))
    return {item.select_one(".nhsuk-task-list__name-and-hint").get_text(" ", strip=True):
            item.select_one(".nhsuk-task-list__status").get_text(" ", strip=True)
            for item in page.select(".nhsuk-task-list__item")}


def test_a_patient_part_way_is_told_what_changed_and_loses_nothing(app, content_dir, two_patients):
    _, patient = two_patients
    second_version(content_dir)
    publish(app)

    page = check_page(patient.get("/tasks"))
    banner = text_of(page.select_one(".nhsuk-notification-banner"))
    assert "The information about this procedure was updated after you started" in banner
    assert f"Consent information: {ADDED_POINT}" in banner  # added
    assert f"“{NEW_STATEMENT}” (it used to say “{OLD_STATEMENT}”)" in banner  # reworded
    assert f"Consent information: {REMOVED_POINT}" in banner  # removed
    assert "What is known about how well this works in the longer term?" in banner
    assert "notification-banner" not in patient.get("/tasks").get_data(as_text=True)  # told once

    # Unchanged sections stay done; ones with new or reworded items are to be checked again.
    assert statuses(patient) == {
        "About you (optional)": "Completed", "About the procedure": "Completed", "Benefits and risks": "Completed",
        "Your questions": "Check again", "For the person coming with you (optional)": "Completed",
        "What matters to you": "Check again", "Consent information": "Check again",
        "Where you are now": "Completed", "Check your answers and send them": "Cannot start yet",
    }
    check = check_page(patient.get("/check-answers"))
    sends = [b for b in check.select("form button") if "send" in b.get_text().lower()]
    assert not sends, "sending offered before the changed sections were checked"
    assert "Your questions (check again)" in text_of(check)
    assert patient.post("/check-answers", data={"csrf_token": "x"}).status_code in (200, 400)
    assert answer_sets(app)[1].status == "in_progress"

    # Nothing typed is lost: the note on the renamed question is kept, as given to the earlier version.
    answers = answer_sets(app)[1]
    assert answers.answers["name"] == "Ann Example" and answers.answers["own"][0]["text"] == (
        "Can my daughter come in with me?")
    earlier = {e["heading"]: e for e in answers.earlier_answers}
    assert earlier["What is known about how well this works in the longer term?"]["lines"] == [
        "What is known about how well this works in the longer term? (note: Ten years?)"]
    assert earlier[REMOVED_POINT]["lines"] == ["Understood"]
    assert "Answers to an earlier version" in text_of(check)

    # The reworded statement keeps its answer, marked so the patient checks it against the new words.
    matters = check_page(patient.get("/what-matters"))
    assert f"This used to say: “{OLD_STATEMENT}”" in text_of(matters)
    assert matters.select_one("input[name='rate_fewer-appointments'][checked]")["value"] == "very"

    # Saving each changed section clears "Check again"; then the answers can be sent.
    submit(patient, "/questions", {"ask_appointments": "y"}, status=302)
    submit(patient, "/questions/most-important", {}, status=302)
    submit(patient, "/what-matters", {f"rate_{s}": "quite" for s in ("destroy-tumour", "longer-term-evidence",
                                                                     "fewer-appointments", "family-involved")},
           status=302)
    consent = check_page(patient.get("/consent"))
    points = {i["name"] for i in consent.select("input[type=radio]")}
    submit(patient, "/consent", dict.fromkeys(points, "understand"), status=302)
    assert set(statuses(patient).values()) == {"Completed", "Not started"}
    assert submit(patient, "/check-answers", status=302).location.endswith("/confirmation")


def test_a_set_sent_before_a_new_version_still_shows_exactly_what_the_patient_saw(app, content_dir, two_patients,
                                                                                  make_clinician):
    sent, _ = two_patients
    reference = answer_sets(app)[0].reference
    before = {
        "summary": text_of(check_page(sent.get("/summary")).select_one("main")),
        "pdf": sent.get("/summary.pdf").data,
    }
    staff = app.test_client()
    assert sign_in(staff, *make_clinician()).status_code == 302
    glance = check_page(staff.get(f"/clinician/submissions/{reference}")).select_one(".app-summary-glance")
    detail_before = text_of(glance)
    fhir_before = staff.get(f"/clinician/submissions/{reference}/fhir").get_json()

    second_version(content_dir)
    publish(app)

    assert text_of(check_page(sent.get("/summary")).select_one("main")) == before["summary"]
    assert sent.get("/summary.pdf").data == before["pdf"]
    assert REMOVED_POINT in before["summary"] and NEW_STATEMENT not in before["summary"]

    detail = check_page(staff.get(f"/clinician/submissions/{reference}"))
    assert text_of(detail.select_one(".app-summary-glance")) == detail_before
    flag = text_of(detail.select_one("#updated-since-sent"))
    assert "Information updated since this was sent" in flag and ADDED_POINT in flag and OLD_STATEMENT in flag
    listed = check_page(staff.get("/clinician/"))
    row = next(r for r in listed.select("table.app-submissions tbody tr") if reference in r.get_text())
    assert "Information updated since sent" in text_of(row)

    csv_row = next(r for r in read_csv(staff.get("/clinician/export.csv").get_data(as_text=True).lstrip("\ufeff"))
                   if r["Reference"] == reference)
    assert csv_row["Information updated since sent"] == "Yes"
    assert REMOVED_POINT in csv_row["Consent points"] and ADDED_POINT not in csv_row["Consent points"]

    fhir = staff.get(f"/clinician/submissions/{reference}/fhir").get_json()
    assert fhir == fhir_before
    version = fhir["questionnaire"].rsplit("|", 1)[1]
    old = staff.get(f"/clinician/fhir/Questionnaire/{LIVER}/{version}").get_json()
    assert old["version"] == version and old["status"] == "retired"
    assert set(answers_of(fhir)) <= set(by_link_id(old["item"]))


def test_every_stored_version_has_a_questionnaire_its_responses_match_item_by_item(app, content_dir, two_patients,
                                                                                   make_clinician):
    second_version(content_dir)
    publish(app)
    _, patient = two_patients
    patient.get("/tasks")  # moved on to the new version
    with app.app_context():
        versions = db.session.execute(sa.select(ContentVersion.version, ContentVersion.questionnaire)
                                      .where(ContentVersion.slug == LIVER)).all()
    sets = answer_sets(app)
    assert len(versions) == 2 and sets[0].content_version_id != sets[1].content_version_id
    staff = app.test_client()
    assert sign_in(staff, *make_clinician()).status_code == 302
    for row in versions:
        resource = staff.get(f"/clinician/fhir/Questionnaire/{LIVER}/{row.version}").get_json()
        Questionnaire.model_validate(resource)
        assert resource["version"] == row.version
        assert [i["linkId"] for i in by_link_id(resource["item"]).values() if i["type"] != "group"
                and not i["linkId"].startswith("note_")] == [i["id"] for i in row.questionnaire]
    response = staff.get(f"/clinician/submissions/{sets[0].reference}/fhir").get_json()
    QuestionnaireResponse.model_validate(response)
    assert "point_how-it-is-done" in answers_of(response)  # its own version's item, gone from the newer one


def test_a_withdrawn_procedure_cannot_be_started_and_everything_stored_for_it_still_works(app, content_dir,
                                                                                       two_patients, make_clinician):
    sent, part_way = two_patients
    (content_dir / FILE).unlink()
    publish(app)
    reference = answer_sets(app)[0].reference

    visitor = app.test_client()
    assert LIVER not in visitor.get("/").get_data(as_text=True)
    assert visitor.get(f"/procedures/{LIVER}").status_code == 404
    assert visitor.post(f"/procedures/{LIVER}/start").status_code == 404
    for url in ("/confirmation", "/summary", "/summary.pdf"):
        assert sent.get(url).status_code == 200, url
    for url in ("/tasks", "/about-you", "/questions", "/consent", "/where-you-are", "/check-answers"):
        assert part_way.get(url).status_code == 200, url
    submit(part_way, "/questions/most-important", {}, status=302)
    assert submit(part_way, "/check-answers", status=302).location.endswith("/confirmation")

    staff = app.test_client()
    assert sign_in(staff, *make_clinician()).status_code == 302
    for url in ("/clinician/", f"/clinician/submissions/{reference}", f"/clinician/submissions/{reference}/summary.pdf",
                f"/clinician/submissions/{reference}/fhir", "/clinician/export.csv", f"/clinician/?procedure={LIVER}"):
        assert staff.get(url).status_code == 200, url
    assert staff.get(f"/clinician/fhir/Questionnaire/{LIVER}").status_code == 404  # no version is live


def test_a_version_is_kept_whole_and_never_changed(app):
    with app.app_context():
        row = db.session.scalars(sa.select(ContentVersion)).first()
        row.title = "Changed"
        with pytest.raises(RuntimeError, match="never changed"):
            db.session.flush()
        db.session.rollback()


def test_publishing_again_without_changes_publishes_nothing(app):
    result = app.test_cli_runner().invoke(args=["content", "publish"])
    assert result.exit_code == 0 and "already published" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ContentVersion)) == 2

