"""docs/partners.md is what partner hospitals build against: its table of limits must say what the code
enforces, and name every limit a partner's request can run into."""
import re
from pathlib import Path

from linli.kit import pagination
from services.clinic.domain import audit, patients, referrals

DOC = Path(__file__).resolve().parents[2] / "docs" / "partners.md"
MODULES = {"patients": patients, "referrals": referrals, "pagination": pagination, "audit": audit}


def limit_rows() -> list[tuple[str, str, str]]:
    """(field, rule, where in the code) of each row of the "Required fields and limits" table."""
    section = DOC.read_text().split("## Required fields and limits")[1].split("\n## ")[0]
    rows = [line.strip("|").split("|") for line in section.splitlines() if line.startswith("| ")]
    return [tuple(cell.strip() for cell in row) for row in rows[1:]]  # without the heading row


def test_every_number_in_the_partners_limits_table_is_the_codes_constant():
    checked = 0
    for field, rule, where in limit_rows():
        found = re.fullmatch(r"`(\w+)\.(MAX_\w+)`", where)
        if found:
            value = getattr(MODULES[found[1]], found[2])
            assert re.search(rf"\b{value}\b", rule), f"{field}: the docs say {rule!r}, the code {value}"
            checked += 1
    assert checked >= 15


def test_every_limit_of_a_referral_is_in_the_partners_limits_table():
    documented = {where.strip("`") for _, _, where in limit_rows()}
    limits = {f"referrals.{name}" for name in vars(referrals) if name.startswith("MAX_")}
    assert limits <= documented, f"not in docs/partners.md: {sorted(limits - documented)}"


def test_the_business_status_rule_in_the_docs_is_the_codes_pattern():
    [rule] = [rule for field, rule, _ in limit_rows() if "business_status" in field]
    assert referrals.BUSINESS_STATUS_PATTERN.pattern == r"^[a-z][a-z0-9-]{0,63}$" and "up to 63" in rule
