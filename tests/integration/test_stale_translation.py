"""One English sentence changed: the check names its stale Welsh field; the Welsh page shows it in English."""

import pytest

from support import check_page, edit, text_of

LIVER = "liver-laser-ablation.toml"
OLD = "The fibres carry laser light that heats the tumour to destroy it."
NEW = "The fibres carry laser light that heats the tumour and destroys it."


@pytest.mark.fresh_app
def test_a_changed_english_sentence_is_named_by_the_check_and_shown_in_english_on_the_welsh_page(
        app, content_dir, client):
    edit(content_dir, LIVER, OLD, NEW)
    app.config["CONTENT_DIR"] = str(content_dir)
    runner = app.test_cli_runner()

    checked = runner.invoke(args=["content", "check"])
    assert checked.exit_code == 1 and "Traceback" not in checked.output
    assert "Translation: liver-laser-ablation.cy.toml: summary: stale: the English has changed" in checked.output
    assert "1 translated field is stale or missing" in checked.output

    published = runner.invoke(args=["content", "publish"])
    assert published.exit_code == 0, published.output  # the English correction reaches patients at once
    assert "liver-laser-ablation  published version" in published.output

    client.get("/language/cy")
    page = check_page(client.get("/procedures/liver-laser-ablation"))
    summary = page.select_one(".nhsuk-lede-text")
    english = summary.select_one("span[lang=en]")
    assert english is not None and NEW in english.get_text()
    assert "Nid yw'r rhan hon ar gael yn Gymraeg eto." in text_of(summary)
    steps = [text_of(li) for li in page.select("main ol li")]
    assert steps[0].startswith("Mae nodwydd fain")  # every other field still in Welsh, unmarked
    assert not page.select("main ol span[lang=en]")
    assert "Drafft cyntaf yw'r fersiwn Gymraeg hon" in text_of(page)  # no translator has checked it
