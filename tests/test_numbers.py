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


SPELLINGS = [
    "ZL201910561574.9", "201910561574.9", "CN201910561574.9", "2019105615749", "201910561574",
    "ZL 2019 1 0561574.9", "ZL２０１６１０７０５６２４．２", "zl201610705624.2", "ＺＬ201910561574.9",
    "201910561574。9", " cn201910561574.9 ", "201910561574.", "ZL201910561574.3", "CN110266631B",
    "CN 110266631 A", "CN212345678U", "CN305123456S", "US7000000B2", "US 7,000,000 B2",
    "USD512345S", "USRE12345E", "USPP12345P2", "EP1234567A1", "WO2020/123456A1", "JP2020123456A",
    "KR1020200012345A", "XX1234567A", "", "hello", "12345", "ZL2019", "98123456", "ZL98123456",
    "CN98123456", "98123456.7", "CN110266631", "CN11026663X", "201910561574.X",
]


def test_vectorised_equals_scalar_on_every_spelling():
    import random

    rng = random.Random(7)
    values: list = list(SPELLINGS) + [None, float("nan"), 201910561574]
    for _ in range(3000):
        d = f"{rng.randint(1985, 2025)}{rng.choice('1234589')}{rng.randint(0, 9999999):07d}"
        c = cn_check_digit(d) if rng.random() < 0.8 else rng.choice("0123456789X")
        values.append(rng.choice(["ZL", "CN", "", "zl", "ZL "]) + d + rng.choice([".", ""]) + c)
        d8 = f"{rng.randint(85, 99)}{rng.choice('123')}{rng.randint(0, 99999):05d}"
        values.append(rng.choice(["ZL", "CN", ""]) + d8 + rng.choice([".", ""])
                      + rng.choice([cn_check_digit(d8), "", "1"]))
    out = normalize_patent_numbers(pd.Series(values, dtype=object))
    for v, norm, ptype, err in zip(values, out["normalized"], out["patent_type"], out["error"],
                                   strict=True):
        if v is None or isinstance(v, float):
            assert (norm, ptype, err) == (None, None, None)
            continue
        p = parse_patent_number(v)
        assert (norm, ptype, err) == (p.normalized, p.patent_type, p.error), v


def test_vectorised_reads_arrow_strings():
    import pyarrow as pa

    from hvpscore.numbers import parse_patent_number_array

    norm, ptype, err = parse_patent_number_array(pa.array(["ZL201910561574.9", None, "bad"]))
    assert norm.tolist() == ["CN201910561574.9", None, None]
    assert ptype.tolist() == ["invention", None, None]
    assert err[0] is None and err[1] is None and "not a recognised" in err[2]


def test_full_width_letters_are_read():
    assert parse_patent_number("ＺＬ２０１９１０５６１５７４．９").normalized == "CN201910561574.9"
    assert parse_patent_number("ｃｎ１１０２６６６３１Ｂ").normalized == "CN110266631B"
