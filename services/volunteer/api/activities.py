"""ActivityService: activities, shifts and attendance. Decode, apply the domain's rules, save through the
store, encode."""
import uuid

from linli.kit import pagination
from linli.kit.errors import NotFound, PermissionDenied
from linli.kit.identity import current_caller
from linli.kit.mongo import utcnow
from linli.kit.protomap import datetime_of
from linli.volunteer.v1 import volunteer_pb2 as pb
from linli.volunteer.v1 import volunteer_pb2_grpc as pb_grpc
from services.volunteer import checkout, events, messages
from services.volunteer.domain import activities as act
from services.volunteer.domain.volunteers import ID_PATTERN, coordinates
from services.volunteer.policy import DEFAULT_PLACE_RADIUS_M
from services.volunteer.store.activities import ActivityStore
from services.volunteer.store.volunteers import VolunteerStore


def _id(value: str) -> str:
    return value if ID_PATTERN.match(value) else "-"  # never matches a stored id: reported as not found


class ActivityApi(pb_grpc.ActivityServiceServicer):
    def __init__(self, store: ActivityStore, volunteers: VolunteerStore, clock=utcnow):
        self.store = store
        self.volunteers = volunteers
        self.clock = clock

    def _activity(self, activity_id: str) -> act.Activity:
        return act.check_activity_visible(current_caller(), self.store.activity(_id(activity_id)), activity_id)

    def _attendance(self, attendance_id: str) -> act.Attendance:
        return act.check_visible(current_caller(), self.store.get(_id(attendance_id)), attendance_id)

    def CreateActivity(self, request, context):
        place = request.place
        position = messages.geo_point(place.position)  # unset: 0,0, refused by validation
        activity = act.create_activity(current_caller(), act.Activity(
            str(uuid.uuid4()), request.community_id, request.title, request.description,
            act.Place(place.name.strip(), position, place.radius_m or DEFAULT_PLACE_RADIUS_M)), self.clock())
        return pb.CreateActivityResponse(activity=messages.activity_message(self.store.add_activity(activity)))

    def GetActivity(self, request, context):
        return pb.GetActivityResponse(activity=messages.activity_message(self._activity(request.id)))

    def ListActivities(self, request, context):
        if not act.may_see_activities(current_caller(), request.community_id):
            raise PermissionDenied(f"you do not serve or live in community {request.community_id}")
        size = pagination.page_size(request.page_size)
        page = self.store.list_activities(request.community_id, pagination.position(request.page_token, 2), size + 1)
        return pb.ListActivitiesResponse(
            activities=[messages.activity_message(a) for a in page[:size]],
            next_page_token=pagination.next_token(page, size, lambda a: [a.created_at.isoformat(), a.id]))

    def AddShift(self, request, context):
        activity = self._activity(request.activity_id)
        starts = datetime_of(request.starts_at) if request.HasField("starts_at") else None
        ends = datetime_of(request.ends_at) if request.HasField("ends_at") else None
        shift = act.add_shift(current_caller(), activity, act.Shift(
            str(uuid.uuid4()), activity.id, activity.community_id, request.title, starts, ends, request.capacity),
            self.clock())
        return pb.AddShiftResponse(shift=messages.shift_message(self.store.add_shift(shift)))

    def ListShifts(self, request, context):
        activity = self._activity(request.activity_id)
        return pb.ListShiftsResponse(shifts=[messages.shift_message(s) for s in self.store.shifts_of(activity.id)])

    def SignUp(self, request, context):
        caller = current_caller()
        shift = act.check_shift(self.store.shift(_id(request.shift_id)), request.shift_id, caller)
        volunteer_id = request.volunteer_id or caller.subject
        volunteer = self.volunteers.get(_id(volunteer_id))
        if volunteer is None or not (caller.subject == volunteer.id or coordinates(caller, volunteer.community_id)):
            raise NotFound(f"volunteer {volunteer_id} not found")
        now = self.clock()
        attendance = act.sign_up(caller, volunteer, shift, str(uuid.uuid4()), now)
        event = events.signed_up_event(attendance, shift, self.store.activity(shift.activity_id), now)
        signed_up = self.store.sign_up(attendance, shift, event)
        return pb.SignUpResponse(attendance=messages.attendance_message(signed_up))

    def ConfirmAttendance(self, request, context):
        confirmed = act.confirm(current_caller(), self._attendance(request.id), self.clock())
        return pb.ConfirmAttendanceResponse(attendance=messages.attendance_message(self.store.update(confirmed)))

    def WithdrawAttendance(self, request, context):
        now = self.clock()
        withdrawn = act.withdraw(current_caller(), self._attendance(request.id), request.reason, now)
        saved = self.store.update(withdrawn, event=events.withdrawn_event(withdrawn, now))
        return pb.WithdrawAttendanceResponse(attendance=messages.attendance_message(saved))

    def CheckIn(self, request, context):
        caller = current_caller()
        attendance = self._attendance(request.id)
        activity = self.store.activity(attendance.activity_id)
        position = messages.geo_point(request.position) if request.HasField("position") else None
        now = self.clock()

        def work(session):
            # "Not while checked in elsewhere" is read holding the volunteer's time: two check-ins of one
            # volunteer at once conflict, and the one retried sees the other.
            elsewhere = self.store.checked_in_elsewhere(attendance.volunteer_id, attendance.id, session=session)
            checked_in = act.check_in(caller, attendance, activity, position, request.override_reason, now, elsewhere)
            return self.store.update(checked_in, session)

        checked_in = self.store.ledger.holding(attendance.volunteer_id, work)
        return pb.CheckInResponse(attendance=messages.attendance_message(checked_in))

    def CheckOut(self, request, context):
        caller, now = current_caller(), self.clock()
        attendance = self._attendance(request.id)
        closed, _ = checkout.close(self.store, self.volunteers, attendance, caller, now, auto=False)
        return pb.CheckOutResponse(attendance=messages.attendance_message(closed))

    def GetAttendance(self, request, context):
        return pb.GetAttendanceResponse(attendance=messages.attendance_message(self._attendance(request.id)))

    def ListShiftAttendance(self, request, context):
        caller = current_caller()
        shift = act.check_shift(self.store.shift(_id(request.shift_id)), request.shift_id, caller)
        if not coordinates(caller, shift.community_id):
            raise PermissionDenied("only coordinators serving this community see a shift's attendance")
        return pb.ListShiftAttendanceResponse(
            attendance=[messages.attendance_message(a) for a in self.store.of_shift(shift.id)])

    def ListMyAttendance(self, request, context):
        caller = current_caller()
        if not caller.has_role("volunteer"):
            raise PermissionDenied("only volunteers have attendance of their own")
        size = pagination.page_size(request.page_size)
        page = self.store.of_volunteer(caller.subject, pagination.position(request.page_token, 2), size + 1)
        return pb.ListMyAttendanceResponse(
            attendance=[messages.attendance_message(a) for a in page[:size]],
            next_page_token=pagination.next_token(page, size, lambda a: [a.shift_starts_at.isoformat(), a.id]))

