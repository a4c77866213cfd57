"""Reading NICE's texts as NICE publishes them: the shipped sources and short synthetic ones."""

import re
from datetime import date
from pathlib import Path

import pytest

from app.content import SupportContact, YearMonth
from app.content.guidance import (
    CitationError,
    GuidanceError,
    cited_paragraph,
    is_public_information,
    read_guidance,
    read_public_information,
    sentences,
)
from support import SOURCES

HERE = Path(__file__).parent / "guidance"
BREAST = read_guidance((SOURCES / "nice-htg55-interstitial-laser-therapy-breast-cancer.txt").read_text())
LIVER = read_public_information((SOURCES / "nice-liver-laser-ablation-information-for-the-public.txt").read_text())


def synthetic(name: str) -> str:
    return (HERE / name).read_text()


def test_guidance_front_matter_is_read_from_the_source():
    assert BREAST.title == "Interstitial laser therapy for breast cancer"
    assert BREAST.kind == "HealthTech guidance"
    assert BREAST.guidance_id == "HTG55"
    assert BREAST.published == date(2004, 9, 22)
    assert BREAST.url == "https://www.nice.org.uk/guidance/htg55"


def test_updated_is_the_latest_update_entry_not_the_first():
    assert BREAST.updated == YearMonth(2026, 1)
    assert read_guidance(synthetic("ipg-standard.txt")).updated == YearMonth(2023, 11)
    assert read_guidance(synthetic("ipg-special.txt")).updated is None


def test_every_numbered_paragraph_is_read_with_its_section_heading():
    numbered = [(p.number, p.section) for p in BREAST.paragraphs]
    assert numbered == [
        ("1.1", "Recommendations"), ("1.2", "Recommendations"), ("2.1.1", "Indications"),
        ("2.2.1", "Outline of the procedure"), ("2.3.1", "Efficacy"), ("2.3.2", "Efficacy"),
        ("2.4.1", "Safety"), ("2.4.2", "Safety"),
    ]


def test_the_contents_list_is_not_taken_for_paragraphs():
    guidance = read_guidance(synthetic("ipg-standard.txt"))
    assert [p.number for p in guidance.paragraphs] == ["1.1", "2.1.1", "2.2.1", "3.1", "3.2", "4.1"]
    assert guidance.paragraph("3.1").section == "Efficacy"
    assert guidance.paragraph("4.1").section == "Safety"


def test_links_keep_their_text_and_lose_their_target():
    assert "see the overview." in BREAST.paragraph("2.3.1").text
    assert "](#)" not in BREAST.paragraph("2.3.1").text


def test_bullets_under_a_paragraph_belong_to_it():
    guidance = read_guidance(synthetic("ipg-special.txt"))
    assert guidance.paragraph("2.4.1").text.splitlines() == [
        "The following complications were reported:", "- skin damage 5% (2/40)", "- nerve injury in 1 of 40 patients",
    ]
    assert "Inform the clinical governance leads" in guidance.paragraph("1.2").text


def test_recommendations_are_the_first_sections_text_only():
    assert BREAST.recommendations.startswith("Current evidence on the safety and efficacy")
    assert "explicit patient consent." in BREAST.recommendations
    assert "Interstitial laser therapy is used" not in BREAST.recommendations
    # "Your responsibility" speaks of special arrangements too, but it is not a recommendation.
    assert "special arrangements" not in BREAST.recommendations


def test_a_paragraph_is_found_by_its_citation():
    assert cited_paragraph(BREAST, "HTG55, section 2.3.1") is BREAST.paragraph("2.3.1")
    assert cited_paragraph(BREAST, "htg55 section 2.4.1").number == "2.4.1"


@pytest.mark.parametrize("citation, message", [
    ("HTG55, section 9.9", "HTG55 has no section 9.9"),
    ("IPG89, section 2.3.1", "IPG89, section 2.3.1 cites IPG89, but the guidance is HTG55"),
    ("section 2.3.1", "'section 2.3.1' is not a citation like 'HTG55, section 2.3.1'"),
])
def test_a_citation_that_names_no_paragraph_says_why(citation, message):
    with pytest.raises(CitationError, match=f"^{re.escape(message)}$"):
        cited_paragraph(BREAST, citation)


