"""Choosing Welsh: the header's switch, remembered for the session, and the questionnaire's own words in Welsh."""

import pytest

from journey_helpers import start, submit
from support import check_page, text_of

LIVER = "liver-laser-ablation"


def test_the_switch_remembers_welsh_and_returns_to_the_same_page(client):
    response = client.get("/language/cy?next=/procedures/liver-laser-ablation")
    assert response.status_code == 302 and response.location == "/procedures/liver-laser-ablation"
    with client.session_transaction() as session:
        assert session["language"] == "cy"


@pytest.mark.parametrize("target", ["https://example.org/", "//example.org/", "/\\example.org", "javascript:alert(1)",
                                    "example.org"])
def test_the_switch_never_sends_anyone_to_another_site(client, target):
    response = client.get("/language/cy", query_string={"next": target})
    assert response.status_code == 302 and response.location == "/"


def test_an_unknown_language_changes_nothing(client):
    client.get("/language/cy")
    client.get("/language/fr")
    with client.session_transaction() as session:
        assert session["language"] == "cy"


def test_in_welsh_a_wrong_nhs_number_is_explained_in_welsh_and_what_was_typed_is_kept(client):
    start(client, LIVER)
    client.get("/language/cy")
    page = check_page(submit(client, "/about-you", {"nhs_number": "123"}), 200)
    assert "Rhaid i'r rhif GIG fod yn 10 digid" in text_of(page.select_one(".nhsuk-error-summary"))
    assert page.select_one("input[name=nhs_number]")["value"] == "123"
    assert page.select_one("label[for=nhs_number]").get_text(strip=True) == "Eich rhif GIG (dewisol)"


def test_in_welsh_the_consent_page_asks_about_the_welsh_category_points(client):
    start(client, LIVER)
    client.get("/language/cy")
    page = check_page(client.get("/consent"))
    legends = [text_of(legend) for legend in page.select("legend")]
    assert ("Bydd eich tîm yn casglu gwybodaeth am sut mae'n mynd i chi. Gall hyn fod ar gyfer archwiliad neu ar "
            "gyfer ymchwil.") in legends
    assert "Rydw i'n deall" in text_of(page)
