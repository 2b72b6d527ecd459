"""The grades the county's sorting centre trades in (the commerce bureau edits them)."""

from django.db import migrations

GRADES = {
    "paper": ["黄板纸", "书报纸", "花纸"],
    "plastic": ["PET瓶", "硬质塑料", "塑料薄膜"],
    "steel": ["重型废钢", "轻薄料"],
    "nonferrous": ["废铜", "废铝"],
}


def seed(apps, schema_editor):
    Material = apps.get_model("sites", "Material")
    MaterialGrade = apps.get_model("trade", "MaterialGrade")
    for code, names in GRADES.items():
        material = Material.objects.filter(code=code).first()
        if material is None:
            continue
        for order, name in enumerate(names, start=1):
            MaterialGrade.objects.get_or_create(
                material=material, name=name, defaults={"sort_order": order}
            )


def unseed(apps, schema_editor):
    MaterialGrade = apps.get_model("trade", "MaterialGrade")
    for code, names in GRADES.items():
        MaterialGrade.objects.filter(material__code=code, name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("trade", "0001_market"), ("sites", "0002_seed_materials_and_targets")]

    operations = [migrations.RunPython(seed, unseed)]
