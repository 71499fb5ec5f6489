# Hand-made list: every item below was chosen by reading 002_ (baoji-2022-speech) and 004_ (wuchang-2023-plan).
# Python only counts the chosen surfaces, checks canonical strings in /work/shared/central, cuts examples, writes CSV.
import csv, re
from _chk import C, D, cen
B, W = 'baoji-2022-speech', 'wuchang-2023-plan'
TXT = {B: D['b'], W: D['w']}
# (doc, canonical, surface, adaptation, notes, kw)  kw: count=int (standalone override), check=str (string tested instead of canonical)
R = [
# ---------------- baoji-2022-speech ----------------
(B,'习近平新时代中国特色社会主义思想','习近平新时代中国特色社会主义思想','exact','',{}),
(B,'笃行不怠','笃行不怠','exact','both times as 笃行不怠，面向未来; the 2022 pairing 踔厉奋发、笃行不怠 is not in the central texts',{}),
(B,'迎接党的二十大胜利召开','迎接党的二十大胜利召开','exact','borderline: 2022 slogan that embeds a meeting name; 2× 以优异成绩…, 1× 以市场监管优异成绩…',{}),
(B,'两个确立','两个确立','exact','',{}),
(B,'两个维护','两个维护','exact','',{}),
(B,'两个责任','两个责任','exact','borderline: CCDI formula (主体责任+监督责任)',{}),
(B,'稳字当头、稳中求进','稳字当头、稳中求进','exact','as 稳字当头、稳中求进的工作总基调',{}),
(B,'稳中求进工作总基调','稳中求进工作总基调','exact','raw 稳中求进 = 2 (one inside 稳字当头、稳中求进 row)',{}),
(B,'稳中求进','“稳”得扎实、“进”得有效','extension','SAMR national meeting wording cited in the speech',{}),
(B,'统筹疫情防控和经济社会发展','统筹疫情防控和经济社会发展','exact','',{}),
(B,'统筹发展和安全','统筹发展和安全','exact','',{}),
(B,'六稳','六稳','exact','as “六稳”“六保”',{}),
(B,'六保','六保','exact','as “六稳”“六保”',{}),
(B,'伟大建党精神','伟大建党精神','exact','',{}),
(B,'大市场、大质量、大监管','大市场、大质量、大监管','exact','SAMR formula',{}),
(B,'人民日益增长的美好生活需要','人民群众日益增长的美好生活需要','variant','人民→人民群众',{}),
(B,'立足新发展阶段、贯彻新发展理念、构建新发展格局、推动高质量发展','贯彻新发展理念、构建新发展格局、助推高质量发展','fragment','三新一高 without 立足新发展阶段, 推动→助推; checked 立足新发展阶段，贯彻新发展理念，构建新发展格局',{'check':'立足新发展阶段，贯彻新发展理念，构建新发展格局'}),
(B,'新发展理念','新发展理念','exact','raw count; its only occurrence is inside the 三新一高 fragment row (different formulation)',{}),
(B,'新发展格局','新发展格局','exact','raw count; 1 of 3 inside the 三新一高 fragment row',{}),
(B,'高质量发展','高质量发展','exact','raw count incl. 谱写陕西高质量发展新篇章, titles and the 三新一高 fragment',{}),
(B,'以推动高质量发展为主题','“十四五”乃至更长时期我国经济社会发展的主题','variant','paraphrase: 推动高质量发展，是…“十四五”乃至更长时期…的主题',{}),
(B,'以提高发展质量和效益为中心','以提高发展质量和效益为中心','exact','borderline: 13th-FYP-era central formula',{}),
(B,'四个最严','四个最严','exact','',{}),
(B,'底线思维','底线思维','exact','',{}),
(B,'居安思危、未雨绸缪','居安思危、未雨绸缪','exact','borderline: idioms, but the 底线思维、居安思危、未雨绸缪 chain is central usage',{}),
(B,'强化反垄断和防止资本无序扩张','强化反垄断和防止资本无序扩张','exact','',{}),
(B,'防止资本无序扩张','防止资本无序扩张','exact','standalone 1 of 2 raw (other inside 强化反垄断和防止资本无序扩张); standalone one is in the 六中全会 quotation',{'count':1}),
(B,'国内国际双循环','双循环','abbreviation','',{}),
(B,'质量强国','质量强市','tier_substitution','1 of 2 as 质量强市战略',{}),
(B,'质量提升行动','质量提升行动','exact','',{}),
(B,'现代产业体系','现代产业体系','exact','',{}),
(B,'全面从严治党','全面从严治党','exact','raw count incl. 1 inside the title 《党委（党组）落实全面从严治党主体责任规定》',{}),
(B,'守正创新','守正创新','exact','in a section heading',{}),
(B,'守底线、查隐患、保安全','守底线、查隐患、保安全','exact','SAMR 2022 food-safety campaign',{}),
(B,'常态化疫情防控','常态化疫情防控','exact','',{}),
(B,'外防输入、内防反弹','外防输入、内防反弹','exact','',{}),
(B,'动态清零','动态清零','exact','epidemic policy sense',{}),
(B,'新冠肺炎疫情是百年来全球发生的最严重的传染病大流行','新冠肺炎疫情是百年来全球发生的最严重的传染病大流行','exact','borderline: Xi 2020 judgement recited verbatim',{}),
(B,'安全生产专项整治三年行动','特种设备专项整治三年行动','variant','sectoral instance of the State Council campaign',{}),
(B,'安全风险分级管控和隐患排查治理双重预防机制','双重预防机制','abbreviation','borderline: State Council Safety Committee formula',{}),
(B,'事中事后监管','事中事后监管','exact','',{}),
(B,'智慧监管','智慧监管','exact','',{}),
(B,'信用监管','信用监管','exact','borderline: SAMR/State Council regulatory formula',{}),
(B,'互联网+明厨亮灶','互联网+明厨亮灶','exact','SAMR formula; 1 of 3 inside a local document title',{}),
(B,'互联网+','互联网+食品安全','extension','',{}),
(B,'你点我检','你点我检','exact','borderline: SAMR sampling campaign (local 你送我检 not coded)',{}),
(B,'国家食品安全示范城市','国家食品安全示范城市','exact','borderline: central creation title, treated like 全国文明城市',{}),
(B,'铁拳','铁拳','exact','“铁拳”campaign; 1× “铁拳”“铁腕”, 1× “铁拳行动”',{}),
(B,'双打','双打','exact','borderline: central 打击侵权假冒 campaign label',{}),
(B,'长江十年禁渔','长江禁捕打非断链','extension','name of the central 长江禁捕打非断链 enforcement action',{}),
(B,'扫黑除恶专项斗争','扫黑除恶专项斗争','exact','only inside a prize name (全国市场监管系统扫黑除恶专项斗争工作成绩突出集体)',{}),
(B,'一网通办','一网通办','exact','',{}),
(B,'证照分离','证照分离','exact','',{}),
(B,'公平竞争审查制度','公平竞争审查','variant','borderline policy instrument; 1× 公平竞争审查制度, 1× inside a local rules title, 1× 联席办',{}),
(B,'双随机、一公开','双随机、一公开','exact','',{}),
(B,'双随机、一公开','双随机','abbreviation','standalone 2 of 3 raw',{'count':2,'skip':'双随机、一公开'}),
(B,'放心消费创建','放心消费创建','exact','borderline: SAMR/CCA campaign',{}),
(B,'共建共治共享的社会治理格局','消费环境共建共治共享格局','extension','re-slotted: 社会治理→消费环境',{}),
(B,'质量基础设施“一站式”服务','质量基础设施“一站式”服务','exact','borderline: SAMR programme',{}),
(B,'百城千业万企对标达标提升专项行动','百城千业万企对标达标提升专项行动','exact','',{}),
(B,'保护知识产权就是保护创新','保护知识产权就是保护创新','exact','Xi quotation',{}),
(B,'知识产权强国','知识产权强国','exact','1× inside title 知识产权强国建设纲要, 1× 国家知识产权强国试点城市',{}),
(B,'高价值专利','高价值核心专利','variant','borderline (as protocol)',{}),
(B,'乡村振兴','乡村振兴','exact','',{}),
(B,'第二个百年奋斗目标','第二个百年奋斗目标','exact','as 向第二个百年奋斗目标进军新征程',{}),
(B,'党史学习教育','党史学习教育','exact','',{}),
(B,'我为群众办实事','我为群众办实事','exact','',{}),
(B,'四风','四风','exact','',{}),
(B,'中央八项规定','中央八项规定','exact','',{}),
(B,'政治判断力、政治领悟力、政治执行力','政治领悟力、政治判断力和政治执行力','variant','order changed, 和 inserted',{}),
(B,'学懂弄通做实','学深悟透做实','variant','borderline: 学深悟透 blended with 做实',{}),
(B,'习近平总书记重要讲话和重要指示精神','习近平总书记来陕考察重要讲话重要指示精神','variant','as protocol for 来陕考察 references',{}),
(B,'严的主基调','严的主基调','exact','',{}),
(B,'四种形态','四种形态','exact','as 监督执纪“四种形态”',{}),
(B,'把权力关进制度的笼子里','扎紧制度的笼子','variant','checked 把权力关进制度的笼子',{'check':'把权力关进制度的笼子'}),
(B,'心有所畏、言有所戒、行有所止','心有所畏、言有所戒、行有所止','exact','Xi phrase',{}),
(B,'亲清政商关系','亲清政商关系','exact','local gloss 亲而有度，清而有为 precedes it',{}),
(B,'高素质专业化干部队伍','高素质专业化监管队伍','extension','re-slotted: 干部→监管',{}),
(B,'讲政治、守纪律、负责任、有效率的模范机关','讲政治、守纪律、负责任、高效率的模范机关','variant','有效率→高效率; contains 模范机关 (raw 1, no separate row; borderline per protocol)',{}),
(B,'两个覆盖','两个覆盖','exact','borderline (as protocol)',{}),
(B,'小个专','小个专','exact','borderline (as protocol); 1 of 4 inside a handbook title, 2 inside award names',{}),
(B,'一网通管','一网通管','not_a_formulation','local platform name; look-alike of 一网通办',{}),
(B,'“四线”','“四线”','not_a_formulation','local 守稳底线、立好标线、提升高线、严守红线',{}),
(B,'一四五十','一四五十','not_a_formulation','municipal party committee strategy',{}),
(B,'勤快严实精细廉','勤快严实精细廉','not_a_formulation','local style brand (excluded in protocol)',{}),
# ---------------- wuchang-2023-plan ----------------
(W,'习近平新时代中国特色社会主义思想','习近平新时代中国特色社会主义思想','exact','',{}),
(W,'稳中求进工作总基调','稳中求进工作总基调','exact','',{}),
(W,'完整、准确、全面贯彻新发展理念','完整、准确、全面贯彻新发展理念','exact','contains 新发展理念 (raw 1, no standalone occurrence, so no separate row)',{}),
(W,'高质量发展','高质量发展','exact','as 着力推动高质量发展',{}),
(W,'统筹发展和安全','统筹发展和安全','exact','as 更好统筹发展和安全',{}),
(W,'讲政治、强监管、促发展、保安全','讲政治、保安全、稳秩序、促发展','variant','borderline: SAMR 2023 overall approach as I recall it; 强监管→稳秩序 and reordered',{}),
(W,'两个维护','两个维护','exact','',{}),
(W,'学懂弄通做实','学懂弄通做实','exact','',{}),
(W,'武装头脑、指导实践、推动工作','武装头脑、指导实践、推动工作','exact','as 用党的创新理论武装头脑、指导实践、推动工作',{}),
(W,'模范机关','模范政治机关','variant','borderline (as protocol)',{}),
(W,'政治判断力、政治领悟力、政治执行力','政治判断力、政治领悟力、政治执行力','exact','',{}),
(W,'美好环境与幸福生活共同缔造','共同缔造','abbreviation','borderline: MOHURD campaign, heavily pushed by Hubei',{}),
(W,'社会共治','社会共治','exact','borderline (as protocol)',{}),
(W,'大兴调查研究之风','大兴调查研究之风','exact','2023 central campaign',{}),
(W,'小个专','小个专','exact','borderline (as protocol)',{}),
(W,'全面从严治党','全面从严治党','exact','',{}),
(W,'两个责任','主体责任、监督责任','variant','borderline; spelled out, as 主体责任、监督责任贯通协同',{}),
(W,'中央八项规定','中央八项规定','exact','',{}),
(W,'四风','四风','exact','',{}),
(W,'严的主基调','“严”的主基调','variant','quotation marks around 严',{}),
(W,'日管控、周排查、月调度','日管控、周排查、月调度','exact','borderline: SAMR 2022 food-safety responsibility rule',{}),
(W,'守底线、查隐患、保安全','守查保','abbreviation','',{}),
(W,'互联网+明厨亮灶','互联网+明厨亮灶','exact','',{}),
(W,'安全生产专项整治三年行动','安全生产“三年行动”','variant','as 特种设备安全生产“三年行动”',{}),
(W,'安全风险分级管控和隐患排查治理双重预防机制','风险分级管控和隐患排查治理双重预防机制','variant','borderline; 安全 dropped',{}),
(W,'一老一小','一老一小','exact','',{}),
(W,'双随机、一公开','双随机、一公开','exact','',{}),
(W,'双随机、一公开','双随机','abbreviation','standalone 3 of 4 raw; 2 of them extended as 双随机+企业信用风险分类 / 双随机+信用分级',{'count':3,'skip':'双随机、一公开'}),
(W,'公平竞争审查制度','公平竞争审查','variant','as 公平竞争审查机制',{}),
(W,'全国统一大市场','全国统一大市场','exact','',{}),
(W,'铁拳','铁拳','exact','',{}),
(W,'双打','双打','exact','borderline (as in Baoji row)',{}),
(W,'扫黑除恶专项斗争','扫黑除恶','abbreviation','',{}),
(W,'长江十年禁渔','长江禁渔','variant','',{}),
(W,'长江十年禁渔','长江禁捕','variant','in the publicity list',{}),
(W,'放心消费创建','放心消费创建','exact','borderline; also 营造放心消费环境 (not coded)',{}),
(W,'证照分离','证照分离','exact','',{}),
(W,'专精特新','专精特新','exact','',{}),
(W,'质量提升行动','质量提升行动','exact','all 3 embedded: 小作坊质量提升行动, 中小微企业质量提升行动, 公共服务质量提升行动',{}),
(W,'质量基础设施“一站式”服务','质量基础设施“一站式”服务','exact','borderline: SAMR programme',{}),
(W,'知识产权强国','知识产权强区','tier_substitution','as 知识产权强区建设',{}),
(W,'全面深化改革','全面深化改革','exact','as 谋划新一轮全面深化改革',{}),
(W,'谁执法谁普法','谁执法谁普法','exact','borderline: central 普法责任制 formula',{}),
(W,'新时代好干部标准','新时代好干部标准','exact','',{}),
(W,'动态清零','动态清零','not_a_formulation','used for overdue special-equipment inspections, not the epidemic policy',{}),
(W,'下基层察民情解民忧暖民心','下基层察民情解民忧暖民心','not_a_formulation','Hubei provincial campaign',{}),
(W,'清廉机关','清廉机关','not_a_formulation','local 清廉 branding',{}),
]
def example(t, s, skip=None):
    i = t.find(s); assert i >= 0, s
    while skip and t.startswith(skip, i): i = t.find(s, i+1)
    if len(s) >= 40: return s[:40]
    pad = (40 - len(s)) // 2
    a = max(0, i - pad); return t[a:a+40].replace('\n',' ')
