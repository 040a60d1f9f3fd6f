"""Canonical records -> the ``cn-export`` layout (Chinese headers and vocabularies).

The layout is the one ``hvpscore/profiles/cn-export.yaml`` reads: 申请号, 公开（公告）号, 专利类型
发明/实用新型/外观设计, 法律状态 有效/失效/…, IPC主分类号 + IPC分类号, lists joined with ``;``,
质押金额（万元） in 万元 (10,000 CNY), 获奖 in Chinese names. Like real exports it is a little untidy:
a few dates are written 2021.05.03 or 2021/5/3, a few lists use the full-width ``；`` or ``、``,
some application numbers carry the ``ZL`` prefix, and several spellings of the same status occur.
All of it is valid under the profile.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hvpscore._errors import InputError
from hvpscore.schema import COLUMNS

__all__ = ["CN_EXPORT_COLUMNS", "to_cn_export"]

CN_EXPORT_COLUMNS = [
    "申请号", "申请日", "公开（公告）号", "公开（公告）日", "授权公告日", "专利类型", "名称", "摘要",
    "权利要求书", "IPC主分类号", "IPC分类号", "申请（专利权）人", "申请人类型", "申请人地区", "发明人",
    "企业标签", "费用减缴", "优先权日", "优先权项数", "权利要求数量", "独立权利要求数量", "PCT申请",
    "分案原申请号", "审查意见次数", "复审次数", "法律状态", "失效日", "引证次数", "被引证次数", "同族号",
    "同族公开号", "同族国家", "海外授权国家", "质押", "质押金额（万元）", "质押日", "获奖", "获奖年份",
    "转让", "许可",
]

# canonical code -> (spelling, weight) choices; the first is the usual one.
_TYPE = {
    "invention": {"granted": [("发明", 0.7), ("发明授权", 0.3)],
                  "not_granted": [("发明", 0.7), ("发明申请", 0.3)]},
    "utility_model": [("实用新型", 1.0)],
    "design": [("外观设计", 1.0)],
}
_STATUS = {
    "in_force": [("有效", 0.9), ("授权", 0.05), ("专利权维持", 0.05)],
    "lapsed": [("失效", 0.6), ("未缴年费", 0.3), ("权利终止", 0.1)],
    "expired": [("期限届满", 1.0)],
    "invalidated": [("全部无效", 1.0)],
    "rejected": [("驳回", 1.0)],
    "withdrawn": [("视为撤回", 0.8), ("撤回", 0.2)],
    "pending": [("实质审查", 0.6), ("审中", 0.25), ("公开", 0.15)],
}
_APPLICANT = {
    "enterprise": [("企业", 0.9), ("公司", 0.1)],
    "university": [("大专院校", 0.7), ("高校", 0.3)],
    "research_institute": [("科研单位", 0.7), ("科研院所", 0.3)],
    "individual": [("个人", 1.0)],
    "government": [("机关团体", 1.0)],
    "other": [("其他", 1.0)],
}
_TAGS = {"listed_key": "上市重点培育企业", "specialized_sme": "专精特新", "little_giant": "专精特新小巨人",
         "high_tech": "高新技术企业", "soe": "国有企业"}
_AWARDS = {
    "china_patent_gold": "中国专利金奖", "china_patent_silver": "中国专利银奖",
    "china_patent_excellence": "中国专利优秀奖", "china_design_gold": "中国外观设计金奖",
    "china_design_silver": "中国外观设计银奖", "china_design_excellence": "中国外观设计优秀奖",
    "national_sci_tech_progress": "国家科学技术进步奖",
    "national_technological_invention": "国家技术发明奖",
    "national_natural_science": "国家自然科学奖",
    "national_sci_tech_cooperation": "国际科学技术合作奖", "provincial_patent_award": "省专利奖",
    "other": "其他",
}
_COUNTRY_ZH = {"CN": "中国", "US": "美国", "EP": "欧洲专利局", "JP": "日本", "KR": "韩国", "DE": "德国", "HK": "香港",
               "AU": "澳大利亚", "IN": "印度"}


class _Style:
    """Draws the small untidiness of a real export, reproducibly."""

    def __init__(self, rng: np.random.Generator, messy: bool):
        self.rng = rng
        self.messy = messy

    def pick(self, choices: list[tuple[str, float]]) -> str:
        if not self.messy or len(choices) == 1:
            return choices[0][0]
        p = np.array([w for _, w in choices])
        return choices[int(self.rng.choice(len(choices), p=p / p.sum()))][0]

    def date(self, v) -> str:
        if v is None or pd.isna(v):
            return ""
        ts = pd.Timestamp(v)
        r = self.rng.random() if self.messy else 1.0
        if r < 0.04:
            return f"{ts.year}.{ts.month:02d}.{ts.day:02d}"
        if r < 0.08:
            return f"{ts.year}/{ts.month}/{ts.day}"
        if r < 0.09:
            return f"{ts.year}{ts.month:02d}{ts.day:02d}"
        return ts.strftime("%Y-%m-%d")

    def join(self, items) -> str:
        if items is None:
            return ""
        items = list(items)
        if not items:
            return ""
        sep = ";"
        if self.messy:
            r = self.rng.random()
            sep = "；" if r < 0.05 else ("; " if r < 0.08 else ";")
        return sep.join(items)

    def yes_no(self, v) -> str:
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            return ""
        return "是" if bool(v) else "否"


def _int(v) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return ""
    return str(int(v))


def to_cn_export(df: pd.DataFrame, *, seed: int = 0, messy: bool = True) -> pd.DataFrame:
    """Canonical records -> a DataFrame in the ``cn-export`` layout (all cells text).

    ``messy=True`` mixes in the spellings a real export has (other date styles, ``；``, ``ZL``
    prefixes, status synonyms), drawn reproducibly from ``seed``; ``messy=False`` writes one
    spelling per value. Reading the result with ``read_records(..., profile="cn-export")`` gives
    the records back (dates, codes, lists, amounts in CNY).
    """
    missing = [c.name for c in COLUMNS if c.name not in df.columns]
    if missing:
        raise InputError(
            f"to_cn_export needs canonical records; missing column(s) {', '.join(missing)}; "
            "build them with make_patents() or read_records()"
        )
    st = _Style(np.random.default_rng(seed), messy)
    out = []
    for rec in df.itertuples(index=False):
        r = rec._asdict()
        ptype = r["patent_type"]
        granted = r["grant_date"] is not None and not pd.isna(r["grant_date"])
        pid = str(r["patent_id"])
        num = pid[2:] if pid.startswith("CN") else pid
        if messy and granted and st.rng.random() < 0.45:
            num = "ZL" + num
        if ptype == "invention":
            ptype_zh = st.pick(_TYPE["invention"]["granted" if granted else "not_granted"])
        elif ptype in _TYPE:
            ptype_zh = st.pick(_TYPE[ptype])
        else:
            ptype_zh = ""
        ipc = r["ipc"] if isinstance(r["ipc"], list) else []
        countries = r["family_countries"] if isinstance(r["family_countries"], list) else None
        granted_cc = r["overseas_granted"] if isinstance(r["overseas_granted"], list) else None
        if messy and countries and st.rng.random() < 0.2:
            countries = [_COUNTRY_ZH.get(c, c) for c in countries]
            granted_cc = [_COUNTRY_ZH.get(c, c) for c in granted_cc or []]
        pledges = r["pledge_count"]
        if pledges is None or pledges is pd.NA:
            pledge_txt = ""
        elif int(pledges) <= 1:
            pledge_txt = "是" if int(pledges) == 1 else "否"
        else:
            pledge_txt = str(int(pledges))
        amount = r["pledge_amount_cny"]
        amount_txt = ""
        if amount is not None and not pd.isna(amount) and amount > 0:
            wan = amount / 10_000
            amount_txt = f"{wan:.0f}" if float(wan).is_integer() else f"{wan:.1f}".rstrip("0")
            if float(amount_txt) * 10_000 != amount:
                amount_txt = f"{wan:.4f}".rstrip("0")
        tags = [_TAGS[t] for t in r["enterprise_tags"] or []]
        claims_count = r["claims_count"]
        if claims_count is None or claims_count is pd.NA:
            claims_count = r["claims_count_filed"]
        indep = r["independent_claims"]
        if indep is None or indep is pd.NA:
            indep = r["independent_claims_filed"]
        out.append({
            "申请号": num,
            "申请日": st.date(r["filing_date"]),
            "公开（公告）号": r["publication_number"] or "",
            "公开（公告）日": st.date(r["publication_date"]),
            "授权公告日": st.date(r["grant_date"]),
            "专利类型": ptype_zh,
            "名称": r["title"] or "",
            "摘要": r["abstract"] or "",
            "权利要求书": r["claims_text"] or "",
            "IPC主分类号": ipc[0] if ipc else "",
            "IPC分类号": st.join(ipc),
            "申请（专利权）人": st.join(r["applicants"]),
            "申请人类型": st.pick(_APPLICANT[r["applicant_type"]]) if r["applicant_type"] else "",
            "申请人地区": r["applicant_region"] or "",
            "发明人": st.join(r["inventors"]),
            "企业标签": ("、" if messy and st.rng.random() < 0.3 else ";").join(tags),
            "费用减缴": st.yes_no(r["fee_reduction"]),
            "优先权日": st.date(r["priority_date"]),
            "优先权项数": _int(r["priority_claims"]),
            "权利要求数量": _int(claims_count),
            "独立权利要求数量": _int(indep),
            "PCT申请": st.yes_no(r["pct_application"]),
            "分案原申请号": (r["divisional_of"] or "").removeprefix("CN"),
            "审查意见次数": _int(r["office_actions"]),
            "复审次数": _int(r["reexaminations"]),
            "法律状态": st.pick(_STATUS[r["legal_status"]]) if r["legal_status"] else "",
            "失效日": st.date(r["lapse_date"]),
            "引证次数": _int(r["backward_citations"]),
            "被引证次数": _int(r["forward_citations"]),
            "同族号": r["family_id"] or "",
            "同族公开号": st.join(r["family_members"]),
            "同族国家": st.join(countries),
            "海外授权国家": st.join(granted_cc),
            "质押": pledge_txt,
            "质押金额（万元）": amount_txt,
            "质押日": st.date(r["pledge_date"]),
            "获奖": st.join([_AWARDS[a] for a in r["awards"] or []]),
            "获奖年份": _int(r["award_year"]),
            "转让": _int(r["transfers"]),
            "许可": _int(r["licenses"]),
        })
    return pd.DataFrame(out, columns=CN_EXPORT_COLUMNS, dtype=object)
