"""The demo's employment data (linli_dev/demo.py), loaded into the employment api process through its public
gRPC api, lets a counsellor try the 3- and 6-month follow-ups today: follow-ups open only a week before
they are due, so placements started today would keep the flow out of reach for three months."""
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from linli_dev import demo
from linli.employment.v1 import seekers_pb2
from tests.contract.employment_stack import employment, employment_channel, employment_stack  # noqa: F401


def test_the_demo_has_placements_whose_3_and_6_month_follow_ups_are_due(employment_stack, employment):
    demo.load_employment(employment_stack.env, progress=io.StringIO())
    md = demo.COUNSELLOR.to_metadata()
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    due = employment.seekers.ListPlacements(seekers_pb2.ListPlacementsRequest(
        community_id=demo.COMMUNITY, follow_up_due_by=today), metadata=md).placements
    pending = sorted((next(f.months for f in p.follow_ups if not f.HasField("recorded_at")), p.id) for p in due)
    assert [months for months, _ in pending] == [3, 6]
    for months, placement_id in pending:
        followed = employment.seekers.RecordFollowUp(seekers_pb2.RecordFollowUpRequest(
            placement_id=placement_id, months=months, still_employed=True), metadata=md).placement
        assert all(f.HasField("recorded_at") for f in followed.follow_ups if f.months <= months)
