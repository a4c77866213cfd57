"""A new version published while a patient is part way, as they and their care team see it, at 375 and 1280 px."""

from __future__ import annotations

import pytest

from browser_helpers import axe_violations, press
from journey_helpers import complete_all_sections, start, submit
from support import edit

pytestmark = [pytest.mark.browser, pytest.mark.fresh_app]

LIVER = "liver-laser-ablation"


@pytest.fixture
def app(make_app, content_dir):
    return make_app(CONTENT_DIR=str(content_dir))


def publish_a_new_version(app, content_dir) -> None:
    edit(content_dir, f"{LIVER}.toml", 'text = "Having fewer hospital appointments afterwards"',
         'text = "Not having many hospital appointments afterwards"')
    path = content_dir / f"{LIVER}.toml"
    path.write_text(path.read_text() + '\n[[consent_points]]\nid = "who-to-call"\n'
                    'text = "Your team will tell you who to call if you feel unwell at home."\n')
    assert app.test_cli_runner().invoke(args=["content", "publish"]).exit_code == 0


@pytest.mark.parametrize("width", [375, 1280])
def test_the_patient_is_told_what_changed_and_the_team_sees_it_was_updated_since_sent(
        page, live_server, screenshot, app, content_dir, make_clinician, width):
    sent, part_way = app.test_client(), app.test_client()
    codes = []
    for client in (sent, part_way):
        codes.append(start(client, LIVER))
        complete_all_sections(client, LIVER, app)
    submit(sent, "/check-answers", status=302)
    reference = sent.get("/confirmation").get_data(as_text=True).split("Your reference is ")[1][:10]
    publish_a_new_version(app, content_dir)

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server + "/resume")  # the patient comes back, on this device, with their code
    page.fill("#code", codes[1])
    press(page, "Continue")
    banner = page.inner_text(".nhsuk-notification-banner")
    assert "updated after you started" in banner and "Your team will tell you who to call" in banner
    assert axe_violations(page) == []
    screenshot(f"update-01-notice-{width}")
    page.goto(live_server + "/tasks")  # told once; the list still says what to check
    statuses = page.locator(".nhsuk-task-list__status").all_inner_texts()
    assert statuses.count("Check again") == 2 and statuses[-1] == "Cannot start yet"
    assert axe_violations(page) == []
    screenshot(f"update-02-check-again-{width}")
    page.click("a:has-text('See what changed')")
    assert "Your team will tell you who to call" in page.inner_text("main")
    assert axe_violations(page) == []
    screenshot(f"update-03-what-changed-{width}")
    page.goto(live_server + "/tasks")
    page.click("a:has-text('What matters to you')")
    assert "This used to say" in page.inner_text("main")
    assert axe_violations(page) == []
    screenshot(f"update-04-reworded-{width}")
    press(page, "Save and continue")

    # The same browser, now a member of staff's (signing in replaces the patient's session).
    email, password = make_clinician()
    page.goto(live_server + "/clinician/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    press(page, "Sign in")
    assert "Information updated since sent" in page.inner_text("table.app-submissions")
    page.goto(live_server + f"/clinician/submissions/{reference}")
    flag = page.inner_text("#updated-since-sent")
    assert "Information updated since this was sent" in flag and "Not having many hospital appointments" in flag
    assert axe_violations(page) == []
    screenshot(f"update-05-staff-detail-{width}")
