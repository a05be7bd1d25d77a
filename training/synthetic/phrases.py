"""The phrase bank: body names, prose, furniture and metadata blocks of generated pages."""

from __future__ import annotations

import random

Rows = list[tuple[str, str | None]]  # (line text, gold label); None for a blank line

CN = "一二三四五六七八九十"
PROVINCES = [
    "湖南省",
    "湖北省",
    "浙江省",
    "江苏省",
    "四川省",
    "河北省",
    "广东省",
    "云南省",
    "山东省",
]
CITIES = [
    "永州市",
    "十堰市",
    "杭州市",
    "淮安市",
    "成都市",
    "张家口市",
    "韶关市",
    "曲靖市",
    "临沂市",
]
COUNTIES = ["双牌县", "郧阳区", "临安区", "洪泽区", "金堂县", "蔚县", "乳源县", "陆良县", "沂水县"]
TOWNS = ["何家洞镇", "城关镇", "河桥镇", "南安镇", "高良涧街道", "赵集镇", "龙泉街道", "大桥乡"]
DEPARTMENTS = [
    "城管执法局",
    "教育局",
    "人力资源和社会保障局",
    "生态环境局",
    "卫生健康委员会",
    "财政局",
    "自然资源和规划局",
    "市场监督管理局",
    "民政局",
    "住房和城乡建设局",
]

SENTENCES = [
    "我{u}高度重视政府信息公开工作，成立了以主要负责同志为组长的政府信息公开工作领导小组",
    "严格落实“三审三校”制度，从严把好政治关、法律关、政策关、保密关、文字关",
    "通过政府门户网站、政务新媒体、信息公开栏等渠道及时公开各类政府信息",
    "进一步规范依申请公开办理流程，畅通受理渠道，均在法定期限内答复",
    "加强政府网站和政务新媒体日常监管，及时关停整合更新不及时的账号",
    "全年共召开专题会议{n}次，研究部署政务公开重点工作",
    "组织工作人员参加政务公开业务培训{n}人次，提升业务能力",
    "公开内容的及时性、全面性还有待进一步提高",
    "信息公开工作人员变动较大，业务水平参差不齐",
    "下一步，我们将继续深化重点领域信息公开，不断提升政府透明度",
    "全年接受公众咨询{n}人次，其中电话咨询{m}人次",
    "将政务公开工作纳入年度绩效考核，切实压实工作责任",
    "依托政务服务平台公开行政许可事项的办理结果",
    "规范管理政府信息公开目录，及时更新公开指南",
    "围绕“放管服”改革、乡村振兴等重点工作加大信息发布和政策解读力度",
    "坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开",
    "建立健全政府信息公开保密审查机制，确保公开信息不涉密",
    "在便民服务大厅设置政府信息公开查阅点，方便群众查阅",
]
SUBHEADINGS = [
    "主动公开情况",
    "依申请公开情况",
    "政府信息管理情况",
    "平台建设情况",
    "监督保障情况",
    "加强组织领导",
    "健全工作制度",
    "存在问题",
    "改进措施",
    "加强培训学习",
    "公开内容",
    "公开形式",
    "夯实基础，加强《政府信息公开条例》的学习",
    "突出重点，建立健全政府信息公开工作机制",
    "把握质量，树立政府信息公开“精品意识”",
    "健全完善新闻发言人制度，拓展信息公开渠道",
    "及时公开政府信息，助力审批公正透明",
    "更新指南和目录",
    "落实监督评议",
    "公开的重点内容",
]


def organisation(rng: random.Random) -> str:
    level = rng.randint(0, 4)
    if level == 0:
        return rng.choice(PROVINCES) + "人民政府"
    if level == 1:
        return rng.choice(CITIES) + rng.choice(["人民政府", ""]) + rng.choice(DEPARTMENTS)
    if level == 2:
        return (
            rng.choice(["", rng.choice(CITIES)])
            + rng.choice(COUNTIES)
            + rng.choice(["人民政府", rng.choice(DEPARTMENTS)])
        )
    if level == 3:
        return (
            rng.choice(["", rng.choice(COUNTIES)])
            + rng.choice(TOWNS)
            + rng.choice(["人民政府", "办事处"])
        )
    return rng.choice(["市", "县", "区"]) + rng.choice(DEPARTMENTS)


def person(rng: random.Random) -> str:
    """A made-up name: some 附表 list the staff responsible for disclosure."""
    return rng.choice("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗") + "".join(
        rng.choice("永华少慧建国秀英志强丽娟明军红梅文静海涛") for _ in range(rng.randint(1, 2))
    )


def site_name(rng: random.Random) -> str:
    return rng.choice(CITIES) + rng.choice(["人民政府", "人民政府门户网站", "政府网"])


def sentence(rng: random.Random, year: int) -> str:
    return rng.choice(SENTENCES).format(
        u=rng.choice(["局", "镇", "区", "县", "委", "办"]),
        n=rng.randint(1, 3000),
        m=rng.randint(0, 300),
        y=year,
    )


def paragraph(rng: random.Random, year: int, lo: int = 1, hi: int = 4) -> str:
    return "，".join(sentence(rng, year) for _ in range(rng.randint(lo, hi))) + "。"


def heading(rng: random.Random, level: int, i: int, text: str) -> str:
    if level == 0:
        return f"{CN[i]}、{text}" if rng.random() < 0.9 else text
    if level == 1:
        return rng.choice([f"（{CN[i]}）{text}", f"({CN[i]}){text}"])
    return rng.choice([f"{i + 1}、{text}", f"{i + 1}.{text}", f"{i + 1}．{text}"])


