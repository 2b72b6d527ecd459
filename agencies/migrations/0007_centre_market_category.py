"""The duty table's row for the co-op (annex: 供销联社负责督促指导下属再生资源回收企业及其
分拣中心、交易市场的规范化管理): the problem category and, once the agencies are loaded, its
rule with the co-op leading. load_anji finds both in place (or adds them on a fresh database)."""

from django.db import migrations
from django.db.models import ProtectedError

CODE = "centre_market"
NAME = "分拣中心、交易市场管理不规范"
EXAMPLES = "供销联社下属企业的分拣中心、交易市场管理不规范"
DUTY = "负责督促指导下属再生资源回收企业及其分拣中心、交易市场的规范化管理"


def forwards(apps, schema_editor):
    ProblemCategory = apps.get_model("agencies", "ProblemCategory")
    DutyRule = apps.get_model("agencies", "DutyRule")
    Agency = apps.get_model("agencies", "Agency")
    last = ProblemCategory.objects.order_by("-sort_order").values_list("sort_order", flat=True)
    order = (last.first() or 0) + 1
    category, _ = ProblemCategory.objects.get_or_create(
        code=CODE, defaults={"name": NAME, "examples": EXAMPLES, "sort_order": order}
    )
    coop = Agency.objects.filter(code="coop").first()
    if coop is not None and not DutyRule.objects.filter(category=category).exists():
        DutyRule.objects.create(
            category=category, area="any", lead_kind="agency", lead_agency=coop, note=DUTY
        )


def backwards(apps, schema_editor):
    ProblemCategory = apps.get_model("agencies", "ProblemCategory")
    DutyRule = apps.get_model("agencies", "DutyRule")
    category = ProblemCategory.objects.filter(code=CODE).first()
    if category is None:
        return
    DutyRule.objects.filter(category=category).delete()
    try:
        category.delete()
    except ProtectedError:  # findings or cases use it: keep the category, out of use
        ProblemCategory.objects.filter(pk=category.pk).update(is_active=False)


class Migration(migrations.Migration):
    dependencies = [("agencies", "0006_holiday_calendar")]

    operations = [migrations.RunPython(forwards, backwards)]
