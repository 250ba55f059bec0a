"""What a page costs the database: the resources list and the App Home read in a fixed number of queries,
however many resources are on the page or pools need attention."""

from datetime import timedelta
from decimal import Decimal

from core.models import Pool
from core.services import constraints, resources
from tests.probes import counting_queries
from tests.scenario.slack_fake import texts
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
