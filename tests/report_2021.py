"""A realistic 2021-template report page, written by hand for the tests (not a training page).

`page(...)` renders it as a county bureau's site would serve it: breadcrumbs, a metadata
block, prose, and the three tables as HTML tables with rowspans flattened by the reader.
The numbers satisfy every identity unless the caller breaks one.
"""

from __future__ import annotations

APPLICATIONS = {  # natural_person, commercial, research, social_welfare, legal_services, other_org, total
    "new_received": [40, 3, 0, 1, 0, 2, 46],
    "carried_over": [2, 0, 0, 0, 0, 0, 2],
    "granted": [20, 1, 0, 0, 0, 1, 22],
    "partially_granted": [5, 0, 0, 0, 0, 0, 5],
    "denied_state_secret": [1, 0, 0, 0, 0, 0, 1],
    "denied_prohibited_by_law": [0, 0, 0, 0, 0, 0, 0],
    "denied_security_stability": [0, 0, 0, 0, 0, 0, 0],
    "denied_third_party": [2, 0, 0, 0, 0, 0, 2],
    "denied_internal_affairs": [0, 0, 0, 0, 0, 0, 0],
    "denied_process_info": [0, 0, 0, 0, 0, 0, 0],
    "denied_enforcement_files": [0, 0, 0, 0, 0, 0, 0],
    "denied_inquiry": [0, 0, 0, 0, 0, 0, 0],
    "unavailable_not_held": [6, 1, 0, 0, 0, 0, 7],
    "unavailable_needs_creation": [1, 0, 0, 0, 0, 0, 1],
    "unavailable_unclear": [0, 0, 0, 0, 0, 0, 0],
    "rejected_complaint": [2, 0, 0, 0, 0, 0, 2],
    "rejected_duplicate": [1, 0, 0, 0, 0, 0, 1],
    "rejected_publication": [0, 0, 0, 0, 0, 0, 0],
    "rejected_excessive": [0, 0, 0, 0, 0, 0, 0],
    "rejected_confirmation": [0, 0, 0, 0, 0, 0, 0],
    "other_no_correction": [1, 0, 0, 0, 0, 0, 1],
    "other_unpaid_fee": [0, 0, 0, 0, 0, 0, 0],
    "other_misc": [0, 0, 0, 1, 0, 0, 1],
    "total": [39, 2, 0, 1, 0, 1, 43],
    "carried_forward": [3, 1, 0, 0, 0, 1, 5],
}
REVIEW = {  # upheld, corrected, other, pending, total
    "review": [2, 1, 0, 1, 4],
    "litigation_direct": [1, 0, 0, 0, 1],
    "litigation_after_review": [0, 0, 0, 1, 1],
}
LABELS = {
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied_state_secret": "1.属于国家秘密",
    "denied_prohibited_by_law": "2.其他法律行政法规禁止公开",
    "denied_security_stability": "3.危及“三安全一稳定”",
    "denied_third_party": "4.保护第三方合法权益",
    "denied_internal_affairs": "5.属于三类内部事务信息",
    "denied_process_info": "6.属于四类过程性信息",
    "denied_enforcement_files": "7.属于行政执法案卷",
    "denied_inquiry": "8.属于行政查询事项",
    "unavailable_not_held": "1.本机关不掌握相关政府信息",
    "unavailable_needs_creation": "2.没有现成信息需要另行制作",
    "unavailable_unclear": "3.补正后申请内容仍不明确",
    "rejected_complaint": "1.信访举报投诉类申请",
    "rejected_duplicate": "2.重复申请",
    "rejected_publication": "3.要求提供公开出版物",
    "rejected_excessive": "4.无正当理由大量反复申请",
    "rejected_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_misc": "3.其他",
}
GROUP_OF = {
    "denied_state_secret": "（三）不予公开",
    "unavailable_not_held": "（四）无法提供",
    "rejected_complaint": "（五）不予处理",
    "other_no_correction": "（六）其他处理",
}


