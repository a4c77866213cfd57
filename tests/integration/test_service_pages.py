"""The privacy notice, accessibility statement and cookies page: linked from every page, in the trust's words."""

from __future__ import annotations

import pytest

from support import check_page, text_of


@pytest.mark.parametrize("path, says", [
    ("/privacy", ["What we keep", "Who can see it", "How long we keep it", "Deleting your answers",
                  "for 30 days after you last save them", "Delete my answers"]),
    ("/accessibility", ["What we test", "Problems we know about", "Tell us about a problem", "WCAG", "2.2"]),
    ("/cookies", ["The one cookie we use", "__Host-session", "2 hours"]),
])
def test_each_service_page_says_what_a_patient_needs_to_know(get_page, path, says):
    words = text_of(get_page(path).select_one("main"))
    for expected in says:
        assert expected in words.replace("Web Content Accessibility Guidelines version", "WCAG"), expected


def test_every_page_links_to_them_in_its_footer(get_page):
    links = {a.get_text(strip=True): a["href"] for a in get_page("/").select("footer a")}
    assert links == {"Home": "/", "Privacy": "/privacy", "Accessibility statement": "/accessibility",
                     "Cookies": "/cookies"}  # no Contact us without an address to send people to


@pytest.mark.fresh_app
def test_the_trust_writes_the_words_and_a_feedback_address_reaches_the_footer(make_app, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "privacy.md").write_text("# Privacy at Royal Example\n\nAsk {organisation} at {contact}.\n\n"
                                       "<script>alert(1)</script> <b>not bold</b>\n")
    app = make_app(SERVICE_PAGES_DIR=str(folder), FEEDBACK_EMAIL="feedback@royal-example.nhs.uk",
                   ORGANISATION="Royal Example *Hospital*")
    client = app.test_client()
    page = check_page(client.get("/privacy"))
    assert page.h1.get_text() == "Privacy at Royal Example"
    assert "Ask Royal Example *Hospital* at email feedback@royal-example.nhs.uk." in text_of(page.main)
    assert page.main.select_one("a[href='mailto:feedback@royal-example.nhs.uk']")
    assert not page.main.select("script, b, em") and "<script>alert(1)</script>" in text_of(page.main)
    # A page the trust did not write is the shipped one.
    assert check_page(client.get("/cookies")).h1.get_text() == "Cookies"
    footer = {a.get_text(strip=True): a["href"] for a in check_page(client.get("/")).select("footer a")}
    assert footer["Contact us"] == "mailto:feedback@royal-example.nhs.uk"
    banner = check_page(client.get("/")).select_one("section.app-phase-banner a")
    assert banner["href"] == "mailto:feedback@royal-example.nhs.uk"


@pytest.fixture
def welsh(client):
    client.get("/language/cy")
    return client


@pytest.mark.parametrize("path, heading, says", [
    ("/privacy", "Hysbysiad preifatrwydd", ["Beth rydym yn ei gadw", "am 30 diwrnod ar ôl i chi eu cadw ddiwethaf",
                                            "Dileu fy atebion", "cysylltwch â'ch tîm gofal"]),
    ("/accessibility", "Datganiad hygyrchedd", ["Beth rydym yn ei brofi", "fersiwn 2.2, lefel AA",
                                                "Os felly, cysylltwch â'ch tîm gofal."]),
    ("/cookies", "Cwcis", ["Yr un cwci rydym yn ei ddefnyddio", "__Host-session", "am 2 awr",
                                "Mae Paratoi ar gyfer eich triniaeth yn rhoi un cwci"]),
])
def test_each_service_page_is_in_welsh_on_a_welsh_request(welsh, path, heading, says):
    page = check_page(welsh.get(path))
    assert page.html["lang"] == "cy" and page.h1.get_text() == heading
    words = text_of(page.main)
    for expected in says:
        assert expected in words, expected
    assert not page.main.select("[lang=en]")


@pytest.mark.fresh_app
def test_a_trust_page_written_only_in_english_shows_in_english_on_a_welsh_request_with_a_note(make_app, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "privacy.md").write_text("# Privacy at Royal Example\n\nAsk {organisation}: {contact}.\n")
    (folder / "cookies.md").write_text("# Cookies at Royal Example\n\nOne cookie.\n")
    (folder / "cookies.cy.md").write_text("# Cwcis yn Royal Example\n\nUn cwci. I ofyn, {contact}.\n")
    app = make_app(SERVICE_PAGES_DIR=str(folder), FEEDBACK_EMAIL="feedback@royal-example.nhs.uk",
                   ORGANISATION="Royal Example Hospital")
    client = app.test_client()
    client.get("/language/cy")

    page = check_page(client.get("/privacy"))
    assert page.html["lang"] == "cy"
    assert page.h1["lang"] == "en" and page.h1.get_text() == "Privacy at Royal Example"
    english = page.main.select_one("div[lang=en]")
    # The names filled in match the words around them: English here.
    assert text_of(english) == "Ask Royal Example Hospital: email feedback@royal-example.nhs.uk."
    assert "Nid yw'r dudalen hon ar gael yn Gymraeg eto." in text_of(page.main)
    assert "Nid yw'r dudalen hon" not in text_of(english)

    page = check_page(client.get("/cookies"))  # the trust's own Welsh
    assert page.h1.get_text() == "Cwcis yn Royal Example" and not page.main.select("[lang=en]")
    assert "Un cwci. I ofyn, anfonwch e-bost at feedback@royal-example.nhs.uk." in text_of(page.main)
    assert page.main.select_one("a[href='mailto:feedback@royal-example.nhs.uk']")

    page = check_page(client.get("/accessibility"))  # the trust wrote none: the shipped Welsh
    assert page.h1.get_text() == "Datganiad hygyrchedd"
    assert "Os felly, anfonwch e-bost at feedback@royal-example.nhs.uk." in text_of(page.main)
