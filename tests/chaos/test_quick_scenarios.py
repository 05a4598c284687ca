"""Two scenarios of the fault suite (`make chaos` runs them all), quick enough for every `make test`:
the whole platform under a steady workload, with every Nameko worker killed (SIGKILL) and restarted,
then every AMQP connection reset. Nothing lost, nothing done twice. And the check itself is shown to
notice a lost event and a duplicate when there is one."""
import dataclasses
import tempfile
import time
from pathlib import Path

import pytest

from tests.chaos.harness import ChaosPlatform, Verdict, Workload, check, run_scenario, scenarios, settle


@pytest.fixture(scope="module")
def chaos():
    # A fresh vhost on the machine's broker (a private RabbitMQ node is only needed to stop the broker).
    chaos = ChaosPlatform(Path(tempfile.mkdtemp(prefix="linli-chaos-quick-")), private_broker=False)
    try:
        yield chaos.start()
    finally:
        chaos.stop()


@pytest.mark.parametrize("name", ["workers SIGKILL + restart", "RabbitMQ link: connection reset"])
def test_under_the_fault_nothing_is_lost_or_done_twice(chaos, name):
    scenario = dataclasses.replace(scenarios()[name], hold=3.0)
    result = run_scenario(chaos, scenario, community=f"quick-{name.split()[0].lower()}", warmup=2.0, tail=1.0)
    print(f"\n{name}: {result.operations} operations, {result.lost} lost, {result.duplicated} duplicated, "
          f"recovered in {result.recovery_seconds}s")
    assert result.operations > 10
    assert (result.lost, result.duplicated, result.gave_up) == (0, 0, 0), result.details[:10]
    assert result.recovery_seconds is not None


def test_the_check_notices_a_lost_event_and_an_event_counted_twice(chaos):
    community = "quick-check"
    workload = Workload(chaos, community, clients=1)
    workload.prepare()
    workload.start()
    time.sleep(2.0)
    workload.stop()
    assert settle(chaos, community, workload.ops) == Verdict()  # all well, to begin with
    first = next(op for op in workload.ops if op.kind == "care_request")
    db = chaos.db()
    request = db["care_requests"].find_one({"request_id": first.key})
    event = db["outbox"].find_one({"routing_key": "care_request.raised", "body.data.care_request.id": request["_id"]})
    db["applied_events"].delete_one({"_id": f"eldercare.count_raised:{event['_id']}"})  # as if never handled
    db["daily_figures"].update_one({"community_id": community}, {"$inc": {"raised": 1}})  # as if counted twice
    verdict = check(chaos, community, workload.ops)
    assert verdict.lost == [f"{first.key}: care_request.raised event {event['_id']} never handled by "
                            "eldercare.count_raised"]
    assert len(verdict.duplicated) == 1 and "raised for" in verdict.duplicated[0]


@pytest.mark.timeout(300)  # the first test of the module also starts the platform
def test_an_emergency_whose_handler_was_killed_mid_transaction_is_applied_within_seconds_of_the_restart(chaos):
    scenario = dataclasses.replace(scenarios()["workers SIGKILL mid-emergency"], hold=0.5)
    result = run_scenario(chaos, scenario, community="quick-mid-emergency", warmup=1.0, tail=0.5)
    print(f"\n{scenario.name}: {result.details[0]}; every emergency applied {result.recovery_seconds}s after the "
          f"replacement workers started consuming; {result.lost} lost, {result.duplicated} duplicated")
    assert result.details[0] != "killed while 0 handler(s) were applying an emergency"  # else it proves nothing
    assert (result.lost, result.duplicated, result.gave_up) == (0, 0, 0), result.details[:10]
    assert result.recovery_seconds is not None and result.recovery_seconds < 5.0
