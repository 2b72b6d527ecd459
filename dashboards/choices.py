from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class DashboardKind(models.TextChoices):
    """Whose dashboard: the county's, one township's, or one agency's cases."""

    COUNTY = "county", _("County dashboard")
    TOWNSHIP = "township", _("Township dashboard")
    AGENCY = "agency", _("Agency cases dashboard")
