"""EldercareService: care requests. Decode the request, apply the domain's rules, save through the
store, encode the reply."""
import hashlib
from datetime import timedelta
import logging
import secrets
import uuid
from typing import Callable

from google.protobuf import json_format
from google.protobuf.timestamp_pb2 import Timestamp

from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.eldercare.v1 import eldercare_pb2_grpc as pb_grpc
from linli.kit import pagination, rpc
from linli.kit.errors import Aborted, InvalidArgument, NotFound, PermissionDenied
from linli.kit.identity import Caller, current_caller
from linli.kit.mongo import utcnow
from linli.kit.protomap import enum_number, known_enum_name, timestamp
from services.eldercare import metrics as care_metrics
from services.eldercare import events, messages, usecases
from services.eldercare.domain import care_requests as care
from services.eldercare.domain import figures, recordings, residents, staff
from services.eldercare.store.care_requests import CareRequestStore
from services.eldercare.store.staff import StaffStore

FamilyLookup = Callable[[Caller], frozenset[str]]
# The registered elder with this id, or None.
ElderLookup = Callable[[str], "residents.Elder | None"]
# An elder's terminal that can take a call: (device id, call media, the elder's phone), or None.
TerminalLookup = Callable[[str], "tuple[str, str, str] | None"]


def _care_request_id(value: str) -> str:
    if not care.ID_PATTERN.match(value):
        raise InvalidArgument("id is required", {"id": "a care request id"})
    return value


def _limit(requested: int, default: int, maximum: int, field: str) -> int:
    if requested == 0:
        return default
    if not 1 <= requested <= maximum:
        raise InvalidArgument(f"{field} must be 1 to {maximum}", {field: f"1 to {maximum}"})
    return requested


def _board_position(request: care.CareRequest) -> list:
    """Where a request stands in the board's order: priority, waiting since (the store's waiting_since), id."""
    return [request.priority, request.clock_starts_at.isoformat(), request.id]


def _upcoming_position(request: care.CareRequest) -> list:
    """Where an upcoming visit stands in its list: scheduled time, id."""
    return [request.scheduled_for.isoformat(), request.id]


_CALL_ROLES = {care.TERMINAL: pb.CALL_PARTICIPANT_ROLE_TERMINAL, care.OPERATOR: pb.CALL_PARTICIPANT_ROLE_OPERATOR,
               care.GUEST_FAMILY: pb.CALL_PARTICIPANT_ROLE_FAMILY,
               care.GUEST_CLINICIAN: pb.CALL_PARTICIPANT_ROLE_CLINICIAN,
               care.GUEST_SPECIALIST: pb.CALL_PARTICIPANT_ROLE_SPECIALIST}
DEFAULT_INVITATION_SECONDS = 600


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest() if token else ""


