"""Every starting checklist item names the problem category a "no" opens (a database whose
checklist was seeded before its categories existed has items without one), and the questions
an unregistered point answers by being one are left out of its report."""

from django.db import migrations

# (code, problem category when the answer is "no"), as in 0002_seed_checklist
CATEGORIES = {
    "licence_shown": "unlicensed",
    "filed": "poor_management",
    "ledger_kept": "poor_management",
    "seller_register": "public_order",
    "fire_extinguishers": "fire_hazard",
    "exits_clear": "fire_hazard",
    "no_dormitory": "fire_hazard",
    "rain_cover": "pollution",
    "no_pollution": "pollution",
    "goods_inside": "appearance",
    "equipment_inspected": "special_equipment",
    "land_legal": "illegal_land_use",
    "building_permitted": "illegal_building",
}
NOT_FOR_UNREGISTERED = ["licence_shown", "filed"]


def link(apps, schema_editor):
    ChecklistItem = apps.get_model("inspections", "ChecklistItem")
    ProblemCategory = apps.get_model("agencies", "ProblemCategory")
    categories = {c.code: c for c in ProblemCategory.objects.filter(code__in=CATEGORIES.values())}
    for item in ChecklistItem.objects.filter(code__in=CATEGORIES, category__isnull=True):
        category = categories.get(CATEGORIES[item.code])
        if category is not None:
            item.category = category
            item.save(update_fields=["category"])
    ChecklistItem.objects.filter(code__in=NOT_FOR_UNREGISTERED).update(
        applies_to_unregistered=False
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0011_report_key_and_unregistered_checklist"),
        ("agencies", "0003_seed_problem_categories"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
