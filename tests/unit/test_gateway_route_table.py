"""The gateway's route table and its one proto ↔ JSON converter: every row names an rpc its stub has and
fields its request message has, the converter's round trip keeps enums, times, repeated and nested
messages, and a row served in-process (gRPC stub replaced: the api is outside this test) calls the rpc with
the message its parameters describe. No processes."""
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from gateway import employment, protojson, routes, staff
from gateway.app import create_app
from gateway.auth import Authenticator
from gateway.board import Board
from linli.eldercare.v1 import common_pb2, eldercare_pb2, staff_pb2
from linli.employment.v1 import common_pb2 as employment_common_pb2
from linli.employment.v1 import fairs_pb2, fairs_pb2_grpc, jobs_pb2, jobs_pb2_grpc, seekers_pb2, seekers_pb2_grpc
from linli.employment.v1 import training_pb2, training_pb2_grpc, workshop_pb2, workshop_pb2_grpc

TABLES = {"staff": staff.ROUTES, "employment": employment.ROUTES}
# The service behind each stub a row names (app.state.<stub>), and the stub class app.py puts there.
SERVICES = {
    "staff": (staff_pb2.DESCRIPTOR.services_by_name["StaffService"], staff.StaffServiceStub),
    "employment.jobs": (jobs_pb2.DESCRIPTOR.services_by_name["JobService"], jobs_pb2_grpc.JobServiceStub),
    "employment.seekers": (seekers_pb2.DESCRIPTOR.services_by_name["SeekerService"],
                           seekers_pb2_grpc.SeekerServiceStub),
    "employment.fairs": (fairs_pb2.DESCRIPTOR.services_by_name["FairService"], fairs_pb2_grpc.FairServiceStub),
    "employment.training": (training_pb2.DESCRIPTOR.services_by_name["TrainingService"],
                            training_pb2_grpc.TrainingServiceStub),
    "employment.workshop": (workshop_pb2.DESCRIPTOR.services_by_name["WorkshopService"],
                            workshop_pb2_grpc.WorkshopServiceStub),
}
ROWS = [pytest.param(row, id=f"{table}: {row.method} {row.path}") for table, rows in TABLES.items() for row in rows]


class NamingChannel:
    """A channel that hands back each method's path instead of a callable: enough to see what a stub has."""

    def __getattr__(self, kind):
        return lambda path, *args, **kwargs: path


@pytest.mark.parametrize("row", ROWS)
def test_every_row_calls_an_rpc_its_stub_has_with_that_rpcs_request_message(row):
    service, stub_class = SERVICES[row.stub]
    assert getattr(stub_class(NamingChannel()), row.rpc) == f"/{service.full_name}/{row.rpc}"
    assert service.methods_by_name[row.rpc].input_type is row.request.DESCRIPTOR


@pytest.mark.parametrize("row", ROWS)
def test_every_parameter_and_body_field_of_a_row_is_a_field_of_its_request(row):
    fields = row.request.DESCRIPTOR.fields_by_name
    for param in (*row.path_params, *row.query):
        assert param.target in fields, param
    if row.body is not None and row.build is None:
        target = fields[row.body_into].message_type.fields_by_name if row.body_into else fields
        assert set(row.body.model_fields) <= set(target)


@pytest.mark.parametrize("row", ROWS)
def test_every_row_answers_a_field_its_reply_has(row):
    service, _ = SERVICES[row.stub]
    reply = service.methods_by_name[row.rpc].output_type
    for name in (row.answer, row.items):
        assert not name or name in reply.fields_by_name


def test_no_two_rows_share_a_handler_name_so_every_operation_id_stays_as_published():
    names = [row.name for rows in TABLES.values() for row in rows]
    assert len(names) == len(set(names))


