"""The rosters' columns and sheets, shared by the exports (exports.py), the import and its
template (imports/): a roster downloaded, corrected and uploaded again updates the registry."""

from dataclasses import dataclass

from django.utils.translation import pgettext, pgettext_lazy


@dataclass(frozen=True)
class Column:
    """One roster column: the key the importer knows it by, its header, its width."""

    key: str
    label: object  # lazy translation: the header in the reader's language
    width: int
    required: bool = False
    # Earlier headers of the column (lazy translations): a roster downloaded before they changed
    # still imports.
    aliases: tuple = ()

    @property
    def header(self) -> str:
        return str(self.label)


SITE_COLUMNS = (
    # Translators: 站点编号
    Column("code", pgettext_lazy("roster column", "Site number"), 18),
    # Translators: 名称
    Column("name", pgettext_lazy("roster column", "Name"), 28, required=True),
    # Translators: 层级
    Column("tier", pgettext_lazy("roster column", "Tier"), 18, required=True),
    # Translators: 状态
    Column("status", pgettext_lazy("roster column", "Status"), 10, required=True),
    # Translators: 乡镇（街道）
    Column("township", pgettext_lazy("roster column", "Township"), 12, required=True),
    # Translators: 村（社区）
    Column("village", pgettext_lazy("roster column", "Village or community"), 16),
    # Translators: 场所类型
    Column("venue_type", pgettext_lazy("roster column", "Venue type"), 10),
    # Translators: 地址
    Column("address", pgettext_lazy("roster column", "Address"), 32, required=True),
    # Translators: 纬度
    Column("latitude", pgettext_lazy("roster column", "Latitude"), 11),
    # Translators: 经度
    Column("longitude", pgettext_lazy("roster column", "Longitude"), 11),
    # Translators: 坐标系 (of the latitude and longitude: WGS-84, GCJ-02, BD-09)
    Column("coordinate_system", pgettext_lazy("roster column", "Coordinate system"), 16),
    # Translators: 经营主体
    Column("operator_name", pgettext_lazy("roster column", "Operator"), 28),
    # Translators: 统一社会信用代码
    Column("operator_credit_code", pgettext_lazy("roster column", "Credit code"), 21),
    # Translators: 上级站点编号
    Column("parent_code", pgettext_lazy("roster column", "Parent site number"), 18),
    # Translators: 回收品类
    Column("materials", pgettext_lazy("roster column", "Materials"), 26),
    Column(
        "floor_area",
        # Translators: 面积（㎡）, the unit in the header as the roster prints it
        pgettext_lazy("roster column", "Floor area (m²)"),
        11,
        # Translators: 面积
        aliases=(pgettext_lazy("roster column", "Floor area"),),
    ),
    Column(
        "daily_capacity",
        # Translators: 日处理能力（吨）, the unit in the header as the roster prints it
        pgettext_lazy("roster column", "Daily capacity (t)"),
        14,
        # Translators: 日处理能力
        aliases=(pgettext_lazy("roster column", "Daily capacity"),),
    ),
    # Translators: 一场两用
    Column("dual_use", pgettext_lazy("roster column", "One site, two uses"), 9),
    # Translators: 联系人
    Column("contact_name", pgettext_lazy("roster column", "Contact person"), 10),
    # Translators: 联系电话
    Column("contact_phone", pgettext_lazy("roster column", "Contact phone"), 15),
    # Translators: 备注
    Column("note", pgettext_lazy("roster column", "Note"), 30),
)

OPERATOR_COLUMNS = (
    # Translators: 名称
    Column("name", pgettext_lazy("roster column", "Name"), 30, required=True),
    # Translators: 类型
    Column("kind", pgettext_lazy("roster column", "Kind"), 12, required=True),
    # Translators: 统一社会信用代码
    Column("credit_code", pgettext_lazy("roster column", "Credit code"), 21, required=True),
    Column(
        "legal_representative",
        # Translators: 法定代表人
        pgettext_lazy("roster column", "Legal representative"),
        10,
        required=True,
    ),
    # Translators: 联系电话
    Column("contact_phone", pgettext_lazy("roster column", "Contact phone"), 15, required=True),
    # Translators: 所属乡镇（街道）
    Column("township", pgettext_lazy("roster column", "Registered in township"), 14, required=True),
    # Translators: 注册地址
    Column("address", pgettext_lazy("roster column", "Registered address"), 32),
    # Translators: 经营范围
    Column("business_scope", pgettext_lazy("roster column", "Business scope"), 32),
    # Translators: 营业执照发证日期
    Column("licence_issued_on", pgettext_lazy("roster column", "Licence issued on"), 12),
    # Translators: 有效期至
    Column("licence_valid_until", pgettext_lazy("roster column", "Licence valid until"), 12),
    # Translators: 备案编号
    Column("filing_number", pgettext_lazy("roster column", "Filing number"), 16),
    # Translators: 备案日期
    Column("filed_on", pgettext_lazy("roster column", "Filed on"), 12),
    # Translators: 备注
    Column("note", pgettext_lazy("roster column", "Note"), 30),
)


def site_sheet_title() -> str:
    # Translators: sheet name, 站点
    return pgettext("sheet", "Sites")


def operator_sheet_title() -> str:
    # Translators: sheet name, 经营主体
    return pgettext("sheet", "Operators")
