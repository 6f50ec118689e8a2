"""The assist routes on its function URL (all JSON; errors use the shared envelope)."""

from __future__ import annotations

from typing import Annotated

from games.assist.answers import HelpView, RulesView, TaskList, TaskView
from games.assist.helps import HELP_ERRORS, help_task
from games.assist.tasks import OPEN_ERRORS, load_task, open_task, own_tasks
from games.assist.views import assist_of, rules_view, task_view
from plugins.errors import AssistTaskNotFoundError
from plugins.ids import TIME_ORDERED
from plugins.web import kit

router = kit.LambdaFunctionUrlRouter()
TaskId = Annotated[str, kit.Path(pattern=TIME_ORDERED, description="task id")]

OPENED = kit.Counted("TasksOpened", "assist task opened", fields=lambda r: {"task_id": r["task_id"]})
HELPED = kit.Counted("Helps", "assist help", fields=lambda r: {"completed": r["completed"]},
                 also=lambda r: ("TasksCompleted",) if r["completed"] else ())


@router.get("/campaigns/<campaign_id>", summary="The assist rules for the page",
            responses=kit.answers(RulesView, "the rules"), openapi_extensions=kit.raises())
def get_rules(campaign_id: kit.CampaignId) -> kit.Response[str]:
    return kit.json_response(200, rules_view(kit.runtime.configs.get(campaign_id), kit.runtime.clock()))


kit.action_route(router, "/campaigns/<campaign_id>/tasks", "Open an assist task", TaskView,
                 "the new task (a replay returns the first answer)",
                 lambda a, body: open_task(a.campaign, a.player, a.key, body, a.now), OPENED,
                 OPEN_ERRORS)


kit.paged_route(router, "/campaigns/<campaign_id>/tasks", "The caller's own tasks, newest first",
                TaskList, "a page of his tasks with their progress and his rewards", "tasks", own_tasks, ())


@router.get("/campaigns/<campaign_id>/tasks/<task_id>", summary="A task for its share page",
            responses=kit.answers(TaskView, "progress, helps, what is left, state; cards collected"),
            openapi_extensions=kit.raises(AssistTaskNotFoundError))
def get_task(campaign_id: kit.CampaignId, task_id: TaskId,
             authorization: kit.Authorization = None) -> kit.Response[str]:
    player = kit.optional_player()
    campaign = kit.runtime.configs.get(campaign_id)
    section = assist_of(campaign)
    task = load_task(campaign, task_id)
    return kit.json_response(200, task_view(task, section, campaign, kit.runtime.clock(),
                                            viewer=player.member_id if player else None))


@kit.action(router, "/campaigns/<campaign_id>/tasks/<task_id>/helps", "Help a friend's task",
            HelpView, "the help (a replay returns the first answer)", HELPED, HELP_ERRORS)
def post_help(a: kit.Action, task_id: TaskId, body: kit.OptionalBody = None) -> kit.ActionResult:
    return help_task(a.campaign, a.player, task_id, a.key, kit.body_of(body), a.now, kit.runtime.rng)
