from django.db import models
from django.utils.translation import gettext_lazy as _


class SubsidyKind(models.TextChoices):
    SUBSIDY = "subsidy", _("Subsidy")
    AWARD = "award", _("Award")


class LandDecision(models.TextChoices):
    PENDING = "pending", _("Under review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


class LandKind(models.TextChoices):
    """措施（六）: existing plants and land first, a new allocation otherwise."""

    EXISTING_PLANT = "existing_plant", _("Existing plant or land")
    NEW_ALLOCATION = "new_allocation", _("New land allocation")
    TEMPORARY = "temporary", _("Temporary use")


class NoticeKind(models.TextChoices):
    CONVENTION = "convention", _("Self-discipline convention")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other notice")


class PublicityForm(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("Offline")


class NoticeAction(models.TextChoices):
    PUBLISH = "publish", _("Publish the notice")
    SEE_RECIPIENTS = "see_recipients", _("See who received the notice")


class NoticeActor(models.TextChoices):
    ASSOCIATION = "association", _("the industry association")
    COMMERCE = "commerce", _("the commerce bureau")
