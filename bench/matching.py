"""Benchmark of the employment matching engine against a straightforward Python loop.

    .venv/bin/python bench/matching.py [--vacancies 100000] [--seekers 1000] [--runs 5]

Generates the vacancies and seekers deterministically (fixed seed), spread over a district around the
pilot community; ranks with the numpy engine (services/employment/domain/matching.py: VacancyIndex,
SeekerIndex) and with the plain specification (rank_*_plainly: one pair at a time, every filter and the
fit score in plain Python); asserts both give the same rankings; prints one table of medians over several
runs and their ratio. Also the `matching` row family of `make bench` (rows() below). Not part of the tests.
"""
import sys
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, Python puts bench/ first on the path, where bench/platform.py would hide the
    # standard library's platform module (numpy imports it): look from the repository's root instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import numpy as np  # noqa: E402

from services.employment.domain import matching, skills  # noqa: E402

CENTRE = (41.8810, 123.9570)  # 东华园社区
SEED = 2019
AT = matching.When(1_782_435_600, 740_000)  # a fixed moment, so every run ranks the same world
SEEKER_TOP, SHORTLIST_TOP = 20, 30


@dataclass
class World:
    vacancy_terms: list
    seeker_terms: list
    vacancies: matching.VacancyIndex
    seekers: matching.SeekerIndex
    load_seconds: float
    passing_median: int


def world(vacancies: int, seekers: int) -> World:
    """The same district every time: vacancies within ~13 km of the community, seekers living in it."""
    rng = random.Random(SEED)
    codes = sorted(skills.CURATED_CODES)
    vacancy_terms = [matching.VacancyTerms(
        f"v-{i:06d}", CENTRE[0] + rng.uniform(-0.12, 0.12), CENTRE[1] + rng.uniform(-0.16, 0.16),
        rng.choice(matching.SCHEDULES), rng.choice(matching.DEMANDS), rng.randrange(150_000, 800_000, 500),
        tuple(rng.sample(codes, rng.randint(0, 4))), rng.random() < 0.25, AT.day + rng.randint(-30, 30),
        AT.epoch_s + rng.randint(86_400, 86_400 * 60)) for i in range(vacancies)]
    seeker_terms = [matching.SeekerTerms(
        f"s-{i:05d}", CENTRE[0] + rng.uniform(-0.01, 0.01), CENTRE[1] + rng.uniform(-0.012, 0.012),
        rng.choice([2_000, 5_000, 10_000, 20_000, 30_000]), tuple(rng.sample(matching.SCHEDULES, rng.randint(1, 3))),
        rng.choice(matching.DEMANDS), rng.choice([0, 200_000, 300_000]), frozenset(rng.sample(codes, rng.randint(1, 5))),
        0) for i in range(seekers)]
    started = time.perf_counter()
    vacancy_index = matching.VacancyIndex()
    for terms in vacancy_terms:
        vacancy_index.upsert(terms)
    load_seconds = time.perf_counter() - started
    seeker_index = matching.SeekerIndex()
    for terms in seeker_terms:
        seeker_index.upsert(terms)
    # Same answers first: the engine must rank exactly as the plain loop.
    for person in seeker_terms[:5]:
        assert vacancy_index.rank(person, AT, SEEKER_TOP) == matching.rank_vacancies_plainly(
            person, vacancy_terms, AT, SEEKER_TOP), f"engine and loop disagree for {person.id}"
    for terms in vacancy_terms[:20]:
        assert seeker_index.rank(terms, AT, SHORTLIST_TOP) == matching.rank_seekers_plainly(
            terms, seeker_terms, AT, SHORTLIST_TOP), f"engine and loop disagree on the shortlist of {terms.id}"
    passing = statistics.median(len(vacancy_index.passing(p, AT)) for p in seeker_terms[:20])
    return World(vacancy_terms, seeker_terms, vacancy_index, seeker_index, load_seconds, int(passing))


def per_call_ms(calls: list) -> float:
    started = time.perf_counter()
    for call in calls:
        call()
    return (time.perf_counter() - started) * 1000 / len(calls)


def rank_one_seeker(w: World, sample: int, run: int) -> tuple[float, float]:
    """(engine, loop) ms per seeker ranked against every vacancy; a different sample of seekers each run."""
    people = w.seeker_terms[run * sample:(run + 1) * sample]
    engine = per_call_ms([lambda p=p: w.vacancies.rank(p, AT, SEEKER_TOP) for p in people])
    loop = per_call_ms([lambda p=p: matching.rank_vacancies_plainly(p, w.vacancy_terms, AT, SEEKER_TOP)
                        for p in people])
    return engine, loop


