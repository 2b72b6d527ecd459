"""Writes that must stay inside the writer's scope."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _


def save_within_scope(*, obj, actor, save):
    """Run `save(obj)` and refuse (rolling back) if the saved row is outside what `actor` may
    change, e.g. a township officer moving a village into another township."""
    with transaction.atomic():
        saved = save(obj)
        if not type(obj).objects.editable_by(actor).filter(pk=obj.pk).exists():
            raise PermissionDenied(_("You may not change data outside your own area."))
    return saved
