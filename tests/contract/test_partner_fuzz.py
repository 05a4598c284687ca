"""Fuzzing the partner exchange (the clinic api's mutual-TLS port, as its own process), as a listed partner
hospital whose software sends garbage: random bytes, fields of the wrong wire type, messages built from
the request types with random values (huge and odd strings, enum numbers nobody defined, timestamps
outside any calendar, long repeated fields), and messages past the size limit. Every call gets a clear
status (never INTERNAL or UNKNOWN), and the server is still serving at the end."""
import grpc
import pytest
from google.protobuf import descriptor as d
from grpc_health.v1 import health_pb2, health_pb2_grpc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.clinic.partner.v1 import partner_pb2
from tests.contract.clinic_stack import CITY, clinic, partner_channel  # noqa: F401 (fixtures)

SERVICE = partner_pb2.DESCRIPTOR.services_by_name["PartnerExchangeService"]
METHODS = {m.name: m for m in SERVICE.methods}
# What a caller may be told; anything else (INTERNAL, UNKNOWN, UNAVAILABLE, ...) is a bug of ours.
CLEAR = {grpc.StatusCode.OK, grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND,
         grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.ALREADY_EXISTS,
         grpc.StatusCode.ABORTED, grpc.StatusCode.OUT_OF_RANGE}
fuzz = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def channel(clinic):  # noqa: F811 (fixture)
    with partner_channel(clinic, CITY) as channel:
        yield channel


def call_raw(channel, method: d.MethodDescriptor, payload: bytes) -> tuple[grpc.StatusCode, str]:
    """Send bytes as the request, as a partner's broken client would; return the status and its message."""
    path = f"/{SERVICE.full_name}/{method.name}"
    try:
        if method.server_streaming:
            stream = channel.unary_stream(path)(payload, timeout=1.5)
            for _ in stream:
                pass
        else:
            channel.unary_unary(path)(payload, timeout=10)
    except grpc.RpcError as error:
        if method.server_streaming and error.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
            return grpc.StatusCode.OK, ""  # a watch that was accepted and kept open: fine
        return error.code(), error.details() or ""
    return grpc.StatusCode.OK, ""


def assert_clear(code: grpc.StatusCode, details: str, what: str) -> None:
    assert code in CLEAR, f"{what}: {code.name} {details!r}"
    if code != grpc.StatusCode.OK:
        assert details.strip(), f"{what}: {code.name} without a message"


# -- messages from the descriptors, with hostile values ------------------------------------------------

TEXT = st.one_of(st.text(max_size=50), st.sampled_from(["", " ", "\x00", "../../etc/passwd", "'; drop table --",
                                                         "🚑" * 300, "a" * 5000, "ref-" + "9" * 200]))
INT32 = st.one_of(st.integers(-(2**31), 2**31 - 1), st.sampled_from([0, -1, 2**31 - 1, -(2**31)]))
INT64 = st.integers(-(2**63), 2**63 - 1)


def value(field: d.FieldDescriptor, depth: int):
    if field.type == d.FieldDescriptor.TYPE_MESSAGE:
        return message(field.message_type, depth + 1)
    if field.type == d.FieldDescriptor.TYPE_STRING:
        return TEXT
    if field.type == d.FieldDescriptor.TYPE_BYTES:
        return st.binary(max_size=200)
    if field.type == d.FieldDescriptor.TYPE_BOOL:
        return st.booleans()
    if field.type in (d.FieldDescriptor.TYPE_DOUBLE, d.FieldDescriptor.TYPE_FLOAT):
        return st.floats(allow_nan=True, allow_infinity=True, width=32 if field.type == d.FieldDescriptor.TYPE_FLOAT
                         else 64)
    if field.type == d.FieldDescriptor.TYPE_ENUM:  # defined numbers and numbers nobody defined
        return st.one_of(st.sampled_from([v.number for v in field.enum_type.values]), INT32)
    if field.type in (d.FieldDescriptor.TYPE_INT64, d.FieldDescriptor.TYPE_SINT64, d.FieldDescriptor.TYPE_SFIXED64):
        return INT64
    if field.type in (d.FieldDescriptor.TYPE_UINT32, d.FieldDescriptor.TYPE_FIXED32):
        return st.integers(0, 2**32 - 1)
    if field.type in (d.FieldDescriptor.TYPE_UINT64, d.FieldDescriptor.TYPE_FIXED64):
        return st.integers(0, 2**64 - 1)
    return INT32


