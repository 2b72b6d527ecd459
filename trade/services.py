"""Every write to the market goes through these services: they check the policy first, then
the domain rules (tiers, statuses, weights, prices), and keep history of every change."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from anji_recycling.history import save_with_history
from sites.choices import SiteStatus, SiteTier

from . import policy
from .choices import DELIVERS_TO_TIER, NOT_TRADING_STATUSES, SettlementAction, TransferAction
from .models import (
    FlagClearance,
    MaterialGrade,
    PriceEntry,
    Settlement,
    Shipment,
    StockDeclaration,
    Transfer,
)

CENT = Decimal("0.01")


def transfer_amount(*, weight_kg: Decimal, unit_price: Decimal) -> Decimal:
    """元 = kg ÷ 1000 × 元/吨, to the fen, rounded half up."""
    return (weight_kg * unit_price / 1000).quantize(CENT, rounding=ROUND_HALF_UP)


def _date_errors(field, day) -> dict:
    if day and day > timezone.localdate():
        return {field: _("The date lies in the future.")}
    return {}


def _grade_errors(material, grade) -> dict:
    if grade is not None and material is not None and grade.material_id != material.pk:
        return {
            "grade": _("%(grade)s is not a grade of %(material)s.")
            % {"grade": grade.name, "material": material.name}
        }
    return {}


def _route_errors(transfer: Transfer) -> dict:
    """Up the tiers, between trading sites, along the registered link unless a reason says
    why not."""
    sender, receiver = transfer.from_site, transfer.to_site
    if sender.status in NOT_TRADING_STATUSES:
        return {
            "from_site": _("%(site)s is %(status)s: it may not deliver.")
            % {"site": sender.name, "status": SiteStatus(sender.status).label}
        }
    expected = DELIVERS_TO_TIER.get(sender.tier)
    if expected is None:
        return {"from_site": _("The county sorting centre ships to processors; record a shipment.")}
    if receiver.tier != expected:
        return {
            "to_site": _("A %(tier)s delivers to a %(expected)s, not to a %(actual)s.")
            % {
                "tier": SiteTier(sender.tier).label,
                "expected": SiteTier(expected).label,
                "actual": SiteTier(receiver.tier).label,
            }
        }
    if receiver.status != SiteStatus.OPERATING:
        return {
            "to_site": _("%(site)s is %(status)s: only an operating site receives.")
            % {"site": receiver.name, "status": SiteStatus(receiver.status).label}
        }
    if receiver.pk != sender.parent_id and not transfer.reason.strip():
        return {
            "reason": _(
                "%(sender)s delivers to %(parent)s: give the reason for delivering to %(receiver)s."
            )
            % {
                "sender": sender.name,
                "parent": sender.parent.name if sender.parent_id else _("no registered site"),
                "receiver": receiver.name,
            }
        }
    return {}


def _ticket_errors(transfer: Transfer) -> dict:
    """A weighbridge ticket (磅单号) is recorded once per receiving site, as in the import."""
    transfer.weighbridge_ticket = (transfer.weighbridge_ticket or "").strip()
    if not transfer.weighbridge_ticket or not transfer.to_site_id:
        return {}
    taken = (
        Transfer.objects.filter(
            to_site_id=transfer.to_site_id, weighbridge_ticket=transfer.weighbridge_ticket
        )
        .exclude(pk=transfer.pk)
        .exists()
    )
    if not taken:
        return {}
    return {
        "weighbridge_ticket": _("%(site)s has recorded weighbridge ticket %(ticket)s already.")
        % {"site": transfer.to_site.name, "ticket": transfer.weighbridge_ticket}
    }


def transfer_errors(transfer: Transfer, *, check_ticket: bool = True) -> dict:
    """What is wrong with a transfer, by field, in Chinese (empty when it may be saved). The
    weighbridge import checks its tickets itself, all rows in one query (check_ticket=False)."""
    errors = {}
    if transfer.weight_kg is not None and transfer.weight_kg <= 0:
        errors["weight_kg"] = _("The net weight must be more than 0 kg.")
    if transfer.unit_price is not None and transfer.unit_price < 0:
        errors["unit_price"] = _("A price cannot be negative.")
    elif transfer.unit_price == 0 and not transfer.reason.strip():
        errors["reason"] = _("A price of 0 needs a reason.")
    errors.update(_date_errors("transferred_on", transfer.transferred_on))
    errors.update(_grade_errors(transfer.material, transfer.grade))
    if check_ticket:
        errors.update(_ticket_errors(transfer))
    if transfer.from_site_id and transfer.to_site_id:
        if transfer.from_site_id == transfer.to_site_id:
            errors["to_site"] = _("A site does not deliver to itself.")
        else:
            for field, message in _route_errors(transfer).items():
                errors.setdefault(field, message)
        handled = transfer.to_site.materials.filter(pk=transfer.material_id).exists()
        if transfer.material_id and not handled:
            errors.setdefault(
                "material",
                _("%(site)s does not handle %(material)s.")
                % {"site": transfer.to_site.name, "material": transfer.material.name},
            )
    return errors


def _save_transfer(transfer: Transfer, *, actor, reason_for_history: str = "") -> Transfer:
    errors = transfer_errors(transfer)
    if errors:
        raise ValidationError(errors)
    transfer.amount = transfer_amount(weight_kg=transfer.weight_kg, unit_price=transfer.unit_price)
    transfer.reason = transfer.reason.strip()
    transfer.full_clean(exclude=["entered_by", "amount", "settlement"])
    return save_with_history(transfer, actor=actor, reason=reason_for_history, validate=False)


@transaction.atomic
def record_transfer(*, transfer: Transfer, actor) -> Transfer:
    """Record a delivery from one site to the next tier up (交售)."""
    if transfer.pk is not None:
        raise ValueError("record_transfer creates transfers; use correct_transfer to change one")
    policy.TRANSFER_POLICY.ensure_allowed(transfer, actor, TransferAction.RECORD)
    transfer.entered_by = actor
    return _save_transfer(transfer, actor=actor)


@transaction.atomic
def correct_transfer(*, transfer: Transfer, actor) -> Transfer:
    """Correct a transfer that is not settled yet; a settled one stays as it was paid."""
    stored = (
        Transfer.objects.select_for_update()
        .select_related("from_site", "to_site")
        .get(pk=transfer.pk)
    )
    policy.TRANSFER_POLICY.ensure_allowed(stored, actor, TransferAction.CORRECT)
    policy.TRANSFER_POLICY.ensure_allowed(
        Transfer(from_site=transfer.from_site, to_site=transfer.to_site),
        actor,
        TransferAction.RECORD,
    )
    return _save_transfer(transfer, actor=actor)


@transaction.atomic
def settle_transfers(
    *,
    payer,
    payee,
    period_start,
    period_end,
    transfers,
    actor,
    paid_on=None,
    payment_reference: str = "",
    note: str = "",
) -> Settlement:
    """The paying site settles a batch of the transfers it received from one site in a
    period. A transfer already settled, or between other sites, is refused."""
    settlement = Settlement(
        payer=payer,
        payee=payee,
        period_start=period_start,
        period_end=period_end,
        paid_on=paid_on,
        payment_reference=payment_reference.strip(),
        note=note,
        created_by=actor,
        amount=Decimal(0),
    )
    policy.SETTLEMENT_POLICY.ensure_allowed(settlement, actor, SettlementAction.RECORD)
    ids = [getattr(item, "pk", item) for item in transfers]
    locked = list(Transfer.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if not locked:
        raise ValidationError({"transfers": _("Choose the transfers to settle.")})
    problems = []
    for item in locked:
        if item.to_site_id != payer.pk or item.from_site_id != payee.pk:
            problems.append(
                _("Transfer %(id)s is not from %(payee)s to %(payer)s.")
                % {"id": item.pk, "payee": payee.name, "payer": payer.name}
            )
        elif item.settlement_id is not None:
            problems.append(
                _("Transfer %(id)s is settled already (settlement %(s)s).")
                % {"id": item.pk, "s": item.settlement_id}
            )
        elif not period_start <= item.transferred_on <= period_end:
            problems.append(
                _("Transfer %(id)s of %(date)s lies outside the period.")
                % {"id": item.pk, "date": item.transferred_on.isoformat()}
            )
    if problems:
        raise ValidationError({"transfers": problems})
    errors = _date_errors("paid_on", paid_on)
    if errors:
        raise ValidationError(errors)
    settlement.amount = sum((item.amount for item in locked), Decimal(0))
    save_with_history(settlement, actor=actor, validate=True)
    for item in locked:
        item.settlement = settlement
        item._history_user = actor
    bulk_update_with_history(
        locked,
        Transfer,
        ["settlement"],
        default_user=actor,
        default_change_reason=_("Settled"),
    )
    return settlement


@transaction.atomic
def pay_settlement(*, settlement: Settlement, paid_on, payment_reference: str, actor) -> Settlement:
    settlement = (
        Settlement.objects.select_for_update().select_related("payer").get(pk=settlement.pk)
    )
    policy.SETTLEMENT_POLICY.ensure_allowed(settlement, actor, SettlementAction.PAY)
    errors = _date_errors("paid_on", paid_on)
    if paid_on is None:
        errors["paid_on"] = _("Give the date of the payment.")
    if errors:
        raise ValidationError(errors)
    settlement.paid_on = paid_on
    settlement.payment_reference = payment_reference.strip()
    return save_with_history(settlement, actor=actor)


def settled_total(settlement: Settlement) -> Decimal:
    return settlement.transfers.aggregate(total=Sum("amount"))["total"] or Decimal(0)


@transaction.atomic
def publish_price(*, entry: PriceEntry, actor) -> PriceEntry:
    """Publish (or correct) a reference price on the board."""
    if not policy.may_publish_prices(actor):
        raise PermissionDenied(_("The price board is published by the commerce bureau."))
    errors = _grade_errors(entry.material, entry.grade)
    if errors:
        raise ValidationError(errors)
    if entry.pk is None:
        entry.published_by = actor
    return save_with_history(entry, actor=actor)


@transaction.atomic
def save_grade(*, grade: MaterialGrade, actor) -> MaterialGrade:
    if not policy.may_publish_prices(actor):
        raise PermissionDenied(_("Grades are kept by the commerce bureau."))
    return save_with_history(grade, actor=actor)


@transaction.atomic
def record_shipment(*, shipment: Shipment, actor) -> Shipment:
    """The sorting centre's outbound delivery to a processing enterprise (出库)."""
    if not policy.may_record_shipments(actor):
        raise PermissionDenied(_("Shipments are recorded by the commerce bureau."))
    errors = _date_errors("shipped_on", shipment.shipped_on)
    errors.update(_grade_errors(shipment.material, shipment.grade))
    if shipment.weight_kg is not None and shipment.weight_kg <= 0:
        errors["weight_kg"] = _("The net weight must be more than 0 kg.")
    if shipment.from_site_id and shipment.from_site.tier != SiteTier.SORTING_CENTRE:
        errors["from_site"] = _("Shipments to processors leave from the county sorting centre.")
    if errors:
        raise ValidationError(errors)
    shipment.processor_credit_code = (shipment.processor_credit_code or "").strip().upper()
    if shipment.pk is None:
        shipment.entered_by = actor
    shipment.full_clean(exclude=["entered_by"])
    return save_with_history(shipment, actor=actor, validate=False)


