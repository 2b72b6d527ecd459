from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.choices import AGENCY_ROLES, Role
from accounts.models import User
from accounts.services import assign_role
from agencies.models import Agency, Township

DEMO_PASSWORD = "Anji-demo-2026"
# Every demo account has an e-mail address, so that the sweeps' e-mails show on the console.
DEMO_EMAIL_DOMAIN = "demo.anji-recycling.example"


def demo_email(username: str) -> str:
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


def demo_user(username: str, full_name: str) -> User:
    """The demo account of this name, with its name, e-mail address and the demo password."""
    user, _created = User.objects.get_or_create(username=username)
    user.first_name = full_name
    user.email = demo_email(username)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


# username, full name, role, agency code, township code
DEMO_ACCOUNTS = [
    ("commerce", "商务局管理员", Role.COMMERCE_ADMIN, "commerce", None),
    ("dipu", "递铺街道工作人员", Role.TOWNSHIP_OFFICER, None, "330523001"),
    ("grid", "递铺街道网格员", Role.GRID_WORKER, None, "330523001"),
    ("market", "市场监管局执法人员", Role.AGENCY_OFFICER, "market", None),
    ("assessor", "督导组考核人员", Role.ASSESSOR, "supervision", None),
    ("leader", "领导小组领导", Role.LEADER, None, None),
    ("governance", "县社会治理中心工作人员", Role.GOVERNANCE_STAFF, "governance", None),
    ("coop", "县供销联社工作人员", Role.COOP_STAFF, "coop", None),
    ("finance", "县财政局工作人员", Role.AGENCY_OFFICER, "finance", None),
    ("planning", "县资源规划局工作人员", Role.AGENCY_OFFICER, "planning", None),
    ("agriculture", "农业农村局考核人员", Role.ASSESSOR, "agriculture", None),
    ("association", "县再生资源行业协会", Role.ASSOCIATION, None, None),
]


class Command(BaseCommand):
    help = "Create one demo account per role (demo and development only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow when DEBUG is off.")

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(_("Demo accounts are for the demo only (DEBUG is off)."))
        if not Township.objects.exists():
            raise CommandError(_("Run `python manage.py load_anji` first."))
        rows = []
        for username, full_name, role, agency_code, township_code in DEMO_ACCOUNTS:
            user = demo_user(username, full_name)
            assign_role(
                user=user,
                role=role,
                agency=Agency.objects.get(code=agency_code) if agency_code else None,
                township=Township.objects.get(code=township_code) if township_code else None,
            )
            rows.append((username, role.label, full_name))
        township_accounts = self._township_accounts()
        agency_accounts = self._agency_accounts()
        self.stdout.write(
            _("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for username, label, full_name in rows:
            self.stdout.write(f"  {username:<12} {label}（{full_name}）")
        self.stdout.write(
            _(
                "  and an officer and a grid worker in every other township "
                "(officer-<last three digits of the township code>, grid-<…>): %(count)d accounts"
            )
            % {"count": township_accounts}
        )
        self.stdout.write(
            _(
                "  and an officer of every other agency the duty table makes lead on a problem "
                "(officer-<agency code>): %(count)d accounts"
            )
            % {"count": agency_accounts}
        )

    def _township_accounts(self) -> int:
        """A township officer and a grid worker in every township besides 递铺街道's."""
        count = 0
        for township in Township.objects.exclude(code="330523001").order_by("code"):
            suffix = township.code[-3:]
            for prefix, role, title in (
                ("officer", Role.TOWNSHIP_OFFICER, "工作人员"),
                ("grid", Role.GRID_WORKER, "网格员"),
            ):
                user = demo_user(f"{prefix}-{suffix}", f"{township.name}{title}")
                assign_role(user=user, role=role, township=township)
                count += 1
        return count

    def _agency_accounts(self) -> int:
        """An agency officer of every agency that leads on a problem in the duty table and has
        no one above to handle its cases (消防、综合执法、生态环境、公安、农业农村): the case
        pages and the overdue-case sweep need someone there."""
        handled = {code for _u, _n, role, code, _t in DEMO_ACCOUNTS if role in AGENCY_ROLES}
        leads = (
            Agency.objects.filter(led_rules__is_active=True)
            .exclude(code__in=handled)
            .distinct()
            .order_by("code")
        )
        for agency in leads:
            user = demo_user(f"officer-{agency.code}", f"{agency.name}执法人员")
            assign_role(user=user, role=Role.AGENCY_OFFICER, agency=agency)
        return len(leads)