rows=[]; seen=set()
for doc,can,sur,ad,notes,kw in R:
    assert (doc,can,sur) not in seen, (doc,can,sur); seen.add((doc,can,sur))
    t = TXT[doc]; raw = t.count(sur); assert raw > 0, (doc, sur)
    cnt = kw.get('count', raw)
    if ad == 'not_a_formulation': ic = ''
    else:
        chk = kw.get('check', can); hits = cen(chk); ic = 'yes' if hits else 'no'
        extra = ('found in: ' + ', '.join(h.replace('central-','') for h in hits)) if hits else ''
        if 'check' in kw and extra: extra = extra  # checked string already stated in notes
        notes = '; '.join(x for x in [notes, extra] if x)
    rows.append(dict(doc_id=doc,canonical=can,surface=sur,count=cnt,adaptation=ad,in_central_texts=ic,example=example(t,sur,kw.get('skip')),notes=notes))
COLS=['doc_id','canonical','surface','count','adaptation','in_central_texts','example','notes']
with open('central_formulations_heldout.csv','w',encoding='utf-8',newline='') as f:
    w=csv.DictWriter(f,fieldnames=COLS,quoting=csv.QUOTE_MINIMAL,lineterminator='\n'); w.writeheader(); w.writerows(rows)
from collections import Counter
print(len(rows)); print(Counter(r['doc_id'] for r in rows))
for d in (B,W): print(d, Counter(r['adaptation'] for r in rows if r['doc_id']==d), Counter(r['in_central_texts'] for r in rows if r['doc_id']==d))
print('all', Counter(r['adaptation'] for r in rows), Counter(r['in_central_texts'] for r in rows))
