"""Errors become RFC 9457 problems: gRPC statuses, the api's BadRequest details, request validation,
unknown routes and crashes. No RabbitMQ and no api: gRPC errors come from fakes or a loopback server."""
import asyncio

import grpc
import pytest
from fastapi.testclient import TestClient
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2

from gateway import dev_issuer
from gateway.app import create_app
from gateway.auth import Authenticator
from gateway.board import Board
from gateway.problems import DETAILS_KEY, from_rpc_error
from linli.eldercare.v1 import eldercare_pb2, eldercare_pb2_grpc
from linli.kit.errors import InvalidArgument
from linli.kit.grpc_server import GrpcApi, ServiceBinding
from linli.kit.identity import Caller

PROBLEM = "application/problem+json"
VALID_BODY = {"community_id": "pilot", "elder_id": "e-1", "kind": "emergency"}


def rpc_error(code: grpc.StatusCode, details: str = "", trailers=()) -> grpc.aio.AioRpcError:
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), grpc.aio.Metadata(*trailers), details=details)


def bad_request_trailer(violations: dict[str, str]) -> tuple[str, bytes]:
    detail = any_pb2.Any()
    detail.Pack(
        error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(field=field, description=why)
                for field, why in violations.items()
            ]
        )
    )
    status = status_pb2.Status(code=grpc.StatusCode.INVALID_ARGUMENT.value[0], message="bad", details=[detail])
    return DETAILS_KEY, status.SerializeToString()


@pytest.mark.parametrize(
    "code, http_status",
    [
        (grpc.StatusCode.INVALID_ARGUMENT, 400),
        (grpc.StatusCode.NOT_FOUND, 404),
        (grpc.StatusCode.ALREADY_EXISTS, 409),
        (grpc.StatusCode.FAILED_PRECONDITION, 409),
        (grpc.StatusCode.ABORTED, 409),
        (grpc.StatusCode.PERMISSION_DENIED, 403),
        (grpc.StatusCode.UNAUTHENTICATED, 401),
        (grpc.StatusCode.RESOURCE_EXHAUSTED, 429),
        (grpc.StatusCode.DEADLINE_EXCEEDED, 504),
        (grpc.StatusCode.UNAVAILABLE, 503),
        (grpc.StatusCode.INTERNAL, 502),
        (grpc.StatusCode.UNKNOWN, 502),
        (grpc.StatusCode.UNIMPLEMENTED, 502),
    ],
)
def test_each_grpc_status_maps_to_its_http_status(code, http_status):
    assert from_rpc_error(rpc_error(code, "message")).status == http_status


def test_a_client_error_carries_the_apis_message():
    problem = from_rpc_error(rpc_error(grpc.StatusCode.FAILED_PRECONDITION, "already acknowledged"))

    assert problem.detail == "already acknowledged"
    assert problem.slug == "failed-precondition"


def test_a_server_error_does_not_relay_the_apis_message():
    problem = from_rpc_error(rpc_error(grpc.StatusCode.UNKNOWN, "Exception calling application: db password=hunter2"))

    assert "hunter2" not in str(problem.detail)


def test_bad_request_details_become_field_errors():
    error = rpc_error(
        grpc.StatusCode.INVALID_ARGUMENT, "invalid request",
        trailers=[bad_request_trailer({"elder_id": "is required", "location.floor": "out of range"})],
    )

    assert from_rpc_error(error).errors == [
        {"field": "elder_id", "message": "is required"},
        {"field": "location.floor", "message": "out of range"},
    ]


def test_garbled_status_details_give_no_field_errors_rather_than_a_crash():
    error = rpc_error(grpc.StatusCode.INVALID_ARGUMENT, "invalid", trailers=[(DETAILS_KEY, b"\xff\xff\xff")])

    assert from_rpc_error(error).errors == []


class RefusingEldercare(eldercare_pb2_grpc.EldercareServiceServicer):
    def RaiseCareRequest(self, request, context):
        raise InvalidArgument("invalid request", {"elder_id": "is required"})


