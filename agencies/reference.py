"""Anji's reference data: the territory (from the NBS files in data/anji) and the organisation
named in the annex of the county's implementation opinions.

`load_reference_data()` is idempotent: a second run finds everything in place and changes
nothing. NBS fields (codes, names, townships) follow the files; organisation rows (agencies,
duties, categories, duty rules, posts) are created when missing and never overwritten, since the
commerce bureau edits them.
"""

import csv
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from anji_recycling.coordinates import CoordinateSystem, to_wgs84

from .choices import (
    AgencyKind,
    AreaCondition,
    LeadKind,
    PostRole,
    TownshipKind,
    UrbanRuralSource,
    VillageKind,
)
from .models import (
    Agency,
    AgencyDuty,
    DutyRule,
    LeadingGroupPost,
    ProblemCategory,
    Township,
    Village,
)

DATA_DIR = Path(__file__).resolve().parent / "data" / "anji"
LOAD_REASON = "load_anji"

# (code, name, short name, kind) in the annex's order; the county government office first.
AGENCIES = [
    ("govoffice", "县政府办公室", "县政府办", AgencyKind.GOVERNMENT_OFFICE),
    ("commerce", "县商务局", "商务局", AgencyKind.AGENCY),
    ("police", "县公安局", "公安局", AgencyKind.AGENCY),
    ("finance", "县财政局", "财政局", AgencyKind.AGENCY),
    ("planning", "县资源规划局", "资源规划局", AgencyKind.AGENCY),
    ("agriculture", "县农业农村局", "农业农村局", AgencyKind.AGENCY),
    ("market", "县市场监管局", "市场监管局", AgencyKind.AGENCY),
    ("urban", "县综合执法局", "综合执法局", AgencyKind.AGENCY),
    ("ecology", "县生态环境局", "生态环境局", AgencyKind.AGENCY),
    ("governance", "县社会治理中心", "社会治理中心", AgencyKind.AGENCY),
    ("supervision", "县生态文明建设督导组", "生态文明建设督导组", AgencyKind.AGENCY),
    ("fire", "县消防救援大队", "消防救援大队", AgencyKind.AGENCY),
    ("coop", "县供销联社", "供销联社", AgencyKind.AGENCY),
]

# The annex's "各部门具体职责", word for word; None stands for every township (subdistrict).
DUTIES = [
    ("commerce", "负责制定和实施再生资源回收行业发展规划，根据要求做好相关工作联系和协调。"),
    ("police", "负责再生资源回收行业的治安管理；负责打击再生资源回收领域违法犯罪行为。"),
    ("finance", "落实财政支持，保障再生资源三级体系建设。"),
    (
        "planning",
        "落实土地政策，切实解决再生资源网点建设的土地问题；负责依法查处再生资源行业中非法用地"
        "或占用耕地等违法违规行为。",
    ),
    (
        "agriculture",
        "负责对农村沿路沿线、房前屋后乱堆放等环境卫生问题的监督整改；负责将问题整改纳入美丽乡村"
        "长效管理考核。",
    ),
    (
        "market",
        "负责再生资源回收经营者无照经营、超范围经营行为的查处；负责对再生资源回收经营单位经营场所"
        "内特种设备的安全监察；负责查处违反市场监督管理法律法规的经营行为。",
    ),
    (
        "urban",
        "负责建成区及县政府确定的城市化管理区域内再生资源回收经营场所规范管理，对各类影响市容市貌"
        "的违法行为依法进行查处。",
    ),
    (
        "ecology",
        "负责对再生资源回收过程中环境污染的防治工作实施监督管理，并依法对违反环境保护法律法规的"
        "行为进行查处。",
    ),
    (
        "governance",
        "将再生资源行业管理纳入网格队伍岗位职责，定期对辖区内的再生资源回收经营场所开展巡查、排查"
        "工作，建立花名册，对发现的问题及时整改并上报。",
    ),
    (
        "supervision",
        "负责将再生资源回收领域整治纳入《安吉县乡镇（街道）生态文明建设目标管理责任书》县生态文明"
        "建设考核，组织开展再生资源回收行业整治情况的督查、检查。",
    ),
    ("fire", "负责依法查处再生资源经营主体的消防违法行为。"),
    (
        "coop",
        "负责督促指导下属再生资源回收企业及其分拣中心、交易市场的规范化管理，承担县再生资源回收"
        "体系网点建设。",
    ),
    (
        None,
        "切实履行属地管理责任，推进二级中转站和三级网点建设。强化属地监管，负责再生资源回收行业"
        "日常管理工作，负责掌握好辖区内再生资源经营主体的日常生产经营状况，做好辖区内再生资源行业"
        "相关整治工作，对规划区内再生资源回收经营场所违法建筑依法予以查处。",
    ),
]

