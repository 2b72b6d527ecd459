"""History helpers shared by every app (django-simple-history)."""


def delete_with_history(*, instance, actor):
    """Delete a row so that its history records who deleted it."""
    instance._history_user = actor
    instance.delete()


def history_rows(instance, *, limit=50):
    """The latest history entries of one row, newest first, with the changed fields."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    rows = []
    for record, older in zip(records, records[1:] + [None], strict=False):
        changes = record.diff_against(older).changes if older is not None else []
        rows.append({"record": record, "changes": changes})
    return rows[:limit]


def save_with_history(instance, *, actor, reason: str = "", validate: bool = True):
    """Validate against the model and database rules (unless the caller just did), then save
    with a history entry that names who made the change and why."""
    if validate:
        instance.full_clean()
    instance._history_user = actor
    instance._change_reason = reason or None
    instance.save()
    return instance
