"""Translation between the care-request domain's dataclasses and the eldercare proto messages."""
from linli.eldercare.v1 import common_pb2
from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.kit.protomap import datetime_of, enum_name, enum_number, known_enum_name, timestamp
from services.eldercare.domain.care_requests import (
    PHONE_GPS, Assignment, Call, CallGuest, CareRequest, Feedback, GeoPoint, Location, NewCareRequest, Transition, Visit)


def geo_point(message: common_pb2.GeoPoint | None) -> GeoPoint | None:
    return GeoPoint(message.latitude, message.longitude) if message is not None else None


def geo_point_message(point: GeoPoint | None) -> common_pb2.GeoPoint | None:
    return common_pb2.GeoPoint(latitude=point.latitude, longitude=point.longitude) if point else None


def new_care_request(message: pb.RaiseCareRequestRequest) -> NewCareRequest:
    loc = message.location
    return NewCareRequest(
        community_id=message.community_id,
        elder_id=message.elder_id,
        kind=known_enum_name(pb.CareKind, message.kind),
        channel=known_enum_name(pb.Channel, message.channel),
        location=Location(loc.building, loc.unit, loc.floor, loc.detail),
        description=message.description,
        request_id=message.request_id,
        scheduled_for=(datetime_of(message.scheduled_for, "scheduled_for") if message.HasField("scheduled_for")
                       else None),
        # A position in the request is the phone's own fix; the elder's home is filled in by the api.
        position=geo_point(message.position) if message.HasField("position") else None,
        position_source=PHONE_GPS if message.HasField("position") else "",
        position_accuracy_m=message.position_accuracy_m or None,
    )


def status_name(number: int) -> str:
    return known_enum_name(pb.CareRequestStatus, number)


def care_request(request: CareRequest) -> pb.CareRequest:
    loc, a, v, f = request.location, request.assignment, request.visit, request.feedback
    return pb.CareRequest(
        id=request.id,
        community_id=request.community_id,
        elder_id=request.elder_id,
        kind=enum_number(pb.CareKind, request.kind),
        status=enum_number(pb.CareRequestStatus, request.status),
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
        device_id=request.device_id,
        assignment=pb.Assignment(
            assignee_id=a.assignee_id, assignee_kind=enum_number(pb.AssigneeKind, a.assignee_kind),
            assignee_name=a.assignee_name, assigned_by=a.assigned_by, assigned_at=timestamp(a.assigned_at),
            accepted_at=timestamp(a.accepted_at), override_reason=a.override_reason,
            accept_due_at=timestamp(a.accept_due_at)) if a else None,
        eta=timestamp(request.eta),
        visit=pb.Visit(
            visitor_id=v.visitor_id, checked_in_at=timestamp(v.checked_in_at),
            checked_in_at_position=geo_point_message(v.position), distance_m=v.distance_m or 0.0,
            override_reason=v.override_reason, override_by=v.override_by,
            checked_out_at=timestamp(v.checked_out_at), notes=v.notes) if v else None,
        disposition=enum_number(pb.Disposition, request.disposition),
        cancel_reason=request.cancel_reason,
        history=[pb.Transition(status=enum_number(pb.CareRequestStatus, t.status), at=timestamp(t.at), by=t.by,
                               note=t.note) for t in request.history],
        feedback=pb.Feedback(rating=f.rating, comment=f.comment, rated_by=f.rated_by,
                             rated_at=timestamp(f.rated_at)) if f else None,
        escalated_to=request.escalated_to,
        position=geo_point_message(request.position),
        scheduled_for=timestamp(request.scheduled_for),
        position_source=enum_number(pb.PositionSource, request.position_source),
        position_accuracy_m=request.position_accuracy_m or 0.0,
        calls=[call_message(call) for call in request.calls],
    )


def call_message(call: Call) -> pb.Call:
    return pb.Call(
        id=call.id, media=enum_number(pb.CallMedia, call.media), state=enum_number(pb.CallState, call.state),
        direction=enum_number(pb.CallDirection, call.direction), device_id=call.device_id,
        offered_at=timestamp(call.offered_at), offered_by=call.offered_by, answered_at=timestamp(call.answered_at),
        answered_by=call.answered_by, ended_at=timestamp(call.ended_at),
        end_reason=enum_number(pb.CallEndReason, call.end_reason), ended_by=call.ended_by,
        duration_seconds=call.duration_seconds, callback_phone=call.callback_phone,
        guests=[guest_message(guest) for guest in call.guests], recording_allowed=call.recording_allowed)