def test_a_paragraph_splits_into_its_sentences():
    assert sentences(BREAST.paragraph("2.3.1").text) == [
        "The evidence was limited to 3 small case series and 1 case report.",
        ("One study of interstitial laser therapy followed by surgery reported that 98% (43 out of 44) of patients "
         "were disease-free at follow-up."),
        ("However, follow-up ranged from 2 to 26 months, and it was difficult to determine whether the results were "
         "attributable to the laser therapy or the surgery."),
        "This study also found no histological sign of laser damage in the tumours of 9% (4 out of 44) of patients.",
        "For more details, see the overview.",
    ]


def test_sentences_do_not_end_at_abbreviations_or_decimals():
    text = "Some used a probe, e.g. Nd:YAG lasers. Burns fell 2.5 times. Smith et al. Reported less pain!\n- a bullet"
    assert sentences(text) == ["Some used a probe, e.g. Nd:YAG lasers.", "Burns fell 2.5 times.",
                               "Smith et al. Reported less pain!", "a bullet"]


def test_public_information_front_matter():
    assert LIVER.title == "Image-guided percutaneous laser ablation for primary and secondary liver tumours"
    assert LIVER.kind == "Information for the public"
    assert LIVER.published == date(2024, 5, 16)
    assert LIVER.url == "https://www.nice.org.uk"
    assert LIVER.guidance_id == ""


def test_public_information_sentences_keep_link_text():
    assert "So it can only be done with special arrangements." in LIVER.sentences
    assert "You should be included in making decisions about your care." in LIVER.sentences
    assert not any("Some questions" in s or s.startswith("#") for s in LIVER.sentences)


def test_public_information_questions_are_the_bullets_under_their_heading():
    assert LIVER.questions[0] == "How many appointments will I need?"
    assert LIVER.questions[-1] == "Are other treatments available?"
    assert len(LIVER.questions) == 7


def test_support_contacts_come_with_a_phone_number_or_without():
    assert LIVER.support_contacts == (
        SupportContact(name="British Liver Trust", description="Can give you advice and support.",
                       phone="0800 652 7330"),
        SupportContact(name="Healthwatch", description="You can also get support from your local Healthwatch.",
                       phone=""),
    )


def test_other_links_under_information_and_support_are_not_contacts():
    public = read_public_information(synthetic("public-research.txt"))
    assert [c.name for c in public.support_contacts] == ["Example Pain Charity", "Samaritans", "Example Nerve Trust"]
    assert public.support_contacts[1].phone == "116 123"
    assert public.support_contacts[2] == SupportContact(
        name="Example Nerve Trust", description="Can give you advice about living with nerve pain.", phone="")


def test_public_information_that_names_its_guidance_gives_the_id():
    public = read_public_information(synthetic("public-research.txt"))
    assert public.guidance_id == "HTG120"
    assert public.url == "https://www.nice.org.uk/guidance/htg120"


def test_the_two_kinds_of_text_are_told_apart():
    assert is_public_information(synthetic("public-research.txt"))
    assert not is_public_information(synthetic("htg-research.txt"))
    assert not is_public_information("")


@pytest.mark.parametrize("text, message", [
    ("", "it is empty"),
    ("A shopping list\nEggs\nMilk", ("the line under the title should say 'Interventional procedures guidance' or "
                                     "'HealthTech guidance', but it says 'Eggs'")),
    ("Title\nHealthTech guidance\nPublished: 1 May 2020\nwww.nice.org.uk/guidance/htg1", "no '1 Recommendations'"),
    ("Title\nHealthTech guidance\nPublished: 1 May 2020\n1 Recommendations", "no 'www.nice.org.uk/guidance/...' line"),
    ("Title\nHealthTech guidance\nwww.nice.org.uk/guidance/htg1\n1 Recommendations", "no 'Published: 22 September"),
    ("Title\nHealthTech guidance\nPublished: 31 Smarch 2020\nwww.nice.org.uk/guidance/htg1\n1 Recommendations",
     "'Published: 31 Smarch 2020' is not a date NICE writes"),
])
def test_text_that_is_not_nice_guidance_is_refused_with_a_reason(text, message):
    with pytest.raises(GuidanceError) as refused:
        read_guidance(text)
    assert message in str(refused.value)


def test_guidance_is_not_read_as_public_information():
    with pytest.raises(GuidanceError, match="should say 'Information for the public'"):
        read_public_information(synthetic("htg-research.txt"))
