"""StaffService: care staff, their shifts and positions (what dispatch ranks)."""
from linli.eldercare.v1 import eldercare_pb2, staff_pb2 as pb
from linli.eldercare.v1 import staff_pb2_grpc as pb_grpc
from linli.kit.errors import NotFound, PermissionDenied
from linli.kit.identity import Caller, current_caller
from linli.kit.mongo import utcnow
from linli.kit.protomap import enum_name, enum_number, timestamp
from services.eldercare import messages
from services.eldercare.domain import staff
from services.eldercare.store.staff import StaffStore


def staff_message(member: staff.StaffMember) -> pb.StaffMember:
    return pb.StaffMember(
        id=member.id, community_id=member.community_id, name=member.name, phone=member.phone,
        skills=sorted(enum_number(eldercare_pb2.CareKind, kind) for kind in member.skills),
        on_shift=member.on_shift, shift_started_at=timestamp(member.shift_started_at),
        position=messages.geo_point_message(member.position), position_at=timestamp(member.position_at),
    )


class StaffApi(pb_grpc.StaffServiceServicer):
    def __init__(self, store: StaffStore, clock=utcnow):
        self.store = store
        self.clock = clock

    def _visible(self, caller: Caller, staff_id: str) -> staff.StaffMember:
        member = self.store.get(staff_id) if staff.ID_PATTERN.match(staff_id) else None
        if member is None or not (caller.subject == member.id or staff.may_manage(caller, member.community_id)):
            raise NotFound(f"staff member {staff_id} not found")
        return member

    def RegisterStaff(self, request, context):
        skills = frozenset(enum_name(eldercare_pb2.CareKind, k) if k in eldercare_pb2.CareKind.values() else "?"
                           for k in request.skills)
        member = staff.register(current_caller(), staff.StaffMember(
            request.id, request.community_id, request.name.strip(), request.phone, skills))
        return pb.RegisterStaffResponse(staff_member=staff_message(self.store.add(member)))

    def GetStaffMember(self, request, context):
        return pb.GetStaffMemberResponse(staff_member=staff_message(self._visible(current_caller(), request.id)))

    def ListStaff(self, request, context):
        caller = current_caller()
        if not staff.may_manage(caller, request.community_id):
            raise PermissionDenied(f"only operators serving community {request.community_id} may list its staff")
        members = self.store.in_community(request.community_id, request.on_shift_only)
        return pb.ListStaffResponse(staff=[staff_message(m) for m in members])

    def StartShift(self, request, context):
        caller = current_caller()
        member = staff.start_shift(caller, self._visible(caller, request.id or caller.subject), self.clock())
        return pb.StartShiftResponse(staff_member=staff_message(self.store.update(member)))

    def EndShift(self, request, context):
        caller = current_caller()
        member = staff.end_shift(caller, self._visible(caller, request.id or caller.subject))
        return pb.EndShiftResponse(staff_member=staff_message(self.store.update(member)))

    def ReportPosition(self, request, context):
        caller = current_caller()
        member = self._visible(caller, caller.subject)
        moved = staff.report_position(caller, member, messages.geo_point(request.position), self.clock())
        return pb.ReportPositionResponse(staff_member=staff_message(self.store.update(moved)))
