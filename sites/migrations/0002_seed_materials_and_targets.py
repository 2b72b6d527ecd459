"""Materials the county's sites handle, and the document's 2025 target (100 % coverage)."""

from django.db import migrations

MATERIALS = [
    ("steel", "废钢铁"),
    ("nonferrous", "废有色金属"),
    ("paper", "废纸"),
    ("plastic", "废塑料"),
    ("glass", "废玻璃"),
    ("textile", "废旧纺织品"),
    ("appliance", "废旧家电"),
    ("electronics", "废旧电子产品"),
    ("tyre", "废轮胎"),
    ("other", "其他"),
]


def seed(apps, schema_editor):
    Material = apps.get_model("sites", "Material")
    for order, (code, name) in enumerate(MATERIALS, start=1):
        Material.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})
    CoverageTarget = apps.get_model("sites", "CoverageTarget")
    CoverageTarget.objects.get_or_create(
        year=2025,
        defaults={
            "village_coverage_percent": 100,
            "transfer_station_percent": 100,
            "note": "实施意见：力争到2025年形成较为完善的再生资源三级回收体系",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("sites", "Material").objects.filter(code__in=[c for c, _ in MATERIALS]).delete()
    apps.get_model("sites", "CoverageTarget").objects.filter(year=2025).delete()


class Migration(migrations.Migration):
    dependencies = [("sites", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