def guest_message(guest: CallGuest) -> pb.CallGuest:
    return pb.CallGuest(id=guest.id, kind=enum_number(pb.CallGuestKind, guest.kind), subject=guest.subject,
                        invited_by=guest.invited_by, invited_at=timestamp(guest.invited_at),
                        expires_at=timestamp(guest.expires_at), joined_at=timestamp(guest.joined_at),
                        left_at=timestamp(guest.left_at))


def from_guest(message: pb.CallGuest) -> CallGuest:
    def at(name: str):
        return datetime_of(getattr(message, name)) if message.HasField(name) else None

    return CallGuest(message.id, enum_name(pb.CallGuestKind, message.kind), message.subject, message.invited_by,
                     at("invited_at"), at("expires_at"), joined_at=at("joined_at"), left_at=at("left_at"))


def from_call(message: pb.Call) -> Call:
    def at(name: str):
        return datetime_of(getattr(message, name)) if message.HasField(name) else None

    return Call(message.id, enum_name(pb.CallMedia, message.media), enum_name(pb.CallDirection, message.direction),
                message.device_id, at("offered_at"), message.offered_by, enum_name(pb.CallState, message.state),
                at("answered_at"), message.answered_by, at("ended_at"), enum_name(pb.CallEndReason, message.end_reason),
                message.ended_by, message.callback_phone, tuple(from_guest(g) for g in message.guests),
                message.recording_allowed)


def from_care_request(message: pb.CareRequest) -> CareRequest:
    """The domain's view of a care request carried in an event."""

    def at(holder, name: str):
        return datetime_of(getattr(holder, name)) if holder.HasField(name) else None

    loc = message.location
    a = message.assignment if message.HasField("assignment") else None
    v = message.visit if message.HasField("visit") else None
    f = message.feedback if message.HasField("feedback") else None
    return CareRequest(
        id=message.id, community_id=message.community_id, elder_id=message.elder_id,
        kind=enum_name(pb.CareKind, message.kind), channel=enum_name(pb.Channel, message.channel),
        priority=message.priority, raised_by=message.raised_by, raised_at=at(message, "raised_at"),
        acknowledge_due_at=at(message, "acknowledge_due_at"),
        location=Location(loc.building, loc.unit, loc.floor, loc.detail), description=message.description,
        status=status_name(message.status), acknowledged_at=at(message, "acknowledged_at"),
        acknowledged_by=message.acknowledged_by, escalation_level=message.escalation_level,
        escalated_at=at(message, "escalated_at"), version=message.version, device_id=message.device_id,
        position=geo_point(message.position) if message.HasField("position") else None,
        assignment=Assignment(a.assignee_id, enum_name(pb.AssigneeKind, a.assignee_kind), a.assignee_name,
                              a.assigned_by, at(a, "assigned_at"), at(a, "accept_due_at"), at(a, "accepted_at"),
                              a.override_reason) if a else None,
        eta=at(message, "eta"),
        visit=Visit(v.visitor_id, at(v, "checked_in_at"),
                    geo_point(v.checked_in_at_position) if v.HasField("checked_in_at_position") else None,
                    v.distance_m, v.override_reason, v.override_by, at(v, "checked_out_at"), v.notes) if v else None,
        disposition=enum_name(pb.Disposition, message.disposition), cancel_reason=message.cancel_reason,
        history=tuple(Transition(status_name(t.status), at(t, "at"), t.by, t.note) for t in message.history),
        feedback=Feedback(f.rating, f.comment, f.rated_by, at(f, "rated_at")) if f else None,
        scheduled_for=at(message, "scheduled_for"),
        position_source=enum_name(pb.PositionSource, message.position_source),
        position_accuracy_m=message.position_accuracy_m or None,
        calls=tuple(from_call(call) for call in message.calls),
    )
