# Decisions typed by hand from reading each sentence; this script only joins them to the input text and checks coverage.
import csv
D = {'sd':'shandong-2026-gwr','jx':'jiangxi-2026-gwr','ln':'liaoning-2026-gwr','yn':'yunnan-2026-gwr','hn':'henan-2026-gwr'}
C, P = 'central', 'provincial'
XI = '习近平总书记'
# key: (doc, sent_id) -> list of (authority, level, cue, notes); empty list = credits nobody, with optional note in F
T = {}
F = {}
def t(d, s, *rows): T[(D[d], str(s))] = list(rows)
def f(d, s, note=''): T[(D[d], str(s))] = []; F[(D[d], str(s))] = note

# ---------------- Shandong ----------------
t('sd',219,('党的二十届四中全会',C,'按照…部署','按照 X 部署 credited (rule R2); a plenum coded as the authority as written'),
           ('中共山东省委',P,'根据《中共山东省委关于…的建议》','authored 建议 document = named speech-act noun with author (rule R1)'))
f('sd',85,'获国务院综合督查表扬: praise alone, not credited (reversible)')
f('sd',490)
f('sd',203,'配合中央巡视/督察/督查/审计监督: cooperation with inspections, no speech act')
t('sd',234,('省委经济工作会议',P,'按照…部署','按照 X 部署 (rule R2)'),
           (XI,C,'习近平总书记视察山东重要讲话和重要指示批示精神','named speech-act noun with author, object of 贯彻'))
f('sd',500,'习惯过紧日子要求: no author named')
f('sd',231,'沿着…指引的方向: 指引 treated as guidance metaphor, not a speech act (rule R5)')
f('sd',16); f('sd',14); f('sd',10); f('sd',515,'团结在…党中央周围 / 省委坚强领导: boilerplate')
t('sd',224,(XI,C,'习近平总书记对山东工作的重要指示要求','落实 X 的重要指示要求'))
t('sd',492,(XI,C,'对标对表习近平总书记对山东工作的重要指示要求','对标对表 is boilerplate, but its object is a named speech-act noun with the author (指示要求); the speech-act noun rule is applied (rule R4)'))
f('sd',511,'中央八项规定精神: name of a regulation/campaign, no speech act (rule R3)')
f('sd',202,'学习教育 campaign names only (rule R3)')
f('sd',210)
t('sd',411,('中央生态环保督察',C,'中央生态环保督察反馈问题','反馈 (feed back to the province) treated as a speech act of the inspection body (rule R6)'))
f('sd',209,'坚强领导 / 科学指引 / 团结带领 / 有效监督: no speech act')
f('sd',81)
f('sd',228,'统筹发展和安全这个重大要求: no author named')
t('sd',493,('中央巡视',C,'中央巡视、审计等反馈问题','反馈 (rule R6). 审计 not credited: names an activity, no auditing body or level given'))
f('sd',173,'中央污染防治攻坚战成效考核…获优: assessment result = praise/ranking, not credited')
t('sd',19,(XI,C,'习近平总书记视察山东重要讲话和重要指示批示精神','named speech-act noun with author; 党中央、国务院决策部署 and 省委坚强领导 are boilerplate, not credited'))

# ---------------- Jiangxi ----------------
f('jx',136,'时代要求: no author')
f('jx',18,'请…提出意见: request to CPPCC members, future/requested, not authorities (rule R7)')
f('jx',152,'进行系统部署: subject is the draft outline, i.e. the speaker\'s own document')
t('jx',112,(XI,C,'习近平总书记有指示','generic/conditional (whenever X instructs…we implement); habitual, not a future event, so credited (rule R8)'),
           ('党中央',C,'党中央有部署','as above (rule R8)'),
           ('省委',P,'省委有要求','as above (rule R8)'))
t('jx',352,('省委',P,'省委和省政府制定出台的','出台 with the authority as subject; 省政府 = speaker, not credited; 省直相关部门 = speaker\'s own departments, not credited (rule R9)'))
f('jx',173); f('jx',15); f('jx',10)
f('jx',66,'通过国务院安委会评估: passing an evaluation, praise/assessment only, not credited')
t('jx',165,(XI,C,'习近平总书记考察江西重要讲话精神','深化落实 X 重要讲话精神'),
           ('省委经济工作会议',P,'按照…部署','按照 X 部署 (rule R2); 中央经济工作会议精神 not credited (会议精神)'))
