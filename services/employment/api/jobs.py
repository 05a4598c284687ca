"""JobService: skills, employers, vacancies (with bulk import), shortlists and the figures. Decode the
request, apply the domain's rules, save through the store, encode the reply."""
from linli.employment.v1 import jobs_pb2 as pb
from linli.employment.v1 import jobs_pb2_grpc as pb_grpc
from linli.kit.errors import InvalidArgument
from linli.kit.identity import current_caller
from linli.kit.mongo import utcnow
from linli.kit.protomap import timestamp
from services.employment import events
from services.employment.api.common import new_id, page, page_request, required_id
from services.employment.domain import fairs, figures, jobs, matching, skills
from services.employment.domain.common import check_serves, hidden, is_counsellor_for, valid_id
from services.employment.messages import enum_name, match_message, to_message, vacancy_draft
from services.employment.store.applications import ApplicationStore
from services.employment.store.fairs import FairStore
from services.employment.store.jobs import JobStore
from services.employment.store.seekers import SeekerStore

STATUS_TYPE = pb.VacancyStatus.DESCRIPTOR


def vacancy_message(vacancy: jobs.Vacancy) -> pb.Vacancy:
    return to_message(pb.Vacancy, vacancy)


def check_fair_posting(fair_store: FairStore, caller, fair_id: str, employer_ids) -> None:
    """Posts at a fair belong to companies signed up for it, while it is open."""
    fair = fairs.check_visible(caller, fair_store.get(fair_id), fair_id)
    for employer_id in set(employer_ids):
        fairs.check_company(fair, employer_id)


def managed_vacancy(store: JobStore, caller, vacancy_id: str) -> tuple[jobs.Vacancy, jobs.Employer]:
    """A vacancy the caller may manage (its employer's users, the community's counsellors), with its employer."""
    vacancy = store.get_vacancy(vacancy_id)
    employer = store.get_employer(vacancy.employer_id) if vacancy else None
    if vacancy is None or employer is None:
        raise hidden("vacancy", vacancy_id)
    jobs.check_may_manage(caller, employer, vacancy)
    return vacancy, employer


