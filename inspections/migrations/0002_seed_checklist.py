"""The starting patrol checklist; the commerce bureau edits it in the admin."""

from django.db import migrations

# (code, question, problem category when the answer is "no")
CHECKLIST = [
    ("licence_shown", "营业执照是否亮照经营、经营范围含再生资源回收", "unlicensed"),
    ("filed", "是否已向商务主管部门备案", "poor_management"),
    ("ledger_kept", "是否建立并如实登记收购台账", "poor_management"),
    ("seller_register", "收购生产性废旧金属是否登记出售人身份信息", "public_order"),
    ("fire_extinguishers", "是否配备有效的灭火器材", "fire_hazard"),
    ("exits_clear", "安全出口、疏散通道是否畅通", "fire_hazard"),
    ("no_dormitory", "经营场所内是否无人员住宿", "fire_hazard"),
    ("rain_cover", "是否有防雨遮盖设施", "pollution"),
    ("no_pollution", "是否无污水外排、无露天焚烧", "pollution"),
    ("goods_inside", "货物是否堆放在经营场所内", "appearance"),
    ("equipment_inspected", "叉车、打包机等特种设备是否经检验合格", "special_equipment"),
    ("land_legal", "经营用地是否有合法手续", "illegal_land_use"),
    ("building_permitted", "建（构）筑物是否取得规划许可", "illegal_building"),
]


def seed(apps, schema_editor):
    ChecklistItem = apps.get_model("inspections", "ChecklistItem")
    ProblemCategory = apps.get_model("agencies", "ProblemCategory")
    for order, (code, text, category_code) in enumerate(CHECKLIST, start=1):
        ChecklistItem.objects.get_or_create(
            code=code,
            defaults={
                "text": text,
                "sort_order": order,
                "category": ProblemCategory.objects.filter(code=category_code).first(),
            },
        )


def unseed(apps, schema_editor):
    codes = [code for code, *_ in CHECKLIST]
    apps.get_model("inspections", "ChecklistItem").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_initial"),
        ("agencies", "0003_seed_problem_categories"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
