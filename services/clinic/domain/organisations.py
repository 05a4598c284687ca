"""The organisations of the medical alliance: each community's clinic, and the partner hospitals.

A community clinic's organisation id is derived from its community ("clinic-donghuayuan"). Partner
hospitals are listed in configuration (CLINIC_PARTNERS); a partner's identity on the partner port is
the common name of its client certificate, which must be one of them.
"""
import re
from dataclasses import dataclass

from linli.kit.errors import InvalidArgument

CLINIC, PARTNER_HOSPITAL = "clinic", "partner_hospital"
CLINIC_PREFIX = "clinic-"
ANY_PARTNER = "*"
PARTNER_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")

# Names of the pilot's alliance partners (抚顺: the city's central hospital, the district's hospital),
# and of communities' clinics; an unknown id is shown as itself.
KNOWN_NAMES = {
    "city-central-hospital": "抚顺市中心医院",
    "district-hospital": "顺城区人民医院",
    "clinic-donghuayuan": "东华园社区医疗卫生服务站",
}


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    kind: str


def clinic_of(community_id: str) -> str:
    return CLINIC_PREFIX + community_id


def is_clinic(organisation_id: str) -> bool:
    return organisation_id.startswith(CLINIC_PREFIX)


def community_of_clinic(organisation_id: str) -> str:
    return organisation_id.removeprefix(CLINIC_PREFIX)


def organisation(organisation_id: str) -> Organisation:
    kind = CLINIC if is_clinic(organisation_id) else PARTNER_HOSPITAL
    return Organisation(organisation_id, KNOWN_NAMES.get(organisation_id, organisation_id), kind)


def parse_partners(value: str) -> frozenset[str]:
    """The CLINIC_PARTNERS setting: partner ids separated by commas."""
    partners = frozenset(part.strip() for part in value.split(",") if part.strip())
    bad = sorted(p for p in partners if not PARTNER_ID_PATTERN.match(p) or is_clinic(p))
    if bad:
        raise ValueError(f"partner ids are lower-case letters, digits and -, not starting {CLINIC_PREFIX!r}: {bad}")
    return partners


def check_partner(partner_id: str, partners: frozenset[str], field: str = "partner_id") -> str:
    if partner_id not in partners:
        raise InvalidArgument(f"{partner_id or 'empty'} is not a partner of the alliance",
                              {field: f"one of {', '.join(sorted(partners))}"})
    return partner_id