def shortlist_one_vacancy(w: World, sample: int, run: int) -> tuple[float, float]:
    """(engine, loop) ms per vacancy's shortlist drawn from every seeker."""
    posts = w.vacancy_terms[run * sample:(run + 1) * sample]
    engine = per_call_ms([lambda v=v: w.seekers.rank(v, AT, SHORTLIST_TOP) for v in posts])
    loop = per_call_ms([lambda v=v: matching.rank_seekers_plainly(v, w.seeker_terms, AT, SHORTLIST_TOP)
                        for v in posts])
    return engine, loop


def rerank_everyone(w: World) -> float:
    """Seconds for the engine to rank every seeker again (what the worker does after a bulk import)."""
    started = time.perf_counter()
    for person in w.seeker_terms:
        w.vacancies.rank(person, AT, SEEKER_TOP)
    return time.perf_counter() - started


def rows(bench):
    """The `matching` row family of `make bench` (bench/run.py)."""
    from bench.common import MILLISECONDS, Row

    w = world(100_000, 1_000)
    sample = 3 if bench.quick else 8
    seeker_runs = [rank_one_seeker(w, sample, run) for run in range(bench.runs)]
    shortlist_runs = [shortlist_one_vacancy(w, sample * 4, run) for run in range(bench.runs)]
    reranks = [rerank_everyone(w) * 1000 for _ in range(max(1, bench.runs // 2))]
    loop_per_seeker = statistics.median(loop for _, loop in seeker_runs)
    return [
        Row("matching", "rank 1 seeker against 100,000 open vacancies (numpy engine)", MILLISECONDS,
            [engine for engine, _ in seeker_runs], "a straightforward Python loop, same ranking",
            [loop for _, loop in seeker_runs], note=f"{w.passing_median:,} pass the filters (median)"),
        Row("matching", "shortlist 1 vacancy from 1,000 seekers (numpy engine)", MILLISECONDS,
            [engine for engine, _ in shortlist_runs], "a straightforward Python loop, same shortlist",
            [loop for _, loop in shortlist_runs]),
        Row("matching", "re-rank all 1,000 seekers after a bulk import (worker)", MILLISECONDS, reranks,
            note=f"the loop would take ~{loop_per_seeker:,.0f} s (1,000 × its time for one seeker)"),
    ]


def duration(ms: float) -> str:
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"
    if ms >= 1:
        return f"{ms:.1f} ms"
    return f"{ms * 1000:.0f} µs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vacancies", type=int, default=100_000)
    parser.add_argument("--seekers", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sample", type=int, default=8, help="seekers (vacancies ×4) timed per run")
    args = parser.parse_args()
    w = world(args.vacancies, args.seekers)
    seeker_runs = [rank_one_seeker(w, args.sample, run) for run in range(args.runs)]
    shortlist_runs = [shortlist_one_vacancy(w, args.sample * 4, run) for run in range(args.runs)]
    rerank_ms = statistics.median(rerank_everyone(w) * 1000 for _ in range(max(1, args.runs // 2)))
    one_seeker = [statistics.median(run[i] for run in seeker_runs) for i in (0, 1)]
    one_vacancy = [statistics.median(run[i] for run in shortlist_runs) for i in (0, 1)]
    table = [
        (f"rank 1 seeker against {args.vacancies:,} open vacancies (top {SEEKER_TOP})", *one_seeker, ""),
        (f"shortlist 1 vacancy from {args.seekers:,} seekers (top {SHORTLIST_TOP})", *one_vacancy, ""),
        (f"re-rank all {args.seekers:,} seekers after a bulk import", rerank_ms, one_seeker[1] * args.seekers, "*"),
    ]
    print(f"\nEmployment matching: {args.vacancies:,} open vacancies, {args.seekers:,} searching seekers; "
          f"a seeker passes the hard filters of {w.passing_median:,} vacancies (median). Engine and loop "
          f"rankings asserted equal.\nPython {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs; "
          f"medians of {args.runs} runs of {args.sample} seekers / {args.sample * 4} vacancies each.\n")
    print(f"| {'operation':<58} | {'numpy engine':>12} | {'plain loop':>12} | {'ratio':>6} |")
    print(f"|{'-' * 60}|{'-' * 13}:|{'-' * 13}:|{'-' * 7}:|")
    for name, engine, loop, mark in table:
        print(f"| {name:<58} | {duration(engine):>12} | {duration(loop) + mark:>12} | {loop / engine:>5.0f}× |")
    print(f"| {'load ' + format(args.vacancies, ',') + ' vacancies into the engine':<58} "
          f"| {duration(w.load_seconds * 1000):>12} | {'':>12} | {'':>6} |")
    print(f"\n* estimated: {args.seekers:,} × the loop's time for one seeker (measured in the first row).")


if __name__ == "__main__":
    main()
