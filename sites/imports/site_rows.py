"""Checking the 站点 sheet's rows (Checker's part for sites): finding the site a row changes,
its references (operator, parent station), its status change and the model's own rules."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from anji_recycling.coordinates import CoordinateSystem, to_wgs84
from anji_recycling.validators import ANJI_LATITUDE, validate_position

from ..choices import SiteStatus, SiteTier, VenueType
from ..columns import operator_sheet_title
from ..models import Operator, Site
from ..services import allowed_status_changes
from .reading import ImportRow, ReadSheet, cell_text, decimal_parser
from .results import CREATED, UNCHANGED, UPDATED, RowPlan, assign_values

# Model fields whose column has another key.
SITE_FIELD_COLUMNS = {"operator": "operator_credit_code", "parent": "parent_code"}


class SiteRowChecks:
    """Checker's methods for the 站点 sheet (checking.py has the parsers and the operators)."""

    def check_sites(self, sheet: ReadSheet) -> list:
        codes = {cell_text(value) for value in self._column(sheet, "code")} - {""}
        names = {cell_text(value) for value in self._column(sheet, "name")} - {""}
        stored = {
            site.code: site
            for site in Site.objects.filter(code__in=codes)
            .select_related("township", "village", "parent")
            .prefetch_related("materials")
        }
        by_name = defaultdict(list)
        for site in (
            Site.objects.filter(name__in=names)
            .select_related("township", "village", "parent")
            .prefetch_related("materials")
        ):
            by_name[(site.township_id, site.name)].append(site)
        editable = set(
            Site.objects.editable_by(self.user)
            .filter(Q(code__in=codes) | Q(name__in=names))
            .values_list("pk", flat=True)
        )
        parent_codes = {cell_text(value) for value in self._column(sheet, "parent_code")} - {""}
        parents = {
            site.code: site
            for site in (
                Site.objects.visible_to(self.user)
                | Site.objects.filter(tier=SiteTier.SORTING_CENTRE)
            ).filter(code__in=parent_codes)
        }
        referenced = {cell_text(v).upper() for v in self._column(sheet, "operator_credit_code")}
        for operator in Operator.objects.visible_to(self.user).filter(
            credit_code__in=referenced - set(self.operators_by_code)
        ):
            self.operators_by_code[operator.credit_code] = operator

        plans, seen = [], {}
        for number, cells in sheet.rows:
            self._count_row()
            row = ImportRow(sheet, number, cells, self.problems)
            plan = self._check_site_row(row, stored, by_name, editable, parents, seen)
            if plan is not None and not row.bad:
                plans.append(plan)
        return plans

    def _check_site_row(self, row, stored, by_name, editable, parents, seen):
        values, status = self._parse_site_row(row, parents)
        township = values.get("township")
        code = row.text("code")
        site = self._find_site(row, code, township, values, stored, by_name)
        self._check_duplicate(row, site, code, township, values, seen)
        if site is not None and site.pk not in editable:
            row.problem(
                "code" if code else "name",
                _("The site %(code)s is outside your area: you may not change it.")
                % {"code": site.code},
            )
        if township is not None:
            self._in_area(row, "township", township)
        target_status = status.get("status", "")
        self._check_status_change(row, site, target_status)
        return self._site_plan(row, site, values, target_status)

    def _parse_site_row(self, row, parents):
        """The row's cells as field values (and its status apart), with their problems."""
        row.check_required()
        values = {}
        for key in ("name", "address", "contact_name", "note"):
            row.parse(key, cell_text, values)
        row.parse("tier", self._choice(self.tiers, SiteTier), values)
        status = {}
        row.parse("status", self._choice(self.statuses, SiteStatus), status)
        row.parse("venue_type", self._choice(self.venue_types, VenueType), values)
        row.parse("township", self._township, values)
        township = values.get("township")
        if row.present("village") and township is not None:
            row.parse("village", lambda value: self._village(value, township), values)
        for key in ("latitude", "longitude", "floor_area", "daily_capacity"):
            row.parse(key, decimal_parser(Site, key), values)
        self._convert_position(row, values)
        self._check_position(row, values)
        row.parse("materials", self._materials, values)
        row.parse("dual_use", self._yes_no, values)
        row.parse("contact_phone", self._phone, values)
        self._check_operator_reference(row, values)
        self._check_parent_reference(row, values, parents)
        return values, status

    @staticmethod
    def _find_site(row, code, township, values, stored, by_name):
        """The stored site the row changes: by its number, or by name in its township; None
        for a new site (or a number that matches none, a problem)."""
        site = None
        if code:
            site = stored.get(code)
            if site is None:
                row.problem(
                    "code",
                    _(
                        "No site is numbered %(code)s: leave the number blank to register a "
                        "new site."
                    )
                    % {"code": code},
                )
        elif township is not None and values.get("name"):
            matches = by_name.get((township.pk, values["name"]), [])
            if len(matches) > 1:
                row.problem(
                    "name",
                    _(
                        "%(count)s sites in %(township)s are named %(name)s: give the site "
                        "number of the one to change."
                    )
                    % {"count": len(matches), "township": township.name, "name": values["name"]},
                )
            elif matches:
                site = matches[0]
        return site

    @staticmethod
    def _check_status_change(row, site, target_status):
        if site is not None and target_status and target_status != site.status:
            allowed = allowed_status_changes(site)
            if target_status not in allowed:
                row.problem(
                    "status",
                    _("A site that is %(from)s cannot become %(to)s; it may become: %(allowed)s.")
                    % {
                        "from": SiteStatus(site.status).label,
                        "to": SiteStatus(target_status).label,
                        "allowed": "、".join(str(SiteStatus(s).label) for s in allowed) or "—",
                    },
                )

    def _site_plan(self, row, site, values, target_status) -> RowPlan:
        """What importing the row will do to the site (after the model's own rules)."""
        materials = values.pop("materials", None)
        instance = site or Site()
        stored_status = site.status if site else ""
        changed = assign_values(instance, values)
        if materials is not None and site is not None:
            if {m.pk for m in materials} == {m.pk for m in site.materials.all()}:
                materials = None
            else:
                changed = True
        if target_status:
            instance.status = target_status
        self._model_check(row, instance)
        if site is None:
            action = CREATED
        elif changed or (target_status and target_status != stored_status):
            action = UPDATED
        else:
            action = UNCHANGED
        return RowPlan(
            row.sheet.title,
            row.number,
            instance,
            action,
            data_changed=changed,
            materials=materials,
            status=instance.status,
            stored_status=stored_status,
            operator=values.get("operator"),
        )

    def _convert_position(self, row, values):
        """A position copied from 高德/腾讯 (GCJ-02) or 百度 (BD-09), as the coordinate system
        column says, becomes WGS-84; a blank system (or no such column) means WGS-84."""
        systems = {}
        parse = self._choice(self.coordinate_systems, CoordinateSystem)
        row.parse("coordinate_system", parse, systems)
        if row.present("coordinate_system") and not row.ok("coordinate_system"):
            # An unknown system (reported): the position is not checked, nor kept unconverted.
            values.pop("latitude", None)
            values.pop("longitude", None)
            return
        system = systems.get("coordinate_system") or CoordinateSystem.WGS84
        latitude, longitude = values.get("latitude"), values.get("longitude")
        if system != CoordinateSystem.WGS84 and latitude is not None and longitude is not None:
            values["latitude"], values["longitude"] = to_wgs84(system, latitude, longitude)

    def _check_position(self, row, values):
        if not (row.ok("latitude") and row.ok("longitude")):
            return
        latitude, longitude = values.get("latitude"), values.get("longitude")
        try:
            validate_position(latitude, longitude)
        except ValidationError as error:
            if latitude is None:
                key = "latitude"
            elif longitude is None:
                key = "longitude"
            else:
                inside = ANJI_LATITUDE[0] <= latitude <= ANJI_LATITUDE[1]
                key = "longitude" if inside else "latitude"
            row.problem(key, " ".join(error.messages))

    def _check_operator_reference(self, row, values):
        if not row.ok("operator_credit_code"):
            return
        code = cell_text(row.raw("operator_credit_code")).upper()
        if not code:
            values["operator"] = None
            if row.text("operator_name"):
                row.problem(
                    "operator_credit_code",
                    _("Give the operator's credit code: the name alone does not identify it."),
                )
            return
        row.parse("operator_credit_code", self._credit_code, {})
        if not row.ok("operator_credit_code"):
            return
        operator = self.operators_by_code.get(code)
        if operator is None:
            row.problem(
                "operator_credit_code",
                _(
                    "No operator with the credit code %(code)s in the registry or on the "
                    "%(sheet)s sheet."
                )
                % {"code": code, "sheet": self.operator_sheet_title or operator_sheet_title()},
            )
            return
        values["operator"] = operator

    def _check_parent_reference(self, row, values, parents):
        if not row.present("parent_code"):
            return
        code = row.text("parent_code")
        if not code:
            values["parent"] = None
            return
        parent = parents.get(code)
        if parent is None:
            row.problem(
                "parent_code",
                _(
                    "No station or sorting centre is numbered %(code)s. A station registered "
                    "in this same file gets its number only when it is saved: import the file "
                    "without the parent first, then fill in the station's number and import it "
                    "again."
                )
                % {"code": code},
            )
            return
        values["parent"] = parent

    @staticmethod
    def _check_duplicate(row, site, code, township, values, seen):
        if site is not None:
            key = ("site", site.pk)
        elif township is not None and values.get("name"):
            key = ("new", township.pk, values["name"])
        else:
            return
        if key not in seen:
            seen[key] = row.number
            return
        if code:
            row.problem(
                "code",
                _("The site number %(code)s appears again: it is already on row %(row)s.")
                % {"code": code, "row": seen[key]},
            )
        else:
            row.problem(
                "name",
                _("%(name)s in %(township)s appears again: it is already on row %(row)s.")
                % {"name": values["name"], "township": township.name, "row": seen[key]},
            )

    def _model_check(self, row, instance):
        """The model's own rules, unless a cell they depend on is already wrong: their message
        would then mislead. Site.clean() holds the same rules as the site's check constraints
        (SITE_CONSTRAINTS_IN_CLEAN), which Django would check with a query and a savepoint
        each: three quarters of the dry run's time. The services check them again on import."""
        if row.bad & {"tier", "status", "township"}:
            return
        exclude = {"code", "township", "village", "operator", "parent", *row.bad}
        exclude |= {field for field, key in SITE_FIELD_COLUMNS.items() if key in row.bad}
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            row.model_errors(
                error,
                field_columns=SITE_FIELD_COLUMNS,
                constraint_messages=self.constraint_messages,
            )
