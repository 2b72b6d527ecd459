"""The one place that reads the duty table to decide who leads on a problem.

Built-up or rural comes from the village's 城乡分类代码 (1xx built-up, 2xx rural); a village
without a code, or a place without a village, is judged by its township (街道 built-up,
镇/乡 rural). Nothing else in the portal decides routing.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .choices import AreaCondition, AreaKind, LeadKind, TownshipKind
from .models import Agency, DutyRule, ProblemCategory, Township, Village


class NoDutyRule(Exception):
    """No rule in force covers this category in this kind of area."""


@dataclass(frozen=True)
class Routing:
    rule: DutyRule
    area: str
    lead_agency: Agency | None
    township: Township

    @property
    def lead_label(self) -> str:
        return str(self.lead_agency) if self.lead_agency else str(self.township)


def area_kind(*, township: Township, village: Village | None = None) -> str:
    if village is not None and village.urban_rural_code.startswith("1"):
        return AreaKind.BUILT_UP
    if village is not None and village.urban_rural_code.startswith("2"):
        return AreaKind.RURAL
    if township.kind == TownshipKind.SUBDISTRICT:
        return AreaKind.BUILT_UP
    return AreaKind.RURAL


def route(
    *, category: ProblemCategory, township: Township, village: Village | None = None
) -> Routing:
    area = area_kind(township=township, village=village)
    rules = DutyRule.objects.filter(
        category=category, is_active=True, area__in=[AreaCondition.ANY, area]
    ).select_related("lead_agency")
    rule = next((r for r in rules if r.area == area), None) or next(iter(rules), None)
    if rule is None:
        raise NoDutyRule(
            _("The duty table has no rule in force for %(category)s (%(area)s).")
            % {"category": category, "area": AreaKind(area).label}
        )
    lead_agency = rule.lead_agency if rule.lead_kind == LeadKind.AGENCY else None
    return Routing(rule=rule, area=area, lead_agency=lead_agency, township=township)


def duties_of(*, agency_id) -> set[int]:
    """The problem categories the duty table gives an agency (the active rules it leads, in
    any kind of area): what it may act on when it assists a joint action."""
    return set(
        DutyRule.objects.filter(is_active=True, lead_agency_id=agency_id).values_list(
            "category_id", flat=True
        )
    )
