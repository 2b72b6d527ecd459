"""Writable relations in the API offer what the page's form offers the same user.

A ModelSerializer's related fields would otherwise take any row's id (another township's
operator, a site outside the officer's scope): the scope lives in the forms' querysets
(`Operator.objects.visible_to(user)`, `parent_candidates(user=user)`, ...). A serializer names
its page form in `Meta.scope_form`; on a write, each writable related field takes the queryset
the form gives that field for this user and this object, so an id outside it answers 400
("对象不存在") like a choice the page never offered. Related fields the form does not have are
refused at start-up unless `Meta.unscoped_relations` names them (reference data such as
materials), so a new relation cannot slip past the scope unnoticed. A field the form shows this
user disabled cannot be changed through the API either: sending another value answers 400.
"""

import inspect

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.relations import ManyRelatedField, RelatedField


def writable_relations(fields):
    """(name, relation) for every writable related field of a serializer's fields."""
    for name, field in fields.items():
        if field.read_only:
            continue
        relation = field.child_relation if isinstance(field, ManyRelatedField) else field
        if isinstance(relation, RelatedField):
            yield name, relation


def _takes_user(form_class):
    return any(
        "user" in inspect.signature(klass.__init__).parameters
        for klass in form_class.__mro__
        if "__init__" in vars(klass)
    )


class FormScopedRelationsMixin:
    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        # Reads name no choice; the schema generator asks as an anonymous POST (no write).
        if request is None or request.method in SAFE_METHODS or not user.is_authenticated:
            return fields
        meta = self.Meta
        form_class = getattr(meta, "scope_form", None)
        unscoped = set(getattr(meta, "unscoped_relations", ()))
        instance = self.instance if isinstance(self.instance, Model) else None
        form = None
        if form_class is not None:
            kwargs = {"user": user} if _takes_user(form_class) else {}
            form = form_class(instance=instance, **kwargs)
        if form is not None:
            # What the page shows this user as fixed (a township officer's village code and
            # township), the API does not change either: read-only, as the form ignores it.
            self._fixed_fields = []
            for name, field in fields.items():
                form_field = form.fields.get(name)
                if form_field is not None and form_field.disabled and not field.read_only:
                    field.read_only, field.required = True, False
                    self._fixed_fields.append(name)
        for name, relation in writable_relations(fields):
            if name in unscoped:
                continue
            form_field = form.fields.get(name) if form is not None else None
            queryset = getattr(form_field, "queryset", None)
            if queryset is None:
                raise ImproperlyConfigured(
                    f"{type(self).__name__}.{name}: a writable relation the page form "
                    "does not scope; add it to the form or to Meta.unscoped_relations"
                )
            relation.queryset = queryset
        return fields

    def to_internal_value(self, data):
        self.fields  # noqa: B018 (builds the fields, which finds the fixed ones)
        fixed = getattr(self, "_fixed_fields", ())
        instance = self.instance if isinstance(self.instance, Model) else None
        errors = {}
        for name in fixed:
            if not hasattr(data, "get") or name not in data:
                continue
            field = self.fields[name]
            current = field.to_representation(field.get_attribute(instance)) if instance else None
            if str(data.get(name)) != str(current):
                errors[name] = [_("This field cannot be changed here.")]
        if errors:
            raise ValidationError(errors)
        return super().to_internal_value(data)
