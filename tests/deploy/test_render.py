"""`mgames template`: template.yaml is current with infra/deploy.yaml, and adding a game to the
deployment adds exactly that game's function, URL, log group, alarms and output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from infra.cli import main
from infra.deploy import load_deployment
from infra.deploy import template as rendering
from infra.deploy.template import render, render_template, stale
from infra.tables import load_template
from plugins.errors import ConfigInvalidError
from plugins.registry import get_game
from tests.deploy.conftest import TEMPLATE, TEMPLATE_PATH, resources, translate

DEPLOY_FILE = TEMPLATE_PATH.parent / "infra" / "deploy.yaml"
QUIZ = '  quiz: {package: "mgames-quiz==1.2.0", title: "Quiz: \\"ask\\" me"}\n'
QUIZ_RESOURCES = {"QuizFunction", "QuizLogGroup", "QuizErrorsAlarm", "QuizThrottlesAlarm",
                  "QuizDurationAlarm", "QuizUrl5xxAlarm"}


def _with_quiz(tmp_path: Path) -> dict[str, Any]:
    """The template rendered for a copy of infra/deploy.yaml with a third-party game added."""
    deploy = tmp_path / "deploy.yaml"
    deploy.write_text(DEPLOY_FILE.read_text(encoding="utf-8") + QUIZ, encoding="utf-8")
    rendered = tmp_path / "template.yaml"
    rendered.write_text(render_template(deploy), encoding="utf-8")
    return load_template(rendered)


def test_template_yaml_is_current() -> None:
    diff = stale(render_template(), TEMPLATE_PATH)
    assert not diff, "template.yaml is not current: run `mgames template`\n" + "\n".join(diff[:60])


def test_mgames_template_check_says_whether_the_file_is_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / "template.yaml"
    monkeypatch.setattr(rendering, "TEMPLATE_FILE", target)
    assert main(["template", "--check"]) == 1  # no file yet
    assert "not current: run `mgames template`" in capsys.readouterr().err
    assert main(["template"]) == 0
    assert target.read_text(encoding="utf-8") == TEMPLATE_PATH.read_text(encoding="utf-8")
    assert main(["template", "--check"]) == 0
    target.write_text(target.read_text(encoding="utf-8").replace("Timeout: 10", "Timeout: 11"),
                      encoding="utf-8")
    assert main(["template", "--check"]) == 1
    err = capsys.readouterr().err
    assert "-    Timeout: 11" in err and "+    Timeout: 10" in err


def test_the_games_of_the_deployment_are_the_games_of_the_template() -> None:
    games = {game.logical_id: game.name for game in load_deployment(DEPLOY_FILE).games}
    functions = {fn: props["Properties"]["Environment"]["Variables"]["MGAMES_GAME"]
                 for fn, props in resources(TEMPLATE, "AWS::Serverless::Function").items()
                 if "FunctionUrlConfig" in props["Properties"]}
    assert functions == {f"{stem}Function": name for stem, name in games.items()}


def test_adding_a_game_adds_exactly_its_function_url_log_group_alarms_and_output(
    tmp_path: Path,
) -> None:
    with_quiz = _with_quiz(tmp_path)

    added = set(with_quiz["Resources"]) - set(TEMPLATE["Resources"])
    assert added == QUIZ_RESOURCES
    changed = {name for name, resource in TEMPLATE["Resources"].items()
               if with_quiz["Resources"][name] != resource}
    assert changed == {"Dashboard", "GamesEdge"}  # its row of widgets, its path on the edge
    edge = with_quiz["Resources"]["GamesEdge"]["Properties"]["DistributionConfig"]
    assert [b["TargetOriginId"] for b in edge["CacheBehaviors"] if b["PathPattern"] == "/quiz/*"] == ["quiz"]
    assert "quiz" in {origin["Id"] for origin in edge["Origins"]}
    assert set(with_quiz["Outputs"]) - set(TEMPLATE["Outputs"]) == {"QuizFunctionUrl"}

    quiz = with_quiz["Resources"]["QuizFunction"]["Properties"]
    assert quiz["Environment"]["Variables"]["MGAMES_GAME"] == "quiz"
    assert quiz["Handler"] == "functions.game.handler"
    # not installed here: the deploy file's title, quotes and all, stays one valid string
    assert quiz["Description"] == 'Quiz: "ask" me'
    assert with_quiz["Outputs"]["QuizFunctionUrl"]["Description"].startswith('Quiz: "ask" me ')

    urls = resources(translate(with_quiz), "AWS::Lambda::Url")
    assert set(urls) - set(resources(translate(TEMPLATE), "AWS::Lambda::Url")) == {"QuizFunctionUrl"}


def test_a_game_title_comes_from_its_plug_in_then_the_deploy_file_then_its_name(
    tmp_path: Path,
) -> None:
    deploy = tmp_path / "deploy.yaml"
    deploy.write_text("games:\n  lucky-wheel: {title: Ignored}\n  quiz: {}\n", encoding="utf-8")
    rendered = tmp_path / "template.yaml"
    rendered.write_text(render_template(deploy), encoding="utf-8")
    functions = load_template(rendered)["Resources"]

    wheel = functions["LuckyWheelFunction"]["Properties"]["Description"]
    assert wheel == get_game("lucky-wheel").summary  # the package's docstring, not "Ignored"
    assert wheel.startswith("Lucky wheel")
    assert functions["QuizFunction"]["Properties"]["Description"] == "quiz"
    assert len(functions["LuckyWheelFunction"]["Properties"]["Description"]) <= 256


@pytest.mark.parametrize(("stack", "snippet", "problem"), [
    ("A:\n  # @games nowhere\n", "# @section resources\nx: 1\n", "no section 'nowhere'"),
    ("A:\n  # @games resources\n", "# @section resources\nx\n# @section outputs\ny\n",
     r"section\(s\) outputs placed nowhere"),
    ("A: 1\n", "# @section a\nx\n# @section a\ny\n", "section 'a' repeats"),
])
def test_a_stack_and_snippet_that_do_not_fit_are_refused(stack: str, snippet: str, problem: str) -> None:
    with pytest.raises(ConfigInvalidError, match=problem):
        render(load_deployment(DEPLOY_FILE), stack, snippet)


def test_sections_are_indented_like_their_marker_and_separated_per_game() -> None:
    deployment = load_deployment(DEPLOY_FILE).model_copy(
        update={"games": load_deployment(DEPLOY_FILE).games[:2]})
    out = render(deployment, "Top:\n    # @games part\nEnd: 1\n", "# @section part\n@{Id}: @name\n")
    assert out == "Top:\n    LuckyWheel: lucky-wheel\n\n    CheckIn: check-in\nEnd: 1\n"
