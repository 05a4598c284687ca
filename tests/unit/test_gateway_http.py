"""The HTTP details clients build on: hostile bodies are 4xx problems before anything parses them, 405 names
every allowed method, the IETF RateLimit fields on every rate-limited answer, problems in Chinese when asked
(the type never changes), malformed JSON placed by line and column, malformed ids called malformed, and no
control characters in any text field, at the gateway or at an api reached directly. The eldercare api is the
recording fake of test_gateway_protection; the gRPC test runs a real kit server on loopback."""
import asyncio

import grpc
import pytest

from gateway.idempotency import fingerprint
from gateway.limits import MAX_JSON_DEPTH, is_emergency
from gateway.openapi import PLAIN_TEXT
from gateway.problem_text import CHINESE, ENGLISH, negotiate
from gateway.problems import MEDIA_TYPE
from linli.eldercare.v1 import eldercare_pb2, eldercare_pb2_grpc
from linli.kit.grpc_server import GrpcApi, ServiceBinding
from linli.kit.identity import Caller
from tests.unit.test_gateway_protection import CARE_REQUEST, Clock, bearer, gateway, issuer_dir  # noqa: F401

PROBLEMS = "https://linli.example/problems/"
DEEP = b"[" * 5000 + b"]" * 5000  # 10 KB


def json_headers(**more) -> dict:
    return {**bearer("e-1", "resident"), "Content-Type": "application/json", **more}


# -- bodies nested too deep (issue 13, item 3) ------------------------------------------------------------

@pytest.mark.parametrize("body", [DEEP, b'{"kind": "emergency", "elder_id": "e-1", "x": ' + DEEP + b"}"],
                         ids=["a bare array", "an emergency carrying it"])
@pytest.mark.parametrize("key", [None, "retry-1"], ids=["without a key", "with an idempotency key"])
def test_a_body_nested_thousands_deep_is_a_422_problem_on_the_calls_for_help_route(issuer_dir, body, key):
    client, eldercare = gateway(issuer_dir)
    headers = json_headers(**({"Idempotency-Key": key} if key else {}))

    response = client.post("/v1/care-requests", content=body, headers=headers)

    assert response.status_code == 422
    assert response.headers["content-type"] == MEDIA_TYPE
    assert response.json()["type"] == PROBLEMS + "validation-failed"
    assert response.json()["errors"] == [{"field": "body", "message": f"JSON nested deeper than {MAX_JSON_DEPTH} levels"}]
    assert eldercare.calls == 0


def test_every_look_at_a_body_before_validation_survives_one_nested_too_deep():
    scope = {"type": "http", "method": "POST", "path": "/v1/care-requests", "headers": [],
             "state": {"body": b'{"kind": "emergency", "x": ' + DEEP + b"}"}}

    assert is_emergency(scope) is False  # not parsed: so not told an emergency, and no RecursionError
    assert fingerprint("POST", "/v1/care-requests", b"", DEEP) != fingerprint("POST", "/v1/care-requests", b"", b"[]")


def test_nesting_as_deep_as_allowed_and_brackets_inside_strings_are_not_refused_for_depth(issuer_dir):
    client, eldercare = gateway(issuer_dir)
    description = "[[[{{{" * 20

    response = client.post("/v1/care-requests", json={**CARE_REQUEST, "description": description},
                           headers=bearer("e-1", "resident"))

    assert response.status_code == 201
    assert eldercare.calls == 1


# -- 405 with a complete Allow (item 6) --------------------------------------------------------------------

def test_a_method_the_path_does_not_serve_is_a_405_naming_every_method_it_does(issuer_dir):
    client, _ = gateway(issuer_dir)

    response = client.delete("/v1/care-requests", headers=bearer())

    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, POST"
    assert response.json()["type"] == PROBLEMS + "method-not-allowed"


def test_the_allow_header_lists_options_when_browsers_of_other_origins_may_call(issuer_dir, monkeypatch):
    monkeypatch.setenv("GATEWAY_CORS_ORIGINS", "https://app.linli.example")
    client, _ = gateway(issuer_dir)

    response = client.put("/v1/care-requests/cr-1", headers=bearer())

    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


# -- RateLimit fields (item 6) -----------------------------------------------------------------------------

