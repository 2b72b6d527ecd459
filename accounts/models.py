from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anji_recycling.models import ScopedQuerySet

from .choices import ApiTokenState, EmailState, NotificationKind, Role, SecurityEventKind


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

    def grid_roster_for(self, user):
        """The grid workers on a user's roster (花名册): all for the commerce bureau and the
        social governance centre, a township's own for its officers, nobody for the rest."""
        from .access import reads_grid_roster, township_scope

        if not reads_grid_roster(user):
            return self.none()
        workers = self.filter(role=Role.GRID_WORKER)
        township_id = township_scope(user)
        if township_id is None:
            return workers
        return workers.filter(township_id=township_id)


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
                name="user_agency_role_has_agency",
                condition=~Q(role__in=["agency_officer", "governance_staff", "coop_staff"])
                | Q(agency__isnull=False),
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


class ApiTokenQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from .access import is_county_admin

        return self if is_county_admin(user) else self.none()

    def editable_by(self, user):
        return self.visible_to(user)


class ApiToken(models.Model):
    """API 令牌：商务局为一个用户签发，供其他系统以该用户的身份和数据范围调用 API；只保存密钥的
    哈希值，到期或撤销后不再有效。"""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("purpose"), max_length=100)
    # The key is shown once, when it is issued; the portal keeps only its SHA-256.
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key begins with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="api_token_expires_after_issue", condition=Q(expires_at__gt=F("created_at"))
            ),
        ]

    def __str__(self):
        return f"{self.key_prefix}…（{self.name}）"

    def state(self, *, now) -> str:
        if self.revoked_at is not None:
            return ApiTokenState.REVOKED
        if self.expires_at <= now:
            return ApiTokenState.EXPIRED
        return ApiTokenState.ACTIVE


class NotificationQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.filter(recipient_id=user.pk) if user.is_authenticated else self.none()

    def editable_by(self, user):
        return self.visible_to(user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """通知：站内收件箱中的一条消息，同时通过邮件发送；链接到相关对象。"""

    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # What this notification is about, once: the same key is never notified twice.
    dedupe_key = models.CharField(_("deduplication key"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(
        _("email"), max_length=16, choices=EmailState.choices, default=EmailState.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_once_per_recipient_and_key"
            ),
        ]
        indexes = [
            models.Index(fields=["email_state", "email_attempts"], name="notification_email_queue")
        ]

    def __str__(self):
        return self.title


class NotificationSettingQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.filter(user_id=user.pk) if user.is_authenticated else self.none()

    def editable_by(self, user):
        return self.visible_to(user)


class NotificationSetting(models.Model):
    """通知设置：用户对一类通知的选择（关闭后不再收到该类通知，站内和邮件都不发）。"""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notification_settings"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    muted = models.BooleanField(_("muted"), default=False)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["changed_at"])
    objects = NotificationSettingQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notification_setting_once_per_user_and_kind"
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.get_kind_display()}"
