"""The staff content pages: procedures and their versions, drafts from CONTENT_DIR, what changed, and the preview."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AnswerSet
from clinician_helpers import sign_in
from journey_helpers import live
from support import check_page, edit, text_of

pytestmark = pytest.mark.fresh_app  # each test edits its own copy of the procedure files

LIVER = "liver-laser-ablation"
BREAST = "breast-interstitial-laser-therapy"
PREVIEW = f"/clinician/content/{LIVER}/preview/draft/"
OLD_STATEMENT = "Having fewer hospital appointments afterwards"
NEW_STATEMENT = "Not having many hospital appointments afterwards"


@pytest.fixture
def app(make_app, content_dir):
    return make_app(CONTENT_DIR=str(content_dir))


@pytest.fixture
def admin(app, make_clinician):
    client = app.test_client()
    assert sign_in(client, *make_clinician("lead@example.org", role="admin")).status_code == 302
    return client


def reword_a_statement(content_dir) -> None:
    edit(content_dir, f"{LIVER}.toml", f'text = "{OLD_STATEMENT}"', f'text = "{NEW_STATEMENT}"')


def test_only_admins_see_the_content_pages(app, make_clinician, content_dir):
    reword_a_statement(content_dir)
    nurse = app.test_client()
    assert sign_in(nurse, *make_clinician()).status_code == 302
    assert "Content" not in text_of(check_page(nurse.get("/clinician/")).select_one("nav"))
    for url in ("/clinician/content", f"/clinician/content/{LIVER}", f"/clinician/content/{LIVER}/changes",
                PREVIEW, PREVIEW + "about-you"):
        assert nurse.get(url).status_code == 403, url


def test_every_procedure_with_the_version_patients_see_and_any_draft(app, admin, content_dir):
    reword_a_statement(content_dir)
    page = check_page(admin.get("/clinician/content"))
    rows = {text_of(r.select_one("td")): text_of(r) for r in page.select("table.app-content tbody tr")}
    assert list(rows) == ["Procedure Interstitial laser therapy for breast cancer",
                          "Procedure Laser ablation for liver tumours"]
    breast, liver = rows.values()
    assert "Patients see Version " in breast and "Review by 1 December 2027" in breast and "Draft None" in breast
    assert "Draft Ready to publish" in liver


def test_a_published_version_lists_when_by_whom_its_source_and_review_date(app, admin):
    page = check_page(admin.get(f"/clinician/content/{BREAST}"))
    row = text_of(page.select_one("table.app-versions tbody tr"))
    assert "Patients see this" in row and "by test set-up" in row
    assert "NICE HealthTech guidance HTG55 Published 22 September 2004, updated January 2026" in row
    assert "nice-htg55-interstitial-laser-therapy-breast-cancer.txt SHA-256 " in row
    assert "Review by 1 December 2027" in row
    assert page.select_one("#draft") is None


def test_a_draft_that_fails_the_check_lists_each_problem_and_cannot_be_published(app, admin, content_dir):
    edit(content_dir, f"{BREAST}.toml", "numerator = 4\ndenominator = 35\npercent = 11",
         "numerator = 5\ndenominator = 35\npercent = 14")
    page = check_page(admin.get(f"/clinician/content/{BREAST}"))
    assert "Cannot be published yet" in text_of(page.select_one("main"))
    assert [text_of(li) for li in page.select(".app-problems li")] == [
        f"{BREAST}.toml: outcomes[2]: HTG55, section 2.4.1 does not state 14% (5 out of 35). "
        "Copy the figure exactly from the section it cites"]
    assert not page.select("form[action$='/publish']")


def test_a_draft_still_full_of_todos_is_listed_with_them_and_has_no_preview(app, admin, content_dir):
    (content_dir / f"{LIVER}.toml").write_text('slug = "liver-laser-ablation"\ntitle = "TODO: a title."\n')
    page = check_page(admin.get(f"/clinician/content/{LIVER}"))
    assert f"{LIVER}.toml: title: is still a TODO. Write it, as the TODO says" in [
        text_of(li) for li in page.select(".app-problems li")]
    assert admin.get(PREVIEW).status_code == 404


def test_the_changes_are_said_in_words_with_a_changed_figure_shown_before_and_after(app, admin, content_dir):
    edit(content_dir, f"{BREAST}.toml", "numerator = 4\ndenominator = 35\npercent = 11",
         "numerator = 5\ndenominator = 35\npercent = 14")
    edit(content_dir, f"{BREAST}.toml", 'text = "Avoiding surgery if I can"', 'text = "Not having surgery if I can"')
    page = check_page(admin.get(f"/clinician/content/{BREAST}/changes"))
    rows = [[text_of(td).split(" ", 1)[1] for td in tr.select("td")] for tr in page.select(".app-differences tbody tr")]
    assert rows == [["Figure changed", "Problem: had small skin burns", "11% (4 out of 35), HTG55, section 2.4.1",
                     "14% (5 out of 35), HTG55, section 2.4.1"]]
    assert ("Reworded What matters to you: “Not having surgery if I can” (it used to say “Avoiding surgery if I can”)"
            in text_of(page.select_one("main")))


def test_any_two_versions_can_be_compared(app, admin):
    page = check_page(admin.get(f"/clinician/content/{LIVER}/changes"))
    assert "These are the same version" in text_of(page.select_one("main"))  # one version, no draft
    assert admin.get(f"/clinician/content/{LIVER}/changes?to_version=0123456789ab").status_code == 200  # not offered
    assert admin.get(f"/clinician/content/{LIVER}/preview/0123456789ab/").status_code == 404
    assert admin.get("/clinician/content/no-such-procedure").status_code == 404


def test_the_preview_shows_every_page_a_patient_reads_in_the_drafts_words(app, admin, content_dir):
    reword_a_statement(content_dir)
    index = check_page(admin.get(PREVIEW))
    links = [a["href"] for a in index.select("main li a")]
    # The procedure's two pages, then every page of the questionnaire.
    assert len(links) == 2 + len(live(app, LIVER).questionnaire.pages)
    for url in links:
        page = check_page(admin.get(url))
        assert "This is how patients see this page. Nothing you enter is saved or sent." in text_of(
            page.select_one(".app-preview-banner"))
        assert not [a["href"] for a in page.select("main a[href^='/']") if not a["href"].startswith(PREVIEW)]
    matters = check_page(admin.get(PREVIEW + "what-matters"))
    assert NEW_STATEMENT in text_of(matters.select_one("main")) and OLD_STATEMENT not in text_of(matters)
    published = check_page(admin.get(links[0].replace("/draft/", f"/{live_version(app)}/")))
    assert "version " in text_of(published.select_one(".app-preview-banner"))


def test_a_preview_checks_answers_as_a_patient_would_and_saves_nothing(app, admin, content_dir):
    reword_a_statement(content_dir)
    page = check_page(admin.get(PREVIEW + "what-matters"))
    token = page.select_one("input[name=csrf_token]")["value"]
    refused = check_page(admin.post(PREVIEW + "what-matters", data={"csrf_token": token}))
    assert refused.title.get_text().startswith("Error: ")
    assert f"Select how important '{NEW_STATEMENT}' is to you" in text_of(refused.select_one(".nhsuk-error-summary"))
    answers = {i["name"]: "very" for i in refused.select("input[type=radio]")}
    moved_on = admin.post(PREVIEW + "what-matters", data={"csrf_token": token, **answers})
    assert moved_on.status_code == 302 and moved_on.location == PREVIEW + "consent"
    started = admin.post(PREVIEW + f"procedures/{LIVER}/start", data={"csrf_token": token})
    assert started.location == PREVIEW + "about-you"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerSet)) == 0


def live_version(app) -> str:
    from journey_helpers import live

    return live(app, LIVER).version


def test_each_version_says_how_its_welsh_stands_and_who_checked_it(app, admin, content_dir):
    page = check_page(admin.get(f"/clinician/content/{LIVER}"))
    welsh = text_of(page.select("table.app-versions tbody tr td")[3])
    fields = int(welsh.split("All ")[1].split()[0])
    assert f"All {fields} fields in Welsh" in welsh and "Not checked by a translator" in welsh

    # A reworded statement makes the draft's Welsh of it stale; a translator has checked the rest.
    reword_a_statement(content_dir)
    edit(content_dir, f"{LIVER}.cy.toml", 'checked_by = ""', 'checked_by = "Rhian Jones, Translation Unit"\n'
         "checked_on = 2026-11-30")
    page = check_page(admin.get(f"/clinician/content/{LIVER}"))
    draft = text_of(page.select_one("#draft .app-translation-status"))
    assert f"1 of {fields} fields in English 1 stale (the English changed after it was translated): Welsh pages " \
           "show it in English." in draft
    assert ("Checked by Rhian Jones, Translation Unit on 30 November 2026. The standard questions' Welsh is not "
            "checked yet, so Welsh pages still say it is a first draft.") in draft
    preview = text_of(check_page(admin.get(PREVIEW)).select_one(".app-translation-status"))
    assert preview == draft.removeprefix("Welsh: ")


def test_a_procedure_with_no_welsh_file_says_so(app, admin, content_dir):
    (content_dir / f"{LIVER}.cy.toml").unlink()
    page = check_page(admin.get(f"/clinician/content/{LIVER}"))
    assert "No Welsh translation Welsh pages show it all in English." in text_of(
        page.select_one("#draft .app-translation-status"))