def test_enums_times_repeated_and_nested_messages_survive_a_round_trip():
    at = datetime(2026, 6, 28, 1, 30, tzinfo=timezone.utc)
    draft = jobs_pb2.VacancyDraft(title="缝纫工", schedule=employment_common_pb2.SCHEDULE_PART_TIME, skills=["sewing"],
                                  position=employment_common_pb2.GeoPoint(latitude=41.89, longitude=123.95))
    json = protojson.to_json(draft)
    assert json["schedule"] == "part_time" and json["position"] == {"latitude": 41.89, "longitude": 123.95}
    assert json["physical_demand"] is None  # the zero value
    assert protojson.from_json(jobs_pb2.VacancyDraft, json) == draft
    profile = seekers_pb2.SeekerProfile(schedules=[employment_common_pb2.SCHEDULE_PIECE_WORK,
                                                   employment_common_pb2.SCHEDULE_FULL_TIME],
                                        skills=[seekers_pb2.SeekerSkill(code="sewing", years=3)])
    json = protojson.to_json(profile)
    assert json["schedules"] == ["piece_work", "full_time"] and json["skills"][0]["years"] == 3
    assert protojson.from_json(seekers_pb2.SeekerProfile, json) == profile
    move = protojson.from_json(seekers_pb2.MoveApplicationRequest, {"id": "a-1", "status": "interview",
                                                                    "interview_at": at})
    assert protojson.to_json(move)["interview_at"] == "2026-06-28T01:30:00Z"
    assert move.interview_at.ToDatetime(tzinfo=timezone.utc) == at


def test_an_unset_message_is_null_and_an_enum_number_newer_than_the_gateway_is_what_the_row_says():
    member = staff_pb2.StaffMember(id="s-1", skills=[eldercare_pb2.CARE_KIND_MEAL, 999])
    assert protojson.to_json(member)["position"] is None and protojson.to_json(member)["shift_started_at"] is None
    assert protojson.to_json(member)["skills"] == ["meal", None]
    assert protojson.to_json(member, unknown=protojson.UNKNOWN)["skills"] == ["meal", "unknown"]


def test_every_enum_name_offered_to_clients_maps_back_to_its_number():
    assert protojson.short_names(employment_common_pb2.Schedule.DESCRIPTOR) == (
        "full_time", "part_time", "flexible", "piece_work")
    for name in protojson.short_names(seekers_pb2.ApplicationStatus.DESCRIPTOR):
        assert protojson.enum_number(seekers_pb2.ApplicationStatus.DESCRIPTOR, name) > 0
    assert protojson.enum_number(seekers_pb2.ApplicationStatus.DESCRIPTOR, "no-such") == 0


def test_the_generated_model_accepts_what_the_converter_answers():
    vacancy = jobs_pb2.Vacancy(id="v-1", schedule=employment_common_pb2.SCHEDULE_FULL_TIME, wage_fen=320_000)
    assert employment.model(jobs_pb2.Vacancy).model_validate(protojson.to_json(vacancy)).schedule == "full_time"


class RecordingStub:
    """Stands in for the eldercare api's StaffService (a gRPC server, outside the gateway): records the call."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, rpc):
        async def call(message, **options):
            self.calls.append((rpc, message, options))
            member = staff_pb2.StaffMember(id="s-1", community_id="c-1", name="王芳",
                                           skills=[eldercare_pb2.CARE_KIND_MEAL], on_shift=True,
                                           position=common_pb2.GeoPoint(latitude=41.9, longitude=123.9))
            return staff_pb2.ListStaffResponse(staff=[member]) if rpc == "ListStaff" else \
                SimpleNamespace(staff_member=member)
        return call


@pytest.fixture
def served():
    """The staff table on a bare app, with a caller and request id as the gateway's middleware would set."""
    app = FastAPI()
    app.state.grpc_timeout = 3
    app.state.staff = RecordingStub()
    router = routes.APIRouter()
    routes.install(router, staff.ROUTES)
    app.include_router(router)
    caller = SimpleNamespace(to_metadata=lambda: [("x-linli-subject", "op-1")])
    app.dependency_overrides[routes.require_caller] = lambda: caller

    @app.middleware("http")
    async def request_id(request, call_next):
        request.state.request_id = "r-1"
        return await call_next(request)

    return app


