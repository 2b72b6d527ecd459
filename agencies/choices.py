from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TownshipKind(models.TextChoices):
    SUBDISTRICT = "subdistrict", _("Subdistrict (街道)")
    TOWN = "town", _("Town (镇)")
    TOWNSHIP = "township", _("Township (乡)")


class VillageKind(models.TextChoices):
    VILLAGE = "village", _("Village")
    COMMUNITY = "community", _("Community")
    OTHER = "other", _("Other")


class UrbanRuralCode(models.TextChoices):
    """NBS 城乡分类代码."""

    MAIN_URBAN = "111", _("111 Main urban area")
    URBAN_FRINGE = "112", _("112 Urban-rural fringe")
    TOWN_CENTRE = "121", _("121 Town centre")
    TOWN_FRINGE = "122", _("122 Town-rural fringe")
    SPECIAL = "123", _("123 Special area")
    RURAL_CENTRE = "210", _("210 Rural township centre")
    VILLAGE = "220", _("220 Village")


class UrbanRuralSource(models.TextChoices):
    NONE = "", _("Unknown")
    NBS_2016 = "nbs2016", _("NBS 2016 edition")
    ADMIN = "admin", _("Set by an administrator")


class AreaKind(models.TextChoices):
    BUILT_UP = "built_up", _("Built-up area")
    RURAL = "rural", _("Rural area")


class AreaCondition(models.TextChoices):
    ANY = "any", _("Any area")
    BUILT_UP = "built_up", _("Built-up area only")
    RURAL = "rural", _("Rural area only")


class LeadKind(models.TextChoices):
    AGENCY = "agency", _("A county agency")
    TOWNSHIP = "township", _("The site's township")


class AgencyKind(models.TextChoices):
    GOVERNMENT_OFFICE = "government_office", _("County government office")
    AGENCY = "agency", _("County agency")


class PostRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    DEPUTY_LEADER = "deputy_leader", _("Deputy leader")
    MEMBER = "member", _("Member")
    OFFICE_DIRECTOR = "office_director", _("Office director")


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular joint meeting")
    SPECIAL = "special", _("Special meeting")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("meeting status", "Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Recurrence(models.TextChoices):
    NONE = "", _("Does not recur")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every half year")
    YEARLY = "yearly", _("Yearly")


class ActionItemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action item status", "Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class DayKind(models.TextChoices):
    """What the State Council's notice makes of a day (国务院办公厅关于部分节假日安排的通知)."""

    REST = "rest", _("Rest day (holiday)")
    WORK = "work", _("Working day (make-up day)")


class MeetingActor(models.TextChoices):
    """Who may act on a joint meeting or an action item, relative to it."""

    COMMERCE = "commerce", _("Commerce bureau")
    RESPONSIBLE = "responsible", _("The responsible agency")


class MeetingAction(models.TextChoices):
    EDIT = "edit", _("Edit")
    RECORD = "record", _("Record attendance and minutes")
    ASSIGN_ITEM = "assign_item", _("Assign an action item")
    CANCEL = "cancel", _("Cancel the meeting")


class ActionItemAction(models.TextChoices):
    REPORT_PROGRESS = "report_progress", _("Report progress")
    COMPLETE = "complete", _("Mark done")
