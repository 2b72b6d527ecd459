"""What the market's models share: the number formats, the scoping by site of their querysets, the
material grades and the fields that name a material and a grade.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import (
    has_role,
    is_association,
    is_county_admin,
    is_supply_coop,
    is_township_officer,
    township_scope,
)
from anji_recycling.models import ScopedQuerySet

WEIGHT = {"max_digits": 12, "decimal_places": 2}  # kg
PRICE = {"max_digits": 10, "decimal_places": 2}  # 元/吨
AMOUNT = {"max_digits": 14, "decimal_places": 2}  # 元


def sites_scoped(queryset, user, *fields):
    """Rows tied to sites: township staff see those whose site (any of `fields`) lies in
    their township; the co-op those whose site its enterprises run (the other operators'
    trading is their own business, not a competitor's); the association, a trade body, none;
    every other role sees the county."""
    if not has_role(user) or is_association(user):
        return queryset.none()
    if is_supply_coop(user):
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__operator__is_coop_enterprise": True})
        return queryset.filter(condition)
    township_id = township_scope(user)
    if township_id is None:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__township_id": township_id})
    return queryset.filter(condition)


def sites_editable(queryset, user, *fields):
    """The commerce bureau changes every row; a township officer those of its own sites."""
    if is_county_admin(user):
        return queryset
    if not is_township_officer(user):
        return queryset.none()
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__township_id": user.township_id})
    return queryset.filter(condition)


class CountyMarketQuerySet(ScopedQuerySet):
    """Market reference data (grades, the price board): everyone with a role reads it; the
    commerce bureau changes it."""

    def visible_to(self, user):
        return self if has_role(user) else self.none()

    def editable_by(self, user):
        return self if is_county_admin(user) else self.none()


class MaterialGrade(models.Model):
    """品级：回收品类下的细分等级，如废纸下的黄板纸、书报纸、花纸。"""

    material = models.ForeignKey(
        "sites.Material",
        verbose_name=_("material"),
        on_delete=models.PROTECT,
        related_name="grades",
    )
    name = models.CharField(_("name"), max_length=30)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()
    objects = CountyMarketQuerySet.as_manager()

    class Meta:
        verbose_name = _("material grade")
        verbose_name_plural = _("material grades")
        ordering = ["material__sort_order", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["material", "name"],
                name="material_grade_name_unique_per_material",
                violation_error_message=_("This material already has a grade of that name."),
            ),
        ]

    def __str__(self):
        return f"{self.material.name}·{self.name}"


def material_field():
    return models.ForeignKey(
        "sites.Material", verbose_name=_("material"), on_delete=models.PROTECT, related_name="+"
    )


def grade_field():
    """The grade within the material, when the sale names one."""
    return models.ForeignKey(
        MaterialGrade,
        verbose_name=_("grade"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
