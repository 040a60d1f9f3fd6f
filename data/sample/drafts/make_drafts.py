"""Write the three example drafts of the pre-filing review (``hvpscore check``).

    python data/sample/drafts/make_drafts.py          # needs python-docx (pip install "hvpscore[check]")

* ``battery_cooling.txt`` — a carefully drafted Chinese invention application (20 claims: a
  device, a battery pack and a control method; 【0001】 paragraph numbers; a list of reference
  signs). It is the benchmark draft (``benchmarks/bench_check.py``) and should give no error.
* ``sorting_bin.docx`` — a Chinese application in a typical agency template, built here with
  python-docx: heading styles and bold headings, page breaks between the documents, the section
  name in the page header of each document section, automatically numbered claims, a table of
  reference signs. It carries the defects agents most often miss (a subject naming a product and
  a method, 所述X without antecedent, 约/等/优选, a dependent claim placed after the next
  independent claim, a claim citing a later claim, brackets, 如图所示, reference numeral
  conflicts, 本发明/本实用新型 mixed, promotional wording, a long abstract, a long title).
* ``lidar_en.json`` — an English draft as a JSON record (draft-stage canonical fields: IPC,
  applicant type, planned PCT route, priority date) with §112(b) issues (relative terms,
  antecedent basis, "as shown in FIG.").

The texts are written for hvpscore (fictitious inventions and applicants).
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

# ------------------------------------------------------------------ 1. a clean Chinese draft
BATTERY_TITLE = "电池包液冷散热装置、电池包及其控制方法"
BATTERY_ABSTRACT = (
    "本发明公开了一种电池包液冷散热装置、电池包及控制方法，属于动力电池热管理技术领域。电池包液冷散热装置"
    "包括冷板、进液管、出液管和控制器，冷板内设有冷却流道，冷却流道的进液口与进液管连通，出液口与出液管连通，"
    "冷板的上表面与电池模组的底面贴合；温度传感器检测电池模组的温度，控制器根据电池模组的温度与第一阈值和"
    "第二阈值的比较结果调节比例阀的开度，从而调节冷却液的流量。本发明使电池模组的温度保持在设定范围内，"
    "降低了水泵的能耗。"
)
BATTERY_CLAIMS = [
    "一种电池包液冷散热装置，其特征在于，包括冷板、进液管、出液管和控制器；所述冷板内设有冷却流道，"
    "所述冷却流道具有进液口和出液口；所述进液管与所述进液口连通，所述出液管与所述出液口连通；所述冷板的"
    "上表面用于与电池模组的底面贴合；所述控制器用于根据电池模组的温度调节冷却液的流量。",
    "根据权利要求1所述的电池包液冷散热装置，其特征在于，所述冷却流道呈蛇形布置，所述冷却流道的截面为矩形。",
    "根据权利要求2所述的电池包液冷散热装置，其特征在于，所述冷却流道的截面宽度为4mm至8mm，截面高度为"
    "2mm至4mm。",
    "根据权利要求1所述的电池包液冷散热装置，其特征在于，所述冷板由铝合金制成，所述冷板的厚度为3mm至6mm。",
    "根据权利要求1所述的电池包液冷散热装置，其特征在于，还包括导热垫，所述导热垫设置在所述冷板的上表面与"
    "电池模组的底面之间。",
    "根据权利要求5所述的电池包液冷散热装置，其特征在于，所述导热垫为硅胶导热垫，所述导热垫的导热系数不小于"
    "2W/(m·K)。",
    "根据权利要求1所述的电池包液冷散热装置，其特征在于，还包括温度传感器，所述温度传感器用于检测电池模组的"
    "温度并发送至所述控制器。",
    "根据权利要求7所述的电池包液冷散热装置，其特征在于，还包括水泵和比例阀，所述水泵设置在所述进液管上，"
    "所述比例阀设置在所述进液管上且位于所述水泵的下游。",
    "根据权利要求8所述的电池包液冷散热装置，其特征在于，所述控制器用于在电池模组的温度高于第一阈值时增大"
    "所述比例阀的开度，在电池模组的温度低于第二阈值时减小所述比例阀的开度，所述第一阈值大于所述第二阈值。",
    "根据权利要求1所述的电池包液冷散热装置，其特征在于，所述冷板的下表面设有加强筋。",
    "根据权利要求10所述的电池包液冷散热装置，其特征在于，所述加强筋的数量为三条至六条，所述加强筋沿所述"
    "冷板的长度方向平行设置。",
    "根据权利要求1所述的电池包液冷散热装置，其特征在于，所述进液口和所述出液口位于所述冷板的同一侧。",
    "一种电池包，其特征在于，包括箱体、电池模组和权利要求1至12中任一项所述的电池包液冷散热装置，所述电池"
    "模组设置在所述箱体内，所述冷板位于所述电池模组的下方。",
    "根据权利要求13所述的电池包，其特征在于，所述箱体的底部设有排水孔。",
    "根据权利要求13所述的电池包，其特征在于，所述箱体由铝合金型材拼焊而成。",
    "一种电池包液冷散热控制方法，应用于权利要求9所述的电池包液冷散热装置，其特征在于，包括以下步骤：S1，"
    "所述温度传感器检测电池模组的温度；S2，所述控制器将电池模组的温度与第一阈值和第二阈值比较；S3，当电池"
    "模组的温度高于第一阈值时，所述控制器增大所述比例阀的开度，当电池模组的温度低于第二阈值时，所述控制器"
    "减小所述比例阀的开度。",
    "根据权利要求16所述的电池包液冷散热控制方法，其特征在于，所述第一阈值为35℃至40℃，所述第二阈值为20℃"
    "至25℃。",
    "根据权利要求16所述的电池包液冷散热控制方法，其特征在于，步骤S3中，所述比例阀的开度随电池模组的温度与"
    "第一阈值的差值线性增大。",
    "根据权利要求16所述的电池包液冷散热控制方法，其特征在于，还包括步骤S4：当电池模组的温度在预设时长内"
    "持续高于第一阈值时，所述控制器提高所述水泵的转速。",
    "根据权利要求19所述的电池包液冷散热控制方法，其特征在于，所述预设时长为30秒至120秒。",
]
BATTERY_DESCRIPTION = [
    ("技术领域", [
        "本发明涉及动力电池热管理技术领域，具体涉及一种电池包液冷散热装置、电池包及电池包液冷散热控制方法。",
    ]),
    ("背景技术", [
        "电动汽车的电池模组在充放电过程中产生热量，电池模组的温度超出适宜区间时，电池的容量衰减加快，"
        "严重时引发热失控。",
        "现有的电池包液冷方案通常以恒定流量输送冷却液，水泵持续满负荷运行：电池模组温度低时冷却过度、浪费"
        "能量，温度升高时又不能及时加大冷却能力。",
    ]),
    ("发明内容", [
        "本发明要解决的技术问题是：现有电池包液冷方案不能根据电池模组的温度调节冷却液的流量。",
        "为解决上述技术问题，本发明提供一种电池包液冷散热装置，包括冷板1、进液管2、出液管3和控制器4。冷板1内"
        "设有冷却流道11，冷却流道11具有进液口12和出液口13；进液管2与进液口12连通，出液管3与出液口13连通；"
        "冷板1的上表面与电池模组10的底面贴合；控制器4根据电池模组10的温度调节冷却液的流量。",
        "本发明还提供一种电池包，包括箱体9、电池模组10和上述电池包液冷散热装置，以及一种电池包液冷散热控制"
        "方法：温度传感器6检测电池模组10的温度，控制器4将该温度与第一阈值和第二阈值比较，温度高于第一阈值时"
        "增大比例阀8的开度，温度低于第二阈值时减小比例阀8的开度。",
        "本发明的有益效果是：冷却液的流量随电池模组10的温度变化，电池模组10的温度保持在第二阈值与第一阈值"
        "之间；温度低时减小流量，降低了水泵7的能耗。",
    ]),
    ("附图说明", [
        "图1为本发明实施例的电池包液冷散热装置的立体结构示意图；",
        "图2为图1中冷板的剖视图；",
        "图3为本发明实施例的电池包液冷散热控制方法的流程图。",
        "附图标记说明：1-冷板，11-冷却流道，12-进液口，13-出液口，14-加强筋，2-进液管，3-出液管，4-控制器，"
        "5-导热垫，6-温度传感器，7-水泵，8-比例阀，9-箱体，10-电池模组。",
    ]),
    ("具体实施方式", [
        "下面结合附图和实施例对本发明作进一步说明。",
        "如图1和图2所示，电池包液冷散热装置包括冷板1、进液管2、出液管3和控制器4。冷板1由铝合金制成，厚度为"
        "3mm至6mm，本实施例中为4mm。冷板1内设有冷却流道11，冷却流道11呈蛇形布置，截面为矩形，截面宽度为4mm"
        "至8mm，截面高度为2mm至4mm。冷却流道11具有进液口12和出液口13，进液口12和出液口13位于冷板1的同一侧，"
        "便于管路布置。",
        "进液管2与进液口12连通，出液管3与出液口13连通。进液管2上设置有水泵7和比例阀8，比例阀8位于水泵7的"
        "下游。冷板1的下表面设有加强筋14，加强筋14的数量为三条至六条，沿冷板1的长度方向平行设置，提高冷板1的"
        "刚度。",
        "冷板1的上表面与电池模组10的底面之间设置有导热垫5，导热垫5为硅胶导热垫，导热系数不小于2W/(m·K)，"
        "填充冷板1与电池模组10之间的间隙。温度传感器6贴设在电池模组10上，检测电池模组10的温度并发送至控制器4。",
        "电池包包括箱体9、电池模组10和上述电池包液冷散热装置。电池模组10设置在箱体9内，冷板1位于电池模组10的"
        "下方。箱体9由铝合金型材拼焊而成，箱体9的底部设有排水孔。",
        "如图3所示，电池包液冷散热控制方法包括以下步骤。S1：温度传感器6检测电池模组10的温度。S2：控制器4将"
        "电池模组10的温度与第一阈值和第二阈值比较，第一阈值为35℃至40℃，第二阈值为20℃至25℃，第一阈值大于"
        "第二阈值。S3：电池模组10的温度高于第一阈值时，控制器4增大比例阀8的开度，开度随电池模组10的温度与"
        "第一阈值的差值线性增大；温度低于第二阈值时，控制器4减小比例阀8的开度。S4：电池模组10的温度在预设"
        "时长内持续高于第一阈值时，控制器4提高水泵7的转速，预设时长为30秒至120秒。",
        "以上所述仅为本发明的较佳实施例，并不用以限制本发明。",
    ]),
]


def battery_text() -> str:
    """The clean draft as a .txt application (headings on lines of their own)."""
    lines = ["发明名称：" + BATTERY_TITLE, "", "说明书摘要", BATTERY_ABSTRACT, "", "权利要求书"]
    lines += [f"{i}. {c}" for i, c in enumerate(BATTERY_CLAIMS, start=1)]
    lines += ["", "说明书", BATTERY_TITLE]
    n = 0
    for head, paras in BATTERY_DESCRIPTION:
        lines.append(head)
        for p in paras:
            n += 1
            lines.append(f"【{n:04d}】{p}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- 2. a defective .docx draft
SORT_TITLE = "一种基于图像识别的智能垃圾分类回收箱及其控制方法和管理系统"
SORT_ABSTRACT = (
    "本实用新型公开了一种基于图像识别的智能垃圾分类回收箱及其控制方法，属于环保设备技术领域，达到国际领先"
    "水平。回收箱包括箱体、投放口、摄像头、分拣机构和控制器，摄像头拍摄投放口处的垃圾图像，控制器通过卷积"
    "神经网络识别垃圾类别并控制分拣机构将垃圾送入对应的分类仓；分类仓内设有满溢传感器，满溢时通过无线通信"
    "模块通知管理平台。本发明识别准确率高，分拣速度快，结构紧凑，维护方便，可广泛应用于小区、学校、商场、"
    "写字楼、地铁站等公共场所，具有良好的经济效益和社会效益，市场前景广阔。控制方法包括图像采集、预处理、"
    "类别识别、分拣控制和满溢上报等步骤，识别模型可在线更新，识别结果可上传云平台用于统计分析和清运调度，"
    "从而提高垃圾分类的效率和准确性，减少人工分拣的工作量，降低运营成本，便于城市管理部门掌握垃圾产生量和"
    "分类质量的实时数据，为垃圾清运路线优化提供依据。"
)
SORT_CLAIMS = [
    "一种智能垃圾分类回收箱及其控制方法，其特征在于，包括箱体(1)、投放口(2)、摄像头(3)和控制器(5)，所述"
    "摄像头设置在所述投放口的上方，所述分拣机构设置在所述箱体内。",
    "根据权利要求1所述的智能垃圾分类回收箱，其特征在于，所述控制器采用卷积神经网络识别垃圾类别，所述卷积"
    "神经网络优选为轻量级网络(例如MobileNet)。",
    "根据权利要求1所述的智能垃圾分类回收箱，其特征在于，所述箱体内设有约4个分类仓，所述分类仓内设有满溢"
    "传感器等检测元件。",
    "根据权利要求5所述的智能垃圾分类回收箱，其特征在于，所述分拣机构包括转盘和推板，所述推板的结构如图2"
    "所示。",
    "一种智能垃圾分类回收箱的控制方法，其特征在于，包括以下步骤：S1，所述摄像头采集垃圾图像；S2，所述"
    "控制器识别垃圾类别；S3，所述控制器控制所述分拣机构动作。",
    "根据权利要求1所述的智能垃圾分类回收箱，其特征在于，还包括无线通信模块，所述无线通信模块用于向管理"
    "平台发送满溢信息。",
    "根据权利要求5所述的控制方法，其特征在于，步骤S2中，识别准确率较高时直接分拣。",
    "根据权利要求5所述的控制方法，其特征在于，步骤S2中，识别准确率较高时直接分拣。",
]
SORT_DESCRIPTION = [
    ("技术领域", ["本实用新型涉及环保设备技术领域，具体涉及一种智能垃圾分类回收箱及其控制方法。"]),
    ("背景技术", ["目前垃圾分类主要依靠居民自觉和人工二次分拣，分类准确率低，人工成本高。"]),
    ("发明内容", [
        "本发明的目的在于提供一种智能垃圾分类回收箱，自动识别并分拣投入的垃圾，技术水平国内领先。",
        "为实现上述目的，本发明采用的技术方案是：智能垃圾分类回收箱包括箱体1、投放口2、摄像头3、分拣机构4和"
        "控制器5，摄像头3设置在投放口2的上方，分拣机构4设置在箱体1内。",
    ]),
    ("附图说明", [
        "图1为本发明的结构示意图；图2为分拣机构的结构示意图。",
        "图中：1-箱体，2-投放口，3-摄像头，4-分拣机构，5-控制器，6-分类仓，7-满溢传感器。",
    ]),
    ("具体实施方式", [
        "如图1所示，智能垃圾分类回收箱包括箱体1，箱体1的顶部设有投放口2，投放口2的上方设置有摄像头3。箱体1内"
        "设置有分拣机构4和四个分类仓6，分类仓6内设有满溢传感器7。",
        "如图2所示，分拣机构4包括转盘41和推板42，转盘41由电机8驱动，推板42将垃圾推入对应的分类仓6。控制器5"
        "与摄像头3、电机8和推板4电连接。",
        "控制器5采用卷积神经网络识别垃圾类别，如权利要求2所述，卷积神经网络可以是轻量级网络。",
    ]),
]


def sorting_docx(path: Path) -> None:
    """The defective draft in an agency-style .docx template."""
    import docx
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = docx.Document()
    doc.styles["Normal"].font.size = Pt(12)

    def header(section, text: str) -> None:
        section.header.is_linked_to_previous = False
        p = section.header.paragraphs[0]
        p.text = text
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def title_line(text: str) -> None:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(text)
        r.bold = True
        r.font.size = Pt(16)

    def numbered(text: str) -> None:
        # automatic list numbering (w:numPr) as agency templates use for claims
        p = doc.add_paragraph(text)
        ppr = p._p.get_or_add_pPr()
        num = OxmlElement("w:numPr")
        for tag, val in (("w:ilvl", "0"), ("w:numId", "1")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            num.append(el)
        ppr.append(num)

    # document 1: 说明书摘要 (the heading is in the page header only)
    header(doc.sections[0], "说 明 书 摘 要")
    doc.add_paragraph(SORT_ABSTRACT)
    # document 2: 权利要求书 (page header + bold heading, automatically numbered claims)
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    header(sec, "权 利 要 求 书")
    title_line("权 利 要 求 书")
    for c in SORT_CLAIMS:  # claim 4 cites the later claim 5
        numbered(c)
    # document 3: 说明书 (heading style, the title as first line, headed parts, a table legend)
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    header(sec, "说 明 书")
    doc.add_heading("说明书", level=1)
    title_line(SORT_TITLE)
    n = 0
    for head, paras in SORT_DESCRIPTION:
        doc.add_heading(head, level=2)
        for p in paras:
            n += 1
            doc.add_paragraph(f"【{n:04d}】{p}")
    doc.add_paragraph("附图标记对照表：")
    t = doc.add_table(rows=4, cols=2)
    for i, (a, b) in enumerate([("41-转盘", "42-推板"), ("8-电机", "6-分类仓"),
                                ("1-箱体", "2-投放口"), ("3-摄像头", "5-控制器")]):
        t.cell(i, 0).text = a
        t.cell(i, 1).text = b
    doc.core_properties.title = SORT_TITLE
    doc.save(str(path))


# ------------------------------------------------------------------ 3. an English JSON draft
LIDAR = {
    "title": "Obstacle detection system and method for an autonomous mobile robot",
    "abstract": (
        "An obstacle detection system for an autonomous mobile robot comprises a lidar sensor, an "
        "inertial measurement unit and a processor. The processor fuses the point cloud of the lidar "
        "sensor with the attitude of the robot from the inertial measurement unit, removes ground "
        "points, clusters the remaining points into obstacle candidates and classifies each candidate "
        "as static or moving by tracking it over successive frames. The robot slows down or plans a "
        "detour when a moving obstacle enters a safety zone whose size depends on the speed of the "
        "robot."
    ),
    "claims_text": (
        "1. An obstacle detection system for an autonomous mobile robot, comprising:\n"
        "a lidar sensor configured to output a point cloud;\n"
        "an inertial measurement unit configured to output an attitude of the robot; and\n"
        "a processor configured to remove ground points from the point cloud using the attitude, to "
        "cluster the remaining points into obstacle candidates, and to classify each obstacle "
        "candidate as static or moving by tracking it over successive frames.\n"
        "2. The system of claim 1, wherein the processor removes the ground points by fitting a plane "
        "to the points below a height threshold.\n"
        "3. The system of claim 1, wherein the lidar sensor has a relatively high scanning frequency.\n"
        "4. The system of claim 1, wherein the processor defines a safety zone whose length is "
        "proportional to the speed of the robot, and the controller slows the robot when a moving "
        "obstacle candidate enters the safety zone.\n"
        "5. The system of claim 4, wherein the safety zone is substantially rectangular.\n"
        "6. The system of claim 1, wherein the clusters are formed as shown in FIG. 3.\n"
        "7. A method and apparatus for detecting obstacles, comprising: receiving a point cloud from a "
        "lidar sensor; removing ground points; and clustering the remaining points.\n"
        "8. The method of claim 7, further comprising tracking each cluster over successive frames "
        "such as at least three frames."
    ),
    "description": (
        "TECHNICAL FIELD\n"
        "The invention relates to mobile robots and in particular to the detection of obstacles with "
        "a lidar sensor.\n"
        "BACKGROUND\n"
        "Mobile robots in warehouses share aisles with people. Detectors that treat every return of "
        "the lidar sensor as an obstacle stop the robot too often.\n"
        "SUMMARY\n"
        "An obstacle detection system comprises a lidar sensor, an inertial measurement unit and a "
        "processor. The processor removes ground points from the point cloud using the attitude of "
        "the robot, clusters the remaining points into obstacle candidates and classifies each "
        "obstacle candidate as static or moving by tracking it over successive frames.\n"
        "BRIEF DESCRIPTION OF THE DRAWINGS\n"
        "FIG. 1 shows the robot. FIG. 2 shows the system. FIG. 3 shows the clustering.\n"
        "DETAILED DESCRIPTION\n"
        "The processor fits a plane to the points below a height threshold and removes the ground "
        "points. A safety zone in front of the robot has a length proportional to the speed of the "
        "robot; when a moving obstacle candidate enters the safety zone the robot slows down."
    ),
    "ipc": ["G01S17/931", "G05D1/02"],
    "applicant_type": "enterprise",
    "applicants": ["Chongqing Example Robotics Co., Ltd."],
    "inventors": ["Li Ming", "Wang Fang"],
    "enterprise_tags": ["high_tech", "specialized_sme"],
    "planned_route": ["pct"],
    "priority_date": "2025-03-10",
}


def main() -> None:
    (HERE / "battery_cooling.txt").write_text(battery_text(), encoding="utf-8")
    sorting_docx(HERE / "sorting_bin.docx")
    (HERE / "lidar_en.json").write_text(json.dumps(LIDAR, ensure_ascii=False, indent=2) + "\n",
                                        encoding="utf-8")
    for name in ("battery_cooling.txt", "sorting_bin.docx", "lidar_en.json"):
        print(HERE / name)


if __name__ == "__main__":
    main()
