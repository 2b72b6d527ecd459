from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anji_recycling.models import ScopedQuerySet

from .choices import Role, SecurityEventKind


class UserQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from .access import is_county_admin

        if not user.is_authenticated:
            return self.none()
        if is_county_admin(user):
            return self
        return self.filter(pk=user.pk)

    def editable_by(self, user):
        return self.visible_to(user)


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """平台用户：角色决定可见范围，乡镇人员属于一个乡镇，部门人员属于一个部门。"""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    township = models.ForeignKey(
        "agencies.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    objects = ScopedUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_township_role_has_township",
                condition=~Q(role__in=["township_officer", "grid_worker"])
                | Q(township__isnull=False),
            ),
            models.CheckConstraint(
                name="user_agency_officer_has_agency",
                condition=~Q(role="agency_officer") | Q(agency__isnull=False),
            ),
        ]

    def __str__(self):
        full_name = self.get_full_name()
        return f"{full_name}（{self.username}）" if full_name else self.username


class SecurityEventQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from .access import is_county_admin

        return self if is_county_admin(user) else self.none()

    def editable_by(self, user):
        return self.none()


class SecurityEvent(models.Model):
    """安全日志：登录、登录失败、导出和权限变更。"""

    kind = models.CharField(_("kind"), max_length=32, choices=SecurityEventKind.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="security_events",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security log")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.username}"
