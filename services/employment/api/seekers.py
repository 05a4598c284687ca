"""SeekerService: job seekers, their matches, applications and placements. Decode the request, apply the
domain's rules, save through the store, encode the reply."""
from linli.employment.v1 import seekers_pb2 as pb
from linli.employment.v1 import seekers_pb2_grpc as pb_grpc
from linli.kit.errors import AlreadyExists, InvalidArgument, NotFound
from linli.kit.identity import current_caller
from linli.kit.mongo import utcnow
from linli.kit.protomap import timestamp
from services.employment import events
from services.employment.api.common import new_id, page, page_request, required_id
from services.employment.api.jobs import check_fair_posting, managed_vacancy, vacancy_message
from services.employment.domain import applications, jobs, matching, placements, seekers
from services.employment.domain.common import check_counsellor, hidden, parse_day
from services.employment.messages import enum_name, match_message, seeker_profile, time_or_none, to_message
from services.employment.store.applications import ApplicationStore
from services.employment.store.fairs import FairStore
from services.employment.store.jobs import JobStore
from services.employment.store.seekers import SeekerStore

SEEKER_STATUS = pb.SeekerStatus.DESCRIPTOR
APPLICATION_STATUS = pb.ApplicationStatus.DESCRIPTOR


def seeker_message(seeker: seekers.JobSeeker) -> pb.JobSeeker:
    return to_message(pb.JobSeeker, seeker)


def application_message(application: applications.Application) -> pb.Application:
    return to_message(pb.Application, application)


def placement_message(placement: placements.Placement) -> pb.Placement:
    return to_message(pb.Placement, placement)


