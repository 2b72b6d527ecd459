"""The market dashboard's monthly rollup of transfers: kilograms and count per month, material,
delivering tier, delivering township and receiving township.

Kept by PostgreSQL itself (trade/migrations/0007_transfer_monthly.py): statement-level triggers
on the transfers add what a statement inserted and take off what it deleted (an update is
both), whatever wrote it (services, admin, imports, bulk_create, the seeding's INSERT … SELECT),
in the writing transaction, so the figures are never stale; a change of a site's tier or
township rebuilds the rollup. On SQLite (the demo) there are no triggers and the dashboard
reads the transfers directly (trade/selectors.py, `monthly_tonnage`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TransferMonthly(models.Model):
    month = models.DateField(_("month"))
    material = models.ForeignKey(
        "sites.Material", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    from_tier = models.PositiveSmallIntegerField(_("delivering tier"))
    from_township = models.ForeignKey(
        "agencies.Township", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    to_township = models.ForeignKey(
        "agencies.Township", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    weight_kg = models.DecimalField(_("net weight (kg)"), max_digits=18, decimal_places=2)
    transfers = models.BigIntegerField(_("transfers"))

    class Meta:
        verbose_name = _("monthly transfers")
        verbose_name_plural = _("monthly transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "material", "from_tier", "from_township", "to_township"],
                name="transfer_monthly_key",
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.material_id} {self.from_tier} {self.from_township_id}"
