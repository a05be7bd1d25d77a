"""The lexicons the features look up: the templates' words (derived from
`model/templates.py`) and the other words of government web pages (furniture, titles,
sections, captions).

Shared knowledge, not rules: the features ask "does this line contain a column label?",
the assembler later asks "which column is this?". Words are written without spaces
and with half-width brackets; callers normalise lines the same way (`normalise`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from nianbao.model import templates

# Column and group headers of tables 2, 3 and 4 (from the templates), and the headers of
# the ad-hoc tables legacy reports print (指标名称 / 单位 / 数量, a staff table).
OTHER_TABLE_HEADER_WORDS = (
    "单位",
    "数量",
    "公开数",
    "未公开数",
    "总条数",
    "编制情况",
    "姓名",
    "职务",
    "办公电话",
    "移动电话",
    "内容",
    "项目",
    "备注",
    "合计",
    "件数",
    "条数",
)
TABLE_HEADER_WORDS = (*templates.template_header_words(), *OTHER_TABLE_HEADER_WORDS)

# Row labels of tables 2 and 3, without their numbering.
TABLE_ROW_WORDS = templates.template_row_words()

# Page furniture: navigation, buttons, counters, footers.
FURNITURE_WORDS = (
    "首页",
    "当前位置",
    "所在位置",
    "所在的位置",
    "您现在",
    "分享",
    "打印",
    "字体",
    "访问量",
    "浏览量",
    "浏览次数",
    "点击数",
    "扫一扫",
    "无障碍",
    "关怀版",
    "相关文章",
    "相关链接",
    "关闭",
    "返回",
    "上一篇",
    "下一篇",
    "收藏",
    "网站地图",
    "版权所有",
    "主办",
    "承办",
    "技术支持",
    "备案号",
    "ICP",
    "公网安备",
    "网站标识码",
    "联系我们",
    "繁体",
    "简体",
    "登录",
    "注册",
    "【大】",
    "【中】",
    "【小】",
    "默认",
    "手机版",
    "微信",
    "微博",
)

# Keys of CMS metadata blocks.
META_WORDS = templates.CMS_KEYS

# Words of report titles and section headings.
TITLE_WORDS = ("年度报告", "工作报告", "年报", "工作年度报告", "情况报告")
SECTION_WORDS = (
    "概述",
    "总体情况",
    "主动公开",
    "依申请",
    "收到和处理",
    "收费",
    "减免",
    "复议",
    "诉讼",
    "存在的主要问题",
    "问题",
    "改进",
    "其他需要报告",
    "附表",
    "工作打算",
    "平台建设",
    "监督保障",
    "咨询",
)
CAPTION_WORDS = ("勾稽关系", "单位:", "附件", "统计表", "附表", "注:", "说明:")

_BRACKETS = str.maketrans(
    {
        "（": "(",
        "）": ")",
        "【": "[",
        "】": "]",
        "：": ":",
        "，": ",",
        "；": ";",
        "“": "",
        "”": "",
        '"': "",
        "．": ".",
    }
)
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=50_000)  # features and every assembler rule ask again for the same lines
def normalise(text: str) -> str:
    """Half-width digits and brackets, no spaces or quotes: the form lexicons match on."""
    text = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    return _WHITESPACE.sub("", text)