f('jx',106,'提请省人大常委会审议: the speaker submits; no speech act by the NPC body')
f('jx',287,'碳排放双控要求: no author')
f('jx',153,'speaker\'s own document')
t('jx',135,(XI,C,'习近平总书记考察江西重要讲话精神','named speech-act noun with author'))
f('jx',145,'高质量发展要求: no author')
f('jx',105,'省委巡视发现…问题: 发现 (found) is not a speech act, unlike 反馈/交办 (rule R6)')
f('jx',111)
f('jx',139,'《纲要（草案）》提出: the speaker\'s own document')
f('jx',71,'省委正确领导, 牢记嘱托 (author unnamed), 指引的方向 (rule R5): not credited')
t('jx',134,('省委',P,'省委《建议》','authored 建议 document (rule R1); 《纲要（草案）》 is the speaker\'s own'))
f('jx',133)
f('jx',304,'落实国家战略部署: 战略部署 treated like 决策部署 boilerplate (rule R2)')
f('jx',110,'坚强领导、亲切关怀 / 带领: no speech act')
f('jx',102,'国务院实行最严格水资源管理制度考核连续7年优秀: assessment ranking = praise, not credited')
f('jx',144,'speaker\'s own document')
t('jx',20,(XI,C,'习近平总书记考察江西重要讲话精神','named speech-act noun with author'),
          ('省委',P,'省委工作要求','落实 X 的…要求; 党中央、国务院决策部署 not credited (boilerplate)'))
t('jx',128,('中共江西省委',P,'根据《中共江西省委关于…的建议》','rule R1; 与国家发展改革委进行规划衔接 is not a speech act by the NDRC'))
f('jx',328,'巡视…问题整改: no author, no 反馈')
t('jx',319,('省委',P,'省委工作要求','落实 X 的…要求; 党中央、国务院决策部署 not credited (boilerplate)'))
f('jx',324,'大模型部署应用: technical deployment, not a directive')
f('jx',142,'…的要求: no author')
f('jx',127,'省委全会作出系统设计和战略谋划: planning metaphor, not counted as 部署/speech act (rule R5); borderline')
f('jx',318,'对政府工作提出…要求: subject is 新挑战/新任务, no authority')
f('jx',331,'boilerplate (团结在…周围, 正确领导)')
f('jx',302,'监测期要求: no author')
f('jx',137,'“走在前、勇争先、善作为”的目标要求: no author named in the sentence')
t('jx',73,('党中央',C,'坚决贯彻党中央部署','bare 部署 (not the fixed compound 决策部署) credited (rule R2); borderline'))
f('jx',70,'把脉定向、擘画蓝图: metaphor, not a speech act (rule R5)')
t('jx',282,('中央生态环保督察',C,'中央生态环保督察反馈等问题','反馈 (rule R6)'))
f('jx',140,'跳起摸高、担当作为的要求: no author')
f('jx',146,'进行全面部署: subject is the draft outline (speaker\'s own)')
f('jx',14)

# ---------------- Liaoning ----------------
f('ln',208); f('ln',170,'接受监督, 人大代表议案建议/政协提案 casework: not authorities\' directives (rule R7)')
f('ln',223,'own document'); f('ln',221,'《纲要（草案）》提出: own document'); f('ln',227,'own document')
f('ln',239,'领航掌舵、亲切关怀、坚强领导: no speech act')
f('ln',249,'落实中央宏观政策: policy, no speech act')
f('ln',207,'领航掌舵, 科学指引, 团结带领, 监督: no speech act')
f('ln',22)
f('ln',419,'习近平生态文明思想: doctrine name, no speech act (rule R3)')
t('ln',230,(XI,C,'习近平总书记对辽宁振兴发展的重要讲话和重要指示精神','named speech-act noun with author'),
           ('省委',P,'省委新部署新要求','体现了 X 的部署/要求: named directive noun with author (rule R2/R4)'))
f('ln',26,'落实中央存量政策和一揽子增量政策: no speech-act verb (contrast henan 59 出台)')
t('ln',20,(XI,C,'习近平总书记对辽宁振兴发展的重要讲话和重要指示精神','named speech-act noun; 党中央、国务院决策部署 and 在省委领导下 not credited'))
t('ln',220,('省委十次全会',P,'按照…部署','按照 X 部署 (rule R2); 党的二十届四中全会精神 not credited (会议精神)'))
t('ln',521,(XI,C,'同…重要讲话和重要指示精神对标对表','对标对表 with a named speech-act noun as object: credited (rule R4)'),
            ('省委',P,'省委工作要求','落实 X 的…要求; 党中央决策部署 not credited'))
