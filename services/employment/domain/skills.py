"""The skill taxonomy: a small curated list, extensible by operators and counsellors. Pure: no I/O.

Skills people learnt outside formal employment (farming, handicraft, cooking, caring) are first-class:
most residents of the pilot community are former farmers, and these are what they can offer.

Each skill maps to the national occupational classification (中华人民共和国职业分类大典) at the level of
its 中类 (e.g. 4-03 住宿和餐饮服务人员), so placements can be reported in the national categories. The
curated codes follow the 2015/2022 editions' top two levels; an operator adding a skill may give a finer
code (e.g. 4-03-02-01). Check them against the edition your district reports in.
"""
import re
from dataclasses import dataclass

from linli.kit.errors import AlreadyExists, PermissionDenied, check_fields
from linli.kit.identity import Caller
from services.employment.domain.common import TAXONOMY_ROLES

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,30}(\.[a-z0-9_]{1,30}){0,2}$")
OCCUPATION_PATTERN = re.compile(r"^[1-8](-\d{2}){1,3}$")
GROUPS = ("agriculture", "handicraft", "food", "care", "cleaning", "construction", "manufacturing",
          "logistics", "retail", "security", "office", "repair")
MAX_NAME = 40


@dataclass(frozen=True)
class Skill:
    code: str
    name_zh: str
    name_en: str
    group: str
    occupation_code: str
    # Learnt at home or on the farm rather than in a job: counted all the same.
    informal: bool = False
    added_by: str = ""  # "" for the curated list


CURATED: tuple[Skill, ...] = (
    Skill("farming.crops", "农作物种植", "crop farming", "agriculture", "5-01", True),
    Skill("farming.greenhouse", "大棚蔬菜", "greenhouse vegetables", "agriculture", "5-01", True),
    Skill("farming.livestock", "畜禽养殖", "livestock and poultry", "agriculture", "5-03", True),
    Skill("farming.machinery", "农机操作", "farm machinery", "agriculture", "5-05", True),
    Skill("gardening", "园林绿化", "gardening and greening", "agriculture", "4-09"),
    Skill("handicraft.knitting", "手工编织", "knitting and weaving", "handicraft", "6-09", True),
    Skill("handicraft.embroidery", "刺绣", "embroidery", "handicraft", "6-09", True),
    Skill("handicraft.paper_cutting", "剪纸", "paper cutting", "handicraft", "6-09", True),
    Skill("sewing", "缝纫", "sewing", "manufacturing", "6-05", True),
    Skill("cooking", "烹饪", "cooking", "food", "4-03", True),
    Skill("cooking.pastry", "面点", "pastry and dumplings", "food", "4-03", True),
    Skill("food_processing", "食品加工", "food processing", "food", "6-02"),
    Skill("caring.elderly", "照护老人", "caring for the elderly", "care", "4-10", True),
    Skill("caring.children", "照看儿童", "caring for children", "care", "4-10", True),
    Skill("housekeeping", "家政服务", "housekeeping", "care", "4-10", True),
    Skill("cleaning", "保洁", "cleaning", "cleaning", "4-09"),
    Skill("construction.masonry", "砌筑", "masonry", "construction", "6-29"),
    Skill("construction.decoration", "装修", "decoration", "construction", "6-29"),
    Skill("assembly", "装配", "assembly line work", "manufacturing", "6-31"),
    Skill("warehouse", "仓储搬运", "warehouse and loading", "logistics", "4-02"),
    Skill("driving", "驾驶", "driving", "logistics", "4-02"),
    Skill("delivery", "快递配送", "parcel delivery", "logistics", "4-02"),
    Skill("retail", "营业销售", "shop sales", "retail", "4-01"),
    Skill("security", "保安", "security guard", "security", "4-07"),
    Skill("office.computer", "电脑操作", "computer and office work", "office", "3-01"),
    Skill("repair.appliances", "家电维修", "appliance repair", "repair", "4-12"),
)
CURATED_CODES = frozenset(skill.code for skill in CURATED)


@dataclass(frozen=True)
class NewSkill:
    code: str
    name_zh: str
    name_en: str
    group: str
    occupation_code: str
    informal: bool = False


def add_skill(caller: Caller, new: NewSkill, existing_codes: frozenset[str]) -> Skill:
    if not caller.has_role(*TAXONOMY_ROLES):
        raise PermissionDenied("only operators, counsellors and administrators may extend the skill taxonomy")
    problems = {}
    if not CODE_PATTERN.match(new.code):
        problems["code"] = "lower-case words joined by dots, e.g. handicraft.pottery"
    if not 1 <= len(new.name_zh.strip()) <= MAX_NAME:
        problems["name_zh"] = f"required, at most {MAX_NAME} characters"
    if not 1 <= len(new.name_en.strip()) <= MAX_NAME:
        problems["name_en"] = f"required, at most {MAX_NAME} characters"
    if new.group not in GROUPS:
        problems["group"] = f"one of {', '.join(GROUPS)}"
    if not OCCUPATION_PATTERN.match(new.occupation_code):
        problems["occupation_code"] = "a national occupational classification code, e.g. 4-03 or 4-03-02-01"
    check_fields(problems, "invalid skill")
    if new.code in existing_codes:
        raise AlreadyExists(f"skill {new.code} is already in the taxonomy")
    return Skill(new.code, new.name_zh.strip(), new.name_en.strip(), new.group, new.occupation_code,
                 new.informal, caller.subject)
