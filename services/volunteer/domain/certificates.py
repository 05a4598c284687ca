"""Certificates of volunteer service, the leaderboard per branch, and the totals export: pure rules.

A certificate states verified hours only (pending ones never), in a period, as the organisation that
recorded them (the community) certifies them; it carries a verification code anyone can check. It is a
snapshot: later corrections do not change a certificate already issued.
"""
import csv
import io
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied, check_fields
from linli.kit.identity import Caller
from services.volunteer.domain import hours
from services.volunteer.domain.volunteers import Volunteer, coordinates, is_self

DAY_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_PERIOD_DAYS = 3 * 366
# Crockford's base32 without look-alikes; 16 characters: 80 random bits, grouped for reading aloud.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_PATTERN = re.compile(r"^LL(-[0-9A-HJKMNP-TV-Z]{4}){4}$")
CERTIFICATE_ISSUED = "certificate.issued"


@dataclass(frozen=True)
class Certificate:
    code: str
    community_id: str
    community_name: str
    volunteer_id: str
    volunteer_name: str
    party_member: bool
    branch: str
    from_day: str
    to_day: str
    verified_minutes: int
    services: int
    issued_at: datetime
    issued_by: str
    issuer: str

    @property
    def hours_text(self) -> str:
        """Hours to two decimals at most, without trailing zeros: "2", "2.5", "1.02", "0.02" (never "0.0")."""
        return f"{self.verified_minutes / 60:.2f}".rstrip("0").rstrip(".")


def _counted(number: int | str, one: str, many: str) -> str:
    """English: "1 minute", "2 minutes", "1.5 hours"."""
    return f"{number} {one if str(number) == '1' else many}"


def new_code() -> str:
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
    return "LL-" + "-".join(chars[i:i + 4] for i in range(0, 16, 4))


def normal_code(code: str) -> str:
    """Codes are read aloud and typed: accept lower case and surrounding spaces."""
    code = code.strip().upper()
    if not CODE_PATTERN.match(code):
        raise NotFound("no certificate has this code")
    return code


def period(from_day: str, to_day: str) -> tuple[str, str]:
    problems = {}
    for name, value in (("from_day", from_day), ("to_day", to_day)):
        try:
            if not DAY_PATTERN.match(value):
                raise ValueError
            date.fromisoformat(value)
        except ValueError:
            problems[name] = "YYYY-MM-DD"
    check_fields(problems, "invalid period")
    days = (date.fromisoformat(to_day) - date.fromisoformat(from_day)).days
    if not 0 <= days <= MAX_PERIOD_DAYS:
        raise InvalidArgument(f"to_day must be from_day or later, at most {MAX_PERIOD_DAYS} days on",
                              {"to_day": f"from_day to {MAX_PERIOD_DAYS} days later"})
    return from_day, to_day


@dataclass(frozen=True)
class Totals:
    verified_minutes: int = 0
    services: int = 0
    pending_minutes: int = 0


def totals(entries: list[hours.HoursEntry]) -> Totals:
    """Verified minutes (reversals deducted), verified services still standing, and pending minutes."""
    verified = [e for e in entries if e.status == hours.VERIFIED]
    return Totals(
        verified_minutes=sum(e.minutes for e in verified),
        services=sum(1 for e in verified if e.kind == hours.CREDIT and not e.reversed_by_id),
        pending_minutes=sum(e.minutes for e in entries if e.status == hours.PENDING and e.kind == hours.CREDIT),
    )


def issue(caller: Caller, volunteer: Volunteer, entries: list[hours.HoursEntry], from_day: str, to_day: str,
          code: str, community_name: str, now: datetime) -> Certificate:
    """entries: the volunteer's entries whose day is in the period (any status: only verified ones count)."""
    if not (is_self(caller, volunteer.id) or coordinates(caller, volunteer.community_id)):
        raise PermissionDenied("a certificate is issued to the volunteer themself or by a coordinator")
    sums = totals([e for e in entries if e.volunteer_id == volunteer.id and from_day <= e.day <= to_day])
    if sums.verified_minutes <= 0:
        raise FailedPrecondition(f"no verified hours from {from_day} to {to_day}: only verified hours are certified")
    return Certificate(code, volunteer.community_id, community_name, volunteer.id, volunteer.name,
                       volunteer.party_member, volunteer.branch, from_day, to_day, sums.verified_minutes,
                       sums.services, now, caller.subject, f"{community_name}志愿服务站")