def test_every_rate_limited_answer_carries_the_ietf_ratelimit_fields(issuer_dir):
    clock = Clock()
    client, _ = gateway(issuer_dir, per_second=0.5, burst=2, clock=clock)

    answers = [client.get("/v1/care-requests/cr-1", headers=bearer("op-fields")) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert all(a.headers["RateLimit-Policy"] == '"per-client";q=2;w=4' for a in answers)
    assert [a.headers["RateLimit"] for a in answers] == ['"per-client";r=1;t=2', '"per-client";r=0;t=4',
                                                         '"per-client";r=0;t=4']
    assert answers[2].headers["Retry-After"] == "2"


def test_answers_that_are_never_rate_limited_carry_no_ratelimit_fields(issuer_dir):
    client, _ = gateway(issuer_dir)

    emergency = client.post("/v1/care-requests", json={**CARE_REQUEST, "kind": "emergency"},
                            headers=bearer("e-1", "resident"))

    assert emergency.status_code == 201
    assert "RateLimit" not in emergency.headers and "RateLimit-Policy" not in emergency.headers


# -- problems in the caller's language (item 6) ------------------------------------------------------------

@pytest.mark.parametrize("header, language", [
    (None, ENGLISH),
    ("zh-CN", CHINESE),
    ("zh", CHINESE),
    ("en-US,en;q=0.9,zh-CN;q=0.8", ENGLISH),
    ("fr-FR, zh-CN;q=0.7, en;q=0.5", CHINESE),
    ("zh-CN;q=0, en", ENGLISH),
    ("de, fr", ENGLISH),
    ("*;q=0.5, zh-Hans;q=0.9", CHINESE),
    ("zh-CN;q=abc", ENGLISH),
])
def test_the_language_is_negotiated_by_q_value_and_english_is_the_default(header, language):
    assert negotiate(header) == language


def test_a_problem_asked_for_in_chinese_has_chinese_words_and_the_same_type(issuer_dir):
    client, _ = gateway(issuer_dir)

    english = client.get("/v1/care-requests/cr-1")
    chinese = client.get("/v1/care-requests/cr-1", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})

    assert english.json()["type"] == chinese.json()["type"] == PROBLEMS + "unauthenticated"
    assert (english.json()["title"], english.json()["detail"]) == ("Unauthenticated", "A bearer token is required.")
    assert (chinese.json()["title"], chinese.json()["detail"]) == ("未认证", "需要持有者令牌（Bearer token）。")
    assert chinese.headers["Content-Language"] == "zh-CN" and english.headers["Content-Language"] == "en"
    assert "Accept-Language" in chinese.headers["Vary"]


def test_a_chinese_problem_keeps_an_apis_own_explanation_after_the_chinese_sentence(issuer_dir):
    client, _ = gateway(issuer_dir)

    response = client.delete("/v1/care-requests", headers={**bearer(), "Accept-Language": "zh-CN"})

    assert response.json()["title"] == "方法不允许"
    assert response.json()["detail"] == "此处允许的方法：GET, HEAD, POST。"


# -- malformed JSON and malformed ids (item 6) -------------------------------------------------------------

def test_malformed_json_is_placed_by_line_and_column_in_words(issuer_dir):
    client, _ = gateway(issuer_dir)

    response = client.post("/v1/care-requests", content=b'{"kind": "meal",\n  "elder_id": e-1}', headers=json_headers())

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body", "message": "not valid JSON: Expecting value at line 2, column 15"}]


@pytest.mark.parametrize("path", ["/v1/care-requests/$where", "/v1/care-requests/%7B%24ne%7D/acknowledge"])
def test_a_malformed_id_is_called_malformed_and_never_reaches_the_api(issuer_dir, path):
    client, eldercare = gateway(issuer_dir)

    response = client.get(path, headers=bearer()) if "acknowledge" not in path else client.post(path, headers=bearer())

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "care_request_id"
    assert error["message"].startswith("malformed")
    assert eldercare.calls == 0


# -- control characters (item 6) ---------------------------------------------------------------------------

@pytest.mark.parametrize("description", ["a\x00b", "ring\x07", "\x1b[31mred", "line\rfeed", "c1\x85"])
def test_a_control_character_in_a_text_field_is_refused_422_naming_the_field(issuer_dir, description):
    client, eldercare = gateway(issuer_dir)

    response = client.post("/v1/care-requests", json={**CARE_REQUEST, "description": description},
                           headers=bearer("e-1", "resident"))

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "description", "message": "no control characters (line breaks and tab are allowed)"}]
    assert eldercare.calls == 0


def test_control_characters_are_refused_in_query_parameters_and_nested_fields_too(issuer_dir):
    client, eldercare = gateway(issuer_dir)

    query = client.get("/v1/care-requests", params={"community_id": "pi\x00lot"}, headers=bearer())
    nested = client.post("/v1/care-requests", json={**CARE_REQUEST, "location": {"building": "3\x00"}},
                         headers=bearer("e-1", "resident"))

    assert query.status_code == 422 and query.json()["errors"][0]["field"] == "community_id"
    assert nested.status_code == 422 and nested.json()["errors"][0]["field"] == "location.building"
    assert eldercare.calls == 0


def test_newlines_and_tabs_are_text_and_pass(issuer_dir):
    client, eldercare = gateway(issuer_dir)

    response = client.post("/v1/care-requests", json={**CARE_REQUEST, "description": "fell\n\tin the kitchen"},
                           headers=bearer("e-1", "resident"))

    assert response.status_code == 201


def test_an_unauthenticated_request_is_told_401_before_anything_is_wrong_with_its_text(issuer_dir):
    client, _ = gateway(issuer_dir)

    response = client.post("/v1/care-requests", json={**CARE_REQUEST, "description": "\x00"})

    assert response.status_code == 401