def prose_section(rng: random.Random, year: int) -> Rows:
    """Paragraphs, sub-headings, run-in headed paragraphs and 一是/二是 lists."""
    rows: Rows = []
    for i in range(rng.randint(1, 4)):
        form = rng.randint(0, 3)
        sub = rng.choice(SUBHEADINGS)
        if form == 0:
            rows.append((paragraph(rng, year), "NARRATIVE"))
        elif form == 1:  # a heading alone on its line, sometimes closed with 。 or ：
            rows.append(
                (
                    heading(rng, rng.choice([1, 2]), i, sub)
                    + rng.choice(["", "", "。", "：", ":"]),
                    "HEADING",
                )
            )
            rows.append((paragraph(rng, year), "NARRATIVE"))
        elif form == 2:
            run_in = heading(rng, 1, i, sub) + rng.choice(["。", "。", ""]) + paragraph(rng, year)
            rows.append((run_in, "NARRATIVE"))
        else:
            rows += [
                (f"{CN[k]}是{paragraph(rng, year, 1, 2)}", "NARRATIVE")
                for k in range(rng.randint(2, 4))
            ]
    return rows


def preamble(rng: random.Random, org: str, year: int) -> str:
    return rng.choice(
        [
            f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现向社会公布{org}{year}年政府信息公开工作年度报告。",
            f"本年度报告根据《中华人民共和国政府信息公开条例》要求，由{org}编制。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。如对本报告有任何疑问，请与{org}办公室联系（电话：0{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}）。",
            f"编注：本年报由概述、主动公开政府信息情况、依申请公开政府信息情况、复议诉讼情况、存在的主要问题和改进措施等部分组成。本年报中所列数据的统计期限自{year}年1月1日至{year}12月31日止。",
        ]
    )


def furniture_top(rng: random.Random, org: str) -> Rows:
    rows: Rows = []
    if rng.random() < 0.6:
        rows.append(
            (rng.choice([org, site_name(rng), "政府信息公开", "关怀版 无障碍 无障碍"]), "NOISE")
        )
    if rng.random() < 0.7:
        sep = rng.choice([" > ", ">", " >> ", " / "])
        parts = [
            "首页",
            rng.choice(["政务公开", "信息公开", "政府信息公开"]),
            rng.choice(["政府信息公开年度报告", "年度报告", "法定主动公开内容"]),
        ]
        where = rng.choice(["您现在所在的位置: ", "当前位置：", "您当前所在位置: "])
        rows.append((where + sep.join(parts), "NOISE"))
    items = [
        "分享到:",
        "打印",
        "【字体：大 中 小】",
        "访问量:",
        f"浏览次数：{rng.randint(1, 9999)}",
        "收藏",
        "1231231231",
        "扫一扫在手机打开当前页",
    ]
    rows += [(x, "NOISE") for x in rng.sample(items, rng.randint(0, 3))]
    return rows


def furniture_bottom(rng: random.Random) -> Rows:
    items = [
        "相关文章",
        "分享:",
        "字体: [",
        "]",
        "打印",
        "关闭窗口",
        "扫一扫在手机打开当前页",
        "上一篇：",
        "下一篇：",
        "版权所有：" + site_name(rng),
        f"网站标识码：{rng.randint(10**9, 10**10)}",
        f"ICP备{rng.randint(10**7, 10**8)}号",
        "主办单位：" + site_name(rng),
        "【返回顶部】",
    ]
    return [(x, "NOISE") for x in rng.sample(items, rng.randint(0, 5))]


def meta_block(rng: random.Random, org: str, date: str) -> tuple[Rows, str | None]:
    """A CMS metadata block in one of several site styles; returns the published date it shows."""
    year = int(date[:4])
    index_no = f"{rng.randint(10**8, 10**10)}/{year}-{rng.randint(10**4, 10**5)}"
    short = org[-4:] if len(org) > 4 else org
    style = rng.randint(0, 4)
    if style == 0:
        bullet = rng.choice(["", "• ", "    • "])
        pairs = [
            f"索引号:{index_no} 分类:",
            f"发文机关:{short} 发文日期:{date} {rng.randint(8, 18)}:{rng.randint(10, 59)}",
            f"名称:{org}{year - 1}年政府信息公开年度报告",
            "文号:",
        ]
        return [(bullet + p, "META") for p in pairs], date
    if style == 1:
        return [(x, "META") for x in ["索引号", "主题分类", "发文日期", "发布机构", "文号"]], None
    if style == 2:
        return [
            (f"索引号 {index_no} 公开形式 主动公开", "META"),
            ("公开范围 面向社会 公开时限 长期公开", "META"),
            (f"发布单位 {short} 成文日期 {date}", "META"),
            ("统一编号 有效性", "META"),
        ], date
    if style == 3:
        return [
            ("日期:", "META"),
            (f"{date} 1{rng.randint(0, 7)}:0{rng.randint(0, 9)}", "META"),
            ("来源:", "META"),
            (short, "META"),
            ("浏览量:", "NOISE"),
        ], date
    return [
        (f"发布时间：{date}", "META"),
        (f"信息来源：{short}", "META"),
        (f"索引号：{index_no}", "META"),
        (f"文号：{short[:2]}政发〔{year}〕{rng.randint(1, 40)}号", "META"),
    ], date
