"""The five criteria within reach, deadlines, support measures and their dates."""

from __future__ import annotations

from hvpscore.prefiling import check_draft
from tests.prefiling.drafts import base, to_record


def crit(r, cid):
    return next(c for c in r.criteria if c["id"] == cid)


def check(**fields):
    as_of = fields.pop("as_of", "2025-06-30")
    policy = fields.pop("policy", None)
    rec = to_record(base("zh"), **fields)
    return check_draft(rec, model=False, as_of=as_of, policy=policy)


def test_sei_from_ipc_met_near_and_not_met():
    met = crit(check(ipc=["H04W72/04"]), "sei")
    assert met["status"] == "met"
    assert met["details"]["fields"][0]["code"] == "1.1" and not met["suggestion"]
    # H01L21 is a partial row of 1.2 in the CNIPA 2021 table: it counts only with its keywords
    near = crit(check(ipc=["H01L21/02"]), "sei")
    assert near["status"] == "near" and "集成电路" in near["details"]["keywords"]
    rec = check(ipc=["H01L21/02"], abstract="一种集成电路的刻蚀方法。")
    assert crit(rec, "sei")["status"] == "met"
    assert crit(check(ipc=["A47J41/00"]), "sei")["status"] == "not_met"


def test_sei_suggested_from_the_text_without_ipc():
    r = check(abstract="本发明采用卷积神经网络和深度学习识别杯体缺陷，属于人工智能领域。")
    c = crit(r, "sei")
    assert c["status"] == "suggestion" and c["suggestion"] is True
    assert "1.5" in [f["code"] for f in c["details"]["fields"]]
    assert crit(check(), "sei")["status"] == "not_met"  # a cup: no keyword, no suggestion


def test_overseas_route_and_deadlines():
    r = check(planned_route=["pct", "pph"], priority_date="2024-01-31", as_of="2025-06-30")
    c = crit(r, "overseas")
    assert c["status"] == "planned"
    dl = {d["id"]: d for d in c["details"]["deadlines"]}
    assert dl["priority"]["date"] == "2025-01-31" and dl["priority"]["passed"] is True
    assert dl["pct_national"]["date"] == "2026-07-31" and dl["pct_national"]["passed"] is False
    assert dl["pct_national"]["date_late"] == "2026-08-31"
    planned = {x["id"] for x in c["details"]["routes"] if x["planned"]}
    assert planned == {"pct", "pph"}
    assert "保密审查" in c["details"]["secrecy_zh"]
    assert crit(check(), "overseas")["status"] == "possible"


def test_utility_model_is_not_eligible():
    r = check(patent_type="utility_model")
    assert {c["status"] for c in r.criteria} == {"not_eligible"}
    must = [a for a in r.advice if a["priority"] == "must" and a["kind"] == "criterion"]
    assert len(must) == 1 and "发明专利" in must[0]["text_zh"]


def test_pledge_threshold_comes_from_the_policy():
    default = crit(check(), "pledge")
    assert default["details"]["min_amount_cny"] == 10_000_000 and "1,000万元" in default["evidence_zh"]
    own = crit(check(policy={"criteria": {"pledge": {"params": {"min_amount_cny": 5_000_000}}}}),
               "pledge")
    assert own["details"]["min_amount_cny"] == 5_000_000 and "500万元" in own["evidence_zh"]


def test_measures_are_dated_and_advice_only_while_in_force():
    old = check(as_of="2023-06-30")
    new = check(as_of="2025-06-30")
    st_old = {m["id"]: m["status"] for m in old.measures}
    st_new = {m["id"]: m["status"] for m in new.measures}
    assert st_old["cq2022-m7-foreign-grant"] == "active" and st_new["cq2022-m7-foreign-grant"] == "expired"
    assert st_new["cnipa-2021-1"] == "expired"
    refs_old = {r for a in old.advice if a["kind"] == "measure" for r in a["refs"]}
    refs_new = {r for a in new.advice if a["kind"] == "measure" for r in a["refs"]}
    assert "cq2022-m7-foreign-grant" in refs_old and "cq2022-m7-foreign-grant" not in refs_new
    assert refs_new == {"cnipa-2021-1"}  # the national rule stays as a note
    m = next(x for x in new.measures if x["id"] == "cnipa-2021-1")
    assert m["source"]["doc_no"] == "国知发保字〔2021〕1号" and m["valid_from"] == "2021-01-27"


def test_every_advice_line_points_at_something_in_the_report():
    r = check_draft(to_record(base("zh"), ipc=["H04W72/04"], planned_route=["paris"]),
                    as_of="2023-06-30")
    ids = {f.id for f in r.findings}
    crits = {c["id"] for c in r.criteria}
    measures = {m["id"] for m in r.measures}
    heads = {f"{h['target']}:{x['feature']}" for h in r.predictions["heads"] for x in h["reasons"]}
    for a in r.advice:
        assert a["refs"]
        for ref in a["refs"]:
            assert ref in ids | crits | measures | heads, (a, ref)
    assert [a["rank"] for a in r.advice] == list(range(1, len(r.advice) + 1))
    order = ["must", "should", "consider", "note"]
    assert [order.index(a["priority"]) for a in r.advice] == sorted(
        order.index(a["priority"]) for a in r.advice)
