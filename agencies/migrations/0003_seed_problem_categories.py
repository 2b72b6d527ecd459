"""The problem categories of the duty table, so that a fresh database can file reports and
hold the inspection checklist before `load_anji` has run. load_anji finds them in place."""

from django.db import migrations

CATEGORIES = [
    ("illegal_land_use", "违法用地", "占用耕地建设、无土地使用权"),
    ("pollution", "环境污染", "污水外排、露天焚烧、无防雨遮盖"),
    ("unlicensed", "无照/超范围经营", "无营业执照、执照无再生资源回收经营范围"),
    ("special_equipment", "特种设备安全", "叉车、打包机、起重机械未经检验"),
    ("fire_hazard", "消防隐患", "无灭火器、安全出口堵塞、经营场所住人"),
    ("appearance", "市容/乱堆放", "货物堆放在经营场所外"),
    ("public_order", "治安/违法犯罪", "收购赃物、收购生产性废旧金属未登记"),
    ("illegal_building", "违法建筑", "未取得规划许可的建（构）筑物"),
    ("poor_management", "日常管理不规范", "无台账、未备案"),
]


def seed(apps, schema_editor):
    ProblemCategory = apps.get_model("agencies", "ProblemCategory")
    for order, (code, name, examples) in enumerate(CATEGORIES, start=1):
        ProblemCategory.objects.get_or_create(
            code=code, defaults={"name": name, "examples": examples, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("agencies", "0002_coordinate_fields")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