f('ln',18,'高度重视、深情牵挂、亲切关怀: explicitly not credited')
f('ln',225,'own document')
f('ln',14); f('ln',10); f('ln',16)
f('ln',241,'党中央继续实施…宏观政策: implementing policy, not a speech act')
f('ln',27)
t('ln',172,('省第十三次党代会',P,'落实…部署要求','落实 X 部署要求'))
f('ln',540,'boilerplate')
t('ln',219,('党的二十届四中全会',C,'指明了奋斗方向','指明 = 指出/明确 (listed verbs); 作出顶层设计和战略擘画 and 标定历史方位 alone would not count (rule R5); borderline'))
f('ln',236,'贯彻落实党中央决策部署: boilerplate')
f('ln',206,'深情厚爱: no speech act')
f('ln',205,'擘画蓝图、把脉定向: metaphor, not a speech act (rule R5); borderline')
f('ln',539,'擘画宏伟蓝图: metaphor (rule R5)')
t('ln',421,('中央生态环境保护督察',C,'中央生态环境保护督察反馈问题','反馈 (rule R6)'))
t('ln',536,('中央巡视',C,'中央巡视反馈问题','反馈 (rule R6); 中央八项规定精神 not credited (rule R3)'))
f('ln',169)
t('ln',233,(XI,C,'习近平总书记对辽宁振兴发展的重要讲话和重要指示精神','named speech-act noun'),
           ('省委十三届十次全会',P,'按照…部署要求','按照 X 部署要求'),
           ('省委经济工作会议',P,'按照…部署要求','按照 X 部署要求; 中央经济工作会议精神/中央宏观政策 not credited'))
f('ln',226,'own document'); f('ln',224,'own document')

# ---------------- Yunnan ----------------
t('yn',218,(XI,C,'习近平总书记考察云南重要讲话精神','深化落实 X 重要讲话精神; 会议精神 not credited'))
f('yn',185); f('yn',17); f('yn',15); f('yn',184)
f('yn',23,'省委、省政府调度推进: 调度 is management/coordination, not a speech act; 省政府 is the speaker; borderline')
t('yn',20,(XI,C,'习近平总书记考察云南重要讲话精神','named speech-act noun'))
f('yn',452); f('yn',129)
f('yn',175,'沿着…指引的方向: rule R5')
f('yn',104,'中央八项规定精神 (R3); 听取…意见, 人大代表建议/政协提案 (R7); 接受监督: not credited')
t('yn',19,(XI,C,'回信、致贺信，作出一系列重要指示…明确发展定位、指出奋斗目标','speech-act verbs with the authority as subject; 心系/牵挂 alone would not count'))
t('yn',145,('第三轮中央生态环境保护督察',C,'交办','交办 (assigned for handling) with the inspection as subject (rule R6)'))
f('yn',69,'入选…典型案例: selection/praise only')
f('yn',124,'入选中央财办…典型案例: selection/praise only')
f('yn',501,'中央八项规定精神 (R3)')
t('yn',495,(XI,C,'习近平总书记作出的每一项部署、提出的每一条要求','作出部署 / 提出要求 with authority as subject'),
            ('中央巡视',C,'中央巡视反馈意见','反馈意见 (rule R6)'))
t('yn',107,(XI,C,'发表重要讲话…指示我们','speech-act verbs; 给予肯定 (praise) alone would not count'))
f('yn',183,'领航掌舵, 科学指引, 坚强领导: no speech act')
t('yn',220,('省委十一届九次全会',P,'按照…要求','按照 X 要求; 统一到…上来 and 贯彻落实党中央重大决策部署 are boilerplate'),
            ('省委经济工作会议',P,'按照…要求','按照 X 要求'))
t('yn',108,(XI,C,'用习近平总书记考察云南重要讲话精神统一思想','named speech-act noun'))
t('yn',195,(XI,C,'习近平总书记考察云南重要讲话精神','named speech-act noun'))
f('yn',45,'省委、省政府隆重表彰: commendation = praise, not credited (reversible)')
t('yn',176,(XI,C,'按照习近平总书记重要指示','按照 X 重要指示'),
           ('党中央',C,'按照…党中央决策部署','under 按照 every listed directive is credited, including 决策部署 (rule R2); borderline'),
           ('省委',P,'按照…省委要求','按照 X 要求'))
