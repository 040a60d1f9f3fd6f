"""Policies as data: the shipped cnipa-2021, user overrides, and clear errors."""

from __future__ import annotations

import pytest
import yaml

from hvpscore._errors import PolicyError
from hvpscore.rules import CRITERIA, Policy, load_policy, shipped_policies


def write(tmp_path, data, name="my.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_shipped_policy_has_every_criterion_with_clause_and_names():
    pol = load_policy()
    assert isinstance(pol, Policy)
    assert pol.id == "cnipa-2021" and "cnipa-2021" in shipped_policies()
    d = pol.to_dict()
    for cid, flag in CRITERIA.items():
        c = d["criteria"][cid]
        assert c["flag"] == flag
        assert c["name"]["zh"] and c["name"]["en"]
        assert c["source_clause"]["zh"] and c["source_clause"]["en"]
    assert pol.param("maintained_10y", "anchor") == "filing"
    assert pol.param("maintained_10y", "years") == 10
    assert pol.param("pledge", "min_amount_cny") == 10_000_000
    assert pol.param("overseas", "count_hk_mo_tw") is False
    assert pol.param("overseas", "require_granted") is True
    assert "provincial_patent_award" not in pol.param("award", "codes")
    assert "1000万元" in d["criteria"]["pledge"]["note"]["zh"]
    # to_dict is a copy
    d["criteria"]["pledge"]["params"]["min_amount_cny"] = 1
    assert pol.param("pledge", "min_amount_cny") == 10_000_000


def test_user_file_extends_and_overrides(tmp_path):
    path = write(tmp_path, {"id": "chongqing-2024", "extends": "cnipa-2021",
                            "criteria": {"pledge": {"params": {"min_amount_cny": 5_000_000}},
                                         "overseas": {"params": {"count_hk_mo_tw": True}}}})
    pol = load_policy(path)
    assert pol.id == "chongqing-2024" and pol.extends == "cnipa-2021"
    assert pol.param("pledge", "min_amount_cny") == 5_000_000
    assert pol.param("maintained_10y", "years") == 10  # inherited
    assert pol.overrides == {"criteria.pledge.params.min_amount_cny": 5_000_000,
                             "criteria.overseas.params.count_hk_mo_tw": True}
    s = pol.settings().set_index("key")
    assert s.loc["criteria.pledge.params.min_amount_cny", "source"] == "override"
    assert s.loc["criteria.pledge.params.min_amount_cny", "default"] == 10_000_000
    assert s.loc["criteria.maintained_10y.params.anchor", "source"] == "default"
    text = pol.describe()
    assert "* criteria.pledge.params.min_amount_cny = 5,000,000   (default 10,000,000)" in text
    assert "  criteria.maintained_10y.params.anchor = filing" in text


def test_user_file_without_id_gets_a_derived_id(tmp_path):
    path = write(tmp_path, {"extends": "cnipa-2021",
                            "criteria": {"maintained_10y": {"params": {"anchor": "grant"}}}},
                 name="grant-anchor.yaml")
    assert load_policy(path).id == "cnipa-2021+grant-anchor"


def test_relative_concordance_path_is_relative_to_the_policy_file(tmp_path):
    path = write(tmp_path, {"extends": "cnipa-2021",
                            "criteria": {"sei": {"params": {"concordance": "table.xlsx"}}}})
    assert load_policy(path).param("sei", "concordance") == str(tmp_path.resolve() / "table.xlsx")


def test_unknown_key_is_named_with_the_allowed_keys(tmp_path):
    path = write(tmp_path, {"extends": "cnipa-2021",
                            "criteria": {"pledge": {"params": {"min_amount": 5}}}})
    with pytest.raises(PolicyError, match=r"policy key 'criteria.pledge.params.min_amount' is not "
                                          r"known; allowed keys under criteria.pledge.params: "
                                          r"min_amount_cny, require_pledge_date_le_as_of"):
        load_policy(path)


def test_unknown_criterion_is_named():
    with pytest.raises(PolicyError, match=r"'criteria.citations' is not known; allowed keys under "
                                          r"criteria: sei, overseas, maintained_10y"):
        load_policy({"criteria": {"citations": {}}})


@pytest.mark.parametrize("params,match", [
    ({"maintained_10y": {"params": {"anchor": "publication"}}},
     r"'criteria.maintained_10y.params.anchor' has value 'publication'; allowed: one of "
     r"filing, grant"),
    ({"maintained_10y": {"params": {"years": 0}}},
     r"'criteria.maintained_10y.params.years' has value 0; allowed: an integer from 1 to 20"),
    ({"pledge": {"params": {"min_amount_cny": None}}},
     r"'criteria.pledge.params.min_amount_cny' has value None; allowed: required: no official "
     r"amount exists"),
    ({"pledge": {"params": {"min_amount_cny": "ten million"}}},
     r"min_amount_cny' has value 'ten million'; allowed: a number"),
    ({"award": {"params": {"codes": ["nobel_prize"]}}},
     r"'criteria.award.params.codes' has value \['nobel_prize'\]; allowed: a list of award codes "
     r"from: china_patent_gold, .*\(got 'nobel_prize'\)"),
    ({"overseas": {"params": {"count_hk_mo_tw": "yes"}}},
     r"'criteria.overseas.params.count_hk_mo_tw' has value 'yes'; allowed: true or false"),
    ({"overseas": {"params": {"hk_mo_tw": ["Hong Kong"]}}},
     r"hk_mo_tw' has value \['Hong Kong'\]; allowed: a list of two-letter codes"),
    ({"sei": {"params": {"ipc_scope": "first"}}},
     r"'criteria.sei.params.ipc_scope' has value 'first'; allowed: one of all, main"),
    ({"sei": {"flag": "hv_industry"}},
     r"policy key 'criteria.sei.flag' is fixed to 'hv_sei', got 'hv_industry'"),
])
def test_invalid_values_name_key_and_allowed_values(params, match):
    with pytest.raises(PolicyError, match=match):
        load_policy({"criteria": params})


def test_incomplete_policy_without_extends_names_the_missing_key(tmp_path):
    path = write(tmp_path, {"id": "bare", "version": 1, "title": "x", "source": "y"})
    with pytest.raises(PolicyError, match=r"policy key 'in_force' is missing; add it .* or "
                                          r"`extends: cnipa-2021`"):
        load_policy(path)


def test_missing_file_and_cycles_are_reported(tmp_path):
    with pytest.raises(PolicyError, match=r"policy 'nope.yaml' is neither a shipped policy "
                                          r"\(cnipa-2021\) nor an existing YAML file"):
        load_policy("nope.yaml")
    write(tmp_path, {"extends": "b.yaml"}, name="a.yaml")
    write(tmp_path, {"extends": "a.yaml"}, name="b.yaml")
    with pytest.raises(PolicyError, match="extends itself"):
        load_policy(tmp_path / "a.yaml")


def test_not_yaml_mapping_is_reported(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"must be a YAML mapping"):
        load_policy(path)
    path.write_text("criteria: [unclosed\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"is not valid YAML"):
        load_policy(path)


def test_chained_user_policies(tmp_path):
    write(tmp_path, {"id": "city", "extends": "cnipa-2021",
                     "criteria": {"pledge": {"params": {"min_amount_cny": 3_000_000}}}},
          name="city.yaml")
    path = write(tmp_path, {"id": "district", "extends": "city.yaml",
                            "criteria": {"maintained_10y": {"params": {"anchor": "grant"}}}},
                 name="district.yaml")
    pol = load_policy(path)
    assert pol.param("pledge", "min_amount_cny") == 3_000_000
    assert pol.overrides == {"criteria.maintained_10y.params.anchor": "grant"}
