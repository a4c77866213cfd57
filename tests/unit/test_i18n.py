"""Messages marked for translation, outside any request: English, formatted, and escaped like any text."""

from markupsafe import Markup, escape

from app.i18n import english, gettext, lazy_gettext


def test_a_marked_message_outside_a_request_is_its_english_with_its_values():
    message = lazy_gettext("Choose up to %(limit)s questions", limit=3)
    assert str(message) == "Choose up to 3 questions" == english(message)
    assert gettext("%(thing)s must be a real date", thing="Appointment date") == "Appointment date must be a real date"


def test_a_marked_message_is_escaped_in_a_page_like_any_text():
    message = lazy_gettext("Fish & <chips>")
    assert escape(message) == "Fish &amp; &lt;chips&gt;"
    assert Markup("<p>%s</p>") % message == "<p>Fish &amp; &lt;chips&gt;</p>"


def test_plain_text_is_its_own_english():
    assert english("A doctor puts thin fibres in.") == "A doctor puts thin fibres in."
