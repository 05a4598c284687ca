"""The gateway's REST representation of the clinic's messages (gateway/clinic.py)."""
from google.protobuf.timestamp_pb2 import Timestamp

from gateway.clinic import to_rest
from linli.clinic.v1 import common_pb2, referrals_pb2


def test_messages_become_field_names_short_enum_names_rfc3339_times_and_nulls():
    at = Timestamp(seconds=1_795_788_197)
    referral = referrals_pb2.Referral(
        id="ref-1", version=3, performer=common_pb2.Organisation(id="city-central-hospital", name="抚顺市中心医院",
                                                                 kind=common_pb2.ORGANISATION_KIND_PARTNER_HOSPITAL),
        task=referrals_pb2.ReferralTask(status=referrals_pb2.TASK_STATUS_IN_PROGRESS, last_modified=at),
        withheld_parts=[referrals_pb2.REFERRAL_PART_SUBJECT])
    rest = to_rest(referral)
    assert rest["id"] == "ref-1" and rest["version"] == 3
    assert rest["performer"] == {"id": "city-central-hospital", "name": "抚顺市中心医院", "kind": "partner_hospital"}
    assert rest["task"]["status"] == "in_progress" and rest["task"]["last_modified"] == "2026-11-27T14:03:17Z"
    assert rest["subject"] is None and rest["task"]["outcomes"] == [] and rest["withheld_parts"] == ["subject"]
    assert rest["content"] is None