@transaction.atomic
def declare_stock(*, declaration: StockDeclaration, actor) -> StockDeclaration:
    """A station or the centre declares its stock of a material at the end of a month."""
    if not policy.may_declare_stock(actor, declaration.site):
        raise PermissionDenied(_("You may not change data outside your own area."))
    errors = {}
    if declaration.site_id and declaration.site.tier == SiteTier.COLLECTION_POINT:
        errors["site"] = _("Stock is declared by transfer stations and the sorting centre.")
    if declaration.month and declaration.month.day != 1:
        declaration.month = declaration.month.replace(day=1)
    if declaration.month and declaration.month > timezone.localdate():
        errors["month"] = _("The date lies in the future.")
    if errors:
        raise ValidationError(errors)
    if declaration.pk is None:
        declaration.declared_by = actor
    declaration.full_clean(exclude=["declared_by"])
    return save_with_history(declaration, actor=actor, validate=False)


@transaction.atomic
def clear_flag(*, site, month, kind, material=None, explanation: str, actor) -> FlagClearance:
    """A township officer explains a mass-balance flag of one of its sites (kept in history);
    the flag then shows as cleared."""
    if not policy.may_clear_flag(actor, site):
        raise PermissionDenied(_("You may not change data outside your own area."))
    if not (explanation or "").strip():
        raise ValidationError({"explanation": _("Give the explanation.")})
    clearance = FlagClearance(
        site=site,
        month=month.replace(day=1),
        kind=kind,
        material=material,
        explanation=explanation.strip(),
        cleared_by=actor,
    )
    return save_with_history(clearance, actor=actor)