class EldercareApi(pb_grpc.EldercareServiceServicer):
    def __init__(self, store: CareRequestStore, staff_store: StaffStore, policy,
                 clock=utcnow, family_of: FamilyLookup = lambda caller: frozenset(),
                 elder_of: ElderLookup = lambda elder_id: None,
                 terminal_of: TerminalLookup = lambda elder_id: None, recordings=None,
                 recording_retention: timedelta = timedelta(days=30)):
        self.store = store
        self.staff = staff_store
        self.policy = policy
        self.clock = clock
        # Which elders a family member belongs to, from the elders' registered contacts.
        self.family_of = family_of
        # The elders' records: a call is only for a registered elder, and goes to their home.
        self.elder_of = elder_of
        self.terminal_of = terminal_of
        # Call recordings (store/recordings.py) and how long they are kept.
        self.recordings = recordings
        self.recording_retention = recording_retention

    def _visible(self, caller: Caller, care_id: str) -> care.CareRequest:
        care_id = _care_request_id(care_id)
        return care.check_visible(caller, self.store.get(care_id), care_id, self.family_of(caller))

    def _change(self, care_id: str, event_type: str, transition) -> pb.CareRequest:
        return messages.care_request(self._changed(care_id, event_type, transition))

    def _changed(self, care_id: str, event_type: str, transition) -> care.CareRequest:
        """Load what the caller may see, apply one domain transition, save it with its event."""
        caller, now = current_caller(), self.clock()
        changed = transition(caller, self._visible(caller, care_id), now)
        self.store.update(changed, events.care_request_event(event_type, changed, now))
        return changed

    def RaiseCareRequest(self, request, context):
        caller = current_caller()
        saved = usecases.raise_care_request(caller, messages.new_care_request(request), store=self.store,
                                            elder_of=self.elder_of, policy=self.policy, now=self.clock(),
                                            family_of=self.family_of(caller))
        return pb.RaiseCareRequestResponse(care_request=messages.care_request(saved))

    def GetCareRequest(self, request, context):
        found = self._visible(current_caller(), request.id)
        return pb.GetCareRequestResponse(care_request=messages.care_request(found))

    def JoinCall(self, request, context):
        caller, now = current_caller(), self.clock()
        care_id = _care_request_id(request.care_request_id)
        found = self.store.get(care_id)
        token_sha256 = _sha256(request.invitation_token)
        role = care.call_role(caller, found, care_id, self.family_of(caller), now, token_sha256)
        guest = care.guest_of(caller, found, now, self.family_of(caller), token_sha256) \
            if role in care.GUEST_KINDS else None
        if guest is not None and request.entering:
            found = self._call_change(care_id, lambda caller, current, now: (
                care.record_guest_presence(caller, current, guest.id, True, now, self.family_of(caller), token_sha256),
                care.CARE_REQUEST_CALL_GUEST_JOINED), check_visible=False)
            return pb.JoinCallResponse(care_request=found, role=_CALL_ROLES[role], guest_id=guest.id)
        return pb.JoinCallResponse(care_request=messages.care_request(found), role=_CALL_ROLES[role],
                                   guest_id=guest.id if guest else "")

    def LeaveCall(self, request, context):
        """The gateway, as the guest whose stream closed, records them leaving (even past the expiry)."""
        token_sha256 = _sha256(request.invitation_token)
        self._call_change(request.care_request_id, lambda caller, current, now: (
            care.record_guest_presence(caller, current, request.guest_id, False, now, self.family_of(caller),
                                       token_sha256), care.CARE_REQUEST_CALL_GUEST_LEFT), check_visible=False)
        return pb.LeaveCallResponse()

    def InviteToCall(self, request, context):
        kind = known_enum_name(pb.CallGuestKind, request.kind)
        token = secrets.token_urlsafe(32) if kind == care.GUEST_SPECIALIST else ""
        guest_id = str(uuid.uuid4())

        def invite(caller, found, now):
            elder = self.elder_of(found.elder_id)
            elder_family = frozenset(c.user_id for c in elder.details.contacts if c.user_id) if elder else frozenset()
            invited = care.invite_to_call(caller, found, guest_id, kind, request.subject,
                                          request.expires_in_seconds or DEFAULT_INVITATION_SECONDS, _sha256(token),
                                          now, elder_family, self.family_of(caller))
            return invited, care.CARE_REQUEST_CALL_GUEST_INVITED

        changed = self._call_change(request.care_request_id, invite, check_visible=False)
        guest = next(g for call in changed.calls for g in call.guests if g.id == guest_id)
        return pb.InviteToCallResponse(care_request=changed, guest=guest, invitation_token=token)

    def _call_change(self, care_id: str, transition, check_visible: bool = True) -> pb.CareRequest:
        """A call transition, retried once when another one got there first: the second answer then hears
        "already answered by ..." rather than "changed concurrently". check_visible=False: the transition
        decides who may (a guest, who may not see the request, joins its call)."""
        for attempt in (1, 2):
            caller, now = current_caller(), self.clock()
            care_id = _care_request_id(care_id)
            found = self.store.get(care_id)
            if found is None or (check_visible and not (care.visible_to(caller, found, self.family_of(caller))
                                                        or care.is_terminal_of(caller, found))):
                raise NotFound(f"care request {care_id} not found")
            changed, event_type = transition(caller, found, now)
            try:
                self.store.update(changed, events.care_request_event(event_type, changed, now))
            except Aborted:
                if attempt == 2:
                    raise
                continue
            return messages.care_request(changed)

    def AnswerCall(self, request, context):
        return pb.AnswerCallResponse(care_request=self._call_change(
            request.care_request_id, lambda caller, found, now: care.answer_call(
                caller, found, request.call_id, now, self._consents_to_recording(found.elder_id))))

    def _consents_to_recording(self, elder_id: str) -> bool:
        elder = self.elder_of(elder_id)
        return elder is not None and residents.has_consent(elder, residents.RECORDING)

    # -- recordings

    def StoreCallRecording(self, request, context):
        caller, now = current_caller(), self.clock()
        found = self._visible(caller, request.care_request_id)
        audio = bytes(request.audio)
        recorded = recordings.record(caller, found, request.call_id, self._consents_to_recording(found.elder_id),
                                     request.content_type, len(audio), hashlib.sha256(audio).hexdigest(),
                                     str(uuid.uuid4()), now, self.recording_retention)
        self.recordings.add(recorded, audio, recordings.access(recorded, recordings.STORED, caller.subject, now))
        return pb.StoreCallRecordingResponse(recording=_recording_message(recorded))

    def ListCallRecordings(self, request, context):
        caller, now = current_caller(), self.clock()
        found = self._visible(caller, request.care_request_id)
        recordings.check_may_listen(caller, found)
        listed = self.recordings.list_for(found.id, caller.subject, now, recordings.LISTED)
        return pb.ListCallRecordingsResponse(recordings=[_recording_message(r) for r in listed])

    def GetCallRecording(self, request, context):
        caller, now = current_caller(), self.clock()
        found = self._visible(caller, request.care_request_id)
        recordings.check_may_listen(caller, found)
        fetched = self.recordings.fetch(request.recording_id, found.id, caller.subject, recordings.FETCHED, now)
        if fetched is None:
            raise NotFound(f"care request {found.id} has no recording {request.recording_id}")
        recording, audio = fetched
        return pb.GetCallRecordingResponse(recording=_recording_message(recording), audio=audio)

    def ListRecordingAccesses(self, request, context):
        caller = current_caller()
        found = self._visible(caller, request.care_request_id)
        recordings.check_may_audit(caller, found)
        return pb.ListRecordingAccessesResponse(accesses=[
            pb.RecordingAccess(recording_id=a.recording_id, care_request_id=a.care_request_id, action=a.action,
                               by=a.by, at=timestamp(a.at)) for a in self.recordings.accesses_of(found.id)])

    def EndCall(self, request, context):
        reason = known_enum_name(pb.CallEndReason, request.reason)

        def end(caller, found, now):
            return care.end_call(caller, found, request.call_id, reason, now), care.CARE_REQUEST_CALL_ENDED

        return pb.EndCallResponse(care_request=self._call_change(request.care_request_id, end))

    def RingTerminal(self, request, context):
        media = known_enum_name(pb.CallMedia, request.media)

        def ring(caller, found, now):
            device_id, device_media, phone = self.terminal_of(found.elder_id) or ("", "", "")
            rung = care.ring_terminal(caller, found, str(uuid.uuid4()), device_id, device_media, media, now, phone)
            return rung, care.CARE_REQUEST_CALL_OFFERED

        return pb.RingTerminalResponse(care_request=self._call_change(request.care_request_id, ring))

    def ListOpenCareRequests(self, request, context):
        scope = care.list_scope(current_caller(), request.community_id)
        size = pagination.page_size(request.page_size)
        page = self.store.list_open(scope, pagination.position(request.page_token, 3), size + 1, self.clock())
        return pb.ListOpenCareRequestsResponse(care_requests=[messages.care_request(c) for c in page[:size]],
                                               next_page_token=pagination.next_token(page, size, _board_position))

    def ListUpcomingCareRequests(self, request, context):
        scope = care.list_scope(current_caller(), request.community_id)
        size = pagination.page_size(request.page_size)
        page = self.store.list_upcoming(scope, pagination.position(request.page_token, 2), size + 1, self.clock())
        return pb.ListUpcomingCareRequestsResponse(
            care_requests=[messages.care_request(c) for c in page[:size]],
            next_page_token=pagination.next_token(page, size, _upcoming_position))

    def ListMyCareRequests(self, request, context):
        caller = current_caller()
        scope = care.my_scope(caller, self.family_of(caller))
        size = pagination.page_size(request.page_size)
        statuses = care.STATUSES if request.include_finished else care.OPEN_STATUSES
        page = self.store.list_requests(scope, statuses, pagination.position(request.page_token, 3), size + 1)
        return pb.ListMyCareRequestsResponse(care_requests=[messages.care_request(c) for c in page[:size]],
                                             next_page_token=pagination.next_token(page, size, _board_position))

    def AcknowledgeCareRequest(self, request, context):
        acknowledged = self._changed(request.id, care.CARE_REQUEST_ACKNOWLEDGED, care.acknowledge)
        care_metrics.acknowledged(acknowledged)
        return pb.AcknowledgeCareRequestResponse(care_request=messages.care_request(acknowledged))

    def _suggestions(self, found: care.CareRequest, limit: int) -> list[staff.Candidate]:
        on_shift = self.staff.in_community(found.community_id, on_shift_only=True)
        offers = []
        if self.policy[found.kind].volunteers_welcome:
            # Volunteers near the elder, from the volunteer worker over internal RPC (short timeout);
            # without its answer dispatch goes on with staff alone.
            where = found.position
            try:
                offers = rpc.call("volunteer", "available_near", found.community_id, where and where.latitude,
                                  where and where.longitude, found.kind, limit)
            except Exception as error:  # noqa: BLE001 (no failure of the volunteer service may stop dispatch)
                logging.getLogger(__name__).warning("care request %s: no volunteers offered: %s", found.id, error)
        loads = self.store.loads([member.id for member in on_shift] + [offer["id"] for offer in offers])
        volunteers = [staff.Candidate(offer["id"], "volunteer", offer["name"], offer["distance_m"],
                                      loads.get(offer["id"], 0), tuple(offer["reasons"])) for offer in offers]
        return staff.suggest(found, on_shift, loads, self.policy, limit, volunteers=volunteers)

    def SuggestAssignees(self, request, context):
        caller = current_caller()
        found = self._visible(caller, request.id)
        if not care.is_staff_for(caller, found):
            raise PermissionDenied("only an operator serving this community may dispatch")
        limit = _limit(request.limit, 5, staff.MAX_CANDIDATES, "limit")
        return pb.SuggestAssigneesResponse(candidates=[
            pb.Candidate(assignee_id=c.assignee_id, assignee_kind=pb.ASSIGNEE_KIND_STAFF if c.assignee_kind == "staff"
                         else pb.ASSIGNEE_KIND_VOLUNTEER, name=c.name, distance_m=c.distance_m or 0.0, load=c.load,
                         reasons=list(c.reasons))
            for c in self._suggestions(found, limit)])

    def AssignCareRequest(self, request, context):
        kind = known_enum_name(pb.AssigneeKind, request.assignee_kind)
        if kind not in care.ASSIGNEE_KINDS or not care.ID_PATTERN.match(request.assignee_id):
            raise InvalidArgument("assignee_id and assignee_kind are required",
                                  {"assignee_id": "required", "assignee_kind": "staff or volunteer"})

        def assign(caller, found, now):
            suggestion = next((c for c in self._suggestions(found, staff.MAX_CANDIDATES)
                               if c.assignee_id == request.assignee_id and c.assignee_kind == kind), None)
            if kind == "staff":
                member = self.staff.get(request.assignee_id)
                if member is None or member.community_id != found.community_id:
                    raise NotFound(f"staff member {request.assignee_id} not found in community {found.community_id}")
                name = member.name
            else:
                # The volunteer service vouches for the volunteers it offers; an operator may still send one
                # it did not offer (the volunteer service is down, say), with a logged reason.
                name = suggestion.name if suggestion else request.assignee_id
            return care.assign(caller, found, care.Assignee(request.assignee_id, kind, name), suggestion is not None,
                               request.override_reason, now, self.policy)

        return pb.AssignCareRequestResponse(care_request=self._change(request.id, care.CARE_REQUEST_ASSIGNED, assign))

    def AcceptAssignment(self, request, context):
        return pb.AcceptAssignmentResponse(care_request=self._change(
            request.id, care.CARE_REQUEST_ASSIGNMENT_ACCEPTED, care.accept))

    def DeclineAssignment(self, request, context):
        caller, now = current_caller(), self.clock()
        found = self._visible(caller, request.id)
        declined = care.decline(caller, found, request.reason, now)
        self.store.update(declined, events.assignment_declined(declined, caller.subject, request.reason.strip(),
                                                               False, now))
        return pb.DeclineAssignmentResponse(care_request=messages.care_request(declined))

    def StartTravel(self, request, context):
        return pb.StartTravelResponse(care_request=self._change(
            request.id, care.CARE_REQUEST_EN_ROUTE,
            lambda caller, found, now: care.start_travel(caller, found, request.eta_minutes, now)))

    def ArriveOnSite(self, request, context):
        position = messages.geo_point(request.position) if request.HasField("position") else None
        return pb.ArriveOnSiteResponse(care_request=self._change(
            request.id, care.CARE_REQUEST_ON_SITE,
            lambda caller, found, now: care.arrive(caller, found, position, request.override_reason, now)))

    def CompleteCareRequest(self, request, context):
        return pb.CompleteCareRequestResponse(care_request=self._change(
            request.id, care.CARE_REQUEST_COMPLETED,
            lambda caller, found, now: care.complete(caller, found, request.notes, now)))

    def CloseCareRequest(self, request, context):
        disposition = known_enum_name(pb.Disposition, request.disposition)
        return pb.CloseCareRequestResponse(care_request=self._change(
            request.id, care.CARE_REQUEST_CLOSED,
            lambda caller, found, now: care.close(caller, found, disposition, request.note, now)))

    def CancelCareRequest(self, request, context):
        return pb.CancelCareRequestResponse(care_request=self._change(
            request.id, care.CARE_REQUEST_CANCELLED,
            lambda caller, found, now: care.cancel(caller, found, request.reason, now, self.family_of(caller))))

    def EscalateCareRequest(self, request, context):
        escalated = self._changed(request.id, care.CARE_REQUEST_ESCALATED,
                                  lambda caller, found, now: care.escalate_by_hand(caller, found, request.reason, now))
        care_metrics.escalated(escalated)
        return pb.EscalateCareRequestResponse(care_request=messages.care_request(escalated))

    def RateCareRequest(self, request, context):
        return pb.RateCareRequestResponse(care_request=self._change(
            request.id, care.CARE_REQUEST_RATED,
            lambda caller, found, now: care.rate(caller, found, request.rating, request.comment, now,
                                                 self.family_of(caller))))

    def GetCareFigures(self, request, context):
        caller = current_caller()
        if not (caller.has_role(*care.STAFF_ROLES) and caller.serves(request.community_id)):
            raise PermissionDenied("figures are for operators and administrators serving the community")
        from_day, to_day = figures.day_range(request.from_day, request.to_day)
        rows = [figures.summarize(doc) for doc in self.store.figures(request.community_id, from_day, to_day)]
        return pb.GetCareFiguresResponse(figures=[
            pb.KindFigures(**{**row, "kind": enum_number(pb.CareKind, row["kind"])}) for row in rows])

    def ListBoardEvents(self, request, context):
        """Operators resume the board; residents, families and assignees resume their own stream, with the
        events of the requests they may see."""
        caller = current_caller()
        if not request.after_event_id:
            raise InvalidArgument("after_event_id is required", {"after_event_id": "the last event id seen"})
        if caller.has_role(*care.STAFF_ROLES):
            scope = care.list_scope(caller, request.community_id)
        else:
            scope = care.my_scope(caller, self.family_of(caller))
        limit = _limit(request.limit, 200, 500, "limit")
        envelopes, complete = self.store.events_after(request.after_event_id, scope, limit)
        return pb.ListBoardEventsResponse(complete=complete, events=[
            pb.BoardEvent(id=e["id"], type=e["type"], occurred_at=_timestamp_of(e["occurred_at"]),
                          care_request=json_format.ParseDict(e["data"]["care_request"], pb.CareRequest(),
                                                             ignore_unknown_fields=True))
            for e in envelopes])

def _recording_message(recording) -> pb.CallRecording:
    return pb.CallRecording(id=recording.id, care_request_id=recording.care_request_id, call_id=recording.call_id,
                            content_type=recording.content_type, size_bytes=recording.size_bytes,
                            sha256=recording.sha256, recorded_by=recording.recorded_by,
                            recorded_at=timestamp(recording.recorded_at), purge_after=timestamp(recording.purge_after))


def _timestamp_of(rfc3339: str) -> Timestamp:
    stamp = Timestamp()
    stamp.FromJsonString(rfc3339)
    return stamp
