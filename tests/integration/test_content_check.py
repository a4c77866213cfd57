"""Content that breaks a rule stops the app, and `flask content check` lists every problem."""

import pytest

from app import create_app
from app.content import ContentError
from support import edit

BREAST = "breast-interstitial-laser-therapy.toml"
LIVER = "liver-laser-ablation.toml"


def test_bad_content_stops_start_up(content_dir, tmp_path):
    edit(content_dir, BREAST, "numerator = 43", "numerator = 45")
    with pytest.raises(ContentError, match=rf"{BREAST}: outcomes\[0\].numerator: is 45"):
        create_app({"CONTENT_DIR": str(content_dir)}, instance_path=str(tmp_path / "instance"))


def test_content_check_command_passes_on_shipped_files(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "2 procedures" in result.output and "all valid" in result.output


@pytest.mark.fresh_app
def test_content_check_command_fails_and_lists_problems(app, content_dir):
    edit(content_dir, LIVER, 'category = "special arrangements"', 'category = "standard-ish"')
    app.config["CONTENT_DIR"] = str(content_dir)
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert f"{LIVER}: category: 'standard-ish' is not one of" in result.output