class AcceptingEldercare(eldercare_pb2_grpc.EldercareServiceServicer):
    """Accepts anything: what reaches it got past the kit's guard."""

    def __init__(self):
        self.reached = []

    def RaiseCareRequest(self, request, context):
        self.reached.append(request)
        return eldercare_pb2.RaiseCareRequestResponse()


def test_an_api_reached_directly_refuses_control_characters_in_any_string_field_naming_it():
    servicer = AcceptingEldercare()
    api = GrpcApi("127.0.0.1:0", [ServiceBinding("linli.eldercare.v1.EldercareService",
                                                 eldercare_pb2_grpc.add_EldercareServiceServicer_to_server, servicer)],
                  max_workers=2)
    requests = [
        eldercare_pb2.RaiseCareRequestRequest(community_id="pilot", elder_id="e-1", description="a\x00b"),
        eldercare_pb2.RaiseCareRequestRequest(community_id="pilot", elder_id="e-1",
                                              location=eldercare_pb2.Location(building="\x1b[2J")),
        eldercare_pb2.RaiseCareRequestRequest(community_id="pilot", elder_id="e-1", description="fell\n\tdown"),
    ]

    async def send_all() -> list:
        outcomes = []
        async with grpc.aio.insecure_channel(f"127.0.0.1:{api.port}") as channel:
            stub = eldercare_pb2_grpc.EldercareServiceStub(channel)
            caller = Caller("op-1", frozenset({"operator"}), frozenset({"pilot"}))
            for request in requests:
                try:
                    await stub.RaiseCareRequest(request, metadata=caller.to_metadata(), timeout=5)
                    outcomes.append("OK")
                except grpc.aio.AioRpcError as error:
                    outcomes.append((error.code(), error.details()))
        return outcomes

    try:
        outcomes = asyncio.run(send_all())
    finally:
        api.stop(0)

    assert outcomes[0] == (grpc.StatusCode.INVALID_ARGUMENT, "description: no control characters (line breaks and tab are allowed)")
    assert outcomes[1] == (grpc.StatusCode.INVALID_ARGUMENT, "location.building: no control characters (line breaks and tab are allowed)")
    assert outcomes[2] == "OK"
    assert [r.description for r in servicer.reached] == ["fell\n\tdown"]



# -- the document says what the server enforces (item 5) --------------------------------------------------

@pytest.mark.parametrize("day", ["0000-00-00", "2026-02-30", "2026-13-01"])
def test_a_day_that_matches_the_pattern_but_is_no_day_is_refused_422(issuer_dir, day):
    client, _ = gateway(issuer_dir)

    response = client.get("/v1/figures/care", params={"community_id": "pilot", "from_day": day}, headers=bearer())

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["from_day"]


def test_a_whole_number_may_be_written_150_point_0_but_not_as_a_string_a_fraction_or_a_boolean():
    from pydantic import TypeAdapter, ValidationError

    from gateway.models import whole_number

    fen = TypeAdapter(whole_number(ge=0, le=1000))
    assert fen.validate_python(150.0) == 150 and fen.validate_python(150) == 150
    for refused in ("150", 1.5, True, 1001, -1):
        with pytest.raises(ValidationError):
            fen.validate_python(refused)


def test_the_published_document_states_the_shapes_the_server_enforces(issuer_dir):
    client, _ = gateway(issuer_dir)
    document = client.get("/openapi.json").json()
    care_request_get = document["paths"]["/v1/care-requests/{care_request_id}"]["get"]
    parameters = {p["name"]: p for p in care_request_get["parameters"]}
    schemas = document["components"]["schemas"]

    assert parameters["care_request_id"]["schema"]["pattern"] == "^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
    figures = {p["name"]: p for p in document["paths"]["/v1/figures/care"]["get"]["parameters"]}
    assert figures["from_day"]["schema"]["format"] == "date"
    listing = {p["name"]: p for p in document["paths"]["/v1/care-requests"]["get"]["parameters"]}
    assert listing["page_token"]["schema"]["anyOf"][0]["pattern"] == "^[A-Za-z0-9_-]{1,1024}$"
    assert schemas["CareRequestIn"]["properties"]["description"]["anyOf"][0]["pattern"] == PLAIN_TEXT
    assert {s["$ref"].rsplit("/", 1)[-1] for s in schemas["BoardStreamData"]["oneOf"]} == {"BoardEventData",
                                                                                         "BoardResetData"}
    links = document["paths"]["/v1/care-requests"]["post"]["responses"]["201"]["links"]
    assert links["get_care_request_v1_care_requests__care_request_id__get"]["parameters"] == {
        "care_request_id": "$response.body#/id"}
    assert document["paths"]["/v1/care-requests"]["get"]["responses"]["200"]["links"]["nextPage"]["parameters"][
        "page_token"] == "$response.body#/next_page_token"