# Problem categories (code, name, examples) and their handling deadline in working days.
# The deadlines are the portal's starting values, not the document's: the bureau edits them.
CATEGORIES = [
    ("illegal_land_use", "违法用地", "占用耕地建设、无土地使用权", 20),
    ("pollution", "环境污染", "污水外排、露天焚烧、无防雨遮盖", 10),
    ("unlicensed", "无照/超范围经营", "无营业执照、执照无再生资源回收经营范围", 10),
    ("special_equipment", "特种设备安全", "叉车、打包机、起重机械未经检验", 10),
    ("fire_hazard", "消防隐患", "无灭火器、安全出口堵塞、经营场所住人", 5),
    ("appearance", "市容/乱堆放", "货物堆放在经营场所外", 3),
    ("public_order", "治安/违法犯罪", "收购赃物、收购生产性废旧金属未登记", 5),
    ("illegal_building", "违法建筑", "未取得规划许可的建（构）筑物", 20),
    ("poor_management", "日常管理不规范", "无台账、未备案", 10),
    (
        "centre_market",
        "分拣中心、交易市场管理不规范",
        "供销联社下属企业的分拣中心、交易市场管理不规范",
        10,
    ),
]

# The annex's words for the co-op's part in the duty table (the note of its rule).
CENTRE_MARKET_DUTY = "负责督促指导下属再生资源回收企业及其分拣中心、交易市场的规范化管理"
DUTY_NOTES = {"centre_market": CENTRE_MARKET_DUTY}

# The routing table of domain.md: (category, area, lead agency code or None for the township).
DUTY_TABLE = [
    ("illegal_land_use", AreaCondition.ANY, "planning"),
    ("pollution", AreaCondition.ANY, "ecology"),
    ("unlicensed", AreaCondition.ANY, "market"),
    ("special_equipment", AreaCondition.ANY, "market"),
    ("fire_hazard", AreaCondition.ANY, "fire"),
    ("appearance", AreaCondition.BUILT_UP, "urban"),
    ("appearance", AreaCondition.RURAL, "agriculture"),
    ("public_order", AreaCondition.ANY, "police"),
    ("illegal_building", AreaCondition.ANY, None),
    ("poor_management", AreaCondition.ANY, None),
    ("centre_market", AreaCondition.ANY, "coop"),
]

LEADER_POSTS = [
    (PostRole.LEADER, "县分管副县长", None),
    (PostRole.DEPUTY_LEADER, "县政府办分管领导", "govoffice"),
    (PostRole.DEPUTY_LEADER, "县商务局局长", "commerce"),
]
MEMBER_AGENCIES = [code for code, *_ in AGENCIES if code != "govoffice"]
OFFICE_DIRECTOR_POST = (PostRole.OFFICE_DIRECTOR, "办公室主任（县商务局分管领导）", "commerce")

TOWNSHIP_KINDS = {
    "街道": TownshipKind.SUBDISTRICT,
    "镇": TownshipKind.TOWN,
    "乡": TownshipKind.TOWNSHIP,
}


REPORT_LABELS = {
    "townships": _("townships"),
    "villages": _("villages and communities"),
    "agencies": _("agencies"),
    "duties": _("duties"),
    "problem categories": _("problem categories"),
    "duty rules": _("duty rules"),
    "leading-group posts": _("leading-group posts"),
}


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def lines(self):
        labels = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            _("%(label)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
            % {
                "label": REPORT_LABELS.get(label, label),
                "created": self.created[label],
                "updated": self.updated[label],
                "unchanged": self.unchanged[label],
            }
            for label in labels
        ]

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))


