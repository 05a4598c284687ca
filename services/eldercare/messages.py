"""Translation between the domain's dataclasses and the eldercare proto messages."""
from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.kit.protomap import datetime_of, enum_name, enum_number, timestamp
from services.eldercare.domain.care_requests import CareRequest, Location, NewCareRequest

STATUS = {"raised": pb.CARE_REQUEST_STATUS_RAISED, "acknowledged": pb.CARE_REQUEST_STATUS_ACKNOWLEDGED}


def new_care_request(message: pb.RaiseCareRequestRequest) -> NewCareRequest:
    loc = message.location
    return NewCareRequest(
        community_id=message.community_id,
        elder_id=message.elder_id,
        # An unknown or unspecified enum becomes "" and fails validation with a clear message.
        kind=enum_name(pb.CareKind, message.kind) if message.kind in pb.CareKind.values() else "",
        channel=enum_name(pb.Channel, message.channel) if message.channel in pb.Channel.values() else "",
        location=Location(loc.building, loc.unit, loc.floor, loc.detail),
        description=message.description,
        request_id=message.request_id,
    )


def care_request(request: CareRequest) -> pb.CareRequest:
    loc = request.location
    return pb.CareRequest(
        id=request.id,
        community_id=request.community_id,
        elder_id=request.elder_id,
        kind=enum_number(pb.CareKind, request.kind),
        status=STATUS[request.status],
        priority=request.priority,
        channel=enum_number(pb.Channel, request.channel),
        location=pb.Location(building=loc.building, unit=loc.unit, floor=loc.floor, detail=loc.detail),
        description=request.description,
        raised_by=request.raised_by,
        raised_at=timestamp(request.raised_at),
        acknowledge_due_at=timestamp(request.acknowledge_due_at),
        acknowledged_at=timestamp(request.acknowledged_at),
        acknowledged_by=request.acknowledged_by,
        escalation_level=request.escalation_level,
        escalated_at=timestamp(request.escalated_at),
        version=request.version,
    )


def from_care_request(message: pb.CareRequest) -> CareRequest:
    """The domain's view of a care request carried in an event."""
    loc = message.location
    status = {number: name for name, number in STATUS.items()}[message.status]

    def at(field: str):
        return datetime_of(getattr(message, field)) if message.HasField(field) else None

    return CareRequest(
        id=message.id, community_id=message.community_id, elder_id=message.elder_id,
        kind=enum_name(pb.CareKind, message.kind), channel=enum_name(pb.Channel, message.channel),
        priority=message.priority, raised_by=message.raised_by, raised_at=at("raised_at"),
        acknowledge_due_at=at("acknowledge_due_at"),
        location=Location(loc.building, loc.unit, loc.floor, loc.detail), description=message.description,
        status=status, acknowledged_at=at("acknowledged_at"), acknowledged_by=message.acknowledged_by,
        escalation_level=message.escalation_level, escalated_at=at("escalated_at"), version=message.version,
    )