def may_download(caller: Caller, certificate: Certificate) -> bool:
    return is_self(caller, certificate.volunteer_id) or coordinates(caller, certificate.community_id)


def statement(certificate: Certificate) -> list[str]:
    """What the certificate says, line by line (Chinese first; English for partners who read it)."""
    c = certificate
    who = f"{c.volunteer_name}{'（中共党员）' if c.party_member else ''}"
    team = f"，所属{c.branch}" if c.branch else ""
    # Under an hour, minutes alone: "0.02 小时" reads as nothing at all.
    if c.verified_minutes < 60:
        zh_time, en_time = f"{c.verified_minutes} 分钟", _counted(c.verified_minutes, "minute", "minutes")
    else:
        zh_time = f"{c.hours_text} 小时（{c.verified_minutes} 分钟）"
        en_time = f"{_counted(c.verified_minutes, 'minute', 'minutes')} ({_counted(c.hours_text, 'hour', 'hours')})"
    return [
        f"兹证明 {who}{team}，于 {c.from_day} 至 {c.to_day} 期间在{c.community_name}参加志愿服务，",
        f"经核实的志愿服务时长共计 {zh_time}，服务 {c.services} 次。",
        "本证明仅记载经组织核实的服务时长。",
        f"This certifies {en_time} of verified volunteer service,",
        f"{_counted(c.services, 'service', 'services')}, from {c.from_day} to {c.to_day}.",
    ]


# -- leaderboard and export --------------------------------------------------------------------------

@dataclass(frozen=True)
class BoardRow:
    rank: int
    volunteer_id: str
    volunteer_name: str
    party_member: bool
    verified_minutes: int


@dataclass(frozen=True)
class BranchBoard:
    branch: str
    verified_minutes: int
    rows: tuple[BoardRow, ...]


NO_BRANCH = "未分组"


def leaderboard(verified_minutes: dict[str, int], volunteers: dict[str, Volunteer], branch: str,
                limit: int) -> list[BranchBoard]:
    """Per branch, the volunteers with the most verified minutes (ties share a rank), branches with the
    most minutes first. verified_minutes: per volunteer id, for the period."""
    by_branch: dict[str, list[tuple[int, Volunteer]]] = {}
    for volunteer_id, minutes in verified_minutes.items():
        volunteer = volunteers.get(volunteer_id)
        if volunteer is None or minutes <= 0:
            continue
        name = volunteer.branch or NO_BRANCH
        if branch and name != branch:
            continue
        by_branch.setdefault(name, []).append((minutes, volunteer))
    boards = []
    for name, members in by_branch.items():
        members.sort(key=lambda m: (-m[0], m[1].id))
        rows, rank = [], 0
        for position, (minutes, volunteer) in enumerate(members[:limit], 1):
            if not rows or rows[-1].verified_minutes != minutes:
                rank = position
            rows.append(BoardRow(rank, volunteer.id, volunteer.name, volunteer.party_member, minutes))
        boards.append(BranchBoard(name, sum(m for m, _ in members), tuple(rows)))
    boards.sort(key=lambda b: (-b.verified_minutes, b.branch))
    return boards


EXPORT_COLUMNS = ("volunteer_id", "name", "branch", "party_member", "verified_hours", "verified_minutes",
                  "services", "pending_minutes")


def totals_csv(volunteers: list[Volunteer], sums: dict[str, Totals]) -> bytes:
    """One row per volunteer (those with any hours in the period), by id; UTF-8 with a byte-order mark
    so that spreadsheet programs read the Chinese names right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for volunteer in sorted(volunteers, key=lambda v: v.id):
        total = sums.get(volunteer.id)
        if total is None or (total.verified_minutes == 0 and total.pending_minutes == 0 and total.services == 0):
            continue
        writer.writerow([volunteer.id, _cell(volunteer.name), _cell(volunteer.branch),
                         "yes" if volunteer.party_member else "no", f"{total.verified_minutes / 60:.2f}",
                         total.verified_minutes, total.services, total.pending_minutes])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(text: str) -> str:
    # A cell starting with = + - @ would be run as a formula by spreadsheet programs (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
