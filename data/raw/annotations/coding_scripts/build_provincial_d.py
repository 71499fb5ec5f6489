# Decisions typed by hand after reading each sentence; this script only writes and checks.
import csv
SRC='/work/blind8/attribution_sentences_provincial_d.csv'
OUT='/work/blind8/attributions_provincial_d.csv'
C,P='central','provincial'
# (doc_id, sent_id): list of (authority, level, cue, notes); empty list -> credits nobody (note in NOTE_F)
D={
('beijing-2026-gwr','8'):[('习近平总书记',C,'发表重要讲话','高度重视 and 充分肯定 alone would not credit; the speech does')],
('beijing-2026-gwr','10'):[('习近平总书记',C,'作出重要指示','subject elided; the clause continues the semicolon list that begins with 习近平总书记 in sentence 8 (added rule R1)')],
('beijing-2026-gwr','11'):[('习近平总书记',C,'习近平总书记的…嘱托','嘱托 treated as a speech-act noun with author given (R2); 关怀 alone would not credit')],
('beijing-2026-gwr','12'):[('习近平总书记',C,'深入贯彻习近平总书记对北京重要讲话精神','坚强领导/直接领导/监督支持 not credited'),
                           ('市十六届人大三次会议',P,'市十六届人大三次会议确定的目标任务','attributive 确定 treated like 明确/部署 (R3); Beijing 市人大 is provincial-level and not the speaker')],
('beijing-2026-gwr','100'):[('习近平总书记',C,'深入贯彻习近平总书记对北京重要讲话精神','')],
('beijing-2026-gwr','124'):[('中共北京市委',P,'根据《中共北京市委关于制定…规划的建议》','根据 read as 按照, Party-committee 建议 read as 意见 (R4)')],
('beijing-2026-gwr','127'):[('习近平总书记',C,'贯彻落实习近平总书记对北京重要讲话精神',''),
                            ('党中央',C,'党中央部署的各项重点任务','attributive verb 部署, not the 决策部署 boilerplate'),
                            ('市委',P,'市委“十五五”规划建议; 中央和市委确定的路线图','建议 (R4) and attributive 确定 (R3); one row for the repeated string'),
                            ('中央',C,'中央和市委确定的路线图','attributive 确定 (R3); coordinated list; kept as written separately from 党中央 (R6)')],
('beijing-2026-gwr','151'):[('习近平总书记',C,'深入贯彻习近平总书记对北京重要讲话精神','中央经济工作会议精神 not credited')],
('qinghai-2026-gwr','8'):[('习近平总书记',C,'全面贯彻落实习近平总书记重要讲话重要指示批示精神','党中央、国务院决策部署 not credited'),
                          ('省委',P,'认真落实省委工作要求','落实 X 的…要求')],
('qinghai-2026-gwr','92'):[('习近平总书记',C,'习近平总书记重要讲话和重要指示批示“第一议题”学习制度','named speech-act nouns with author; 贯彻党中央决策部署 not credited')],
('qinghai-2026-gwr','117'):[('中共青海省委',P,'根据《中共青海省委关于制定…规划的建议》','R4; 提出了…目标 is the speaker’s own')],
('qinghai-2026-gwr','136'):[('习近平总书记',C,'深入贯彻落实习近平总书记对青海工作的重要讲话和重要指示批示精神',''),
                            ('省委十四届十次全会',P,'按照省委十四届十次全会和省委经济工作会议部署','按照 X 部署; coordinated list'),
                            ('省委经济工作会议',P,'按照省委十四届十次全会和省委经济工作会议部署','按照 X 部署; coordinated list; 全会/中央经济工作会议精神 not credited')],
('heilongjiang-2026-gwr','8'):[('习近平总书记',C,'宣布开幕; 发表重要致辞','致辞 = speech; 宣布 = announcement')],
('heilongjiang-2026-gwr','9'):[('习近平总书记',C,'全面落实习近平总书记视察我省期间重要讲话重要指示精神','牢记嘱托 without author not credited; 省委坚强领导 not credited')],
('heilongjiang-2026-gwr','143'):[('习近平总书记',C,'贯彻落实习近平总书记重要讲话重要指示精神','省委 here only implements/leads (贯彻落实, 带领), not credited; 领航掌舵 not credited')],
('heilongjiang-2026-gwr','155'):[('中共黑龙江省委',P,'根据《中共黑龙江省委关于制定…规划的建议》','R4')],
('heilongjiang-2026-gwr','197'):[('习近平总书记',C,'认真学习贯彻习近平总书记重要讲话重要指示精神',''),
                                 ('省第十三次党代会',P,'按照省第十三次党代会和省委十三届历次全会部署','按照 X 部署; coordinated list'),
                                 ('省委十三届历次全会',P,'按照省第十三次党代会和省委十三届历次全会部署','按照 X 部署; coordinated list')],
('heilongjiang-2026-gwr','200'):[('中央经济工作会议',C,'中央经济工作会议提出的“五个必须”','attributive 提出 with the meeting as subject'),
                                 ('省委',P,'深入贯彻省委“六个坚持”工作要求','落实 X 的…要求')],
('heilongjiang-2026-gwr','445'):[('习近平总书记',C,'持续深入学习贯彻习近平总书记重要讲话重要指示精神','')],
('guangxi-2026-gwr','8'):[('习近平总书记',C,'深入贯彻落实习近平总书记关于广西工作论述的重要要求','论述 + 要求 with author')],
('guangxi-2026-gwr','51'):[('自治区党委',P,'按照自治区党委部署要求','党中央、国务院决策部署 not credited')],
('guangxi-2026-gwr','196'):[('习近平总书记',C,'牢记习近平总书记殷切嘱托','嘱托 with author (R2)')],
('guangxi-2026-gwr','209'):[('中国共产党广西壮族自治区委员会',P,'根据《中国共产党广西壮族自治区委员会关于制定…规划的建议》','R4')],
('guangxi-2026-gwr','210'):[('自治区党委',P,'自治区党委《建议》明确的主要目标','明确 with the committee’s 建议 as subject; 细化提出 is the speaker’s own')],
('guangxi-2026-gwr','297'):[('自治区党委十二届十一次全会',P,'按照自治区党委十二届十一次全会和全区经济工作会议部署要求','coordinated list'),
                            ('全区经济工作会议',P,'按照自治区党委十二届十一次全会和全区经济工作会议部署要求','Party-committee-led regional meeting; credited although the speaker’s government co-convenes it (hard case)'),
                            ('习近平总书记',C,'深入贯彻落实习近平总书记关于广西工作论述的重要要求','')],
('guangxi-2026-gwr','519'):[('自治区党委',P,'确保…自治区党委部署要求不折不扣落到实处','部署要求 credited as object of implementation (like 落实 X 的…要求); the paired 党中央、国务院决策部署 is boilerplate and not credited')],
('ningxia-2026-gwr','12'):[('习近平总书记',C,'深入贯彻习近平总书记考察宁夏重要讲话精神','党中央、国务院决策部署 and 自治区党委领导 not credited')],
('ningxia-2026-gwr','102'):[('中央城市工作会议',C,'深入落实中央城市工作会议部署','plain noun 部署 with a named author treated like 部署要求, not like 决策部署 (R5)')],
('ningxia-2026-gwr','188'):[('习近平总书记',C,'进一步明确了…发展定位和重大使命','考察指导 alone would not credit; 明确 does')],
('ningxia-2026-gwr','253'):[('自治区党委',P,'根据自治区党委关于“十五五”规划的建议','R4; 广泛征求意见 is the speaker’s own')],
('ningxia-2026-gwr','308'):[('习近平总书记',C,'以习近平总书记考察宁夏重要讲话精神为根本遵循',''),
                            ('自治区党委',P,'全面落实自治区党委部署','R5; “四稳”要求 has no author')],
}
# notes for sentences that credit nobody, where not obvious
NOTE_F={
('beijing-2026-gwr','5'):'speaker’s own request (请…提出意见)',
('beijing-2026-gwr','85'):'全面从严治党要求: no author named',
('beijing-2026-gwr','88'):'中央八项规定精神 treated like 会议精神: a named rule/campaign, no speech act (R7)',
('beijing-2026-gwr','90'):'坚强领导/科学指引/带领 not credited',
('beijing-2026-gwr','96'):'提出新课题: subject is 人口结构变化, not an authority',
('beijing-2026-gwr','129'):'规划部署 is the speaker’s own',
('beijing-2026-gwr','134'):'《纲要草案》部署: the speaker’s own draft plan',
('beijing-2026-gwr','152'):'国家要求: 国家 as attributive “national”, no body named (R8)',
('beijing-2026-gwr','333'):'同党中央保持高度一致/落实党中央决策部署 boilerplate; 中央巡视反馈问题 not credited (R9); quoted slogan has no author',
('beijing-2026-gwr','341'):'中央八项规定精神 (R7)',
('qinghai-2026-gwr','16'):'中央生态环保督察反馈问题 (R9)',
('qinghai-2026-gwr','93'):'中央八项规定精神 (R7)',
('qinghai-2026-gwr','94'):'提请/报告 are the speaker’s acts; 人大代表建议/政协提案 are handled casework by individual deputies/members, not credited (R10)',
('qinghai-2026-gwr','98'):'把脉定向、擘画蓝图、方向指引 treated as leadership vocabulary like 正确指导; no utterance named (R11; hard case)',
('qinghai-2026-gwr','113'):'领航掌舵/科学指引/带领/监督支持 not credited',
('qinghai-2026-gwr','119'):'习近平总书记指引的方向: 指引 treated like 指导/领导, not a speech-act verb (R11; hard case)',
('qinghai-2026-gwr','151'):'中央生态环保督察等反馈问题 (R9)',
('qinghai-2026-gwr','230'):'国家重大战略部署: 国家 attributive, noun 部署 of strategies (R8)',
('qinghai-2026-gwr','306'):'笃信、务实、担当、自律重要要求: no author named; 党中央决策部署 boilerplate',
('qinghai-2026-gwr','309'):'中央八项规定精神 (R7); 巡视、审计反馈问题 (R9)',
('heilongjiang-2026-gwr','110'):'中央八项规定精神 (R7)',
('heilongjiang-2026-gwr','117'):'习近平总书记指引的方向 (R11; hard case)',
('heilongjiang-2026-gwr','167'):'是中国式现代化的内在要求: 中国式现代化 is not an authority',
('heilongjiang-2026-gwr','188'):'是中国式现代化的必然要求: not an authority',
('heilongjiang-2026-gwr','199'):'提出 is the speaker’s own; 国家预期目标 (R8)',
('heilongjiang-2026-gwr','203'):'集中统一领导 not credited',
('heilongjiang-2026-gwr','214'):'党中央继续实施…政策: 实施 is carrying out a policy, not a speech act or directive (hard case)',
('heilongjiang-2026-gwr','215'):'国家政策…工作要求: 国家 attributive (R8)',
('heilongjiang-2026-gwr','372'):'中央环保督察反馈问题 (R9)',
('heilongjiang-2026-gwr','443'):'贯彻党中央决策部署 boilerplate',
('heilongjiang-2026-gwr','446'):'领会党中央决策部署/决策意图 boilerplate',
('heilongjiang-2026-gwr','448'):'习近平法治思想: a body of thought, no speech act',
('heilongjiang-2026-gwr','455'):'中央八项规定及其实施细则精神 (R7)',
('guangxi-2026-gwr','50'):'获国务院通报表扬: praise alone, not credited (reversible)',
('guangxi-2026-gwr','101'):'入选国务院减负办…案例: selection/praise, not credited (reversible)',
('guangxi-2026-gwr','179'):'中央八项规定精神 (R7)',
('guangxi-2026-gwr','185'):'国务院推动高质量发展综合督查…反馈问题整改 (R9; hard case)',
('guangxi-2026-gwr','188'):'坚强领导/科学指引/带领/监督支持 not credited',
('guangxi-2026-gwr','211'):'提出 is the speaker’s own plan',
('guangxi-2026-gwr','212'):'提出 is the speaker’s own plan',
('guangxi-2026-gwr','299'):'提出 is the speaker’s own',
('guangxi-2026-gwr','300'):'中央支持: support, not a speech act',
('guangxi-2026-gwr','453'):'碳排放双控要求: no author named',
('guangxi-2026-gwr','507'):'国防要求: no author named',
('guangxi-2026-gwr','509'):'提出…要求: subject is 新挑战、新任务',
('guangxi-2026-gwr','510'):'保持高度一致/维护权威 boilerplate',
('guangxi-2026-gwr','511'):'中央八项规定精神 (R7)',
('guangxi-2026-gwr','518'):'习惯过紧日子要求: no author named',
('guangxi-2026-gwr','530'):'“五个必须”“七个有之” without author; 中央巡视整改 (R9)',
('ningxia-2026-gwr','10'):'speaker’s own request',
('ningxia-2026-gwr','97'):'meetings convened by the speaker',
('ningxia-2026-gwr','134'):'得到金融监管总局充分肯定: praise alone (reversible)',
('ningxia-2026-gwr','178'):'入选国务院…综合督查经验做法: selection/praise (reversible)',
('ningxia-2026-gwr','181'):'中央八项规定精神 (R7)',
('ningxia-2026-gwr','217'):'习近平总书记…给予肯定: praise alone, not credited (reversible)',
('ningxia-2026-gwr','222'):'考核 result, not a speech act',
('ningxia-2026-gwr','243'):'领航掌舵/科学指引/正确领导 not credited',
('ningxia-2026-gwr','252'):'习近平总书记和党中央对宁夏的战略定位: 定位 is a content noun with no speech-act verb attached (R12; hard case)',
('ningxia-2026-gwr','280'):'内在要求: no authority',
('ningxia-2026-gwr','300'):'本质要求: no authority',
('ningxia-2026-gwr','402'):'中央生态环境保护督察反馈问题 (R9)',
('ningxia-2026-gwr','439'):'常态化帮扶政策要求: no author named',
('ningxia-2026-gwr','522'):'“四个特别”政治要求: no author named',
('ningxia-2026-gwr','535'):'中央八项规定精神 (R7); 中央巡视反馈问题 (R9)',
}
rows=list(csv.DictReader(open(SRC,encoding='utf-8')))
keys={(r['doc_id'],r['sent_id']) for r in rows}
assert set(D)<=keys and set(NOTE_F)<=keys and not (set(D)&set(NOTE_F))
out=[]
for r in rows:
    k=(r['doc_id'],r['sent_id'])
    if k in D:
        for a,l,c,n in D[k]:
            out.append(dict(doc_id=k[0],sent_id=k[1],credits_someone='true',authority=a,authority_level=l,cue=c,notes=n,text=r['text']))
    else:
        out.append(dict(doc_id=k[0],sent_id=k[1],credits_someone='false',authority='',authority_level='',cue='',notes=NOTE_F.get(k,''),text=r['text']))
cols=['doc_id','sent_id','credits_someone','authority','authority_level','cue','notes','text']
with open(OUT,'w',encoding='utf-8',newline='') as f:
    w=csv.DictWriter(f,fieldnames=cols); w.writeheader(); w.writerows(out)
# check
back=list(csv.DictReader(open(OUT,encoding='utf-8')))
src={(r['doc_id'],r['sent_id']):r['text'] for r in rows}
seen={}
for b in back:
    k=(b['doc_id'],b['sent_id']); assert src[k]==b['text']; seen[k]=1
assert set(seen)==set(src), 'missing'
from collections import Counter
print('sentences',len(src),'rows',len(back),'crediting sentences',len(D))
print(Counter(b['authority_level'] for b in back if b['credits_someone']=='true'))
print(Counter(b['authority'] for b in back if b['credits_someone']=='true').most_common())
print(Counter(b['doc_id'] for b in back if b['credits_someone']=='true'))
