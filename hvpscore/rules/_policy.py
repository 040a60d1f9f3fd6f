"""Policies: the official criteria and their thresholds as versioned data.

A shipped policy lives in ``hvpscore/rules/policies/<id>.yaml``. A user policy is a YAML file that
``extends`` a shipped policy (or another file) and overrides some keys. Every key is checked against
:data:`_SPEC`; an unknown key or a bad value raises :class:`~hvpscore._errors.PolicyError` naming
the key and the allowed values.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from hvpscore._errors import PolicyError
from hvpscore._yaml import safe_load as _yaml_safe_load
from hvpscore.schema import AWARD_CODES

__all__ = ["CRITERIA", "DEFAULT_POLICY", "Policy", "load_policy", "shipped_policies"]

DEFAULT_POLICY = "cnipa-2021"
# criterion id -> output flag column, in the official order
CRITERIA: dict[str, str] = {
    "sei": "hv_sei",
    "overseas": "hv_overseas",
    "maintained_10y": "hv_maintained_10y",
    "pledge": "hv_pledge",
    "award": "hv_award",
}
_TEXT_FIELDS = ("title", "abstract", "claims_text")
_JURISDICTION = re.compile(r"^[A-Z]{2}$")


# --------------------------------------------------------------------------- validators
# Each validator returns the (possibly normalised) value or raises ValueError whose text is the
# "allowed" part of the message.
def _choice(*allowed: str) -> Callable[[Any], Any]:
    def check(v):
        if v not in allowed:
            raise ValueError(f"one of {', '.join(allowed)}")
        return v

    check.allowed = " | ".join(allowed)  # type: ignore[attr-defined]
    return check


def _bool(v):
    if not isinstance(v, bool):
        raise ValueError("true or false")
    return v


_bool.allowed = "true | false"  # type: ignore[attr-defined]


def _number(lo: float, hi: float, *, integer: bool = False) -> Callable[[Any], Any]:
    kind = "an integer" if integer else "a number"

    def check(v):
        if isinstance(v, bool) or not isinstance(v, int | float) or math.isnan(v):
            raise ValueError(f"{kind} from {lo:g} to {hi:g}")
        if integer and int(v) != v:
            raise ValueError(f"{kind} from {lo:g} to {hi:g}")
        if not lo <= v <= hi:
            raise ValueError(f"{kind} from {lo:g} to {hi:g}")
        return int(v) if integer else float(v)

    check.allowed = f"{kind} in [{lo:g}, {hi:g}]"  # type: ignore[attr-defined]
    return check


def _str(v):
    if not isinstance(v, str) or not v.strip():
        raise ValueError("a non-empty text")
    return v


_str.allowed = "text"  # type: ignore[attr-defined]


def _text(v):
    if isinstance(v, str):
        return {"zh": v, "en": v}
    if not isinstance(v, Mapping) or not set(v) <= {"zh", "en"} or not v:
        raise ValueError("a text or a mapping {zh: ..., en: ...}")
    return {k: str(x) for k, x in v.items()}


_text.allowed = "{zh: text, en: text}"  # type: ignore[attr-defined]


def _subset(allowed: tuple[str, ...] | None, what: str, *, pattern: re.Pattern | None = None):
    def check(v):
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list | tuple):
            raise ValueError(f"a list of {what}")
        out = []
        for x in v:
            x = str(x).strip()
            if allowed is not None and x not in allowed:
                raise ValueError(f"a list of {what} from: {', '.join(allowed)} (got {x!r})")
            if pattern is not None and not pattern.match(x):
                raise ValueError(f"a list of {what} (got {x!r})")
            out.append(x)
        return out

    check.allowed = (  # type: ignore[attr-defined]
        f"list of {', '.join(allowed)}" if allowed else f"list of {what}"
    )
    return check


def _required_number(lo: float, hi: float):
    inner = _number(lo, hi)

    def check(v):
        if v is None:
            raise ValueError(
                f"required: no official amount exists, so set a number in [{lo:g}, {hi:g}]"
            )
        return inner(v)

    check.allowed = inner.allowed  # type: ignore[attr-defined]
    return check


_CRIT_COMMON = {"flag": None, "name": _text, "source_clause": _text, "note": _text,
                "enabled": _bool}

_SPEC: dict[str, dict[str, Callable[[Any], Any]]] = {
    "": {"id": _str, "version": _number(1, 10_000, integer=True), "title": _text,
         "source": _text, "extends": _str},
    "in_force": {
        "term_years": _number(1, 30, integer=True),
        "unknown_grant_date": _choice("trust_status", "require_date"),
        "dead_without_lapse_date": _choice("not_in_force", "in_force"),
    },
    "criteria.sei.params": {
        "concordance": _str,
        "ipc_scope": _choice("all", "main"),
        "keyword_fields": _subset(_TEXT_FIELDS, "text columns"),
    },
    "criteria.overseas.params": {
        "require_granted": _bool,
        "count_hk_mo_tw": _bool,
        "home_jurisdictions": _subset(None, "two-letter codes", pattern=_JURISDICTION),
        "hk_mo_tw": _subset(None, "two-letter codes", pattern=_JURISDICTION),
        "ignore": _subset(None, "two-letter codes", pattern=_JURISDICTION),
        "derive_from_family_members": _bool,
        "granted_kind_prefixes": _subset(None, "kind-code letters",
                                         pattern=re.compile(r"^[A-Z][0-9]?$")),
    },
    "criteria.maintained_10y.params": {
        "anchor": _choice("filing", "grant"),
        "years": _number(1, 20, integer=True),
        "near_miss_years": _number(0, 20),
    },
    "criteria.pledge.params": {
        "min_amount_cny": _required_number(0, 1e13),
        "require_pledge_date_le_as_of": _bool,
    },
    "criteria.award.params": {
        "codes": _subset(AWARD_CODES, "award codes"),
        "require_award_year_le_as_of": _bool,
    },
}
for _c in CRITERIA:
    _SPEC[f"criteria.{_c}"] = dict(_CRIT_COMMON, params=None)
_SPEC[""]["in_force"] = None
_SPEC[""]["criteria"] = None
_SPEC["criteria"] = dict.fromkeys(CRITERIA)
_OPTIONAL = {"extends", "enabled", "note"}


def _walk(data: Any, prefix: str, out: dict[str, Any], *, partial: bool) -> None:
    """Validate ``data`` under ``prefix`` into a flat dotted-key dict ``out``."""
    spec = _SPEC[prefix]
    where = prefix or "the policy top level"
    if not isinstance(data, Mapping):
        raise PolicyError(f"policy key {where!r} must be a mapping of keys; allowed keys: "
                          f"{', '.join(spec)}")
    for key, value in data.items():
        full = f"{prefix}.{key}" if prefix else str(key)
        if key not in spec:
            raise PolicyError(
                f"policy key {full!r} is not known; allowed keys under {where}: "
                f"{', '.join(spec)}"
            )
        check = spec[key]
        if full in _SPEC:  # a nested mapping
            _walk(value, full, out, partial=partial)
            continue
        if check is None:  # fixed (e.g. the flag column name)
            expected = CRITERIA[prefix.split(".")[1]]
            if value != expected:
                raise PolicyError(f"policy key {full!r} is fixed to {expected!r}, got {value!r}")
            out[full] = value
            continue
        try:
            out[full] = check(value)
        except ValueError as exc:
            raise PolicyError(
                f"policy key {full!r} has value {value!r}; allowed: {exc}"
            ) from None
    if not partial:
        for key in spec:
            full = f"{prefix}.{key}" if prefix else key
            if key in _OPTIONAL or key == "id":
                continue
            if key not in data:
                raise PolicyError(f"policy key {full!r} is missing; add it (allowed: "
                                  f"{_allowed(prefix, key)}) or `extends: {DEFAULT_POLICY}`")


def _allowed(prefix: str, key: str) -> str:
    check = _SPEC[prefix][key]
    if check is None:
        return "a mapping" if f"{prefix}.{key}".strip(".") in _SPEC else "fixed"
    return getattr(check, "allowed", "see the shipped policy")


def _deep_merge(base: dict, over: Mapping) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), dict) and k not in (
            "name", "source_clause", "note", "title", "source"
        ):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _flatten(data: Mapping, prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for k, v in data.items():
        full = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, Mapping) and full in _SPEC:
            flat.update(_flatten(v, full))
        else:
            flat[full] = v
    return flat


def shipped_policies() -> list[str]:
    """Ids of the policies shipped in package data."""
    root = resources.files("hvpscore.rules").joinpath("policies")
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


def _read_yaml(text: str, where: str) -> dict:
    try:
        data = _yaml_safe_load(text)
    except yaml.YAMLError as exc:
        raise PolicyError(f"policy {where} is not valid YAML: {exc}; fix the file") from None
    if not isinstance(data, dict):
        raise PolicyError(f"policy {where} must be a YAML mapping (id:, extends:, criteria: ...)")
    return data


def _load_raw(ref: str | Path, seen: tuple[str, ...] = ()) -> tuple[dict, dict | None, str]:
    """Return (effective nested data, parent effective data or None, origin) for ``ref``."""
    ref_s = str(ref)
    if ref_s in seen:
        raise PolicyError(f"policy {ref_s!r} extends itself through {' -> '.join(seen)}")
    if len(seen) > 8:
        raise PolicyError(f"policy chain {' -> '.join(seen)} is too deep (max 8 extends)")
    path = Path(ref_s)
    if ref_s in shipped_policies() and not path.exists():
        text = resources.files("hvpscore.rules").joinpath(f"policies/{ref_s}.yaml").read_text(
            encoding="utf-8")
        data = _read_yaml(text, f"{ref_s!r}")
        origin = f"shipped:{ref_s}"
        base_dir = None
    elif path.is_file():
        data = _read_yaml(path.read_text(encoding="utf-8"), f"file {ref_s!r}")
        origin = str(path)
        base_dir = path.resolve().parent
    else:
        raise PolicyError(
            f"policy {ref_s!r} is neither a shipped policy ({', '.join(shipped_policies())}) "
            "nor an existing YAML file; give a shipped id or the path of your policy file"
        )
    partial = "extends" in data
    flat: dict[str, Any] = {}
    _walk(data, "", flat, partial=partial)
    # a relative concordance path is relative to the policy file
    conc = data.get("criteria", {}).get("sei", {}).get("params", {}).get("concordance")
    if base_dir is not None and conc and conc != "shipped" and not Path(conc).is_absolute():
        data = _deep_merge(data, {"criteria": {"sei": {"params": {
            "concordance": str(base_dir / conc)}}}})
    if not partial:
        return data, None, origin
    parent_ref = data["extends"]
    if base_dir is not None and parent_ref not in shipped_policies():
        parent_ref = str(base_dir / parent_ref)
    parent, _, _ = _load_raw(parent_ref, (*seen, ref_s))
    merged = _deep_merge(parent, {k: v for k, v in data.items()})
    if "id" not in data:
        merged["id"] = f"{parent['id']}+{Path(ref_s).stem}"
    flat = {}
    _walk(merged, "", flat, partial=False)
    return merged, parent, origin


@dataclass(frozen=True, eq=False)
class Policy:
    """An effective, validated policy.

    ``data`` is the nested effective mapping; ``parent`` the mapping it extends (None for a shipped
    base policy). Read parameters with :meth:`param`; see :meth:`settings` for defaults vs overrides.
    """

    id: str
    data: dict = field(repr=False)
    parent: dict | None = field(default=None, repr=False)
    origin: str = ""

    @property
    def version(self) -> int:
        return int(self.data.get("version", 1))

    @property
    def extends(self) -> str | None:
        return self.data.get("extends")

    def to_dict(self) -> dict:
        """A deep copy of the effective policy (plain YAML-able types)."""
        return copy.deepcopy(self.data)

    def criterion(self, cid: str) -> dict:
        if cid not in CRITERIA:
            raise PolicyError(f"criterion {cid!r} is not known; use one of {', '.join(CRITERIA)}")
        return self.data["criteria"][cid]

    def enabled(self, cid: str) -> bool:
        return bool(self.criterion(cid).get("enabled", True))

    def param(self, cid: str, name: str) -> Any:
        params = self.criterion(cid)["params"]
        if name not in params:
            raise PolicyError(f"policy {self.id!r} has no parameter {name!r} for criterion {cid!r}")
        return params[name]

    def in_force(self, name: str) -> Any:
        return self.data["in_force"][name]

    def name(self, cid: str, lang: str = "en") -> str:
        return self.criterion(cid)["name"].get(lang) or self.criterion(cid)["name"]["en"]

    @property
    def overrides(self) -> dict[str, Any]:
        """Dotted keys whose effective value differs from the policy it extends."""
        if self.parent is None:
            return {}
        base = _flatten(self.parent)
        return {k: v for k, v in _flatten(self.data).items()
                if k not in ("id", "extends") and base.get(k) != v}

    def settings(self) -> pd.DataFrame:
        """Every effective setting: ``key, value, default, source`` (``default``/``override``).

        ``default`` is the value of the policy this one extends (itself for a shipped policy).
        Texts (names, clauses, notes) are left out; see :meth:`to_dict`.
        """
        flat = _flatten(self.data)
        base = _flatten(self.parent) if self.parent is not None else flat
        rows = []
        for k, v in flat.items():
            if k.rsplit(".", 1)[-1] in ("name", "source_clause", "note", "title", "source",
                                        "flag") or k in ("id", "extends", "version"):
                continue
            d = base.get(k, True if k.endswith(".enabled") else None)
            rows.append({"key": k, "value": v, "default": d,
                         "source": "default" if d == v or self.parent is None else "override"})
        return pd.DataFrame(rows, columns=["key", "value", "default", "source"])

    def describe(self) -> str:
        """A readable multi-line listing of the effective settings (zh/en), overrides marked."""
        head = [f"policy {self.id} (version {self.version})"
                + (f", extends {self.extends}" if self.extends else "")
                + (f"  [{self.origin}]" if self.origin else ""),
                f"  {self.data['title']['zh']} / {self.data['title']['en']}"]
        lines = []
        for row in self.settings().itertuples(index=False):
            mark = "*" if row.source == "override" else " "
            val = _fmt(row.value)
            extra = f"   (default {_fmt(row.default)})" if row.source == "override" else ""
            lines.append(f"{mark} {row.key} = {val}{extra}")
        for cid in CRITERIA:
            c = self.criterion(cid)
            if not c.get("enabled", True):
                lines.append(f"  (criterion {cid} disabled)")
        legend = ["", "* = override of the extended policy / 覆盖默认值；其余为默认值 (default)"]
        return "\n".join(head + lines + legend)


def _fmt(v: Any) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(map(str, v)) + "]"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int | float) and float(v).is_integer():
        return f"{int(v):,}" if abs(v) >= 10_000 else str(int(v))
    return str(v)


def load_policy(policy: Policy | str | Path | Mapping | None = None) -> Policy:
    """Load and validate a policy.

    ``None`` -> the shipped ``cnipa-2021``; a shipped id; a path to a user YAML file (usually with
    ``extends: cnipa-2021``); a mapping of overrides (``extends`` defaults to ``cnipa-2021``); or a
    :class:`Policy` (returned as is). Raises :class:`PolicyError` naming the key and the allowed
    values when anything is wrong.
    """
    if isinstance(policy, Policy):
        return policy
    if policy is None:
        policy = DEFAULT_POLICY
    if isinstance(policy, Mapping):
        over = dict(policy)
        over.setdefault("extends", DEFAULT_POLICY)
        flat: dict[str, Any] = {}
        _walk(over, "", flat, partial=True)
        parent, _, _ = _load_raw(over["extends"])
        merged = _deep_merge(parent, over)
        merged.setdefault("id", parent["id"])
        if "id" not in over:
            merged["id"] = f"{parent['id']}+custom"
        _walk(merged, "", {}, partial=False)
        return Policy(id=merged["id"], data=merged, parent=parent, origin="mapping")
    data, parent, origin = _load_raw(policy)
    return Policy(id=str(data["id"]), data=data, parent=parent, origin=origin)
