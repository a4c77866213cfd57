"""`flask content check` lists every problem in the files; `flask content publish` publishes none that break a rule."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import ContentVersion, PublishedProcedure
from support import edit

BREAST = "breast-interstitial-laser-therapy.toml"
LIVER = "liver-laser-ablation.toml"


@pytest.mark.fresh_app
def test_bad_content_is_never_published(app, content_dir):
    edit(content_dir, BREAST, "numerator = 43", "numerator = 45")
    app.config["CONTENT_DIR"] = str(content_dir)
    result = app.test_cli_runner().invoke(args=["content", "publish"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{BREAST}: outcomes[0].numerator: is 45, more than the denominator (44)" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ContentVersion)) == 2  # the shipped ones


def test_content_check_command_passes_on_shipped_files(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "2 procedure files: all valid" in result.output


@pytest.mark.fresh_app
def test_content_check_command_fails_and_lists_problems(app, content_dir):
    edit(content_dir, LIVER, 'category = "special arrangements"', 'category = "standard-ish"')
    app.config["CONTENT_DIR"] = str(content_dir)
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert f"{LIVER}: category: 'standard-ish' is not one of" in result.output
    assert "Traceback" not in result.output


@pytest.mark.fresh_app
def test_content_check_names_a_figure_the_source_does_not_state(app, content_dir):
    edit(content_dir, BREAST, "numerator = 4\ndenominator = 35\npercent = 11",
         "numerator = 5\ndenominator = 35\npercent = 14")
    app.config["CONTENT_DIR"] = str(content_dir)
    result = app.test_cli_runner().invoke(args=["content", "check", str(content_dir / BREAST)])
    assert result.exit_code == 1
    assert (f"{BREAST}: outcomes[2]: HTG55, section 2.4.1 does not state 14% (5 out of 35). "
            "Copy the figure exactly from the section it cites") in result.output


@pytest.mark.fresh_app
def test_publish_publishes_the_files_that_pass_and_leaves_the_others_as_they_were(app, content_dir):
    edit(content_dir, BREAST, "numerator = 43", "numerator = 45")
    edit(content_dir, LIVER, "You can say no.", "You can say no at any time.")
    app.config["CONTENT_DIR"] = str(content_dir)
    result = app.test_cli_runner().invoke(args=["content", "publish"])
    assert result.exit_code == 1
    assert "liver-laser-ablation  published version" in result.stdout
    assert f"2 problems: not published: {BREAST}. Fix them and publish again." in result.stderr
    with app.app_context():
        live = dict(db.session.execute(sa.select(PublishedProcedure.slug, PublishedProcedure.version_id)).all())
        assert live == {"breast-interstitial-laser-therapy": 1, "liver-laser-ablation": 3}


@pytest.mark.fresh_app
def test_publish_refuses_a_new_version_whose_review_date_has_passed(app, content_dir):
    edit(content_dir, LIVER, "review_by = 2027-12-01", "review_by = 2026-01-01")
    app.config["CONTENT_DIR"] = str(content_dir)
    result = app.test_cli_runner().invoke(args=["content", "publish"])
    assert result.exit_code == 1
    assert (f"{LIVER}: review_by: 1 January 2026 has passed. Check the file against the latest NICE guidance, then "
            "set a new review-by date") in result.stderr


@pytest.mark.fresh_app
def test_an_empty_content_folder_withdraws_nothing(app, tmp_path):
    app.config["CONTENT_DIR"] = str(tmp_path)
    result = app.test_cli_runner().invoke(args=["content", "publish"])
    assert result.exit_code == 1 and f"{tmp_path}: no procedure files (*.toml) found" in result.stderr
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PublishedProcedure)
                                 .where(PublishedProcedure.withdrawn_at.is_(None))) == 2
