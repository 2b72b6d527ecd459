"""Every write to the site registry goes through these services."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from simple_history.utils import bulk_create_with_history

from agencies.models import Township
from anji_recycling.bulk_rows import copy_rows
from anji_recycling.history import save_with_history
from anji_recycling.validators import normalise_phone, validate_image_upload

from .choices import STATUS_CHANGES, SiteStatus, SiteTier
from .models import CoverageTarget, Operator, Site, SitePhoto, SiteStatusChange


@transaction.atomic
def save_operator(*, operator: Operator, actor) -> Operator:
    operator.credit_code = (operator.credit_code or "").strip().upper()
    operator.contact_phone = normalise_phone(operator.contact_phone)
    return save_with_history(operator, actor=actor)


def _next_site_code(*, township: Township, tier: int) -> str:
    """Site numbers read township code, tier and a sequence: 330523001-3-0007."""
    Township.objects.select_for_update().filter(pk=township.pk).first()
    prefix = f"{township.code}-{tier}-"
    last = (
        Site.objects.filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
    ).first()
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def register_site(*, site: Site, actor, materials=(), reason: str = "") -> Site:
    """Register a new site; its first status is recorded as the start of its timeline."""
    if site.pk is not None:
        raise ValueError("register_site creates sites; use update_site to change one")
    site.contact_phone = normalise_phone(site.contact_phone)
    site.full_clean(exclude=["code"])
    # Validated above; the number is unique because its township's row is locked.
    site.code = _next_site_code(township=site.township, tier=site.tier)
    save_with_history(site, actor=actor, reason=reason, validate=False)
    site.materials.set(materials)
    SiteStatusChange.objects.create(
        site=site,
        from_status="",
        to_status=site.status,
        actor=actor,
        reason=reason or pgettext("site timeline", "Registered"),
    )
    return site


BULK_BATCH = 1000


def credit_codes_taken_message(codes) -> str:
    return _(
        "Operators with these credit codes were registered meanwhile: %(codes)s. Check the "
        "file again."
    ) % {"codes": "、".join(sorted(codes))}


@transaction.atomic
def register_operators_in_bulk(*, operators: list[Operator], actor, reason: str = "") -> None:
    """`save_operator` for many new operators that the caller has validated row by row (the
    import's check step): the same rows and history entries in a few statements. The one
    rule the check could not hold for the writing, a credit code unique among operators, is
    checked once for the whole set inside the transaction (and kept by the unique index)."""
    for operator in operators:
        if operator.pk is not None:
            raise ValueError("register_operators_in_bulk creates operators; use save_operator")
        operator.credit_code = (operator.credit_code or "").strip().upper()
        operator.contact_phone = normalise_phone(operator.contact_phone)
    codes = [operator.credit_code for operator in operators]
    taken = set(
        Operator.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True)
    )
    if taken:
        raise ValidationError(credit_codes_taken_message(taken), code="unique")
    _write_new(Operator, operators, history={"actor": actor, "reason": reason or None})


@transaction.atomic
def register_sites_in_bulk(*, sites: list[tuple[Site, list]], actor, reason: str = "") -> None:
    """`register_site` for many (site, materials) pairs that the caller has validated row by
    row (the import's check step): the same rows (the site with its number, its history entry
    naming the actor and reason, its materials, the start of its timeline) in a few statements
    instead of about twenty a site. Numbers continue each township's sequence; every township
    involved is locked once, as register_site locks it, so the numbers stay unique. A site
    whose parent is among the new ones is written after it."""
    for site, _materials in sites:
        site.contact_phone = normalise_phone(site.contact_phone)
    townships = {site.township_id for site, _materials in sites}
    list(Township.objects.select_for_update().filter(pk__in=townships).order_by("pk"))
    by_prefix = defaultdict(list)
    for site, _materials in sites:
        by_prefix[f"{site.township.code}-{site.tier}-"].append(site)
    for prefix, group in by_prefix.items():
        last = (
            Site.objects.filter(code__startswith=prefix)
            .order_by("-code")
            .values_list("code", flat=True)
            .first()
        )
        number = int(last.rsplit("-", 1)[1]) if last else 0
        for site in group:
            number += 1
            site.code = f"{prefix}{number:04d}"
    waiting = [site for site, _materials in sites]
    while waiting:
        ready = [site for site in waiting if site.parent is None or site.parent.pk is not None]
        if not ready:
            raise ValueError("register_sites_in_bulk: sites that are each other's parents")
        _write_new(Site, ready, history={"actor": actor, "reason": reason or None})
        waiting = [site for site in waiting if site.pk is None]
    through = Site.materials.through
    _write_new(
        through,
        [
            through(site_id=site.pk, material_id=getattr(material, "pk", material))
            for site, materials in sites
            for material in materials
        ],
    )
    registered = reason or pgettext("site timeline", "Registered")
    _write_new(
        SiteStatusChange,
        [
            SiteStatusChange(
                site=site, from_status="", to_status=site.status, actor=actor, reason=registered
            )
            for site, _materials in sites
        ],
    )


def _write_new(model, rows, *, history=None) -> None:
    """New rows in bulk: on PostgreSQL streamed by COPY (no INSERT to build row by row), their
    history entries (`history`: actor and reason) as bulk_create_with_history writes them."""
    if connection.vendor != "postgresql":
        if history is None:
            model.objects.bulk_create(rows, batch_size=BULK_BATCH)
        else:
            bulk_create_with_history(
                rows,
                model,
                batch_size=BULK_BATCH,
                default_user=history["actor"],
                default_change_reason=history["reason"],
            )
        return
    for row in rows:  # a parent saved meanwhile gives its id, as bulk_create takes it
        row._prepare_related_fields_for_save(operation_name="bulk_create")
    copy_rows(model, rows)
    if history is not None and rows:
        model.history.bulk_history_create(
            rows,
            batch_size=BULK_BATCH,
            default_user=history["actor"],
            default_change_reason=history["reason"],
        )


@transaction.atomic
def update_site(*, site: Site, actor, materials=None, reason: str = "") -> Site:
    """Change a site's data. Its status changes only through change_site_status."""
    stored = Site.objects.select_for_update().get(pk=site.pk)
    if stored.status != site.status:
        raise ValidationError(
            {"status": _("Change the status with the status action, giving a reason.")}
        )
    site.contact_phone = normalise_phone(site.contact_phone)
    save_with_history(site, actor=actor, reason=reason)
    if materials is not None:
        site.materials.set(materials)
    return site


def allowed_status_changes(site: Site) -> list[str]:
    return sorted(STATUS_CHANGES.get(SiteStatus(site.status), ()), key=list(SiteStatus).index)


@transaction.atomic
def change_site_status(*, site: Site, to: str, actor, reason: str, source: str = "") -> Site:
    """Move a site to another status, as the table in choices.py allows; who, when and why
    are kept in the site's timeline and its history."""
    site = Site.objects.select_for_update().get(pk=site.pk)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    if to not in SiteStatus.values:
        raise ValidationError({"to": _("%(value)s is not a site status.") % {"value": to}})
    if to not in STATUS_CHANGES.get(SiteStatus(site.status), ()):
        raise ValidationError(
            {
                "to": _("A site that is %(from)s cannot become %(to)s.")
                % {"from": SiteStatus(site.status).label, "to": SiteStatus(to).label}
            }
        )
    previous = site.status
    site.status = to
    save_with_history(site, actor=actor, reason=reason)
    SiteStatusChange.objects.create(
        site=site, from_status=previous, to_status=to, actor=actor, reason=reason, source=source
    )
    return site


@transaction.atomic
def add_site_photo(*, site: Site, image, actor, caption: str = "") -> SitePhoto:
    validate_image_upload(image)
    photo = SitePhoto(site=site, image=image, caption=caption, uploaded_by=actor)
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic
def save_coverage_target(*, target: CoverageTarget, actor) -> CoverageTarget:
    return save_with_history(target, actor=actor)


@transaction.atomic
def record_illegal_point(
    *, township, name: str, address: str, latitude, longitude, actor, village=None, note=""
) -> Site:
    """A grid worker or township officer records an unregistered point found on patrol (非法
    点位), in their own township, with the position where it was found."""
    if not Township.objects.in_territory_of(actor).filter(pk=township.pk).exists():
        raise PermissionDenied(_("You may record points only in your own township."))
    if latitude is None or longitude is None:
        raise ValidationError({"latitude": _("Give the position where the point was found.")})
    site = Site(
        name=name,
        tier=SiteTier.COLLECTION_POINT,
        status=SiteStatus.ILLEGAL,
        township=township,
        village=village,
        address=address,
        latitude=latitude,
        longitude=longitude,
        note=note,
    )
    return register_site(site=site, actor=actor, reason=_("Found on patrol: not registered"))