class SeekerApi(pb_grpc.SeekerServiceServicer):
    def __init__(self, store: SeekerStore, job_store: JobStore, application_store: ApplicationStore,
                 fair_store: FairStore, clock=utcnow):
        self.store = store
        self.jobs = job_store
        self.applications = application_store
        self.fairs = fair_store
        self.clock = clock

    def _seeker(self, seeker_id: str) -> seekers.JobSeeker:
        """The seeker the caller may see: their own (id empty), or one of a counsellor's communities."""
        caller = current_caller()
        seeker_id = required_id(seeker_id or caller.subject)
        return seekers.check_visible(caller, self.store.get(seeker_id), seeker_id)

    def _saved(self, seeker: seekers.JobSeeker, event_type: str, now) -> seekers.JobSeeker:
        self.store.update(seeker, [events.seeker_event(event_type, seeker, now)])
        return seeker

    # -- seekers

    def RegisterSeeker(self, request, context):
        caller, now = current_caller(), self.clock()
        seeker = seekers.register(caller, request.id or caller.subject, request.community_id,
                                  seeker_profile(request.profile), now, self.jobs.known_codes())
        if request.start_searching:
            seeker = seekers.start_searching(caller, seeker, now)
        self.store.add(seeker, [events.seeker_event(seekers.SEEKER_REGISTERED, seeker, now)])
        return pb.RegisterSeekerResponse(seeker=seeker_message(seeker))

    def GetSeeker(self, request, context):
        return pb.GetSeekerResponse(seeker=seeker_message(self._seeker(request.id)))

    def UpdateSeekerProfile(self, request, context):
        now = self.clock()
        changed = seekers.update_profile(current_caller(), self._seeker(request.id), seeker_profile(request.profile),
                                         now, self.jobs.known_codes())
        return pb.UpdateSeekerProfileResponse(seeker=seeker_message(self._saved(changed, seekers.SEEKER_UPDATED, now)))

    def StartSearching(self, request, context):
        now = self.clock()
        changed = seekers.start_searching(current_caller(), self._seeker(request.id), now)
        return pb.StartSearchingResponse(seeker=seeker_message(self._saved(changed, seekers.SEEKER_STATUS_CHANGED,
                                                                           now)))

    def ExitSeeker(self, request, context):
        now = self.clock()
        changed = seekers.exit_(current_caller(), self._seeker(request.id), request.reason, now)
        return pb.ExitSeekerResponse(seeker=seeker_message(self._saved(changed, seekers.SEEKER_STATUS_CHANGED, now)))

    def ListSeekers(self, request, context):
        caller = current_caller()
        size, after = page_request(request.page_size, request.page_token)
        # Residents see themselves (GetSeeker), not their neighbours.
        check_counsellor(caller, request.community_id, "list a community's job seekers")
        found = self.store.list_seekers(request.community_id, enum_name(SEEKER_STATUS, request.status), after,
                                        size + 1)
        shown, token = page(found, size)
        return pb.ListSeekersResponse(seekers=[seeker_message(s) for s in shown], next_page_token=token)

    def GetMatches(self, request, context):
        seeker = self._seeker(request.seeker_id)
        if not seeker.matchable:
            return pb.GetMatchesResponse(up_to_date=True)  # only searching seekers are matched
        ranking = self.store.get_ranking(matching.SEEKER_RANKING, seeker.id)
        if ranking is None:
            return pb.GetMatchesResponse(up_to_date=False)  # the worker has not ranked them yet
        vacancies = self.jobs.vacancies_by_id(m.vacancy_id for m in ranking.matches)
        shown = [pb.VacancyMatch(match=match_message(m), vacancy=vacancy_message(vacancies[m.vacancy_id]))
                 for m in ranking.matches
                 if m.vacancy_id in vacancies and vacancies[m.vacancy_id].status in jobs.MATCHABLE]
        return pb.GetMatchesResponse(matches=shown, ranked_at=timestamp(ranking.ranked_at),
                                     up_to_date=ranking.revision >= self.store.revision_of(seeker.id))

    # -- applications

    def SuggestVacancy(self, request, context):
        caller, now = current_caller(), self.clock()
        seeker_id, vacancy_id = required_id(request.seeker_id, "seeker_id"), required_id(request.vacancy_id,
                                                                                         "vacancy_id")
        seeker, vacancy = self.store.get(seeker_id), self.jobs.get_vacancy(vacancy_id)
        employer = self.jobs.get_employer(vacancy.employer_id) if vacancy else None
        vacancy = jobs.check_visible(caller, vacancy, employer, vacancy_id)
        if seeker is None:
            raise hidden("job seeker", seeker_id)
        shortlist = self.store.get_ranking(matching.VACANCY_RANKING, vacancy.id)
        on_shortlist = shortlist is not None and any(m.seeker_id == seeker.id for m in shortlist.matches)
        application = applications.suggest(caller, seeker, vacancy, employer, new_id(), now, request.note,
                                           on_shortlist)
        self.applications.add(application, events.application_event(application, now))
        return pb.SuggestVacancyResponse(application=application_message(application))

    def ExpressIntention(self, request, context):
        caller, now = current_caller(), self.clock()
        seeker = self._seeker(request.seeker_id)
        vacancy_id = required_id(request.vacancy_id, "vacancy_id")
        vacancy = self.jobs.get_vacancy(vacancy_id)
        employer = self.jobs.get_employer(vacancy.employer_id) if vacancy else None
        vacancy = jobs.check_visible(caller, vacancy, employer, vacancy_id)
        if request.fair_id:
            check_fair_posting(self.fairs, caller, request.fair_id, [vacancy.employer_id])
        existing = self.applications.for_pair(seeker.id, vacancy.id)
        if existing is None:
            application = applications.express_intention(caller, seeker, vacancy, new_id(), now, request.fair_id,
                                                         request.note)
            try:
                self.applications.add(application, events.application_event(application, now))
            except AlreadyExists:
                # Another call made it since we looked (a double tap): answer as if it had come first.
                existing = self.applications.for_pair(seeker.id, vacancy.id)
        if existing is not None:
            application = applications.intention_on_existing(caller, existing, now, request.fair_id, request.note)
            self.applications.update(application, [events.application_event(application, now)])
        return pb.ExpressIntentionResponse(application=application_message(application))

    def _application(self, application_id: str):
        caller = current_caller()
        application_id = required_id(application_id)
        application = self.applications.get(application_id)
        employer = self.jobs.get_employer(application.employer_id) if application else None
        return applications.check_visible(caller, application, employer, application_id), employer

    def MoveApplication(self, request, context):
        caller, now = current_caller(), self.clock()
        application, employer = self._application(request.id)
        status = enum_name(APPLICATION_STATUS, request.status)
        if status == applications.HIRED:
            vacancy = self.jobs.get_vacancy(application.vacancy_id)
            seeker = self.store.get(application.seeker_id)
            if vacancy is None or seeker is None:
                raise NotFound(f"the vacancy or the seeker of application {application.id} is gone")
            hire = applications.hire(caller, application, employer, vacancy, seeker, now, request.note,
                                     request.started_on)
            self.applications.save_hire(hire, [
                events.application_event(hire.application, now),
                events.vacancy_event(jobs.event_after_hire(hire.vacancy), hire.vacancy, now),
                events.seeker_event(seekers.SEEKER_STATUS_CHANGED, hire.seeker, now),
                events.placement_event(placements.PLACEMENT_STARTED, hire.placement, now),
            ])
            return pb.MoveApplicationResponse(application=application_message(hire.application),
                                              placement=placement_message(hire.placement))
        moved = applications.move(caller, application, employer, status, now, request.note,
                                  time_or_none(request, "interview_at"))
        self.applications.update(moved, [events.application_event(moved, now)])
        return pb.MoveApplicationResponse(application=application_message(moved))

    def GetApplication(self, request, context):
        application, _ = self._application(request.id)
        return pb.GetApplicationResponse(application=application_message(application))

    def ListApplications(self, request, context):
        caller = current_caller()
        size, after = page_request(request.page_size, request.page_token)
        if request.vacancy_id:
            vacancy, _ = managed_vacancy(self.jobs, caller, request.vacancy_id)
            query: dict = {"vacancy_id": vacancy.id}
        elif request.community_id:
            check_counsellor(caller, request.community_id, "list a community's applications")
            query = {"community_id": request.community_id}
        else:
            seeker = self._seeker(request.seeker_id)
            query = {"seeker_id": seeker.id}
        status = enum_name(APPLICATION_STATUS, request.status)
        if status:
            query["status"] = status
        shown, token = page(self.applications.list_applications(query, after, size + 1), size)
        return pb.ListApplicationsResponse(applications=[application_message(a) for a in shown],
                                           next_page_token=token)

    # -- placements

    def ListPlacements(self, request, context):
        caller = current_caller()
        size, after = page_request(request.page_size, request.page_token)
        if request.follow_up_due_by and not parse_day(request.follow_up_due_by):
            raise InvalidArgument("follow_up_due_by is not a day", {"follow_up_due_by": "a day as YYYY-MM-DD"})
        if request.community_id:
            check_counsellor(caller, request.community_id, "list a community's placements")
            query = {"community_id": request.community_id}
        else:
            query = {"seeker_id": self._seeker(request.seeker_id).id}
        found = self.applications.list_placements(query, request.follow_up_due_by, after, size + 1)
        shown, token = page(found, size)
        return pb.ListPlacementsResponse(placements=[placement_message(p) for p in shown], next_page_token=token)

    def RecordFollowUp(self, request, context):
        caller, now = current_caller(), self.clock()
        placement_id = required_id(request.placement_id, "placement_id")
        placement = placements.check_visible(caller, self.applications.get_placement(placement_id), placement_id)
        followed = placements.record_follow_up(caller, placement, request.months, request.still_employed,
                                               request.note, now)
        seeker = self.store.get(placement.seeker_id)
        if seeker is None:
            raise NotFound(f"job seeker {placement.seeker_id} not found")
        moved = seekers.followed_up(seeker, request.still_employed, caller.subject, now)
        self.applications.update_placement(
            followed, [events.placement_event(placements.PLACEMENT_FOLLOWED_UP, followed, now)], moved,
            [events.seeker_event(seekers.SEEKER_STATUS_CHANGED, moved, now)] if moved else [])
        return pb.RecordFollowUpResponse(placement=placement_message(followed))
