"""The default assessment scheme from the domain (weights editable; the scheme is versioned):
coverage, transfer station, illegal points, patrols on cadence, cases on time, rectifications
verified, and the assessors' deductions; grades 优秀/良好/合格/不合格."""

from decimal import Decimal

from django.db import migrations

CODE = "long-term-management"

INDICATORS = [
    # kind, name, weight, max points, deduction per item, how it is scored
    (
        "village_coverage",
        "村（社区）回收网点覆盖率",
        20,
        20,
        None,
        "期末有运营中三级回收网点的行政村（社区）占比 × 满分。",
    ),
    (
        "transfer_station",
        "乡镇（街道）中转分拣站运营",
        10,
        10,
        None,
        "期末至少有一个运营中的中转分拣站得满分，否则不得分。",
    ),
    (
        "illegal_points",
        "非法点位清零",
        15,
        15,
        Decimal(3),
        "期末仍为非法点位的，每个扣3分，扣完为止。",
    ),
    (
        "patrols_on_cadence",
        "按周期巡查",
        15,
        15,
        None,
        "期内到期的巡查任务按期完成的比例 × 满分；无到期任务得满分。",
    ),
    (
        "cases_on_time",
        "按期结案率",
        20,
        20,
        None,
        "按期结案数 ÷（应结案数 − 批准缓办数）× 满分；无应结案件得满分。",
    ),
    (
        "rectifications_verified",
        "整改核查到位",
        10,
        10,
        None,
        "期内到期的责令整改经现场核查通过的比例 × 满分；无到期整改得满分。",
    ),
    (
        "assessor_deductions",
        "考核组检查扣分",
        10,
        10,
        None,
        "督导组、农业农村局现场检查扣分，扣完为止。",
    ),
]

BANDS = [("优秀", 90), ("良好", 80), ("合格", 60), ("不合格", 0)]


def forwards(apps, schema_editor):
    Scheme = apps.get_model("assessments", "AssessmentScheme")
    Indicator = apps.get_model("assessments", "Indicator")
    GradeBand = apps.get_model("assessments", "GradeBand")
    scheme, created = Scheme.objects.get_or_create(
        code=CODE,
        version=1,
        defaults={
            "name": "再生资源回收长效管理考核",
            "total_points": Decimal(100),
            "objection_days": 5,
            "note": "默认方案：按《安吉县进一步加强再生资源回收行业长效管理工作实施意见》设置，"
            "权重可由商务局调整。",
        },
    )
    if not created:
        return
    for order, (kind, name, weight, max_points, per_item, description) in enumerate(
        INDICATORS, start=1
    ):
        Indicator.objects.create(
            scheme=scheme,
            kind=kind,
            name=name,
            weight=Decimal(weight),
            max_points=Decimal(max_points),
            points_per_item=per_item,
            description=description,
            sort_order=order,
        )
    for name, min_score in BANDS:
        GradeBand.objects.create(scheme=scheme, name=name, min_score=Decimal(min_score))


def backwards(apps, schema_editor):
    Scheme = apps.get_model("assessments", "AssessmentScheme")
    Scheme.objects.filter(code=CODE, version=1, periods__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
