"""The reference price board: a price per material, grade and sale, in force from a day."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anji_recycling.models import entered_by_field

from ..choices import SellerTier
from .common import PRICE, CountyMarketQuerySet, grade_field, material_field

SAME_DAY_PRICE = _("A price for this material, grade and sale is already in force from that day.")


class PriceEntry(models.Model):
    """指导价：分拣中心或商务局发布的某品类（品级）、某层级交售的参考收购价（元/吨），自某日起执行。"""

    material = material_field()
    grade = grade_field()
    seller_tier = models.PositiveSmallIntegerField(_("sale"), choices=SellerTier.choices)
    price = models.DecimalField(_("reference price (yuan/t)"), **PRICE)
    effective_from = models.DateField(_("in force from"))
    published_by = entered_by_field(_("published by"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = CountyMarketQuerySet.as_manager()

    class Meta:
        verbose_name = _("reference price")
        verbose_name_plural = _("reference prices")
        ordering = ["material__sort_order", "seller_tier", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["material", "grade", "seller_tier", "effective_from"],
                condition=Q(grade__isnull=False),
                name="price_entry_one_per_material_grade_tier_day",
                violation_error_message=SAME_DAY_PRICE,
            ),
            models.UniqueConstraint(
                fields=["material", "seller_tier", "effective_from"],
                condition=Q(grade__isnull=True),
                name="price_entry_one_per_material_tier_day",
                violation_error_message=SAME_DAY_PRICE,
            ),
            models.CheckConstraint(
                name="price_entry_price_positive",
                condition=Q(price__gt=0),
                violation_error_message=_("A reference price must be more than 0."),
            ),
        ]

    def __str__(self):
        what = self.grade or self.material
        tier = self.get_seller_tier_display()
        return f"{what} {tier} {self.price} 元/吨（{self.effective_from}）"
