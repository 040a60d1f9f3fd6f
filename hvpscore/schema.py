"""The canonical patent record: one row per patent or application.

Every reader turns its source into a pandas DataFrame with exactly these columns (plus outcome
columns ``outcome_*`` when a profile maps them). The in-memory types are:

* ``str``      -> pandas ``object`` column of Python ``str`` or ``None``
* ``category`` -> ``object`` column of allowed code strings or ``None``
* ``bool``     -> pandas nullable ``boolean``
* ``int``      -> pandas nullable ``Int64``
* ``float``    -> ``float64`` (NaN = unknown)
* ``date``     -> ``datetime64[ns]`` (NaT = unknown)
* ``list``     -> ``object`` column holding Python ``list[str]`` (empty list = known to be empty,
  ``None`` = unknown)

``stage`` is the earliest moment the value is known: ``draft`` < ``filing`` < ``grant`` < ``stock``.
Models for a stage may use only columns of that stage or earlier (see ``hvpscore.features``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "APPLICANT_TYPES",
    "AWARD_CODES",
    "COLUMNS",
    "ENTERPRISE_TAGS",
    "ENTITY_SIZES",
    "LEGAL_STATUSES",
    "OUTCOME_PREFIX",
    "PATENT_TYPES",
    "STAGES",
    "Column",
    "column",
    "column_names",
    "stage_rank",
]

STAGES: tuple[str, ...] = ("draft", "filing", "grant", "stock")
OUTCOME_PREFIX = "outcome_"

PATENT_TYPES = ("invention", "utility_model", "design")
APPLICANT_TYPES = (
    "enterprise",
    "university",
    "research_institute",
    "individual",
    "government",
    "other",
)
ENTERPRISE_TAGS = ("listed_key", "specialized_sme", "little_giant", "high_tech", "soe")
ENTITY_SIZES = ("large", "small", "micro")
LEGAL_STATUSES = (
    "pending",
    "in_force",
    "lapsed",
    "expired",
    "invalidated",
    "rejected",
    "withdrawn",
)
# Award codes. The policy file decides which of them count for ``hv_award``.
AWARD_CODES = (
    "china_patent_gold",
    "china_patent_silver",
    "china_patent_excellence",
    "china_design_gold",
    "china_design_silver",
    "china_design_excellence",
    "national_sci_tech_progress",
    "national_technological_invention",
    "national_natural_science",
    "national_sci_tech_cooperation",
    "provincial_patent_award",
    "other",
)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # str | category | bool | int | float | date | list
    stage: str
    zh: str
    en: str
    required: bool = False
    allowed: tuple[str, ...] = ()
    min_value: float | None = None
    example: object = None
    extra: dict = field(default_factory=dict)


COLUMNS: tuple[Column, ...] = (
    Column("patent_id", "str", "draft", "专利号/申请号", "patent or application number",
           required=True, example="ZL201910561574.9"),
    Column("publication_number", "str", "filing", "公开（公告）号", "publication number",
           example="CN110266631B"),
    Column("patent_type", "category", "draft", "专利类型", "patent type",
           allowed=PATENT_TYPES, example="invention"),
    Column("title", "str", "draft", "名称", "title", example="一种发送载波信息的方法、基站及终端"),
    Column("abstract", "str", "draft", "摘要", "abstract", example="本发明公开了……"),
    Column("claims_text", "str", "draft", "权利要求书", "claims text",
           example="1. 一种方法，其特征在于，包括：……\n2. 根据权利要求1所述的方法，……"),
    Column("ipc", "list", "draft", "IPC分类号（主分类号在前）", "IPC codes, main first",
           example=["H04L27/26", "H04W72/04"]),
    Column("applicants", "list", "draft", "申请（专利权）人", "applicants / owners",
           example=["华为技术有限公司"]),
    Column("applicant_type", "category", "draft", "申请人类型", "applicant type",
           allowed=APPLICANT_TYPES, example="enterprise"),
    Column("applicant_region", "str", "draft", "申请人地区", "applicant region", example="重庆市"),
    Column("inventors", "list", "draft", "发明人", "inventors", example=["张三", "李四"]),
    Column("enterprise_tags", "list", "draft", "企业标签", "enterprise tags",
           allowed=ENTERPRISE_TAGS, example=["high_tech"]),
    Column("entity_size", "category", "filing", "主体规模", "entity size (fee class)",
           allowed=ENTITY_SIZES, example="large"),
    Column("fee_reduction", "bool", "filing", "费用减缴", "fee reduction", example=False),
    Column("filing_date", "date", "filing", "申请日", "filing date", example="2017-02-15"),
    Column("priority_date", "date", "filing", "优先权日", "priority date", example="2017-01-26"),
    Column("publication_date", "date", "filing", "公开日", "publication date",
           example="2019-09-13"),
    Column("grant_date", "date", "grant", "授权公告日", "grant date", example="2020-09-08"),
    Column("claims_count_filed", "int", "filing", "申请时权利要求数", "claims as filed",
           min_value=0, example=20),
    Column("independent_claims_filed", "int", "filing", "申请时独立权利要求数",
           "independent claims as filed", min_value=0, example=3),
    Column("claims_count", "int", "grant", "授权权利要求数", "claims as granted",
           min_value=0, example=18),
    Column("independent_claims", "int", "grant", "授权独立权利要求数",
           "independent claims as granted", min_value=0, example=3),
    Column("pct_application", "bool", "filing", "PCT申请", "filed through PCT", example=True),
    Column("priority_claims", "int", "filing", "优先权项数", "priority claims (incl. provisional)",
           min_value=0, example=1),
    Column("divisional_of", "str", "filing", "分案原申请号", "parent of a divisional",
           example="201710082170.2"),
    Column("continuity_parents", "int", "filing", "母案数", "continuity parents", min_value=0,
           example=0),
    Column("continuity_children", "int", "grant", "子案数", "continuity children", min_value=0,
           example=0),
    Column("office_actions", "int", "grant", "审查意见通知次数", "office actions", min_value=0,
           example=2),
    Column("reexaminations", "int", "grant", "复审次数", "reexaminations", min_value=0, example=0),
    Column("appeals", "int", "grant", "申诉/上诉次数", "appeals", min_value=0, example=0),
    Column("continued_examinations", "int", "grant", "继续审查请求次数",
           "requests for continued examination", min_value=0, example=0),
    Column("extensions", "int", "grant", "延期次数", "extensions of time", min_value=0, example=0),
    Column("legal_status", "category", "stock", "法律状态", "legal status",
           allowed=LEGAL_STATUSES, example="in_force"),
    Column("lapse_date", "date", "stock", "失效日", "lapse date", example=None),
    Column("backward_citations", "int", "filing", "引用数", "backward citations", min_value=0,
           example=12),
    Column("forward_citations", "int", "stock", "被引用数", "forward citations", min_value=0,
           example=35),
    Column("family_id", "str", "stock", "同族号", "family id", example="58285468"),
    Column("family_members", "list", "stock", "同族公开号", "family publication numbers",
           example=["CN110266631B", "EP3573396B1"]),
    Column("family_countries", "list", "stock", "同族国家/地区", "jurisdictions with any family member",
           example=["CN", "EP", "US"]),
    Column("overseas_granted", "list", "stock", "海外授权国家/地区",
           "jurisdictions with a granted family member", example=["EP", "US"]),
    Column("pledge_count", "int", "stock", "质押次数", "number of pledges", min_value=0, example=0),
    Column("pledge_amount_cny", "float", "stock", "质押金额（元）", "pledge amount (CNY)",
           min_value=0, example=0.0),
    Column("pledge_date", "date", "stock", "首次质押日", "first pledge date", example=None),
    Column("awards", "list", "stock", "获奖", "awards", allowed=AWARD_CODES,
           example=["china_patent_gold"]),
    Column("award_year", "int", "stock", "获奖年份", "year of the (first) award", min_value=1985,
           example=2025),
    Column("transfers", "int", "stock", "转让次数", "transfers", min_value=0, example=0),
    Column("licenses", "int", "stock", "许可次数", "licences", min_value=0, example=0),
)

_BY_NAME = {c.name: c for c in COLUMNS}


def column(name: str) -> Column:
    """Return the :class:`Column` called ``name`` (KeyError naming the known columns otherwise)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"{name!r} is not a canonical column; known: {', '.join(_BY_NAME)}") from None


def column_names(kind: str | None = None, max_stage: str | None = None) -> list[str]:
    """Names of canonical columns, optionally of one ``kind`` and known by ``max_stage``."""
    out = []
    for c in COLUMNS:
        if kind is not None and c.kind != kind:
            continue
        if max_stage is not None and stage_rank(c.stage) > stage_rank(max_stage):
            continue
        out.append(c.name)
    return out


def stage_rank(stage: str) -> int:
    """0 for ``draft`` … 3 for ``stock``; ValueError naming the allowed stages otherwise."""
    try:
        return STAGES.index(stage)
    except ValueError:
        raise ValueError(f"stage {stage!r} is not one of {', '.join(STAGES)}") from None
