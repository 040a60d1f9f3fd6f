import pandas as pd
import pytest

from hvpscore.numbers import (
    cn_check_digit,
    normalize_patent_number,
    normalize_patent_numbers,
    parse_patent_number,
)


@pytest.mark.parametrize(
    "raw, norm, ptype",
    [
        ("ZL201910561574.9", "CN201910561574.9", "invention"),
        ("201910561574.9", "CN201910561574.9", "invention"),
        ("CN201910561574.9", "CN201910561574.9", "invention"),
        ("2019105615749", "CN201910561574.9", "invention"),
        ("201910561574", "CN201910561574.9", "invention"),
        ("ZL 2019 1 0561574.9", "CN201910561574.9", "invention"),
        ("ZL２０１６１０７０５６２４．２", "CN201610705624.2", "invention"),
        ("zl201610705624.2", "CN201610705624.2", "invention"),
        ("CN110266631B", "CN110266631B", "invention"),
        ("CN 110266631 A", "CN110266631A", "invention"),
        ("CN212345678U", "CN212345678U", "utility_model"),
        ("CN305123456S", "CN305123456S", "design"),
        ("US7000000B2", "US7000000B2", "invention"),
        ("US 7,000,000 B2", "US7000000B2", "invention"),
        ("USD512345S", "USD512345S", "design"),
        ("EP1234567A1", "EP1234567A1", None),
        ("WO2020/123456A1", "WO2020123456A1", None),
        ("JP2020123456A", "JP2020123456A", None),
        ("KR1020200012345A", "KR1020200012345A", None),
    ],
)
def test_normalises_known_forms(raw, norm, ptype):
    p = parse_patent_number(raw)
    assert p.error is None, p.error
    assert p.normalized == norm
    assert p.patent_type == ptype


def test_check_digit_known_real_numbers():
    # ZL201910561574.9 (Huawei, China Patent Gold Award 2025) and ZL201610705624.2 (Akeso)
    assert cn_check_digit("201910561574") == "9"
    assert cn_check_digit("201610705624") == "2"


def test_check_digit_ten_is_x():
    # find a 12-digit number whose remainder is 10 and check it is written X
    for serial in range(1000000, 1000100):
        digits = f"20201{serial}"
        if cn_check_digit(digits) == "X":
            assert parse_patent_number(f"{digits}.X").normalized == f"CN{digits}.X"
            assert parse_patent_number(f"{digits}.0").error is not None
            return
    pytest.fail("no number with check digit X in range")


def test_old_eight_digit_numbers():
    d = "98123456"
    c = cn_check_digit(d)
    p = parse_patent_number(f"ZL{d}.{c}")
    assert p.normalized == f"CN{d}.{c}"
    assert p.patent_type == "invention"  # third digit 1
    wrong = str((int(c) + 1) % 10) if c != "X" else "0"
    assert "check digit" in parse_patent_number(f"{d}.{wrong}").error


def test_wrong_check_digit_names_expected():
    p = parse_patent_number("ZL201910561574.3")
    assert p.normalized is None
    assert "check digit 3" in p.error and "give 9" in p.error


def test_type_digit_gives_utility_and_design():
    for t, expected in (("2", "utility_model"), ("3", "design"), ("8", "invention"),
                        ("9", "utility_model")):
        digits = f"2020{t}1234567"
        assert parse_patent_number(digits + "." + cn_check_digit(digits)).patent_type == expected


@pytest.mark.parametrize("bad", ["", "hello", "12345", "ZL2019"])
def test_unrecognised(bad):
    assert parse_patent_number(bad).error is not None
    with pytest.raises(ValueError, match="patent|empty"):
        normalize_patent_number(bad)


def test_vectorised_matches_scalar():
    s = pd.Series(["ZL201910561574.9", None, "bad", "US7000000B2", "ZL201910561574.9"])
    out = normalize_patent_numbers(s)
    assert out["normalized"].tolist() == ["CN201910561574.9", None, None, "US7000000B2",
                                          "CN201910561574.9"]
    assert out["error"].notna().tolist() == [False, False, True, False, False]