def test_a_row_builds_its_request_from_path_query_and_body_and_answers_the_reply_as_json(served):
    client = TestClient(served)
    answered = client.get("/v1/staff", params={"community_id": "c-1", "on_shift_only": "true"})
    assert answered.status_code == 200
    assert answered.json()["items"][0]["skills"] == ["meal"] and answered.json()["next_page_token"] is None
    rpc, message, options = served.state.staff.calls[-1]
    assert rpc == "ListStaff" and message == staff_pb2.ListStaffRequest(community_id="c-1", on_shift_only=True)
    assert options == {"metadata": [("x-linli-subject", "op-1"), ("x-request-id", "r-1")], "timeout": 3}
    assert client.post("/v1/staff/s-1/shift/start").json()["position"] == {"latitude": 41.9, "longitude": 123.9}
    assert served.state.staff.calls[-1][:2] == ("StartShift", staff_pb2.StartShiftRequest(id="s-1"))
    assert client.post("/v1/me/position", json={"latitude": 41.88, "longitude": 123.95}).status_code == 200
    assert served.state.staff.calls[-1][1] == staff_pb2.ReportPositionRequest(
        position=common_pb2.GeoPoint(latitude=41.88, longitude=123.95))
    created = client.post("/v1/staff", json={"id": "s-2", "community_id": "c-1", "name": "李", "skills": ["meal"]})
    assert created.status_code == 201 and served.state.staff.calls[-1][1].skills == [eldercare_pb2.CARE_KIND_MEAL]


def test_the_published_document_describes_table_rows_as_the_handlers_written_by_hand_did():
    document = create_app(authenticator=Authenticator.from_settings(), board=Board("amqp://127.0.0.1:1/")).openapi()
    listing = document["paths"]["/v1/staff"]["get"]
    assert listing["operationId"] == "list_staff_v1_staff_get"
    assert [(p["name"], p["in"], p["required"]) for p in listing["parameters"] if p["in"] == "query"] == [
        ("community_id", "query", True), ("on_shift_only", "query", False)]
    assert document["paths"]["/v1/staff"]["post"]["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/StaffMember"}
    assert document["paths"]["/v1/me/position"]["post"]["security"] == [{"HTTPBearer": []}]


class RecordingJobs:
    """Stands in for the employment api's JobService (a gRPC server, outside the gateway): records the call."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, rpc):
        async def call(message, **options):
            self.calls.append((rpc, message))
            vacancy = jobs_pb2.Vacancy(id="v-1", title="缝纫工", schedule=employment_common_pb2.SCHEDULE_PART_TIME)
            return jobs_pb2.ImportVacanciesResponse(import_id=message.import_id, vacancies=[vacancy]) \
                if rpc == "ImportVacancies" else jobs_pb2.CloseVacancyResponse(vacancy=vacancy)
        return call


def test_a_row_with_its_own_mapping_and_an_optional_body_calls_the_rpc_with_what_the_client_sent():
    app = FastAPI()
    app.state.grpc_timeout = 3
    app.state.employment = SimpleNamespace(jobs=RecordingJobs())
    router = routes.APIRouter()
    routes.install(router, employment.ROUTES)
    app.include_router(router)
    app.dependency_overrides[routes.require_caller] = lambda: SimpleNamespace(to_metadata=lambda: [])

    @app.middleware("http")
    async def request_id(request, call_next):
        request.state.request_id = "r-1"
        return await call_next(request)

    client, jobs = TestClient(app), app.state.employment.jobs
    row = {"employer_id": "e-1", "title": "缝纫工", "schedule": "part_time", "wage_period": "hour", "wage_fen": 1800,
           "hours_per_week": 20, "address": "3号楼",
           "skills": ["sewing"], "position": {"latitude": 41.89, "longitude": 123.95}, "physical_demand": "light"}
    imported = client.post("/v1/vacancies/import", headers={"Idempotency-Key": "fair-7"},
                           json={"community_id": "c-1", "vacancies": [row]})
    assert imported.status_code == 201, imported.text
    assert imported.json()["import_id"] == "fair-7" and imported.json()["items"][0]["schedule"] == "part_time"
    rpc, message = jobs.calls[-1]
    assert rpc == "ImportVacancies" and message.import_id == "fair-7" and message.vacancies[0].employer_id == "e-1"
    assert message.vacancies[0].draft.schedule == employment_common_pb2.SCHEDULE_PART_TIME
    assert client.post("/v1/vacancies/v-1/close").status_code == 200
    assert jobs.calls[-1] == ("CloseVacancy", jobs_pb2.CloseVacancyRequest(id="v-1"))
    assert client.post("/v1/vacancies/v-1/close", json={"reason": "filled"}).status_code == 200
    assert jobs.calls[-1] == ("CloseVacancy", jobs_pb2.CloseVacancyRequest(id="v-1", reason="filled"))
