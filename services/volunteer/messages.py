"""Translation between the volunteer domain's dataclasses and the linli.volunteer.v1 proto messages."""
from linli.kit.protomap import datetime_of, enum_number, timestamp
from linli.volunteer.v1 import volunteer_pb2 as pb
from services.volunteer.domain import activities as act
from services.volunteer.domain import hours
from services.volunteer.domain.certificates import Certificate
from services.volunteer.domain.volunteers import GeoPoint, Slot, Volunteer


def geo_point(message: pb.GeoPoint) -> GeoPoint:
    return GeoPoint(message.latitude, message.longitude)


def geo_point_message(point: GeoPoint | None) -> pb.GeoPoint | None:
    return pb.GeoPoint(latitude=point.latitude, longitude=point.longitude) if point else None


def at(holder, name: str):
    return datetime_of(getattr(holder, name)) if holder.HasField(name) else None


def volunteer(message: pb.Volunteer) -> Volunteer:
    return Volunteer(
        id=message.id, community_id=message.community_id, name=message.name, phone=message.phone,
        resident_id=message.resident_id, party_member=message.party_member, branch=message.branch.strip(),
        skills=frozenset(message.skills),
        availability=tuple(Slot(s.weekday, s.start, s.end) for s in message.availability),
        home=geo_point(message.home) if message.HasField("home") else None, active=message.active)


def volunteer_message(v: Volunteer) -> pb.Volunteer:
    return pb.Volunteer(
        id=v.id, community_id=v.community_id, name=v.name, phone=v.phone, resident_id=v.resident_id,
        party_member=v.party_member, branch=v.branch, skills=sorted(v.skills),
        availability=[pb.AvailabilitySlot(weekday=s.weekday, start=s.start, end=s.end) for s in v.availability],
        home=geo_point_message(v.home), active=v.active, registered_by=v.registered_by,
        registered_at=timestamp(v.registered_at), version=v.version)


def activity_message(a: act.Activity) -> pb.Activity:
    return pb.Activity(id=a.id, community_id=a.community_id, title=a.title, description=a.description,
                       place=pb.Place(name=a.place.name, position=geo_point_message(a.place.position),
                                      radius_m=a.place.radius_m),
                       created_by=a.created_by, created_at=timestamp(a.created_at))


def shift_message(s: act.Shift) -> pb.Shift:
    return pb.Shift(id=s.id, activity_id=s.activity_id, community_id=s.community_id, title=s.title,
                    starts_at=timestamp(s.starts_at), ends_at=timestamp(s.ends_at), capacity=s.capacity,
                    taken=s.taken)


def attendance_message(a: act.Attendance) -> pb.Attendance:
    return pb.Attendance(
        id=a.id, community_id=a.community_id, activity_id=a.activity_id, shift_id=a.shift_id,
        volunteer_id=a.volunteer_id, status=enum_number(pb.AttendanceStatus, a.status),
        shift_starts_at=timestamp(a.shift_starts_at), shift_ends_at=timestamp(a.shift_ends_at),
        checked_in_at=timestamp(a.checked_in_at), check_in_position=geo_point_message(a.check_in_position),
        check_in_distance_m=a.check_in_distance_m or 0.0, override_reason=a.override_reason,
        override_by=a.override_by, checked_out_at=timestamp(a.checked_out_at), auto_closed=a.auto_closed,
        flags=list(a.flags), credited_minutes=a.credited_minutes, hours_entry_id=a.hours_entry_id,
        history=[pb.AttendanceTransition(status=enum_number(pb.AttendanceStatus, t.status), at=timestamp(t.at),
                                         by=t.by, note=t.note) for t in a.history])


def entry_message(e: hours.HoursEntry) -> pb.HoursEntry:
    return pb.HoursEntry(
        id=e.id, community_id=e.community_id, volunteer_id=e.volunteer_id, volunteer_name=e.volunteer_name,
        kind=enum_number(pb.EntryKind, e.kind), minutes=e.minutes, started_at=timestamp(e.started_at),
        ended_at=timestamp(e.ended_at), day=e.day, source=enum_number(pb.EntrySource, e.source),
        source_id=e.source_id, description=e.description, beneficiary_id=e.beneficiary_id,
        beneficiary_confirmation=enum_number(pb.BeneficiaryConfirmation, e.beneficiary_confirmation),
        beneficiary_comment=e.beneficiary_comment, status=enum_number(pb.EntryStatus, e.status),
        recorded_at=timestamp(e.recorded_at), recorded_by=e.recorded_by, decided_at=timestamp(e.decided_at),
        decided_by=e.decided_by, decision_note=e.decision_note, reverses_id=e.reverses_id,
        reversed_by_id=e.reversed_by_id, flags=list(e.flags))


def certificate_message(c: Certificate) -> pb.Certificate:
    return pb.Certificate(
        code=c.code, community_id=c.community_id, community_name=c.community_name, volunteer_id=c.volunteer_id,
        volunteer_name=c.volunteer_name, party_member=c.party_member, branch=c.branch, from_day=c.from_day,
        to_day=c.to_day, verified_minutes=c.verified_minutes, services=c.services, issued_at=timestamp(c.issued_at),
        issued_by=c.issued_by, issuer=c.issuer)