def _cells(values) -> str:
    return "".join(f"<td>{v}</td>" for v in values)


def page(applications=APPLICATIONS, review=REVIEW) -> str:
    rows3 = [
        f'<tr><td colspan="3">一、本年新收政府信息公开申请数量</td>{_cells(applications["new_received"])}</tr>',
        f'<tr><td colspan="3">二、上年结转政府信息公开申请数量</td>{_cells(applications["carried_over"])}</tr>',
    ]
    first = True
    for key, label in LABELS.items():
        cells = ""
        if first:
            cells += '<td rowspan="24">三、本年度办理结果</td>'
            first = False
        if key in GROUP_OF:
            cells += f"<td>{GROUP_OF[key]}</td>"
        span = ' colspan="2"' if key in ("granted", "partially_granted") else ""
        rows3.append(f"<tr>{cells}<td{span}>{label}</td>{_cells(applications[key])}</tr>")
    rows3.append(f'<tr><td colspan="2">（七）总计</td>{_cells(applications["total"])}</tr>')
    rows3.append(
        f'<tr><td colspan="3">四、结转下年度继续办理</td>{_cells(applications["carried_forward"])}</tr>'
    )
    results = "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>"
    return f"""<!DOCTYPE html>
<html><head><meta charset="gbk"><title>青山县教育局2021年政府信息公开工作年度报告</title>
<script>var _hmt = _hmt || [];</script><style>td {{ border: 1px solid }}</style></head>
<body>
<div class="top">青山县人民政府门户网站</div>
<div class="crumb">当前位置：首页 &gt; 政府信息公开 &gt; 年度报告</div>
<table class="meta"><tr><td>索引号：QS-JYJ/2022-00031</td><td>发布机构：青山县教育局</td></tr>
<tr><td>发布时间：2022-01-20</td><td>文号：青教发〔2022〕3号</td></tr></table>
<h1>青山县教育局2021年政府信息公开工作年度报告</h1>
<p>本报告根据《中华人民共和国政府信息公开条例》要求编制。报告中所列数据统计期限自2021年1月1日起至2021年12月31日止。</p>
<p>一、总体情况</p>
<p>2021年，青山县教育局坚持以公开为常态、不公开为例外，全年在门户网站主动公开政府信息512条，及时回应社会关切。</p>
<p>（一）主动公开。围绕教育招生、学生资助、校园安全等重点领域，发布政策文件及解读材料。</p>
<p>二、主动公开政府信息情况</p>
<table>
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td><td>0</td><td>0</td><td>2</td></tr>
<tr><td>行政规范性文件</td><td>4</td><td>1</td><td>23</td></tr>
<tr><td colspan="4">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政许可</td><td colspan="3">356</td></tr>
<tr><td colspan="4">第二十条第（六）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政处罚</td><td colspan="3">78</td></tr>
<tr><td>行政强制</td><td colspan="3">5</td></tr>
<tr><td colspan="4">第二十条第（八）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年收费金额（单位：万元）</td></tr>
<tr><td>行政事业性收费</td><td colspan="3">12.5</td></tr>
</table>
<p>三、收到和处理政府信息公开申请情况</p>
<table>
<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
{chr(10).join(rows3)}
</table>
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<table>
<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td><td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr>{results}{results}</tr>
<tr>{_cells(review["review"] + review["litigation_direct"] + review["litigation_after_review"])}</tr>
</table>
<p>五、存在的主要问题及改进情况</p>
<p>一是政策解读形式较为单一；二是依申请公开答复的规范性有待提高。下一步将加强培训，提升答复质量。</p>
<p>六、其他需要报告的事项</p>
<p>本机关未收取信息处理费。</p>
<p>青山县教育局</p>
<p>2022年1月18日</p>
<div class="share">分享到：</div><div>打印本页</div><div>关闭窗口</div>
</body></html>"""
