"""Generate realistic Chinese claims texts with known structure (benchmarks and tests).

Each text has 10-20 claims (about 1,500 characters): one to three independent claims (product,
apparatus, system, method) each followed by dependent claims that refer to a single earlier claim,
to alternatives (权利要求1或2), or to ranges (权利要求1至3中任一项), written with the numbering
styles, headers and line wrapping found in real documents.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["SynthClaims", "generate_claims", "generate_texts"]

_OBJECTS = [
    ("锂离子电池正极材料", "product"),
    ("图像识别装置", "apparatus"),
    ("数据传输系统", "system"),
    ("智能网联汽车的制动控制装置", "apparatus"),
    ("集成电路封装结构", "product"),
    ("风力发电机组", "apparatus"),
    ("污水处理设备", "apparatus"),
    ("柔性显示面板", "product"),
    ("无人机巡检系统", "system"),
    ("高强度铝合金", "product"),
    ("生物传感器", "apparatus"),
    ("机器人关节减速器", "apparatus"),
]
_METHODS = ["制备方法", "控制方法", "检测方法", "加工方法", "处理方法", "运行方法"]
_PARTS = [
    "壳体",
    "底座",
    "第一连接件",
    "第二连接件",
    "驱动电机",
    "传感器",
    "控制器",
    "存储模块",
    "散热片",
    "密封圈",
    "导轨",
    "滑块",
    "支撑架",
    "转轴",
    "电极层",
    "隔膜",
    "基板",
    "缓冲层",
    "通信模块",
    "处理器",
    "摄像头",
    "显示屏",
    "弹簧",
    "卡扣",
    "阀门",
    "泵体",
    "过滤网",
    "齿轮",
]
_RELATIONS = [
    "设置于所述{a}的顶部",
    "与所述{a}固定连接",
    "可拆卸地安装在所述{a}上",
    "通过螺栓连接于所述{a}",
    "位于所述{a}与所述{b}之间",
    "用于驱动所述{a}转动",
    "与所述{a}电连接",
    "沿所述{a}的轴向延伸",
    "用于检测所述{a}的温度",
    "套设在所述{a}的外周",
]
_DETAILS = [
    "所述{a}的材质为不锈钢",
    "所述{a}的厚度为0.5mm至2mm",
    "所述{a}呈圆柱形",
    "所述{a}的数量为两个，且对称设置",
    "所述{a}的表面设有防滑纹",
    "所述{a}采用注塑一体成型",
    "所述{a}的工作温度为20℃至80℃",
    "所述{a}包括多个均匀分布的通孔",
    "所述{a}为铝合金材质",
    "所述{a}与所述{b}的间距为3mm至5mm",
    "所述{a}的外侧设有约2mm的倒角",
    "所述{a}具有较高的强度",
    "所述{a}由聚四氟乙烯等材料制成",
    "所述{a}的转速为1000r/min至3000r/min",
]
_STEPS = [
    "获取所述{a}的运行参数",
    "将所述{a}加热至预设温度",
    "根据所述运行参数计算控制量",
    "将原料与溶剂按质量比1:3混合",
    "在惰性气体保护下保温2小时",
    "对所述{a}进行冷却处理",
    "比较检测值与阈值并输出结果",
    "将混合物在120℃下干燥8小时",
    "对所述{a}的图像进行滤波处理",
]
_HEADERS = ["", "", "权利要求书\n", "权利要求书\n\n", "权 利 要 求 书\n"]
_FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


@dataclass(frozen=True)
class SynthClaims:
    """A generated claims text with its true structure."""

    text: str
    n_claims: int
    independent: list[int]
    depends_on: dict[int, list[int]]


def _independent(rng: random.Random, subject: str, is_method: bool) -> str:
    parts = rng.sample(_PARTS, 9)
    if is_method:
        steps = [
            f"S{i + 1}，" + rng.choice(_STEPS).format(a=parts[i]) + "；"
            for i in range(rng.randint(6, 9))
        ]
        return f"一种{subject}，其特征在于，包括以下步骤：" + "".join(steps)[:-1] + "。"
    items = []
    for i in range(rng.randint(6, 9)):
        rel = rng.choice(_RELATIONS).format(a=parts[(i + 1) % 9], b=parts[(i + 2) % 9])
        rel2 = rng.choice(_RELATIONS).format(a=parts[(i + 3) % 9], b=parts[(i + 4) % 9])
        items.append(f"{parts[i]}，所述{parts[i]}{rel}，且{rel2}；")
    head = rng.choice(["包括：", "其特征在于，包括：", "包括"])
    return f"一种{subject}，{head}" + "".join(items)[:-1] + "。"


def _dependent(rng: random.Random, subject: str, refs: list[int], form: str) -> str:
    a, b = rng.sample(_PARTS, 2)
    detail = rng.choice(_DETAILS).format(a=a, b=b)
    if rng.random() < 0.5:
        detail += "，" + rng.choice(_RELATIONS).format(a=b, b=a).join(["所述" + a, ""])
    if len(refs) == 1:
        ref = f"权利要求{refs[0]}"
    elif form == "range":
        sep = rng.choice(["至", "-", "~", "到"])
        ref = f"权利要求{refs[0]}{sep}{refs[-1]}中任一项"
    else:
        ref = "权利要求" + "、".join(str(r) for r in refs[:-1]) + f"或{refs[-1]}"
    lead = rng.choice(["根据", "如", "按照"])
    mid = rng.choice(["，其特征在于，", "，其中，", "，其特征在于："])
    extra = "，" + rng.choice(_DETAILS).format(a=b, b=a) if rng.random() < 0.8 else ""
    if rng.random() < 0.75:
        c, d = rng.sample(_PARTS, 2)
        extra += "；所述" + c + rng.choice(_RELATIONS).format(a=d, b=a)
    return f"{lead}{ref}所述的{subject}{mid}{detail}{extra}。"


def _wrap(text: str, width: int) -> str:
    """Hard-wrap like a PDF export: every ``width`` characters, never inside a number."""
    out = []
    line = []
    for i, ch in enumerate(text):
        line.append(ch)
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if len(line) >= width and not (ch.isdigit() and (nxt.isdigit() or nxt in ".、．")):
            out.append("".join(line))
            line = []
    out.append("".join(line))
    return "\n".join(out)


def generate_claims(n: int, seed: int = 0) -> list[SynthClaims]:
    """``n`` generated Chinese claims texts with their structure."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        total = rng.randint(10, 20)
        n_ind = rng.choice([1, 1, 2, 2, 3])
        obj, _cat = rng.choice(_OBJECTS)
        base = obj
        plan: list[tuple[str, bool]] = [(obj, False)]
        if n_ind >= 2:
            plan.append((base[:4] + rng.choice(_METHODS), True))
        if n_ind >= 3:
            plan.append((rng.choice(_OBJECTS)[0], False))
        # split claims among the independent groups, the first group largest
        sizes = [total - 2 * (n_ind - 1)] + [2] * (n_ind - 1)
        lines: list[str] = []
        independent: list[int] = []
        depends: dict[int, list[int]] = {}
        num = 0
        for (subject, is_method), size in zip(plan, sizes, strict=True):
            num += 1
            first = num
            independent.append(num)
            lines.append(_independent(rng, subject, is_method))
            for _k in range(size - 1):
                num += 1
                r = rng.random()
                if r < 0.12 and num - first >= 3:
                    refs = list(range(first, num - 1))[:3]
                    if len(refs) < 2:
                        refs = [first]
                    form = "range" if len(refs) > 2 or rng.random() < 0.5 else "alt"
                    if form == "range":
                        refs = list(range(refs[0], refs[-1] + 1))
                    # keep alternatives and ranges off other multiple dependent claims
                    refs = [x for x in refs if len(depends.get(x, [])) <= 1]
                    if len(refs) < 2 or refs != list(range(refs[0], refs[-1] + 1)):
                        refs = [first]
                else:
                    refs = [rng.randint(first, num - 1)] if r < 0.6 else [first]
                    form = "single"
                depends[num] = refs
                lines.append(_dependent(rng, subject, refs, form))
        style = rng.random()
        sep = rng.choice(["、", ".", ". ", "．"]) if style < 0.9 else "."
        full = rng.random() < 0.1
        texts = []
        for i, line in enumerate(lines, start=1):
            no = str(i)
            if full:
                no = no.translate(_FULLWIDTH)
            texts.append(f"{no}{sep}{line}")
        joiner = "\n" if rng.random() < 0.9 else ""
        text = rng.choice(_HEADERS) + joiner.join(texts)
        if rng.random() < 0.1:  # a line-wrapped export
            text = _wrap(text, rng.randint(30, 60))
        out.append(SynthClaims(text, total, independent, depends))
    return out


def generate_texts(n: int, seed: int = 0) -> list[str]:
    """Only the texts of :func:`generate_claims`."""
    return [s.text for s in generate_claims(n, seed)]