t('yn',198,('中共云南省委',P,'根据《中共云南省委关于…的建议》','rule R1'))
f('yn',504,'为云南擘画的美好蓝图: rule R5; 在省委领导下 boilerplate')

# ---------------- Henan ----------------
t('hn',102,('省委',P,'根据省委“十五五”规划《建议》','rule R1'),
           ('国家发展改革委',C,'按照国家发展改革委反馈的规划衔接意见','按照 X 意见'))
f('hn',323,'中央八项规定精神 (R3)')
f('hn',85,'中央八项规定精神 (R3)')
f('hn',86,'“五个进一步到位”重要要求: no author named')
f('hn',326,'boilerplate')
f('hn',156)
t('hn',56,(XI,C,'为河南发展明确科学定位','明确 with authority as subject; 作出战略指引/赋予历史使命 alone would not count'))
f('hn',14); f('hn',16); f('hn',10)
f('hn',103,'党中央赋予河南的重大使命: 赋予 = conferral, not counted as a speech act (rule R5); borderline, reversible')
t('hn',124,(XI,C,'习近平总书记在河南考察时重要讲话精神和关于河南工作的重要论述','named speech-act nouns'),
           ('省委十一届九次全会',P,'落实…部署','落实 X 部署 (rule R2); written as 省委十一届九次、十次全会, split per coordinated-list rule'),
           ('省委十一届十次全会',P,'落实…部署','as above'),
           ('省委经济工作会议',P,'落实…部署','as above'))
f('hn',66,'“五统一、一开放”基本要求: no author')
t('hn',19,(XI,C,'习近平总书记在河南考察时重要讲话精神和关于河南工作的重要论述','named speech-act nouns; 省委坚强领导 not credited'))
t('hn',59,('中央',C,'中央出台的一揽子增量政策和存量政策','出台 with the authority as subject; 召开经济工作部署会 is the speaker\'s own'))
f('hn',262,'督察问题整改: no 反馈/交办, no speech act (contrast rule R6)')
f('hn',95,'领航掌舵, 正确领导、科学决策, 监督: no speech act')
t('hn',104,(XI,C,'习近平总书记在河南考察时重要讲话精神和关于河南工作的重要论述','named speech-act nouns; 战略部署 with no author not credited'))
f('hn',96)
f('hn',89,'中央巡视“后半篇文章”: no speech act')

rows = list(csv.DictReader(open('/work/blind7/attribution_sentences_set_b.csv', encoding='utf-8')))
keys = {(r['doc_id'], r['sent_id']) for r in rows}
assert set(T) == keys, (set(T) ^ keys)
out = []
for r in rows:
    k = (r['doc_id'], r['sent_id'])
    if T[k]:
        for a, lvl, cue, note in T[k]:
            out.append(dict(doc_id=k[0], sent_id=k[1], credits_someone='true', authority=a, authority_level=lvl, cue=cue, notes=note, text=r['text']))
    else:
        out.append(dict(doc_id=k[0], sent_id=k[1], credits_someone='false', authority='', authority_level='', cue='', notes=F.get(k, ''), text=r['text']))
with open('/work/blind7/attributions_set_b.csv', 'w', encoding='utf-8', newline='') as fh:
    w = csv.DictWriter(fh, fieldnames=['doc_id','sent_id','credits_someone','authority','authority_level','cue','notes','text'])
    w.writeheader(); w.writerows(out)
# check
back = list(csv.DictReader(open('/work/blind7/attributions_set_b.csv', encoding='utf-8')))
src = {(r['doc_id'], r['sent_id']): r['text'] for r in rows}
assert {(b['doc_id'], b['sent_id']) for b in back} == keys
assert all(src[(b['doc_id'], b['sent_id'])] == b['text'] for b in back)
from collections import Counter
cred = {(b['doc_id'], b['sent_id']) for b in back if b['credits_someone'] == 'true'}
print('sentences', len(keys), 'crediting', len(cred), 'rows', len(back))
print('rows by level', Counter(b['authority_level'] for b in back if b['credits_someone']=='true'))
print('by authority', Counter(b['authority'] for b in back if b['credits_someone']=='true'))
print('crediting by doc', Counter(k[0] for k in cred))
