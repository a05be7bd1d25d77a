"""The words of the report templates and of government web pages.

Shared knowledge, not rules: the features ask "does this line contain a column label?",
the assembler later asks "which column is this?". Words are written without spaces
and with half-width brackets; callers normalise lines the same way (`normalise`).
"""

from __future__ import annotations

import re
import unicodedata

# Column and group headers of tables 2, 3 and 4 (2019 and 2021 templates).
TABLE_HEADER_WORDS = (
    "信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量", "本年新", "制作数量",
    "公开数量", "上一年项目数量", "本年增/减", "本年增减", "处理决定数量", "本年处理决定数量",
    "采购项目数量", "采购总金额", "本年制发件数", "本年废止件数", "现行有效件数",
    "本年收费金额", "申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构",
    "社会公益组织", "法律服务机构", "其他", "总计", "行政复议", "行政诉讼", "结果维持",
    "结果纠正", "其他结果", "尚未审结", "未经复议直接起诉", "复议后起诉", "单位", "数量",
    "公开数", "未公开数", "总条数", "编制情况", "姓名", "职务", "办公电话", "移动电话", "内容",
    "项目", "备注", "合计", "件数", "条数",
)

# Row labels of tables 2, 3 and 4, without their numbering.
TABLE_ROW_WORDS = (
    "规章", "规范性文件", "行政规范性文件", "行政许可", "其他对外管理服务事项", "行政处罚",
    "行政强制", "行政事业性收费", "政府集中采购", "本年新收政府信息公开申请数量",
    "上年结转政府信息公开申请数量", "本年度办理结果", "予以公开", "部分公开", "不予公开",
    "属于国家秘密", "其他法律行政法规禁止公开", "危及三安全一稳定", "保护第三方合法权益",
    "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项",
    "无法提供", "本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确",
    "不予处理", "信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
    "要求行政机关确认或重新出具已获取信息", "其他处理", "申请人无正当理由逾期不补正",
    "行政机关不再处理其政府信息公开申请", "申请人逾期未按收费通知要求缴纳费用",
    "行政机关不再处理其政府信息公开申请", "其他", "总计", "结转下年度继续办理",
)

# Page furniture: navigation, buttons, counters, footers.
FURNITURE_WORDS = (
    "首页", "当前位置", "所在位置", "所在的位置", "您现在", "分享", "打印", "字体", "访问量",
    "浏览量", "浏览次数", "点击数", "扫一扫", "无障碍", "关怀版", "相关文章", "相关链接", "关闭",
    "返回", "上一篇", "下一篇", "收藏", "网站地图", "版权所有", "主办", "承办", "技术支持",
    "备案号", "ICP", "公网安备", "网站标识码", "联系我们", "繁体", "简体", "登录", "注册",
    "【大】", "【中】", "【小】", "默认", "手机版", "微信", "微博",
)

# Keys of CMS metadata blocks.
META_WORDS = (
    "索引号", "文号", "发文字号", "发文机关", "发文日期", "发布机构", "发布单位", "成文日期",
    "主题分类", "分类", "公开形式", "公开范围", "公开时限", "公开方式", "有效性", "统一编号",
    "发布时间", "发布日期", "信息来源", "来源", "日期", "名称", "生成日期", "组配分类",
    "体裁分类", "服务对象", "公开时间", "所属机构", "信息分类", "主题词", "时效",
)

# Words of report titles and section headings.
TITLE_WORDS = ("年度报告", "工作报告", "年报", "工作年度报告", "情况报告")
SECTION_WORDS = (
    "概述", "总体情况", "主动公开", "依申请", "收到和处理", "收费", "减免", "复议", "诉讼",
    "存在的主要问题", "问题", "改进", "其他需要报告", "附表", "工作打算", "平台建设",
    "监督保障", "咨询",
)
CAPTION_WORDS = ("勾稽关系", "单位:", "附件", "统计表", "附表", "注:", "说明:")

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]", "：": ":", "，": ",",
                           "；": ";", "“": "", "”": "", "\"": "", "．": "."})
_WHITESPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Half-width digits and brackets, no spaces or quotes: the form lexicons match on."""
    text = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    return _WHITESPACE.sub("", text)