def _read(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def gcj02_to_wgs84(lat: str, lng: str) -> tuple[Decimal, Decimal] | tuple[None, None]:
    """The files' GCJ-02 positions in WGS-84 (the forms' and imports' conversion)."""
    if not lat or not lng:
        return None, None
    return to_wgs84(CoordinateSystem.GCJ02, Decimal(lat), Decimal(lng))


def village_short_name(name: str) -> str:
    if name.endswith("村委会"):
        stem = name.removesuffix("村委会")
        return stem if stem.endswith("村") else f"{stem}村"
    return name.removesuffix("居委会")


def village_kind(name: str) -> str:
    if name.endswith(("村委会", "村")):
        return VillageKind.VILLAGE
    if name.endswith(("社区居委会", "社区")):
        return VillageKind.COMMUNITY
    return VillageKind.OTHER


def village_code_changes_2022() -> list[dict]:
    """The sourced code changes between the NBS 2021 and 2022 lists (the same village, a new
    code): only those a source shows, see data/anji/README.md."""
    return _read("villages_2022_code_changes.csv")


def current_village_rows() -> list[dict]:
    """The 2021 list with the sourced 2021→2022 code changes and the NBS 2022→2023 changes
    applied."""
    rows = {row["code"]: row for row in _read("villages.csv")}
    for change in village_code_changes_2022():
        old = rows.pop(change["old_code"])
        rows[change["new_code"]] = {
            "code": change["new_code"],
            "name": change["name"],
            "township_code": change["township_code"],
            "source": change["source"],
        }
        if old["name"] != change["name"]:
            raise ValueError(f"{change['old_code']} is {old['name']}, not {change['name']}")
    for change in _read("villages_2023_changes.csv"):
        if change["change"] == "removed_in_2023":
            rows.pop(change["code"])
    for change in _read("villages_2023_changes.csv"):
        if change["change"] == "added_in_2023":
            rows[change["code"]] = {
                "code": change["code"],
                "name": change["name"],
                "township_code": change["code"][:9],
                "source": change["source"],
            }
    return sorted(rows.values(), key=lambda row: row["code"])


def _differs(instance, name, value) -> bool:
    if isinstance(value, models.Model) or value is None and name.endswith(("agency", "township")):
        return getattr(instance, f"{name}_id") != (value.pk if value is not None else None)
    return getattr(instance, name) != value


def _sync(report, label, instance, values, *, overwrite=True):
    """Create the row, or bring the given fields up to date; one history entry per real change."""
    creating = instance.pk is None
    changed = [name for name, value in values.items() if _differs(instance, name, value)]
    if not creating and not (overwrite and changed):
        report.unchanged[label] += 1
        return instance
    for name in changed:
        setattr(instance, name, values[name])
    instance.full_clean()
    instance._change_reason = LOAD_REASON
    instance.save()
    (report.created if creating else report.updated)[label] += 1
    return instance


def _load_townships(report):
    townships = {}
    for row in _read("townships.csv"):
        lat, lng = gcj02_to_wgs84(row["lat"], row["lng"])
        instance = Township.objects.filter(code=row["code"]).first() or Township(code=row["code"])
        townships[row["code"]] = _sync(
            report,
            "townships",
            instance,
            {
                "name": row["name"],
                "kind": TOWNSHIP_KINDS[row["kind"]],
                "latitude": lat,
                "longitude": lng,
                "source": row["source"] + "; converted GCJ-02 → WGS-84 (prcoords)",
            },
        )
    return townships


def _recode_villages(report):
    """A village whose code changed keeps its row (and the sites, cases and history that
    point at it): the old code is replaced by the new one, once. A 2016 urban-rural code goes
    with the old code (the loader takes those only for an unchanged code and name)."""
    for change in village_code_changes_2022():
        village = Village.objects.filter(code=change["old_code"]).first()
        if village is None or Village.objects.filter(code=change["new_code"]).exists():
            continue
        values = {"code": change["new_code"], "source": change["source"]}
        if village.urban_rural_source == UrbanRuralSource.NBS_2016:
            values.update(urban_rural_code="", urban_rural_source="")
        _sync(report, "villages", village, values)


def _load_villages(report, townships):
    codes_2016 = {row["code"]: row for row in _read("villages_2016_with_urban_rural_codes.csv")}
    _recode_villages(report)
    existing = {village.code: village for village in Village.objects.all()}
    current = current_village_rows()
    for row in current:
        instance = existing.get(row["code"]) or Village(code=row["code"])
        values = {
            "name": row["name"],
            "short_name": village_short_name(row["name"]),
            "township": townships[row["township_code"]],
            "kind": village_kind(row["name"]),
            "is_active": True,
            "source": row["source"],
        }
        old = codes_2016.get(row["code"])
        same_village_in_2016 = old is not None and old["name"] == row["name"]
        if same_village_in_2016 and instance.urban_rural_source != UrbanRuralSource.ADMIN:
            values["urban_rural_code"] = old["urban_rural_code"]
            values["urban_rural_source"] = UrbanRuralSource.NBS_2016
        if same_village_in_2016 and old["lat_gcj02"]:
            values["source"] += "; " + old["source"] + " converted to WGS-84 (prcoords)"
            if instance.latitude is None:
                values["latitude"], values["longitude"] = gcj02_to_wgs84(
                    old["lat_gcj02"], old["lng_gcj02"]
                )
        _sync(report, "villages", instance, values)
    current_codes = {row["code"] for row in current}
    for code, village in existing.items():
        if code not in current_codes:
            _sync(report, "villages", village, {"is_active": False})


def _load_organisation(report):
    agencies = {}
    for order, (code, name, short_name, kind) in enumerate(AGENCIES, start=1):
        instance = Agency.objects.filter(code=code).first() or Agency(code=code)
        values = {"name": name, "short_name": short_name, "kind": kind, "sort_order": order}
        agencies[code] = _sync(report, "agencies", instance, values, overwrite=False)

    for order, (code, text) in enumerate(DUTIES, start=1):
        agency = agencies[code] if code else None
        instance = AgencyDuty.objects.filter(agency=agency, for_townships=agency is None).first()
        instance = instance or AgencyDuty(agency=agency, for_townships=agency is None)
        _sync(report, "duties", instance, {"text": text, "sort_order": order}, overwrite=False)

    categories = {}
    handle_days = {}
    for order, (code, name, examples, days) in enumerate(CATEGORIES, start=1):
        instance = ProblemCategory.objects.filter(code=code).first() or ProblemCategory(code=code)
        values = {"name": name, "examples": examples, "sort_order": order}
        categories[code] = _sync(report, "problem categories", instance, values, overwrite=False)
        handle_days[code] = days

    for category_code, area, agency_code in DUTY_TABLE:
        category = categories[category_code]
        instance = DutyRule.objects.filter(category=category, area=area).first()
        values = {
            "lead_kind": LeadKind.AGENCY if agency_code else LeadKind.TOWNSHIP,
            "lead_agency": agencies[agency_code] if agency_code else None,
            "handle_days": handle_days[category_code],
        }
        if category_code in DUTY_NOTES:
            values["note"] = DUTY_NOTES[category_code]
        instance = instance or DutyRule(category=category, area=area)
        _sync(report, "duty rules", instance, values, overwrite=False)
    return agencies


def _load_posts(report, agencies, townships):
    specs = [(role, title, agencies.get(code), None) for role, title, code in LEADER_POSTS]
    specs += [(PostRole.MEMBER, "分管领导", agencies[code], None) for code in MEMBER_AGENCIES]
    specs += [(PostRole.MEMBER, "分管领导", None, t) for t in townships.values()]
    role, title, code = OFFICE_DIRECTOR_POST
    specs.append((role, title, agencies[code], None))
    for order, (role, title, agency, township) in enumerate(specs, start=1):
        instance = LeadingGroupPost.objects.filter(
            role=role, agency=agency, township=township
        ).first()
        instance = instance or LeadingGroupPost(role=role, agency=agency, township=township)
        values = {"title": title, "sort_order": order}
        _sync(report, "leading-group posts", instance, values, overwrite=False)


@transaction.atomic
def load_reference_data() -> LoadReport:
    report = LoadReport()
    townships = _load_townships(report)
    _load_villages(report, townships)
    agencies = _load_organisation(report)
    _load_posts(report, agencies, townships)
    return report
