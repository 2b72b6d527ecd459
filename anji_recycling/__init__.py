"""安吉县再生资源回收长效管理平台."""

from .celery import app as celery_app

__all__ = ("celery_app",)
