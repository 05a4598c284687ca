"""HoursService: the ledger's verification and corrections, certificates, the leaderboard and exports.
Decode, apply the domain's rules, save through the store, encode."""
import uuid
from collections import defaultdict

from linli.kit import pagination
from linli.kit.errors import InvalidArgument, LinliError, NotFound, PermissionDenied
from linli.kit.identity import current_caller
from linli.kit.mongo import utcnow
from linli.kit.protomap import known_enum_name, timestamp
from linli.volunteer.v1 import volunteer_pb2 as pb
from linli.volunteer.v1 import volunteer_pb2_grpc as pb_grpc
from services.volunteer import certificate_pdf, events, messages
from services.volunteer.domain import activities as act
from services.volunteer.domain import certificates as certs
from services.volunteer.domain import hours
from services.volunteer.domain import volunteers as vols
from services.volunteer.policy import community_name
from services.volunteer.store.activities import ActivityStore
from services.volunteer.store.hours import HoursStore
from services.volunteer.store.volunteers import VolunteerStore

MAX_BULK = 200
DEFAULT_BOARD_SIZE = 10


class HoursApi(pb_grpc.HoursServiceServicer):
    def __init__(self, store: HoursStore, activities: ActivityStore, volunteers: VolunteerStore,
                 verify_url: str, clock=utcnow):
        self.store = store
        self.activities = activities
        self.volunteers = volunteers
        # Where a certificate tells its reader to check the code: "{code}" is replaced.
        self.verify_url = verify_url
        self.clock = clock

    def _entry(self, entry_id: str) -> hours.HoursEntry:
        found = self.store.get(entry_id) if vols.ID_PATTERN.match(entry_id) else None
        return hours.check_visible(current_caller(), found, entry_id)

    def ListHoursEntries(self, request, context):
        scope = hours.list_scope(current_caller(), request.community_id, request.volunteer_id,
                                 request.awaiting_my_confirmation)
        status = known_enum_name(pb.EntryStatus, request.status)
        size = pagination.page_size(request.page_size)
        page = self.store.page(scope, status, pagination.position(request.page_token, 2), size + 1)
        return pb.ListHoursEntriesResponse(
            entries=[messages.entry_message(e) for e in page[:size]],
            next_page_token=pagination.next_token(page, size, lambda e: [e.recorded_at.isoformat(), e.id]))

    def GetHoursEntry(self, request, context):
        return pb.GetHoursEntryResponse(entry=messages.entry_message(self._entry(request.id)))

    def _decide(self, decided: hours.HoursEntry, event_type: str) -> None:
        """Save a verification or rejection with its event; an attendance follows its entry."""
        follow = None
        if decided.source == hours.ATTENDANCE:
            attendance = self.activities.get(decided.source_id)
            if attendance is not None and attendance.status == act.PENDING:
                follow = lambda session: self.activities.update(act.decided(attendance, decided), session)  # noqa: E731
        self.store.decide(decided, events.entry_event(event_type, decided, decided.decided_at), also=follow)

    def VerifyHours(self, request, context):
        if not 1 <= len(request.ids) <= MAX_BULK:
            raise InvalidArgument(f"ids: 1 to {MAX_BULK} entries", {"ids": f"1 to {MAX_BULK} entry ids"})
        caller, now = current_caller(), self.clock()
        hours.check_may_verify(caller)
        outcomes = []
        for entry_id in dict.fromkeys(request.ids):  # each id once, in the order given
            try:
                verified = hours.verify(caller, self._entry(entry_id), request.note, now)
                self._decide(verified, hours.HOURS_ENTRY_VERIFIED)
                outcomes.append(pb.VerificationOutcome(id=entry_id, verified=True,
                                                       entry=messages.entry_message(verified)))
            except LinliError as error:
                # One entry's refusal does not stop the others: each outcome says why.
                outcomes.append(pb.VerificationOutcome(id=entry_id, verified=False, reason=error.message,
                                                       refusal_code=error.code))
        return pb.VerifyHoursResponse(outcomes=outcomes)

    def RejectHours(self, request, context):
        rejected = hours.reject(current_caller(), self._entry(request.id), request.reason, self.clock())
        self._decide(rejected, hours.HOURS_ENTRY_REJECTED)
        return pb.RejectHoursResponse(entry=messages.entry_message(rejected))

    def ConfirmService(self, request, context):
        confirmed = hours.confirm_service(current_caller(), self._entry(request.id), request.confirmed,
                                          request.comment, self.clock())
        self.store.confirm(confirmed)
        return pb.ConfirmServiceResponse(entry=messages.entry_message(confirmed))

    def ReverseHours(self, request, context):
        caller, now = current_caller(), self.clock()
        entry = self._entry(request.id)
        reversal_id, corrected_id = str(uuid.uuid4()), str(uuid.uuid4())

        def work(session):
            # The day's other credits are read holding the volunteer's time: a credit landing meanwhile
            # makes this transaction retry and see it.
            around = self.store.around(entry.volunteer_id, entry.started_at, entry.ended_at, session=session)
            current = self.store.get(entry.id, session=session)
            reversed_entry, reversal, corrected = hours.reverse(
                caller, current, request.reason, reversal_id, now, request.corrected_minutes, corrected_id,
                hours.used_on(around, entry.day))
            self.store.reverse(session, reversed_entry, reversal, corrected,
                               events.reversed_event(reversed_entry, reversal, corrected))
            return reversal, corrected

        reversal, corrected = self.store.holding(entry.volunteer_id, work)
        return pb.ReverseHoursResponse(reversal=messages.entry_message(reversal),
                                       corrected=messages.entry_message(corrected) if corrected else None)

    # -- certificates

    def IssueCertificate(self, request, context):
        caller = current_caller()
        volunteer_id = request.volunteer_id or caller.subject
        found = self.volunteers.get(volunteer_id) if vols.ID_PATTERN.match(volunteer_id) else None
        volunteer = vols.check_visible(caller, found, volunteer_id)
        from_day, to_day = certs.period(request.from_day, request.to_day)
        entries = self.store.in_period(volunteer.community_id, from_day, to_day, volunteer.id)
        certificate = certs.issue(caller, volunteer, entries, from_day, to_day, certs.new_code(),
                                  community_name(volunteer.community_id), self.clock())
        self.store.add_certificate(certificate, events.certificate_event(certificate))
        return pb.IssueCertificateResponse(certificate=messages.certificate_message(certificate))

    def _certificate(self, code: str) -> certs.Certificate:
        found = self.store.certificate(certs.normal_code(code))
        if found is None:
            raise NotFound("no certificate has this code")
        return found

    def VerifyCertificate(self, request, context):
        c = self._certificate(request.code)
        return pb.VerifyCertificateResponse(
            code=c.code, community_name=c.community_name, volunteer_name=c.volunteer_name, branch=c.branch,
            from_day=c.from_day, to_day=c.to_day, verified_minutes=c.verified_minutes, services=c.services,
            issued_at=timestamp(c.issued_at), issuer=c.issuer)

    def GetCertificatePdf(self, request, context):
        c = self._certificate(request.code)
        if not certs.may_download(current_caller(), c):
            raise NotFound("no certificate has this code")
        pdf = certificate_pdf.render(c, self.verify_url.replace("{code}", c.code))
        return pb.GetCertificatePdfResponse(pdf=pdf, filename=certificate_pdf.filename(c))

    # -- figures

    def _period_entries(self, community_id: str, from_day: str, to_day: str) -> list[hours.HoursEntry]:
        certs.period(from_day, to_day)
        return self.store.in_period(community_id, from_day, to_day)

    def GetLeaderboard(self, request, context):
        caller = current_caller()
        if not (caller.serves(request.community_id) and caller.has_role("volunteer", *vols.COORDINATOR_ROLES)):
            raise PermissionDenied(f"the leaderboard is for volunteers and coordinators of {request.community_id}")
        if not 0 <= request.limit <= 100:
            raise InvalidArgument("limit must be 1 to 100", {"limit": "1 to 100"})
        minutes: dict[str, int] = defaultdict(int)
        for entry in self._period_entries(request.community_id, request.from_day, request.to_day):
            if entry.status == hours.VERIFIED:
                minutes[entry.volunteer_id] += entry.minutes
        boards = certs.leaderboard(minutes, self.volunteers.many(minutes), request.branch.strip(),
                                   request.limit or DEFAULT_BOARD_SIZE)
        return pb.GetLeaderboardResponse(branches=[
            pb.BranchBoard(branch=b.branch, verified_minutes=b.verified_minutes, rows=[
                pb.LeaderboardRow(rank=r.rank, volunteer_id=r.volunteer_id, volunteer_name=r.volunteer_name,
                                  party_member=r.party_member, verified_minutes=r.verified_minutes) for r in b.rows])
            for b in boards])

    def ExportHours(self, request, context):
        if not vols.coordinates(current_caller(), request.community_id):
            raise PermissionDenied(f"only coordinators serving community {request.community_id} may export its hours")
        by_volunteer: dict[str, list[hours.HoursEntry]] = defaultdict(list)
        for entry in self._period_entries(request.community_id, request.from_day, request.to_day):
            by_volunteer[entry.volunteer_id].append(entry)
        sums = {volunteer_id: certs.totals(entries) for volunteer_id, entries in by_volunteer.items()}
        csv = certs.totals_csv(list(self.volunteers.many(by_volunteer).values()), sums)
        filename = f"volunteer-hours-{request.community_id}-{request.from_day}-{request.to_day}.csv"
        return pb.ExportHoursResponse(csv=csv, filename=filename)
