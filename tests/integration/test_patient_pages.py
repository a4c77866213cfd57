import pytest

from icon_array_helpers import people_drawn
from support import check_page, text_of

BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"




def test_start_page_lists_both_procedures_and_says_it_is_not_consent(get_page):
    page = get_page("/")
    links = {a.get_text(strip=True): a["href"] for a in page.select(".app-procedure-list a")}
    assert links == {
        "Interstitial laser therapy for breast cancer": f"/procedures/{BREAST}",
        "Laser ablation for liver tumours": f"/procedures/{LIVER}",
    }
    assert "This is not a consent form." in text_of(page)


@pytest.mark.parametrize("slug", [BREAST, LIVER])
@pytest.mark.parametrize("path", ["", "/benefits-and-risks"])
def test_every_procedure_page_renders(get_page, slug, path):
    page = get_page(f"/procedures/{slug}{path}")
    assert page.select_one(".nhsuk-back-link a, a.nhsuk-back-link")
    headings = [h.get_text(" ", strip=True) for h in page.select("h2")]
    assert len(headings) == len(set(headings)), f"a heading shown twice: {headings}"


def test_page_title_pattern(get_page):
    page = get_page(f"/procedures/{LIVER}")
    assert page.title.get_text() == "Laser ablation for liver tumours – Prepare for your procedure"


@pytest.mark.parametrize(
    "slug, category, meaning",
    [
        (BREAST, "Research only", "only be done as part of a research study"),
        (LIVER, "Special arrangements", "So it can only be done with special arrangements"),
    ],
)
def test_overview_gives_nice_category_in_patient_words(get_page, slug, category, meaning):
    text = text_of(get_page(f"/procedures/{slug}"))
    assert category in text
    assert meaning in text


@pytest.mark.parametrize(
    "slug, cited",
    [
        (BREAST, "NICE HealthTech guidance HTG55: Interstitial laser therapy for breast cancer. "
                 "Published 22 September 2004, updated January 2026."),
        (LIVER, "NICE information for the public: Image-guided percutaneous laser ablation for primary and "
                "secondary liver tumours. Published 16 May 2024."),
    ],
)
def test_source_and_date_are_cited(get_page, slug, cited):
    assert cited in text_of(get_page(f"/procedures/{slug}"))


def test_the_source_dates_are_said_in_welsh_on_a_welsh_page(client):
    client.get("/language/cy")
    assert "Cyhoeddwyd 22 Medi 2004, diweddarwyd Ionawr 2026." in text_of(
        check_page(client.get(f"/procedures/{BREAST}")))


def test_breast_outcomes_show_real_counts_and_per_100(get_page):
    page = get_page(f"/procedures/{BREAST}/benefits-and-risks")
    headlines = [h.get_text(strip=True) for h in page.select(".app-outcome__headline")]
    assert "4 of 35 people had small skin burns" in headlines
    assert "43 of 44 people had no sign of the cancer at their last check-up" in headlines
    assert len(headlines) == 7
    burns = page.select(".app-outcome")[headlines.index("4 of 35 people had small skin burns")]
    assert "That is about 11 in 100 people." in text_of(burns)


def test_icon_arrays_are_images_with_text_alternatives(get_page):
    page = get_page(f"/procedures/{BREAST}/benefits-and-risks")
    arrays = page.select("svg.app-icon-array")
    assert len(arrays) == 7
    for svg in arrays:
        assert svg["role"] == "img"
        title = page.find(id=svg["aria-labelledby"])
        assert title.name == "title" and title.get_text().startswith("Picture of 100 people, with ")
    burns = next(svg for svg in arrays if "small skin burns" in svg.title.get_text())
    # The first path of each kind draws the heads, one for each person.
    shaded = people_drawn(burns.select_one("path.app-icon-array__shaded")["d"])
    plain = people_drawn(burns.select_one("path.app-icon-array__plain")["d"])
    assert (len(shaded), len(plain), len(shaded | plain)) == (11, 89, 100)


def test_breast_page_names_alternatives_and_not_having_it(get_page):
    text = text_of(get_page(f"/procedures/{BREAST}/benefits-and-risks"))
    for alternative in ["lumpectomy", "mastectomy", "radiofrequency ablation", "cryotherapy"]:
        assert alternative in text
    assert "Not having this procedure" in text and "You can say no." in text
    assert "3 small groups of patients" in text


def test_liver_page_states_evidence_status_without_inventing_numbers(get_page):
    page = get_page(f"/procedures/{LIVER}/benefits-and-risks")
    assert not page.select(".app-outcome, svg.app-icon-array")
    text = text_of(page)
    assert "NICE's information does not give numbers" in text
    assert "not enough evidence about how well it works in the longer term" in text
    assert "Not having this procedure" in text
    assert "British Liver Trust, phone 0800 652 7330" in text


def test_unknown_procedure_is_404(get_page):
    page = get_page("/procedures/no-such-thing", status=404)
    assert page.h1.get_text() == "Page not found"


def test_404_page_uses_service_layout(get_page):
    page = get_page("/no/such/page", status=404)
    assert page.title.get_text() == "Page not found – Prepare for your procedure"
    assert page.select_one("header.nhsuk-header") and page.select_one("footer")
    assert page.select_one("a.nhsuk-skip-link")["href"] == "#maincontent"


@pytest.mark.fresh_app
def test_500_page_is_friendly(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    page = check_page(app.test_client().get("/boom"), status=500)
    assert page.h1.get_text() == "Sorry, there is a problem with the service"
    assert "Any answers you saved have been kept." in page.select_one("main").get_text()


def test_other_http_errors_use_the_service_layout(client):
    page = check_page(client.put("/"), status=405)  # the start page only answers GET
    assert page.h1.get_text() == "Sorry, that did not work"
    assert page.select_one("header.nhsuk-header")
    # A routing redirect is an exception inside Flask too; it must still redirect.
    response = client.get("/clinician")
    assert response.status_code == 308 and response.location.endswith("/clinician/")
