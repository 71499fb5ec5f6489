# Hand-coded decisions (one entry per credited authority). Keyed by (doc_id, sent_id).
# Sentences not listed here are coded credits_someone=false; optional notes for those are in NOTES_FALSE.
G,Z,H,T,M='gansu-2026-gwr','guizhou-2026-gwr','hainan-2026-gwr','tibet-2026-gwr','inner-mongolia-2026-gwr'
C,P='central','provincial'
XI='习近平总书记'
CREDITS = {
 (G,8):[(XI,C,'殷殷嘱托','嘱托 = named speech-act noun with author (added rule R1); 把脉定向、指路领航 is guidance metaphor, not credited (R2)')],
 (G,9):[(XI,C,'习近平总书记视察甘肃重要讲话重要指示精神','named 重要讲话/指示 with author, object of 贯彻落实; 党中央坚强领导 not credited')],
 (G,143):[('中央生态环保督察',C,'反馈问题','inspectorate as subject of attributive 反馈 (reported back problems) (R5)')],
 (G,204):[('国家',C,'国家部署重点事项','attributive 部署 with 国家 as subject; 国务院大督查通报表扬 is praise, not credited')],
 (G,211):[('省委',P,'按照省委工作要求','按照 X 要求; 贯彻党中央、国务院决策部署 is boilerplate, not credited')],
 (G,245):[(XI,C,'习近平总书记视察甘肃重要讲话重要指示精神','named speech-act noun with author; 指引的方向 alone would not credit (R2)')],
 (G,261):[('中共甘肃省委',P,'根据《中共甘肃省委关于制定…的建议》','根据 an issued document whose title names its author (R4)')],
 (G,314):[(XI,C,'习近平总书记视察甘肃重要讲话重要指示精神','named speech-act noun; 二十大/中央经济工作会议精神 not credited')],
 (G,473):[('中央生态环保督察',C,'反馈问题','反馈 by the inspectorate (R5); 黄河警示片 is a film, not an authority')],
 (Z,8):[],
 (Z,9):[(XI,C,'牢记习近平总书记殷切嘱托','嘱托 (R1); 党中央、国务院决策部署 not credited'),
        ('省第十三次党代会',P,'按照…部署要求','按照 X 部署要求; meetings credited as written (R3)'),
        ('省委十三届历次全会',P,'按照…部署要求','按照 X 部署要求 (R3)')],
 (Z,41):[(XI,C,'要求我们坚持以高质量发展统揽全局','authority is subject of 要求 (speech-act verb)')],
 (Z,42):[(XI,C,'习近平总书记重要指示要求','named 重要指示 with author; 省委、省政府 are subjects of 贯彻, not of a speech act')],
 (Z,51):[('国务院',C,'落实国务院关于支持贵州…的意见','issued 意见 with author named; 按照习近平总书记指引 not credited (指引 = guidance, R2)')],
 (Z,150):[('中央生态环境保护督察',C,'反馈问题','反馈 (R5); 长江经济带生态环境警示片披露 — a film, not an authority')],
 (Z,159):[(XI,C,'习近平总书记关于贵州工作重要讲话重要指示精神','named speech-act noun with author')],
 (Z,167):[('中央',C,'作出的决策部署','authority is agent of 作出 (made decisions/deployments), not mere possessor of boilerplate 决策部署 (R6)'),
          ('省委',P,'作出的决策部署','agent of 作出 (R6)')],
 (Z,183):[('省委十三届八次全会',P,'根据…部署','根据 X 部署 (R3); 党的二十届四中全会精神 not credited; 已印发 is the speaker\'s own')],
 (Z,205):[('国家',C,'国家下达的目标要求','国家 as subject of 下达 (handed down a target requirement)')],
 (Z,215):[(XI,C,'习近平总书记在贵州考察时的重要讲话精神','named speech-act noun; 落实中央/省委经济工作会议决策部署 is boilerplate (R3b)')],
 (Z,452):[('中央生态环境保护督察',C,'反馈问题','反馈 (R5)')],
 (H,8):[(XI,C,'发表重要讲话','authority subject of 发表重要讲话')],
 (H,9):[(XI,C,'习近平总书记关于海南工作的系列重要讲话和指示批示精神','named speech-act nouns'),
        ('省委',P,'落实省委工作要求','落实 X 的…要求')],
 (H,90):[(XI,C,'发表重要讲话','高度重视、亲切关怀 alone would not credit')],
 (H,300):[('国家',C,'部署把海南自由贸易港打造成为…重要门户','部署 as verb; implied subject 国家 from 国家…的战略性举措')],
 (H,324):[(XI,C,'习近平总书记关于海南工作的系列重要讲话和指示批示精神','named speech-act nouns'),
          ('省委八届历次全会',P,'按照…部署','按照 X 部署 (R3)'),
          ('省委经济工作会议',P,'按照…部署','按照 X 部署 (R3)')],
 (H,629):[('领袖',C,'牢记领袖嘱托','嘱托 (R1); 领袖 refers to 习近平 but is coded as written')],
 (H,632):[('省委',P,'省委工作要求落实到位','落实 X 的…要求; 党中央、国务院决策部署 not credited')],
 (H,650):[(XI,C,'牢记习近平总书记殷切嘱托','嘱托 (R1)')],
 (H,679):[(XI,C,'习近平总书记关于海南工作的系列重要讲话和指示批示精神','named speech-act nouns'),
          ('中共中央',C,'《中共中央、国务院关于支持海南全面深化改革开放的指导意见》','issued document whose title names its authors (R4); 总体方案 and 自由贸易港法 name no author'),
          ('国务院',C,'《中共中央、国务院关于支持海南全面深化改革开放的指导意见》','co-issuer of the named 指导意见 (R4)')],
 (T,8):[(XI,C,'给林芝市嘎拉村全体村民回信','a letter (回信) is a speech act, analogous to 贺信 (R1)')],
 (T,9):[(XI,C,'习近平总书记关于西藏工作的重要指示','named 重要指示; 党中央、国务院决策部署 and 自治区党委坚强领导 not credited')],
 (T,12):[(XI,C,'发表重要讲话、作出重要指示','speech-act verbs')],
 (T,15):[(XI,C,'亲自谋划亲自部署亲自推动','attributive 部署 as verb')],
 (T,19):[(XI,C,'作出重要指示；主持召开…会议研究部署','作出指示; 研究部署 credited to Xi as chair, the meeting itself is not coded separately')],
 (T,104):[('总书记',C,'系统提出…，明确…四件大事','提出, 明确 with 总书记 as subject')],
 (T,106):[(XI,C,'习近平总书记关于西藏工作的重要指示','named 重要指示')],
 (T,122):[('党中央',C,'按照党中央和自治区党委的部署','按照 X 的部署 (R3)'),
          ('自治区党委',P,'按照党中央和自治区党委的部署','按照 X 的部署 (R3)')],
 (T,139):[('中共西藏自治区委员会',P,'根据《中共西藏自治区委员会关于制定…的建议》','根据 an issued document naming its author (R4)')],
 (T,140):[('党中央',C,'党中央、国务院和自治区党委明确的重大原则要求','attributive 明确'),
          ('国务院',C,'…明确的重大原则要求','attributive 明确, coordinated list'),
          ('自治区党委',P,'…明确的重大原则要求','attributive 明确, coordinated list')],
 (T,141):[(XI,C,'习近平总书记关于西藏工作的重要指示','named 重要指示')],
 (T,142):[(XI,C,'习近平总书记为西藏擘画的宏伟蓝图','擘画 treated as planning/deploying verb like attributive 部署 (R7, reversible)')],
 (T,161):[(XI,C,'习近平总书记关于西藏工作的重要指示','named 重要指示'),
          ('自治区第十次党代会',P,'按照…的部署要求','按照 X 部署要求 (R3)'),
          ('自治区党委十届历次全会',P,'按照…的部署要求','按照 X 部署要求 (R3)'),
          ('自治区党委经济工作会议',P,'按照…的部署要求','按照 X 部署要求 (R3)')],
 (T,186):[('中央',C,'中央赋予西藏的特殊优惠金融政策','authority as subject of 赋予 (conferred/issued policy) (R8, reversible)')],
 (T,345):[('自治区党委',P,'贯彻…自治区党委工作要求','贯彻 X 的…要求 treated like 落实 X 的…要求; 党中央、国务院决策部署 not credited')],
 (M,8):[(XI,C,'发表重要讲话，勉励我们','发表讲话; 勉励 is a speech-act verb (R1)')],
 (M,9):[('国务院',C,'国务院出台《关于…的意见》','出台 (issued)'),
        ('44个国家部委',C,'制定配套支持文件','ministries as subject of 制定 documents (issued)')],
 (M,10):[(XI,C,'习近平总书记对内蒙古系列重要讲话重要指示精神','named speech-act nouns; 自治区党委正确领导 not credited; 战略定位和使命任务 here has no author')],
 (M,70):[('中央生态环境保护督察',C,'交办的群众举报问题','inspectorate as subject of 交办 (assigned for handling) (R5)')],
 (M,93):[('自治区党委',P,'根据自治区党委《关于制定…的建议》','根据 an issued document with author (R4); 明确 here is the speaker\'s own plan')],
 (M,96):[('自治区党委十一届十一次全会暨全区经济工作会议',P,'按照…部署','按照 X 部署 (R3)'),
         (XI,C,'习近平总书记对内蒙古系列重要讲话重要指示精神','named speech-act nouns'),
         ('自治区党委',P,'按照自治区党委“1571”工作部署','按照 X 部署 (R3)')],
 (M,103):[(XI,C,'落实习近平总书记对内蒙古系列重要讲话重要指示精神','named speech-act nouns; 自治区党委“1571”工作部署 as a noun without 按照 not credited (R3b)')],
 (M,120):[(XI,C,'习近平总书记和党中央赋予的五大战略定位和使命任务','赋予 tasks = assigning (R8)'),
          ('党中央',C,'习近平总书记和党中央赋予的…','赋予 (R8), coordinated list')],
 (M,121):[(XI,C,'习近平总书记…赋予内蒙古的战略定位和使命任务','赋予 (R8)')],
 (M,122):[(XI,C,'习近平总书记擘画的宏伟蓝图','擘画 (R7, reversible)')],
 (M,331):[('自治区党委',P,'推动自治区党委工作要求落地见效','X 工作要求 with author, like 落实 X 的…要求; 党中央决策部署 not credited')],
 (M,340):[(XI,C,'多次勉励…大力弘扬…蒙古马精神','勉励 = speech-act verb (R1)')],
}
CREDITS={k:v for k,v in CREDITS.items() if v}
NOTES_FALSE = {
 (G,47):'深切关怀 = care, not a speech act',
 (G,87):'“四个不摘”要求 has no author named',
 (G,122):'中央…货币政策: policy possessed, no act of issuing stated',
 (G,201):'中央八项规定精神: 精神 of a rule, no speech act',
 (G,205):'speaker accepts supervision / submits to 省人大常委会; no act by them',
 (G,210):'人大代表、政协委员 提出意见建议: deputies/members are not coded as authorities (R9); 省人大、省政协 give 监督和支持, not a speech act',
 (G,219):'争取国家任务: no act by 国家 stated',
 (G,242):'领航掌舵 = leadership metaphor (R2)',
 (G,262):'统一到党中央决策部署上来 boilerplate; 省委全会精神 no speech act; “十五五”规划建议 has no author in this sentence',
 (G,446):'“优先”要求 has no author',
 (G,487):'“双控”要求 has no author',
 (G,581):'保持高度一致 loyalty boilerplate',
 (G,582):'党中央决策部署 boilerplate',
 (G,585):'习近平法治思想 = thought, no speech act',
 (G,592):'中央八项规定精神: no speech act',
 (Z,8):'亲临考察 without speech act',
 (Z,78):'“四个不摘”要求 no author',
 (Z,111):'战略部署 with no author',
 (Z,145):'在党中央关心下 = care',
 (Z,169):'指引的方向 = guidance metaphor (R2)',
 (Z,170):'坚强领导 not credited',
 (Z,333):'“三个80%”要求 no author',
 (Z,385):'中央税制改革政策: no act stated',
 (Z,411):'落实党中央…战略部署: noun 部署 as object, treated as 决策部署 boilerplate (R3b)',
 (Z,432):'落实中央城市工作会议部署: 会议 + noun 部署 without 按照 (R3b)',
 (Z,566):'贯彻党中央重大决策部署 boilerplate',
 (Z,569):'中央八项规定精神 / 过紧日子要求 (no author)',
 (H,36):'省领导一线调度: provincial leaders include the speaker government; operational coordination, not coded (R10)',
 (H,197):'中央环保督察整改任务: no speech-act verb (contrast 反馈/交办, R5)',
 (H,259):'中央八项规定精神 no speech act',
 (H,261):'中央八项规定及其实施细则精神 no speech act',
 (H,278):'坚强领导',
 (H,285):'更高要求 no author',
 (H,289):'落实省委八届八次全会部署: noun 部署 without 按照/根据 (R3b); 四中全会精神 not credited',
 (H,290):'《纲要》 is the speaker\'s own document',
 (H,298):'高度重视、关心支持; 把舵定向、指路引航 = guidance metaphors (R2)',
 (H,522):'中央和省级环保督察整改: no speech-act verb',
 (H,582):'党政机关习惯过紧日子要求 no author',
 (H,619):'习近平强军思想 = thought',
 (H,641):'部署的工作 has no author',
 (H,647):'中央八项规定精神',
 (H,709):'妄议中央: quoted misconduct, no act by 中央',
 (H,711):'维护党中央权威: loyalty boilerplate',
 (T,103):'亲临/出席 without speech act',
 (T,119):'“五个针对”要求 no author',
 (T,127):'掌舵领航 / 亲切关怀 not credited',
 (T,149):'“三个赋予一个有利于”总要求 no author',
 (T,151):'习近平生态文明思想 = thought',
 (T,284):'speaker\'s own 部署',
 (T,347):'习近平法治思想; accepting supervision',
 (M,53):'党中央、国务院决策部署 boilerplate',
 (M,78):'领航掌舵 / 坚强领导 / 监督 not credited',
 (M,92):'高度重视、殷切关怀; strategies (not an authority) 给予政策支持',
 (M,104):'围绕自治区党委“1571”工作部署: noun 部署 without 按照 (R3b)',
 (M,109):'“听党话” slogan, no act by an authority',
 (M,116):'主线要求 no author',
 (M,117):'主线要求 no author',
 (M,118):'主线要求 no author',
 (M,148):'speaker\'s own 办法',
 (M,337):'中央八项规定精神',
}
import csv
from decisions import CREDITS, NOTES_FALSE
rows=list(csv.DictReader(open('attribution_sentences_provincial_f.csv',encoding='utf-8')))
keys={(r['doc_id'],int(r['sent_id'])) for r in rows}
assert all(k in keys for k in CREDITS), [k for k in CREDITS if k not in keys]
assert all(k in keys for k in NOTES_FALSE), [k for k in NOTES_FALSE if k not in keys]
out=[]
for r in rows:
    k=(r['doc_id'],int(r['sent_id']))
    if k in CREDITS:
        for a,l,c,n in CREDITS[k]:
            out.append(dict(doc_id=r['doc_id'],sent_id=r['sent_id'],credits_someone='true',authority=a,authority_level=l,cue=c,notes=n,text=r['text']))
    else:
        out.append(dict(doc_id=r['doc_id'],sent_id=r['sent_id'],credits_someone='false',authority='',authority_level='',cue='',notes=NOTES_FALSE.get(k,''),text=r['text']))
cols=['doc_id','sent_id','credits_someone','authority','authority_level','cue','notes','text']
with open('attributions_provincial_f.csv','w',encoding='utf-8',newline='') as f:
    w=csv.DictWriter(f,fieldnames=cols); w.writeheader(); w.writerows(out)
# check
back=list(csv.DictReader(open('attributions_provincial_f.csv',encoding='utf-8')))
inp={(r['doc_id'],r['sent_id']):r['text'] for r in rows}
seen={}
for b in back:
    assert inp[(b['doc_id'],b['sent_id'])]==b['text']; seen[(b['doc_id'],b['sent_id'])]=1
assert set(seen)==set(inp)
from collections import Counter
t=[b for b in back if b['credits_someone']=='true']
print('sentences',len(inp),'crediting',len({(b['doc_id'],b['sent_id']) for b in t}),'rows',len(back),'credit rows',len(t))
print(Counter(b['authority_level'] for b in t))
print(Counter(b['authority'] for b in t).most_common())
print(Counter(b['doc_id'] for b in t))
