"""Who a user is in the county's organisation: every role predicate of the portal, one fact a
check, one condition a line. Scoping (`visible_to`), the workflow policies and the pages ask
these; nothing else compares `user.role`."""

from .choices import AGENCY_ROLES, TOWNSHIP_ROLES, Role
from .roles import ROLE_PERMISSIONS

# Roles that read every township's assessment besides the commerce bureau.
COUNTY_READERS = frozenset({Role.ASSESSOR, Role.LEADER})


def has_role(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user.role)


def is_county_admin(user) -> bool:
    """The commerce bureau (the leading-group office), or a superuser."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.role == Role.COMMERCE_ADMIN


def _holds(user, role) -> bool:
    """The user holds this role and is not the county admin (who sees everything anyway)."""
    if not has_role(user):
        return False
    if is_county_admin(user):
        return False
    return user.role == role


def is_agency_officer(user) -> bool:
    """Someone of one agency who handles its cases: an agency officer, and the staff of the
    social governance centre and of the supply and marketing co-op."""
    if not has_role(user):
        return False
    if is_county_admin(user):
        return False
    return user.role in AGENCY_ROLES


def is_governance_centre(user) -> bool:
    """The county social governance centre's staff: the grid teams' county-wide overseers."""
    return _holds(user, Role.GOVERNANCE_STAFF)


def is_supply_coop(user) -> bool:
    """The county supply and marketing co-op's staff: builds the network, oversees its
    enterprises, the sorting centre and the trading markets."""
    return _holds(user, Role.COOP_STAFF)


def is_association(user) -> bool:
    """The county's recycling industry association: notices and publicity for the trade."""
    return _holds(user, Role.ASSOCIATION)


def reads_network(user) -> bool:
    """The network-building projects (their investment, land and subsidy), the progress and the
    placement suggestions: every role of the county's bodies, not the association (a trade
    body: notices and publicity, 四（三）)."""
    return has_role(user) and not is_association(user)


def reads_support(user) -> bool:
    """Subsidies, awards and land support: every role of the county's bodies (each in its
    scope), not the association (a trade body, not a government one)."""
    return has_role(user) and not is_association(user)


def is_officer_of_agency_code(user, code: str) -> bool:
    """An agency officer of the agency with this code (财政局 `finance`, 资源规划局 `planning`)."""
    if not is_agency_officer(user):
        return False
    return user.agency_id is not None and user.agency.code == code


def manages_patrol_plans(user) -> bool:
    """The commerce bureau and the social governance centre set the patrol plans."""
    if is_county_admin(user):
        return True
    return is_governance_centre(user)


def assigns_patrol_tasks(user) -> bool:
    """Who gives out unassigned patrol tasks: the commerce bureau and the centre in every
    township, a township officer in their own (which task, the patrol-task policy decides)."""
    if manages_patrol_plans(user):
        return True
    return is_township_officer(user)


def follows_open_patrol_tasks(user) -> bool:
    """Whose to-do list shows the open patrol tasks: the commerce bureau's and a township's
    officers' and grid workers'."""
    return is_county_admin(user) or is_township_user(user)


def reads_grid_roster(user) -> bool:
    """The grid-worker roster: the commerce bureau and the centre county-wide, a township
    officer their own township's."""
    return assigns_patrol_tasks(user)


def records_subsidies(user) -> bool:
    """Subsidies and awards are recorded by the finance bureau and the commerce bureau."""
    if is_county_admin(user):
        return True
    return is_officer_of_agency_code(user, "finance")


def records_land_support(user) -> bool:
    """Land-support cases are recorded by the natural resources and planning bureau."""
    if is_county_admin(user):
        return True
    return is_officer_of_agency_code(user, "planning")


def publishes_notices(user) -> bool:
    """Notices to operators are published by the association (and the commerce bureau)."""
    if is_county_admin(user):
        return True
    return is_association(user)


def is_township_officer(user) -> bool:
    return _holds(user, Role.TOWNSHIP_OFFICER)


def is_grid_worker(user) -> bool:
    """A grid worker patrols the tasks assigned to them: their colleagues' are not theirs."""
    return _holds(user, Role.GRID_WORKER)


def is_assessor(user) -> bool:
    """The supervision group's or the agriculture bureau's assessors."""
    return _holds(user, Role.ASSESSOR)


def is_township_user(user) -> bool:
    """A township officer or a grid worker: confined to one township."""
    return has_role(user) and not is_county_admin(user) and user.role in TOWNSHIP_ROLES


def is_officer_of_agency(user, agency_id) -> bool:
    if not is_agency_officer(user):
        return False
    return agency_id is not None and user.agency_id == agency_id


def is_officer_of_township(user, township_id) -> bool:
    """A township officer (not a grid worker) of this township."""
    if not is_township_officer(user):
        return False
    return township_id is not None and user.township_id == township_id


def township_scope(user):
    """The township a user is confined to, or None when they see the whole county."""
    if is_county_admin(user):
        return None
    if user.role in TOWNSHIP_ROLES:
        return user.township_id
    return None


def agency_scope(user):
    """The agency whose cases a user is confined to, or None."""
    return user.agency_id if is_agency_officer(user) else None


def reads_whole_county(user) -> bool:
    """Reads every township's assessment: the commerce bureau, assessors, leaders."""
    if not has_role(user):
        return False
    if is_county_admin(user):
        return True
    return user.role in COUNTY_READERS


def assessed_township_id(user):
    """The township whose assessment a township user follows; None for everybody else."""
    if not is_township_user(user):
        return None
    return user.township_id


def enters_deductions(user) -> bool:
    """Assessors and the commerce bureau enter and withdraw deductions."""
    if is_county_admin(user):
        return True
    return is_assessor(user)


def assesses_for(user, agency_code: str) -> bool:
    """An assessor of the agency whose assessment scheme this is (any assessor when the scheme
    names no agency)."""
    if not is_assessor(user):
        return False
    if not agency_code:
        return True
    return user.agency_id is not None and user.agency.code == agency_code


def role_grants(user, permission: str) -> bool:
    """Whether the user's role grants a permission, read from the role table (what the role
    groups hold): no permission query, for the header and other per-page checks."""
    return user.is_superuser or permission in ROLE_PERMISSIONS.get(user.role, ())
