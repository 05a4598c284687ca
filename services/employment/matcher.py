"""The worker's matcher: each community's open vacancies and searching seekers held in numpy arrays
(domain/matching.py), kept current from the store, and the rankings it stores for the api to read.

Keeping current: every change of a vacancy or seeker takes the community's next revision
(store/documents.py). An index loads its community once, then, before each use, reads only the records
changed since the revision it holds. That is right with any number of worker replicas (each catches up
from the store, whichever events it happened to receive) and after a restart (the first use loads).

What to rank again after a change: a ranking can only change if the changed record is in it or now passes
its hard filters. So after a vacancy changes: its shortlist, and the matches of every seeker it passes
for or whose matches hold it; after a seeker changes, the same the other way round. A bulk import ranks
every searching seeker of the community again, and the new vacancies' shortlists.
"""
import logging
import threading
from dataclasses import dataclass, field
from typing import Callable

from linli.kit.mongo import utcnow
from services.employment.domain import jobs, matching, seekers
from services.employment.store import documents
from services.employment.store.jobs import JobStore
from services.employment.store.seekers import SeekerStore
from services.employment.policy import PAUSE_EVERY, RANKINGS_SAVED_AT_ONCE

log = logging.getLogger(__name__)
BATCH = RANKINGS_SAVED_AT_ONCE


@dataclass
class CommunityIndex:
    community_id: str
    vacancies: matching.VacancyIndex = field(default_factory=matching.VacancyIndex)
    seekers: matching.SeekerIndex = field(default_factory=matching.SeekerIndex)
    revision: int = 0
    loaded: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)  # a green lock under eventlet


@dataclass(frozen=True)
class Reranked:
    seekers: int
    vacancies: int
    written: int


class Matcher:
    def __init__(self, job_store: JobStore, seeker_store: SeekerStore, clock=utcnow,
                 pause: Callable[[], None] = lambda: None):
        self.jobs = job_store
        self.seekers = seeker_store
        self.clock = clock
        # Called every few rankings of a long re-ranking: the worker passes eventlet.sleep(0), so other
        # handlers (and the heartbeat) run meanwhile.
        self.pause = pause
        self.indexes: dict[str, CommunityIndex] = {}

    def index(self, community_id: str) -> CommunityIndex:
        """The community's index, caught up with the store."""
        index = self.indexes.setdefault(community_id, CommunityIndex(community_id))
        with index.lock:
            # Every revision up to the counter's value has committed (they are handed out in commit order).
            upto = documents.current_revision(self.jobs.db, community_id)
            if not index.loaded:
                for vacancy in self.jobs.matchable(community_id):
                    index.vacancies.upsert(jobs.terms_of(vacancy))
                for seeker in self.seekers.matchable(community_id):
                    index.seekers.upsert(seekers.terms_of(seeker))
                index.loaded = True
                log.info("matching index of %s loaded: %d vacancies, %d seekers at revision %d", community_id,
                         len(index.vacancies), len(index.seekers), upto)
            elif upto > index.revision:
                for vacancy, matchable in self.jobs.changed_between(community_id, index.revision, upto):
                    if matchable:
                        index.vacancies.upsert(jobs.terms_of(vacancy))
                    else:
                        index.vacancies.remove(vacancy.id)
                for seeker, matchable in self.seekers.changed_between(community_id, index.revision, upto):
                    if matchable:
                        index.seekers.upsert(seekers.terms_of(seeker))
                    else:
                        index.seekers.remove(seeker.id)
            index.revision = max(index.revision, upto)
        return index

    # -- after a change

    def vacancy_changed(self, community_id: str, vacancy_id: str) -> Reranked:
        index = self.index(community_id)
        at, revision = matching.when(self.clock()), index.revision
        affected = set(self.seekers.rankings_holding(matching.SEEKER_RANKING, "vacancy_id", vacancy_id))
        vacancy = index.vacancies.get(vacancy_id)
        shortlists = []
        if vacancy is None:
            self.seekers.drop_ranking(matching.VACANCY_RANKING, vacancy_id)
        else:
            affected |= index.seekers.passing(vacancy, at)
            shortlists = [vacancy_id]
        return self._rank(index, sorted(affected), shortlists, at, revision)

    def seeker_changed(self, community_id: str, seeker_id: str) -> Reranked:
        index = self.index(community_id)
        at, revision = matching.when(self.clock()), index.revision
        affected = set(self.seekers.rankings_holding(matching.VACANCY_RANKING, "seeker_id", seeker_id))
        seeker = index.seekers.get(seeker_id)
        matches = []
        if seeker is None:
            self.seekers.drop_ranking(matching.SEEKER_RANKING, seeker_id)
        else:
            affected |= index.vacancies.passing(seeker, at)
            matches = [seeker_id]
        return self._rank(index, matches, sorted(affected), at, revision)

    def rerank(self, community_id: str, vacancy_ids: list[str] | None = None) -> Reranked:
        """Every searching seeker's matches, and the shortlists of vacancy_ids (None: of every open vacancy)."""
        index = self.index(community_id)
        at, revision = matching.when(self.clock()), index.revision
        shortlists = index.vacancies.ids() if vacancy_ids is None else vacancy_ids
        return self._rank(index, index.seekers.ids(), shortlists, at, revision)

    def _rank(self, index: CommunityIndex, seeker_ids: list[str], vacancy_ids: list[str], at: matching.When,
              revision: int) -> Reranked:
        """Rank these seekers' matches and these vacancies' shortlists; store those that changed."""
        now = self.clock()
        batch: list[matching.Ranking] = []
        written = ranked_seekers = ranked_vacancies = 0

        def flush() -> int:
            count = self.seekers.save_rankings(batch, self._subject_revisions(batch))
            batch.clear()
            return count

        def ranked(ranking: matching.Ranking) -> int:
            batch.append(ranking)
            if len(batch) % PAUSE_EVERY == 0:
                self.pause()
            return flush() if len(batch) >= BATCH else 0

        for seeker_id in seeker_ids:
            seeker = index.seekers.get(seeker_id)
            if seeker is None:  # no longer searching; its stored ranking went when it changed
                continue
            matches = index.vacancies.rank(seeker, at, matching.SEEKER_MATCHES)
            written += ranked(matching.Ranking(matching.SEEKER_RANKING, seeker_id, index.community_id, revision, now,
                                               tuple(matches)))
            ranked_seekers += 1
        for vacancy_id in vacancy_ids:
            vacancy = index.vacancies.get(vacancy_id)
            if vacancy is None:
                continue
            shortlist = index.seekers.rank(vacancy, at, matching.SHORTLIST)
            written += ranked(matching.Ranking(matching.VACANCY_RANKING, vacancy_id, index.community_id, revision, now,
                                               tuple(shortlist)))
            ranked_vacancies += 1
        if batch:
            written += flush()
        return Reranked(ranked_seekers, ranked_vacancies, written)

    def _subject_revisions(self, batch: list[matching.Ranking]) -> dict[tuple[str, str], int]:
        """The revision each ranked seeker or vacancy last changed at (a ranking older than it is stale)."""
        seeker_ids = [r.subject_id for r in batch if r.kind == matching.SEEKER_RANKING]
        vacancy_ids = [r.subject_id for r in batch if r.kind == matching.VACANCY_RANKING]
        return {**{(matching.SEEKER_RANKING, k): v for k, v in self.seekers.revisions(seeker_ids).items()},
                **{(matching.VACANCY_RANKING, k): v for k, v in self.jobs.revisions(vacancy_ids).items()}}
