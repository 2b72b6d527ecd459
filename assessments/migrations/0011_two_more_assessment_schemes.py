"""措施（五）二、三: recycling governance in the 美丽乡村长效管理 check (农业农村局) and in the
生态文明建设目标管理责任书 check (生态文明建设督导组), each a scheme of its own built from the
portal's indicators, its owning agency's assessors entering the deductions. Weights are the
portal's starting values, editable in a new version."""

from decimal import Decimal

from django.db import migrations

BANDS = [("优秀", 90), ("良好", 80), ("合格", 60), ("不合格", 0)]

SCHEMES = [
    (
        "beautiful-countryside",
        "美丽乡村长效管理考核（再生资源回收）",
        "agriculture",
        "由县农业农村局负责，将再生资源回收领域整治纳入美丽乡村长效管理考核，对乡镇（街道）开展长效管理督查。",
        [
            ("village_coverage", "村（社区）回收网点覆盖率", 25, 25, None,
             "期末有运营中三级回收网点的行政村（社区）占比 × 满分。"),
            ("illegal_points", "非法点位清零", 20, 20, Decimal(4),
             "期末仍为非法点位的，每个扣4分，扣完为止。"),
            ("rectifications_verified", "乱堆放等问题整改到位", 25, 25, None,
             "期内到期的责令整改经现场核查通过的比例 × 满分；无到期整改得满分。"),
            ("assessor_deductions", "长效管理督查扣分", 30, 30, None,
             "农业农村局督查发现沿路沿线、房前屋后乱堆放等问题扣分，扣完为止。"),
        ],
    ),
    (
        "eco-civilisation",
        "生态文明建设目标管理责任考核（再生资源回收领域整治）",
        "supervision",
        "由县生态文明建设督导组负责，将再生资源回收领域整治纳入《安吉县乡镇（街道）生态文明建设"
        "目标管理责任书》考核。",
        [
            ("transfer_station", "乡镇（街道）中转分拣站运营", 15, 15, None,
             "期末至少有一个运营中的中转分拣站得满分，否则不得分。"),
            ("patrols_on_cadence", "按周期巡查", 20, 20, None,
             "期内到期的巡查任务按期完成的比例 × 满分；无到期任务得满分。"),
            ("cases_on_time", "按期结案率", 25, 25, None,
             "按期结案数 ÷（应结案数 − 批准缓办数）× 满分；无应结案件得满分。"),
            ("illegal_points", "非法点位清零", 15, 15, Decimal(3),
             "期末仍为非法点位的，每个扣3分，扣完为止。"),
            ("assessor_deductions", "督导组督查扣分", 25, 25, None,
             "生态文明建设督导组督查、检查扣分，扣完为止。"),
        ],
    ),
]


def forwards(apps, schema_editor):
    Scheme = apps.get_model("assessments", "AssessmentScheme")
    Indicator = apps.get_model("assessments", "Indicator")
    GradeBand = apps.get_model("assessments", "GradeBand")
    for code, name, owner, note, indicators in SCHEMES:
        scheme, created = Scheme.objects.get_or_create(
            code=code,
            version=1,
            defaults={
                "name": name,
                "owner_agency_code": owner,
                "total_points": Decimal(100),
                "objection_days": 5,
                "note": note,
            },
        )
        if not created:
            continue
        for order, (kind, label, weight, max_points, per_item, description) in enumerate(
            indicators, start=1
        ):
            Indicator.objects.create(
                scheme=scheme,
                kind=kind,
                name=label,
                weight=Decimal(weight),
                max_points=Decimal(max_points),
                points_per_item=per_item,
                description=description,
                sort_order=order,
            )
        for band, min_score in BANDS:
            GradeBand.objects.create(scheme=scheme, name=band, min_score=Decimal(min_score))


def backwards(apps, schema_editor):
    Scheme = apps.get_model("assessments", "AssessmentScheme")
    Scheme.objects.filter(
        code__in=[code for code, *_rest in SCHEMES], version=1, periods__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0010_scheme_owner_agency")]

    operations = [migrations.RunPython(forwards, backwards)]
