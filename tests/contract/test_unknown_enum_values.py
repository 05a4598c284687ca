"""Every rpc of every service, internal and partner-facing, refuses an enum number its proto does not define:
INVALID_ARGUMENT with a google.rpc BadRequest violation naming the field, for top-level, nested and repeated
enum fields alike. proto3 keeps such a number as it came; a service reading it as "unspecified" would quietly
ignore what the caller asked (UpdateTaskStatus(status=77) once answered OK and bumped the version).

The walk goes over the descriptors, so an rpc or an enum field added later is covered without touching this
test. The number is refused before anything is looked up, so no call needs an existing object: ids are left
empty and still the answer names the enum field."""
import grpc
import pytest
from google.protobuf import descriptor as d
from google.protobuf import message_factory
from google.rpc import error_details_pb2, status_pb2

from linli.clinic.partner.v1 import partner_pb2
from linli.clinic.v1 import audit_pb2, patients_pb2, referrals_pb2, teleconsultations_pb2, triage_pb2
from linli.eldercare.v1 import eldercare_pb2, meals_pb2, residents_pb2, staff_pb2
from linli.employment.v1 import fairs_pb2, jobs_pb2, seekers_pb2, training_pb2, workshop_pb2
from linli.kit.identity import Caller
from linli.volunteer.v1 import volunteer_pb2
from tests.contract.clinic_stack import CITY, clinic, partner_channel  # noqa: F401 (fixtures)
from tests.contract.employment_stack import employment_channel, employment_stack  # noqa: F401 (fixtures)
from tests.contract.volunteer_stack import volunteer_channel, volunteer_stack  # noqa: F401 (fixtures)

# Which api process serves each proto module (the channel fixture that reaches it).
SERVED_BY = {
    "clinic": [patients_pb2, teleconsultations_pb2, referrals_pb2, triage_pb2, audit_pb2],
    "partner": [partner_pb2],
    "eldercare": [eldercare_pb2, meals_pb2, residents_pb2, staff_pb2],
    "employment": [fairs_pb2, jobs_pb2, seekers_pb2, training_pb2, workshop_pb2],
    "volunteer": [volunteer_pb2],
}
# Someone the internal apis accept as a caller; the number is refused before any rule about who may do what.
ADMIN = Caller("admin-enum-walk", frozenset({"administrator"}), frozenset({"donghuayuan"})).to_metadata()


def enum_field_paths(message: d.Descriptor, path: tuple = ()) -> list[tuple[d.FieldDescriptor, ...]]:
    """Each enum field reachable from message, as the chain of fields leading to it."""
    found = []
    for field in message.fields:
        if field.enum_type is not None:
            found.append((*path, field))
        elif (field.message_type is not None and not field.message_type.full_name.startswith("google.")
              and field.message_type not in [f.message_type for f in path]):  # no endless recursion
            found.extend(enum_field_paths(field.message_type, (*path, field)))
    return found


def cases():
    for server, modules in SERVED_BY.items():
        for module in modules:
            for service in module.DESCRIPTOR.services_by_name.values():
                for method in service.methods:
                    for chain in enum_field_paths(method.input_type):
                        name = ".".join(f.name for f in chain)
                        yield pytest.param(server, service, method, chain, id=f"{service.name}.{method.name}.{name}")


def with_unknown_number(method: d.MethodDescriptor, chain) -> tuple[bytes, str]:
    """The method's request with the enum at the end of chain set to a number its enum lacks (a repeated
    enum gets a good value first, so the bad one is at [1]); and the field path the answer must name."""
    request = message_factory.GetMessageClass(method.input_type)()
    holder, names = request, []
    for field in chain[:-1]:
        if field.is_repeated:
            holder = getattr(holder, field.name).add()
            names.append(f"{field.name}[0]")
        else:
            holder = getattr(holder, field.name)
            holder.SetInParent()
            names.append(field.name)
    last = chain[-1]
    unknown = max(v.number for v in last.enum_type.values) + 77
    if last.is_repeated:
        known = [v.number for v in last.enum_type.values if v.number][0]
        getattr(holder, last.name).extend([known, unknown])
        names.append(f"{last.name}[1]")
    else:
        setattr(holder, last.name, unknown)
        names.append(last.name)
    return request.SerializeToString(), ".".join(names)


@pytest.fixture(scope="module")
def channels(request, clinic, employment_channel, volunteer_channel):  # noqa: F811 (fixtures)
    eldercare = request.getfixturevalue("channel")  # tests/contract/conftest.py: the eldercare api
    with grpc.insecure_channel(clinic.api) as internal, partner_channel(clinic, CITY) as partner:
        yield {"clinic": internal, "partner": partner, "eldercare": eldercare, "employment": employment_channel,
               "volunteer": volunteer_channel}


def call(channel: grpc.Channel, service: d.ServiceDescriptor, method: d.MethodDescriptor, payload: bytes,
         metadata) -> grpc.RpcError:
    path = f"/{service.full_name}/{method.name}"
    with pytest.raises(grpc.RpcError) as caught:
        if method.server_streaming:
            for _ in channel.unary_stream(path)(payload, metadata=metadata, timeout=10):
                pass
        else:
            channel.unary_unary(path)(payload, metadata=metadata, timeout=10)
    return caught.value


def field_violations(error: grpc.RpcError) -> dict[str, str]:
    [details] = [value for key, value in error.trailing_metadata() or () if key == "grpc-status-details-bin"]
    bad_request = error_details_pb2.BadRequest()
    assert status_pb2.Status.FromString(details).details[0].Unpack(bad_request)
    return {v.field: v.description for v in bad_request.field_violations}


def test_the_walk_reaches_enum_fields_nested_and_repeated_in_every_service():
    names = {param.id for param in cases()}
    assert {"PartnerExchangeService.UpdateTaskStatus.status", "ReferralService.UpdateReferralTask.status",
            "PartnerExchangeService.SubmitReferral.content.priority", "PartnerExchangeService.ListReferrals.statuses",
            "JobService.ImportVacancies.vacancies.draft.schedule"} <= names
    assert {server for server, *_ in (p.values for p in cases())} == set(SERVED_BY)


@pytest.mark.parametrize("server, service, method, chain", list(cases()))
def test_an_enum_number_nobody_defined_is_invalid_argument_naming_the_field(channels, server, service, method,
                                                                            chain):
    payload, field = with_unknown_number(method, chain)
    error = call(channels[server], service, method, payload, None if server == "partner" else ADMIN)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, f"{error.code().name}: {error.details()}"
    assert field in error.details()
    violations = field_violations(error)
    assert list(violations) == [field] and chain[-1].enum_type.name in violations[field]


def test_a_request_with_hundreds_of_bad_values_is_still_told_which_within_the_trailers_limit(channels):
    """A client refuses trailers past 8 KiB (RESOURCE_EXHAUSTED, what was wrong never reaching it): the
    answer names as many fields as fit, and says how many more there are."""
    request = partner_pb2.ListReferralsRequest(statuses=[1000 + n for n in range(300)])
    service = partner_pb2.DESCRIPTOR.services_by_name["PartnerExchangeService"]
    error = call(channels["partner"], service, service.methods_by_name["ListReferrals"], request.SerializeToString(),
                 None)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, f"{error.code().name}: {error.details()}"
    violations = field_violations(error)
    assert "statuses[0]" in violations and "statuses[299]" not in violations
    assert violations[""].startswith("and ") and violations[""].endswith("more field(s) not shown")