def message(descriptor: d.Descriptor, depth: int = 0):
    """Random instances of a message type, depth-limited; a Timestamp may be far outside any calendar."""
    cls = _classes[descriptor.full_name] if descriptor.full_name in _classes else _class_of(descriptor)
    if depth > 3:
        return st.just(cls())
    if descriptor.full_name == "google.protobuf.Timestamp":
        return st.builds(lambda s, n: cls(seconds=s, nanos=n), INT64, INT32)
    fields = {}
    for field in descriptor.fields:
        strategy = value(field, depth)
        if field.is_repeated:
            strategy = st.lists(strategy, max_size=60 if depth == 0 else 5)
        fields[field.name] = st.one_of(st.none(), strategy)

    def build(drawn: dict):
        instance = cls()
        for name, drawn_value in drawn.items():
            if drawn_value is None:
                continue
            field = descriptor.fields_by_name[name]
            target = getattr(instance, name)
            if field.is_repeated:
                if field.type == d.FieldDescriptor.TYPE_MESSAGE:
                    for item in drawn_value:
                        target.add().CopyFrom(item)
                else:
                    target.extend(drawn_value)
            elif field.type == d.FieldDescriptor.TYPE_MESSAGE:
                target.CopyFrom(drawn_value)
            else:
                setattr(instance, name, drawn_value)
        return instance

    return st.fixed_dictionaries(fields).map(build)


_classes: dict = {}


def _class_of(descriptor: d.Descriptor):
    from google.protobuf import message_factory

    _classes[descriptor.full_name] = message_factory.GetMessageClass(descriptor)
    return _classes[descriptor.full_name]


def wrong_wire_types(descriptor: d.Descriptor) -> list[bytes]:
    """For every field, its number with each wire type it does not have (and a truncated one)."""
    payloads = []
    for field in descriptor.fields:
        for wire, body in ((0, b"\x96\x01"), (1, b"\x00" * 8), (2, b"\x05hello"), (5, b"\x00" * 4), (2, b"\x7f")):
            payloads.append(bytes([(field.number << 3) | wire]) + body)
    return payloads


# -- the fuzzing --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(METHODS))
def test_random_bytes_get_a_clear_status(channel, name):
    @fuzz
    @given(payload=st.binary(max_size=512))
    def run(payload):
        assert_clear(*call_raw(channel, METHODS[name], payload), f"{name} {payload!r}")

    run()


@pytest.mark.parametrize("name", sorted(METHODS))
def test_fields_of_the_wrong_type_get_a_clear_status(channel, name):
    for payload in wrong_wire_types(METHODS[name].input_type):
        assert_clear(*call_raw(channel, METHODS[name], payload), f"{name} {payload!r}")


@pytest.mark.parametrize("name", sorted(METHODS))
def test_messages_with_hostile_values_get_a_clear_status(channel, name):
    method = METHODS[name]

    @fuzz
    @given(request=message(method.input_type))
    def run(request):
        assert_clear(*call_raw(channel, method, request.SerializeToString()), f"{name} {request}"[:2000])

    run()


def test_a_message_past_the_size_limit_is_refused_as_too_large(channel):
    request = partner_pb2.SubmitReferralRequest(request_id="big", patient_id="p" * (5 * 1024 * 1024))
    code, details = call_raw(channel, METHODS["SubmitReferral"], request.SerializeToString())
    assert code == grpc.StatusCode.RESOURCE_EXHAUSTED and details


def test_after_all_that_the_partner_port_still_serves(channel):
    reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
    assert reply.status == health_pb2.HealthCheckResponse.SERVING
