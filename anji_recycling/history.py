"""History helpers shared by every app (django-simple-history).

A change is shown the way the form shows the field: its verbose name and the value's display
(the choice's label, the related row's name, 是/否, a local date), never the column name and
the stored value.
"""

import datetime as dt
from collections import defaultdict

from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

EMPTY = "—"


def delete_with_history(*, instance, actor):
    """Delete a row so that its history records who deleted it."""
    instance._history_user = actor
    instance.delete()


def save_with_history(instance, *, actor, reason: str = "", validate: bool = True):
    """Validate against the model and database rules (unless the caller just did), then save
    with a history entry that names who made the change and why."""
    if validate:
        instance.full_clean()
    instance._history_user = actor
    instance._change_reason = reason or None
    instance.save()
    return instance


def display_value(field: models.Field, value, related: dict | None = None) -> str:
    """One stored value as a person reads it. `related` maps a foreign key's id to its row."""
    if value is None or value == "":
        return EMPTY
    if isinstance(field, models.ManyToManyField):
        target = field.m2m_reverse_field_name()
        names = [str((related or {}).get(item.get(target), item.get(target))) for item in value]
        return "、".join(names) or EMPTY
    if field.is_relation:
        row = (related or {}).get(value)
        return str(row) if row is not None else _("(deleted, id %(id)s)") % {"id": value}
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(value, "Y-m-d H:i")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(field, models.JSONField):
        return _json_display(value)
    return str(value)


def _json_display(value) -> str:
    if isinstance(value, dict):
        return "；".join(f"{key}: {item}" for key, item in value.items()) or EMPTY
    return str(value)


def _related_rows(model, deltas) -> dict[str, dict]:
    """The rows foreign keys and many-to-many fields point at, one query per related model."""
    wanted: dict[type, set] = defaultdict(set)
    fields = {}
    for delta in deltas:
        for change in delta.changes:
            field = model._meta.get_field(change.field)
            if not field.is_relation:
                continue
            fields[change.field] = field
            for value in (change.old, change.new):
                if value in (None, ""):
                    continue
                if isinstance(field, models.ManyToManyField):
                    target = field.m2m_reverse_field_name()
                    wanted[field.related_model].update(item.get(target) for item in value)
                else:
                    wanted[field.related_model].add(value)
    rows = {
        related: related._base_manager.in_bulk([pk for pk in pks if pk is not None])
        for related, pks in wanted.items()
    }
    return {name: rows.get(field.related_model, {}) for name, field in fields.items()}


def describe_changes(model, deltas) -> list[list[dict]]:
    """For each delta, its changes as {"field", "old", "new"} with verbose names and display
    values; related rows are read in one query per related model, whatever the number."""
    related = _related_rows(model, deltas)
    described = []
    for delta in deltas:
        changes = []
        for change in delta.changes:
            field = model._meta.get_field(change.field)
            rows = related.get(change.field)
            changes.append(
                {
                    "field": capfirst(field.verbose_name),
                    "old": display_value(field, change.old, rows),
                    "new": display_value(field, change.new, rows),
                }
            )
        described.append(changes)
    return described


def history_rows(instance, *, limit=50):
    """The latest history entries of one row, newest first, with the changed fields."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    pairs = [
        (record, older)
        for record, older in zip(records, records[1:] + [None], strict=False)
        if older is not None
    ]
    deltas = [record.diff_against(older) for record, older in pairs]
    changes = dict(
        zip(
            (record.pk for record, _older in pairs),
            describe_changes(type(instance), deltas),
            strict=True,
        )
    )
    return [{"record": record, "changes": changes.get(record.pk, [])} for record in records[:limit]]


def set_admin_delta_changes(model, records) -> None:
    """The admin's history list (newest first) in the same words as the portal's pages: each
    record but the oldest gets `history_delta_changes`."""
    pairs = list(zip(records, list(records)[1:], strict=False))
    deltas = [record.diff_against(older) for record, older in pairs]
    for (record, _older), changes in zip(pairs, describe_changes(model, deltas), strict=True):
        record.history_delta_changes = changes