def test_bad_request_details_survive_the_wire_from_the_kit_grpc_server():
    api = GrpcApi(
        "127.0.0.1:0",
        [ServiceBinding("linli.eldercare.v1.EldercareService",
                        eldercare_pb2_grpc.add_EldercareServiceServicer_to_server, RefusingEldercare())],
        max_workers=2,
    )

    async def raise_one() -> grpc.aio.AioRpcError:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{api.port}") as channel:
            stub = eldercare_pb2_grpc.EldercareServiceStub(channel)
            caller = Caller("op-1", frozenset({"operator"}), frozenset({"pilot"}))
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await stub.RaiseCareRequest(eldercare_pb2.RaiseCareRequestRequest(), metadata=caller.to_metadata(),
                                            timeout=5)
            return raised.value

    try:
        problem = from_rpc_error(asyncio.run(raise_one()))
    finally:
        api.stop(0)

    assert problem.status == 400
    assert problem.errors == [{"field": "elder_id", "message": "is required"}]


# --- through the HTTP app -------------------------------------------------------------------------


class FailingEldercare:
    def __init__(self, error: Exception):
        self.error = error
        self.calls = 0

    async def RaiseCareRequest(self, request, metadata, timeout):
        self.calls += 1
        raise self.error


@pytest.fixture
def issuer_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LINLI_DEV_ISSUER_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def token(issuer_dir):
    return dev_issuer.issue_token("op-1", ["operator"], ["pilot"])


def app_with(eldercare, issuer_dir):
    app = create_app(authenticator=Authenticator.from_settings(), board=Board("amqp://127.0.0.1:1/"))
    app.state.eldercare = eldercare  # the lifespan never runs: no network
    return app


def test_invalid_input_is_a_422_problem_naming_every_bad_field_and_never_reaches_the_api(token, issuer_dir):
    eldercare = FailingEldercare(AssertionError("must not be called"))
    client = TestClient(app_with(eldercare, issuer_dir))
    body = {"community_id": "pilot", "elder_id": "", "kind": "teleport", "description": "x" * 501,
            "location": {"floor": "high"}, "colour": "red"}

    response = client.post("/v1/care-requests", json=body, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "https://linli.example/problems/validation-failed"
    assert problem["instance"] == "/v1/care-requests"
    fields = {error["field"] for error in problem["errors"]}
    assert fields == {"elder_id", "kind", "description", "location.floor", "colour"}
    assert eldercare.calls == 0


def test_a_malformed_idempotency_key_is_a_422_problem_before_anything_else(token, issuer_dir):
    eldercare = FailingEldercare(AssertionError("must not be called"))
    client = TestClient(app_with(eldercare, issuer_dir))

    response = client.post("/v1/care-requests", json=VALID_BODY,
                           headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "has spaces"})

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert [error["field"] for error in response.json()["errors"]] == ["Idempotency-Key"]
    assert eldercare.calls == 0


def test_bad_input_the_api_refuses_is_a_400_problem_with_its_field_errors(token, issuer_dir):
    error = rpc_error(grpc.StatusCode.INVALID_ARGUMENT, "invalid request: elder_id: no such elder",
                      trailers=[bad_request_trailer({"elder_id": "no such elder"})])
    client = TestClient(app_with(FailingEldercare(error), issuer_dir))

    response = client.post("/v1/care-requests", json=VALID_BODY, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"] == [{"field": "elder_id", "message": "no such elder"}]


def test_an_unavailable_api_is_a_503_problem(token, issuer_dir):
    client = TestClient(app_with(FailingEldercare(rpc_error(grpc.StatusCode.UNAVAILABLE, "connect failed")), issuer_dir))

    response = client.post("/v1/care-requests", json=VALID_BODY, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 503
    assert response.json()["type"] == "https://linli.example/problems/unavailable"


def test_an_unknown_route_is_a_404_problem(issuer_dir):
    response = TestClient(app_with(None, issuer_dir)).get("/v1/nowhere")

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "https://linli.example/problems/not-found"


def test_a_crash_is_a_500_problem_without_a_stack_trace_that_names_the_request(token, issuer_dir):
    client = TestClient(app_with(FailingEldercare(RuntimeError("secret internals")), issuer_dir))

    response = client.post("/v1/care-requests", json=VALID_BODY,
                           headers={"Authorization": f"Bearer {token}", "X-Request-Id": "req-42"})

    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["X-Request-Id"] == "req-42"
    assert "secret" not in response.text and "Traceback" not in response.text
    assert "req-42" in response.json()["detail"]


def test_an_unreasonable_request_id_is_replaced(issuer_dir):
    response = TestClient(app_with(None, issuer_dir)).get("/v1/nowhere", headers={"X-Request-Id": "<script>"})

    assert response.headers["X-Request-Id"] != "<script>"
    assert len(response.headers["X-Request-Id"]) == 32
