"""The gateway's employment representations: proto ↔ REST by the descriptors, and models generated from
them. No processes."""
from datetime import datetime, timezone

from gateway import employment
from linli.employment.v1 import common_pb2, jobs_pb2, seekers_pb2


def test_input_becomes_the_proto_with_enums_by_their_short_names_and_times_as_timestamps():
    draft = employment.from_rest(jobs_pb2.VacancyDraft, {
        "title": "缝纫工", "schedule": "part_time", "wage_period": "hour", "wage_fen": 1800, "skills": ["sewing"],
        "position": {"latitude": 41.89, "longitude": 123.95}, "physical_demand": "light", "starts_on": ""})
    assert draft.schedule == common_pb2.SCHEDULE_PART_TIME and draft.wage_period == common_pb2.WAGE_PERIOD_HOUR
    assert draft.position.latitude == 41.89 and list(draft.skills) == ["sewing"]
    at = datetime(2026, 6, 28, 1, 30, tzinfo=timezone.utc)
    move = employment.from_rest(seekers_pb2.MoveApplicationRequest, {"id": "app-1", "status": "interview",
                                                                     "interview_at": at, "note": ""})
    assert move.status == seekers_pb2.APPLICATION_STATUS_INTERVIEW and move.interview_at.ToDatetime(
        tzinfo=timezone.utc) == at
    profile = employment.from_rest(seekers_pb2.SeekerProfile, {"schedules": ["piece_work", "part_time"],
                                                               "skills": [{"code": "sewing", "years": 3}]})
    assert list(profile.schedules) == [common_pb2.SCHEDULE_PIECE_WORK, common_pb2.SCHEDULE_PART_TIME]
    assert profile.skills[0].years == 3


def test_output_uses_short_enum_names_rfc_3339_times_and_null_for_what_is_unset():
    vacancy = jobs_pb2.Vacancy(id="v-1", schedule=common_pb2.SCHEDULE_FULL_TIME, wage_fen=320_000)
    vacancy.opened_at.FromDatetime(datetime(2026, 6, 26, 1, 0, tzinfo=timezone.utc))
    rest = employment.to_rest(vacancy)
    assert rest["schedule"] == "full_time" and rest["status"] is None and rest["wage_fen"] == 320_000
    assert rest["opened_at"] == "2026-06-26T01:00:00Z" and rest["expires_at"] is None and rest["position"] is None
    assert employment.model(jobs_pb2.Vacancy).model_validate(rest).schedule == "full_time"


def test_every_enum_value_offered_to_clients_is_one_the_api_knows():
    assert employment.short_names(common_pb2.Schedule.DESCRIPTOR) == ("full_time", "part_time", "flexible",
                                                                       "piece_work")
    for name in employment.short_names(seekers_pb2.ApplicationStatus.DESCRIPTOR):
        assert employment.enum_number(seekers_pb2.ApplicationStatus.DESCRIPTOR, name) > 0
