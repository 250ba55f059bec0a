"""What a page costs the database: the resources, envs and schedules lists and the App Home read in a fixed
number of statements, however many rows there are, are on the page or pools need attention."""

from datetime import timedelta
from decimal import Decimal

from bot import ids
from core.models import Pool
from core.services import constraints, environments, resources, schedules
from core.services.bookings import create_booking
from tests.probes import counting_queries
from tests.scenario.slack_fake import buttons, texts
from tests.scenario.slack_world import BOSS, OWNER, make_resource, make_world


async def _slash(slack, user: str, text: str) -> dict:
    _, _, url = await slack.command(user, text)
    return (await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))).args


async def _counted_slash(slack, user: str, text: str) -> tuple[dict, int]:
    with counting_queries() as calls:
        answer = await _slash(slack, user, text)
    return answer, len(calls)


async def _counted_home(slack, user: str) -> tuple[dict, int]:
    before = len(slack.fake.calls)
    with counting_queries() as calls:
        await slack.home_opened(user)
        home = await slack.fake.wait_for("views.publish", after=before)
    return home.args["view"], len(calls)


async def test_a_resources_page_costs_the_same_queries_for_two_resources_or_ten(slack):
    world = await make_world(slack.fake)
    await constraints.set_pool_policy(actor_id=world.boss.id, pool_id=world.dev.id, kind="daily_expense_limit",
                                      value=10)
    await constraints.set_pool_policy(actor_id=world.boss.id, pool_id=world.fx.root.id, kind="ttl", value=100)
    await _slash(slack, OWNER, "envs")  # the first contact links the person; that is not the page's cost
    small, small_queries = await _counted_slash(slack, OWNER, "resources")
    assert texts(small).count("USD* this month") == 2 and "above the daily limit of 10.00 USD" in texts(small)
    today = world.now.date()
    for n in range(10):
        extra = await make_resource(world.fx, world.fx.root if n % 2 else world.dev, f"extra-{n}", world.owner,
                                    world.now - timedelta(days=n))
        await resources.upsert_expenses(rows=[(extra.id, today, str(Decimal(n) + Decimal("0.5")))])
        await constraints.set_resource_ttl(actor_id=world.boss.id, resource_id=extra.id,
                                           until=world.now + timedelta(hours=n + 1))
    full, full_queries = await _counted_slash(slack, OWNER, "resources")
    shown = texts(full)
    assert shown.count("USD* this month") == 10 and "1–10" in shown and shown.count("TTL ends") >= 8
    assert full_queries == small_queries


async def test_the_app_home_costs_the_same_queries_for_one_pool_over_its_limit_or_twelve(slack):
    world = await make_world(slack.fake)
    await Pool.filter(id=world.dev.id).update(monthly_limit=10)
    await _slash(slack, BOSS, "envs")
    one, one_queries = await _counted_home(slack, BOSS)
    assert texts(one).count(" is over its limit") == 1
    today = world.now.date()
    for n in range(12):
        pool = await Pool.create(organization=world.fx.org, parent=world.dev, name=f"team-{n:02d}", monthly_limit=1)
        team_vm = await make_resource(world.fx, pool, f"team-vm-{n}", None, world.now)
        await resources.upsert_expenses(rows=[(team_vm.id, today, str(2 + n))])
    many, many_queries = await _counted_home(slack, BOSS)
    shown = texts(many)
    assert shown.count(" is over its limit") == 10 and "…and 3 more pool(s) over their limit or forecast" in shown
    order = [shown.index(f"|{name}> is over") for name in ("Dev", "team-11", "team-10", "team-03")]
    assert order == sorted(order)  # most over their limit first: Dev, then team-11 (13 for a limit of 1)...
    assert "|team-02>" not in shown and "|team-00>" not in shown
    assert many_queries == one_queries


async def test_an_envs_page_costs_the_same_statements_for_two_environments_or_forty(slack):
    world = await make_world(slack.fake)
    await _slash(slack, OWNER, "envs")  # the first contact links the person; that is not the page's cost
    small, small_queries = await _counted_slash(slack, OWNER, "envs")
    assert "staging" in texts(small) and "More" not in texts(small)
    for n in range(40):
        env = await environments.create_environment(actor_id=world.boss.id, pool_id=world.dev.id, name=f"env-{n:02d}")
        await create_booking(actor_id=world.engineer.id, environment_id=env.id, starts_at=world.now + timedelta(hours=1),
                             ends_at=world.now + timedelta(hours=2))
    full, full_queries = await _counted_slash(slack, OWNER, "envs")
    shown = texts(full)
    assert shown.count("Next: eng from") == 15 and "env-14" in shown and "env-15" not in shown
    assert any(action == ids.ENV_PAGE for action, _ in buttons(full))
    assert full_queries == small_queries


async def test_the_schedules_page_costs_the_same_statements_for_one_schedule_or_thirty(slack):
    world = await make_world(slack.fake)
    office = [{"weekdays": [0, 1, 2, 3, 4], "start": "08:00", "stop": "19:00"}]
    first = await schedules.create_schedule(actor_id=world.boss.id, name="s-00", timezone="UTC", periods=office)
    await schedules.attach_resources(actor_id=world.boss.id, schedule_id=first.id, resource_ids=[world.big.id])
    await _slash(slack, OWNER, "envs")  # the first contact links the person; that is not the page's cost
    small, small_queries = await _counted_slash(slack, OWNER, "schedules")
    assert "1 resource(s)" in texts(small)
    for n in range(1, 45):
        schedule = await schedules.create_schedule(actor_id=world.boss.id, name=f"s-{n:02d}", timezone="UTC",
                                                   periods=office)
        vm = await make_resource(world.fx, world.dev, f"vm-{n}", world.owner, world.now)
        await schedules.attach_resources(actor_id=world.boss.id, schedule_id=schedule.id, resource_ids=[vm.id])
    full, full_queries = await _counted_slash(slack, OWNER, "schedules")
    shown = texts(full)
    assert shown.count("1 resource(s)") == 40 and "s-39" in shown and "s-40" not in shown
    assert "…and 5 more in the console." in shown
    assert full_queries == small_queries
