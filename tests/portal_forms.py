"""Every form class and FilterSet in the portal, found by importing every module of its apps, so
that the tests that walk them cover a new form without being told."""

import importlib
import pkgutil
from functools import cache
from pathlib import Path

import django_filters
from django import forms
from django.apps import apps
from django.conf import settings


@cache
def portal_packages() -> tuple[str, ...]:
    """The project's own package and every installed app that lives in the project (not in
    site-packages): a new app is walked without being listed."""
    own = [
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and "site-packages" not in Path(config.path).parts
    ]
    return ("anji_recycling", *own)


# Modules that are entry points rather than code: importing them configures a process.
NOT_IMPORTED = ("anji_recycling.settings", "anji_recycling.wsgi", "anji_recycling.asgi")


def _import_portal_modules() -> None:
    for package_name in portal_packages():
        package = importlib.import_module(package_name)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
            name = module.name
            if ".migrations" in name or name.startswith(NOT_IMPORTED):
                continue
            importlib.import_module(name)


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def _in_portal(cls) -> bool:
    return cls.__module__.split(".")[0] in portal_packages()


def label(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


@cache
def portal_form_classes() -> tuple[type[forms.BaseForm], ...]:
    """Every form class defined in the portal's apps (the portal's own bases included)."""
    _import_portal_modules()
    found = {cls for cls in _subclasses(forms.BaseForm) if _in_portal(cls)}
    return tuple(sorted(found, key=label))


def portal_model_forms() -> tuple[type[forms.ModelForm], ...]:
    return tuple(
        cls
        for cls in portal_form_classes()
        if issubclass(cls, forms.BaseModelForm) and cls._meta.model is not None
    )


@cache
def portal_filtersets() -> tuple[type[django_filters.FilterSet], ...]:
    _import_portal_modules()
    found = {cls for cls in _subclasses(django_filters.FilterSet) if _in_portal(cls)}
    return tuple(sorted(found, key=label))