class JobApi(pb_grpc.JobServiceServicer):
    def __init__(self, store: JobStore, seeker_store: SeekerStore, application_store: ApplicationStore,
                 fair_store: FairStore, clock=utcnow):
        self.store = store
        self.seekers = seeker_store
        self.applications = application_store
        self.fairs = fair_store
        self.clock = clock

    # -- skills

    def ListSkills(self, request, context):
        return pb.ListSkillsResponse(skills=[to_message(pb.Skill, skill) for skill in self.store.all_skills()])

    def AddSkill(self, request, context):
        new = skills.NewSkill(request.code, request.name_zh, request.name_en, request.group, request.occupation_code,
                              request.informal)
        skill = skills.add_skill(current_caller(), new, self.store.known_codes())
        return pb.AddSkillResponse(skill=to_message(pb.Skill, self.store.add_skill(skill, self.clock())))

    # -- employers

    def RegisterEmployer(self, request, context):
        new = jobs.NewEmployer(request.id, request.community_id, request.name, request.contact_name, request.phone,
                               request.address, tuple(request.user_ids))
        employer = self.store.add_employer(jobs.register_employer(current_caller(), new, self.clock()))
        return pb.RegisterEmployerResponse(employer=to_message(pb.Employer, employer))

    def GetEmployer(self, request, context):
        employer_id = required_id(request.id)
        employer = jobs.check_employer_visible(current_caller(), self.store.get_employer(employer_id), employer_id)
        return pb.GetEmployerResponse(employer=to_message(pb.Employer, employer))

    def ListEmployers(self, request, context):
        caller = current_caller()
        size, after = page_request(request.page_size, request.page_token)
        if request.community_id:
            check_serves(caller, request.community_id)
            found = self.store.list_employers(request.community_id, after, size + 1)
        else:
            found = [e for e in self.store.employers_of_user(caller.subject) if e.id > after][:size + 1]
        shown, token = page(found, size)
        return pb.ListEmployersResponse(employers=[to_message(pb.Employer, e) for e in shown], next_page_token=token)

    # -- vacancies

    def _managed(self, vacancy_id: str) -> tuple[jobs.Vacancy, jobs.Employer]:
        return managed_vacancy(self.store, current_caller(), required_id(vacancy_id))

    def CreateVacancy(self, request, context):
        caller, now = current_caller(), self.clock()
        employer_id = required_id(request.employer_id, "employer_id")
        employer = jobs.check_employer_visible(caller, self.store.get_employer(employer_id), employer_id)
        if request.fair_id:
            check_fair_posting(self.fairs, caller, request.fair_id, [employer_id])
        vacancy = jobs.create_vacancy(caller, employer, vacancy_draft(request.draft), new_id(), now,
                                      self.store.known_codes(), request.fair_id)
        self.store.add_vacancies([vacancy], [])
        return pb.CreateVacancyResponse(vacancy=vacancy_message(vacancy))

    def UpdateVacancy(self, request, context):
        vacancy, employer = self._managed(request.id)
        now = self.clock()
        changed = jobs.update_vacancy(current_caller(), employer, vacancy, vacancy_draft(request.draft),
                                      self.store.known_codes(), now)
        kind = {jobs.DRAFT: None, jobs.FILLED: jobs.VACANCY_FILLED}.get(changed.status, jobs.VACANCY_UPDATED)
        self.store.update_vacancy(changed, [events.vacancy_event(kind, changed, now)] if kind else [])
        return pb.UpdateVacancyResponse(vacancy=vacancy_message(changed))

    def OpenVacancy(self, request, context):
        vacancy, employer = self._managed(request.id)
        now = self.clock()
        opened = jobs.open_vacancy(current_caller(), employer, vacancy, now)
        self.store.update_vacancy(opened, [events.vacancy_event(jobs.VACANCY_OPENED, opened, now)])
        return pb.OpenVacancyResponse(vacancy=vacancy_message(opened))

    def CloseVacancy(self, request, context):
        vacancy, employer = self._managed(request.id)
        now = self.clock()
        closed = jobs.close_vacancy(current_caller(), employer, vacancy, request.reason, now)
        # A discarded draft was never in front of anyone: nothing to tell.
        announce = vacancy.status in jobs.MATCHABLE
        self.store.update_vacancy(closed, [events.vacancy_event(jobs.VACANCY_CLOSED, closed, now)] if announce else [])
        return pb.CloseVacancyResponse(vacancy=vacancy_message(closed))

    def GetVacancy(self, request, context):
        caller = current_caller()
        vacancy_id = required_id(request.id)
        vacancy = self.store.get_vacancy(vacancy_id)
        employer = self.store.get_employer(vacancy.employer_id) if vacancy else None
        return pb.GetVacancyResponse(vacancy=vacancy_message(jobs.check_visible(caller, vacancy, employer, vacancy_id)))

    def ListVacancies(self, request, context):
        caller = current_caller()
        size, after = page_request(request.page_size, request.page_token)
        status = enum_name(STATUS_TYPE, request.status)
        query: dict = {}
        if request.employer_id:
            employer = jobs.check_employer_visible(caller, self.store.get_employer(request.employer_id),
                                                   request.employer_id)
            jobs.check_may_manage(caller, employer)  # an employer's own list: drafts and the past too
            query["employer_id"] = employer.id
        elif request.community_id:
            check_serves(caller, request.community_id)
            query["community_id"] = request.community_id
            if not is_counsellor_for(caller, request.community_id):
                # People of the community see what is open; drafts and the past are the employers' business.
                if status and status not in jobs.MATCHABLE:
                    return pb.ListVacanciesResponse()
                query["status"] = status or {"$in": list(jobs.MATCHABLE)}
        else:
            raise InvalidArgument("say whose vacancies", {"community_id": "community_id or employer_id"})
        if status:
            query["status"] = status
        if request.fair_id:
            query["fair_id"] = request.fair_id
        shown, token = page(self.store.list_vacancies(query, after, size + 1), size)
        return pb.ListVacanciesResponse(vacancies=[vacancy_message(v) for v in shown], next_page_token=token)

    def ImportVacancies(self, request, context):
        caller, now = current_caller(), self.clock()
        if request.import_id and not valid_id(request.import_id):
            raise InvalidArgument("import_id is not valid", {"import_id": "1 to 64 letters, digits or . _ : -"})
        import_id = request.import_id or new_id()
        first = self.store.imported(import_id) if request.import_id else []
        if first:  # a retry: the first import's vacancies
            return pb.ImportVacanciesResponse(import_id=import_id, vacancies=[vacancy_message(v) for v in first])
        rows = [jobs.ImportRow(row.employer_id, vacancy_draft(row.draft)) for row in request.vacancies]
        employers = self.store.employers_by_id({row.employer_id for row in rows if valid_id(row.employer_id)})
        if request.fair_id:
            check_fair_posting(self.fairs, caller, request.fair_id, employers)
        vacancies = jobs.import_vacancies(caller, request.community_id, rows, employers,
                                          [new_id() for _ in rows], import_id, now, self.store.known_codes(),
                                          request.fair_id)
        announced = [events.vacancy_event(jobs.VACANCY_OPENED, v, now) for v in vacancies]
        announced.append(events.vacancies_imported(import_id, request.community_id, [v.id for v in vacancies],
                                                   request.fair_id, now))
        self.store.add_vacancies(list(vacancies), announced)
        return pb.ImportVacanciesResponse(import_id=import_id, vacancies=[vacancy_message(v) for v in vacancies])

    def GetShortlist(self, request, context):
        vacancy, _ = self._managed(request.vacancy_id)
        ranking = self.seekers.get_ranking(matching.VACANCY_RANKING, vacancy.id)
        if vacancy.status not in jobs.MATCHABLE:
            return pb.GetShortlistResponse(up_to_date=True)
        if ranking is None:
            return pb.GetShortlistResponse(up_to_date=False)
        names = {seeker.id: seeker.name for seeker in self.seekers.by_id(m.seeker_id for m in ranking.matches).values()}
        # The vacancy's side: that the pay fits each seeker, never a seeker's wage floor.
        entries = [pb.ShortlistEntry(match=match_message(m, employer=True), seeker_name=names.get(m.seeker_id, ""))
                   for m in ranking.matches]
        return pb.GetShortlistResponse(entries=entries, ranked_at=timestamp(ranking.ranked_at),
                                       up_to_date=ranking.revision >= self.store.revision_of(vacancy.id))

    # -- figures

    def GetEmploymentFigures(self, request, context):
        period = figures.period(current_caller(), request.community_id, request.from_month, request.to_month)
        tallied = figures.tally(
            period,
            self.applications.reached(period.community_id, period.start, period.end),
            self.store.fills(period.community_id, period.start, period.end),
            self.applications.placement_starts(period.community_id, period.start, period.end),
            self.applications.follow_up_results(period.community_id, period.start, period.end))
        return pb.GetEmploymentFiguresResponse(
            community_id=period.community_id, months=list(period.months),
            funnel=[pb.FunnelStep(status=status, applications=count) for status, count in tallied.funnel],
            vacancies_filled=tallied.vacancies_filled, median_days_to_fill=tallied.median_days_to_fill,
            mean_days_to_fill=tallied.mean_days_to_fill,
            placements_per_month=[pb.MonthPlacements(month=m, placements=n) for m, n in tallied.placements_per_month],
            retention=[pb.Retention(months=r.months, followed_up=r.followed_up, still_employed=r.still_employed,
                                    rate=r.rate) for r in tallied.retention])
