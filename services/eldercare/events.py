"""Events eldercare publishes (payloads in proto/linli/eldercare/v1/events.proto) and consumes."""

from google.protobuf import json_format

from linli.eldercare.v1 import eldercare_pb2, events_pb2
from linli.kit.events import envelope
from services.eldercare import messages
from services.eldercare.domain import care_requests as care

SOURCE = "eldercare"


def raised(request: care.CareRequest) -> dict:
    payload = events_pb2.CareRequestRaised(care_request=messages.care_request(request))
    return envelope(SOURCE, care.CARE_REQUEST_RAISED, request.community_id, payload, request.raised_at)


def acknowledged(request: care.CareRequest) -> dict:
    payload = events_pb2.CareRequestAcknowledged(care_request=messages.care_request(request))
    return envelope(SOURCE, care.CARE_REQUEST_ACKNOWLEDGED, request.community_id, payload,
                    request.acknowledged_at)


def escalated(request: care.CareRequest) -> dict:
    payload = events_pb2.CareRequestEscalated(
        care_request=messages.care_request(request),
        level=request.escalation_level,
        reason=care.escalation_reason(request),
    )
    return envelope(SOURCE, care.CARE_REQUEST_ESCALATED, request.community_id, payload, request.escalated_at)



def care_request_in(event: dict) -> care.CareRequest:
    """The care request an eldercare event carries (all three payloads hold one)."""
    payload = json_format.ParseDict(event["data"]["care_request"], eldercare_pb2.CareRequest(),
                                    ignore_unknown_fields=True)
    return messages.from_care_request(payload)
