"""The classroom app's text in English and 中文: labels, levers, charts, lessons and the Info tab."""

from __future__ import annotations

from consultsim.i18n import register

__all__ = ["LEVER_ZH", "LEVER_EN", "LESSON_TEXT"]

_T: dict[str, tuple[str, str]] = {
    # page, run and community
    "app.title": ("ConsultSim classroom", "ConsultSim 社区协商课堂"),
    "app.subtitle": ("community consultation (社区协商) in a Beijing neighbourhood, week by week",
                     "北京一个社区的居民协商，逐周模拟"),
    "app.tab.live": ("Model", "模型"), "app.tab.info": ("Info", "说明"),
    "app.run": ("Run", "运行"), "app.step": ("Step", "单步"), "app.play": ("Play", "播放"),
    "app.pause": ("Pause", "暂停"), "app.reset": ("Reset", "重置"),
    "app.speed": ("speed: {speed} weeks per second", "速度：每秒 {speed} 周"),
    "app.interval": ("draw every {n} week(s)", "每 {n} 周刷新一次画面"),
    "app.language": ("中文", "English"),
    "app.projector": ("Projector", "投影模式"), "app.projector_off": ("Controls", "显示控制栏"),
    "app.community": ("Community", "社区"), "app.scenario": ("Scenario", "情景"),
    "app.size": ("Community size", "社区规模"), "app.seed": ("Seed", "随机种子"),
    "app.builtin": ("baseline (built-in defaults)", "现状基线（内置默认值）"),
    "app.size_label": ("{n} households, {b} buildings", "{n} 户，{b} 栋楼"),
    "app.baseline_note": ("No policy levers are applied (Beijing X area today).", "未施加任何政策杠杆（北京某区现状）。"),
    "app.changed_levers": ("Levers changed from the scenario: {levers}", "与情景设定不同的杠杆：{levers}"),
    "app.lesson_levers": ("Lesson levers are set: {levers}", "本课已设置杠杆：{levers}"),
    "app.lessons": ("Lessons", "课程"), "app.close_lesson": ("Close lesson", "关闭课程"),
    "app.section.policy": ("Policy levers", "政策杠杆"), "app.section.idea": ("Idea (civic awareness) levers",
                                                                               "理念（公民意识）杠杆"),
    "app.section.practice": ("Practice levers", "实践杠杆"),
    "app.reset_note": ("{lever} = {value}: takes effect when you press Reset", "{lever} = {value}：按“重置”后生效"),
    "app.on": ("on", "开"), "app.off": ("off", "关"),
    "app.labelled": ("{label}: {text}", "{label}：{text}"),
    "app.front_of": ("{name} ({front})", "{name}（{front}）"),
    "app.see": ("What you should see", "你应当看到"), "app.notice": ("Things to notice", "注意观察"),
    "app.try": ("Things to try", "动手试试"),
    "app.run_weeks": ("Run {weeks} weeks (Play, or Step).", "运行 {weeks} 周（播放或单步）。"),
    "app.front.policy": ("policy", "政策"), "app.front.idea": ("idea", "理念"), "app.front.practice": ("practice", "实践"),
    # live view
    "app.week_label": ("Week", "周"), "app.week_axis": ("week", "周"),
    "app.ref_label": ("dashed: same community, settings before your change",
                      "虚线：同一社区、改动前的设置"),
    "app.net_hint": ("Click a household to inspect it. Circled: building leaders (楼门长).",
                     "点击一户查看详情。带黑圈的是楼门长。"),
    "app.log_title": ("What happened (newest first)", "发生了什么（最新在前）"),
    "app.log_empty": ("Nothing yet: press Step or Play.", "还没有事件：请按“单步”或“播放”。"),
    "app.pipeline_title": ("Topic pipeline: where each topic is in the procedure", "议题流程：每个议题处在哪一步"),
    "app.leave_warning": ("Leave the page? This run is lost unless you download it first.",
                          "离开本页？除非先下载，本次运行将会丢失。"),
    "app.download_charts": ("Download charts (SVG)", "下载图表（SVG）"),
    "app.download_network": ("Download network (PNG)", "下载网络图（PNG）"),
    "app.download_run": ("Download this run (CSV + run.json)", "下载本次运行（CSV + run.json）"),
    "app.panel.participation": ("Participation", "参与"), "app.panel.implementation": ("Implementation", "落实"),
    "app.panel.trust": ("Trust, efficacy and civic awareness", "信任、效能感与公民意识"),
    "app.panel.age": ("Who takes part, by age group", "谁在参与（按年龄组）"),
    "app.series.participation_rate": ("took part in the last 12 weeks", "近 12 周参与过"),
    "app.series.attendance_rate": ("attended this week", "本周出席"),
    "app.series.implementation_rate": ("agreed and implemented", "议定并已落实"),
    "app.series.stalled_share": ("agreed but stalled", "议定但停滞"),
    "app.series.procedure_completion": ("decided on schedule", "按期作出决定"),
    "app.series.mean_trust_committee": ("trust in the committee", "对居委会的信任"),
    "app.series.mean_trust_property": ("trust in the property manager", "对物业的信任"),
    "app.series.mean_efficacy": ("sense that taking part matters", "参与有用的感觉"),
    "app.series.mean_civic": ("civic awareness", "公民意识"),
    "app.series.young": ("young 18-39", "青年 18～39 岁"), "app.series.middle": ("middle 40-59", "中年 40～59 岁"),
    "app.series.elderly": ("elderly 60+", "老年 60 岁以上"),
    "app.age.0": ("young 18-39", "青年 18～39 岁"), "app.age.1": ("middle 40-59", "中年 40～59 岁"),
    "app.age.2": ("elderly 60+", "老年 60 岁以上"),
    "app.mon.participation": ("took part (12 wk)", "近 12 周参与率"),
    "app.mon.implemented": ("implemented / agreed", "已落实 / 已议定"),
    "app.mon.stalled": ("stalled", "停滞"), "app.mon.trust": ("trust in committee", "对居委会信任"),
    "app.mon.civic": ("civic awareness", "公民意识"),
    "app.mon.young": ("young took part (12 wk)", "青年近 12 周参与率"),
    "app.mon.elderly": ("elderly took part (12 wk)", "老年近 12 周参与率"),
    "app.mon.ref": ("dashed run: {value}", "虚线：{value}"),
    "app.building_n": ("building {n}", "{n} 号楼"), "app.building_short": ("#{n}", "{n}号"), "app.whole": ("whole community", "全社区"),
    "app.net.colour_by": ("Colour households by", "住户着色依据"),
    "app.net.layout": ("Layout", "布局"),
    "app.mode.opinion": ("Opinion on the current topic", "对当前议题的意见"),
    "app.mode.attended": ("Attended recently", "近期是否参会"), "app.mode.age": ("Age group", "年龄组"),
    "app.mode.trust": ("Trust in the committee", "对居委会的信任"),
    "app.layout.network": ("Network (ties)", "关系网络"), "app.layout.floors": ("Buildings and floors", "楼栋与楼层"),
    "app.net.institutions": ("Also at work: the residents' committee ({staff} staff), {pm} property manager(s), "
                             "{sw} social worker(s).",
                             "同时在场：居委会（{staff} 名工作人员）、{pm} 家物业、{sw} 名社工。"),
    "app.net.age": ("Age group of the household head", "户主年龄组"),
    "app.net.attended": ("Who attended a meeting in the last {weeks} weeks", "近 {weeks} 周谁参加过协商会"),
    "app.net.recent": ("attended recently ({share:.0%})", "近期参会（{share:.0%}）"),
    "app.net.earlier": ("earlier only ({share:.0%})", "仅更早参会（{share:.0%}）"),
    "app.net.never": ("never ({share:.0%})", "从未参会（{share:.0%}）"),
    "app.net.trust": ("Trust in the residents' committee (mean {mean:.2f})", "对居委会的信任（平均 {mean:.2f}）"),
    "app.net.none": ("no trust", "不信任"), "app.net.full": ("full trust", "完全信任"),
    "app.net.oppose": ("oppose", "反对"), "app.net.support": ("support", "支持"),
    "app.net.unconcerned": ("not concerned", "不涉及"),
    "app.net.no_topic": ("Opinion: no topic under discussion now", "意见：目前没有正在讨论的议题"),
    "app.net.opinion": ("Opinion on #{id} {topic}, {where}", "对 #{id} {topic}（{where}）的意见"),
    "app.col.proposed": ("Proposed", "已提出"), "app.col.agenda": ("On the agenda", "已列入议程"),
    "app.col.deliberating": ("Deliberating", "协商中"), "app.col.decided": ("Decided", "已议定"),
    "app.col.implementing": ("Implementing", "落实中"), "app.col.implemented": ("Implemented", "已落实"),
    "app.col.stalled": ("Stalled", "停滞"), "app.col.failed": ("Failed", "未通过"),
    "app.card.support": ("{share:.0%} support", "支持率 {share:.0%}"), "app.card.no_vote": ("not yet voted", "尚未表决"),
    "app.card.since": ("since week {week}", "自第 {week} 周"),
    "app.card.resident": ("from residents", "居民提出"), "app.card.committee": ("from the committee", "居委会提出"),
    "app.more": ("+ {n} more", "另有 {n} 项"),
    "app.status.deferred": ("deferred: no quorum", "延期：人数不足"),
    "app.status.no_agreement": ("no agreement after {meetings} meeting(s); next meeting week {next}",
                                "开会 {meetings} 次仍未达成一致；第 {next} 周再议"),
    "app.status.implemented": ("implemented", "已落实"), "app.status.stalled": ("stalled", "停滞"),
    "app.status.deadlock": ("deadlock", "僵持"), "app.status.no_quorum": ("no quorum", "人数不足"),
    "app.status.rejected": ("rejected", "被否决"),
    "app.status.no_valid_vote": ("no valid vote: too few owners voted", "表决无效：参与表决的业主不足"),
    "app.status.unfunded": ("unfunded: too few owners paid", "资金未筹足：出资业主太少"),
    "app.log.lever": ("Week {week}: you changed {lever} from {old} to {new} (the dashed line keeps {ref})",
                      "第 {week} 周：你把{lever}从 {old} 调到 {new}（虚线保持 {ref}）"),
    # inspector, replicates, export
    "app.inspector": ("Household", "住户"), "app.inspector.none": ("Click a household in the network.",
                                                                   "在网络图中点击一户。"),
    "app.inspector.head": ("Household {id}", "第 {id} 户"),
    "app.fact.age": ("age group: {age}", "年龄组：{age}"),
    "app.fact.where": ("{where}, floor {floor}", "{where} {floor} 层"),
    "app.fact.leader": ("building leader (楼门长)", "楼门长"),
    "app.inspector.stake": ("stake in #{id} {topic}: {stake:+.2f}", "在 #{id} {topic} 中的利害：{stake:+.2f}"),
    "app.inspector.no_stake": ("not concerned by the current topic", "与当前议题无关"),
    "app.fact.trust_committee": ("trust in the committee: {v:.2f}", "对居委会的信任：{v:.2f}"),
    "app.fact.trust_property": ("trust in the property manager: {v:.2f}", "对物业的信任：{v:.2f}"),
    "app.fact.efficacy": ("sense that taking part matters: {v:.2f}", "效能感：{v:.2f}"),
    "app.fact.capacity": ("capacity to take part: {v:.2f}", "参与能力：{v:.2f}"),
    "app.list_sep": (", ", "、"),
    "app.inspector.meetings": ("attended {n} meeting(s); last in week {last}", "参加过 {n} 次会议；最近一次在第 {last} 周"),
    "app.inspector.never": ("has never attended a meeting", "从未参加过会议"),
    "app.inspector.topics": ("attended meetings on: {topics}", "参加过这些议题的会议：{topics}"),
    "app.spread": ("Spread of 10 runs", "10 次运行的离散程度"),
    "app.spread.metric": ("Metric", "指标"), "app.spread.weeks": ("weeks", "周数"),
    "app.spread.button": ("Run 10 times", "运行 10 次"),
    "app.spread.label": ("10 runs of these settings (seeds {a}-{b}): range, dashed black: median",
                         "当前设置运行 10 次（种子 {a}～{b}）：灰色为范围，黑色虚线为中位数"),
    "app.spread.result": ("{metric} at week {weeks}: median {med:.2f}, range {lo:.2f}-{hi:.2f}",
                          "第 {weeks} 周{metric}：中位数 {med:.2f}，范围 {lo:.2f}～{hi:.2f}"),
    "app.gaps.button": ("Run this lesson on 10 seeds", "用 10 个随机种子运行本课"),
    "app.gaps.what": ("Each dot: {what} on one seed.", "每个点：一个种子上的{what}。"),
    "app.gaps.running": ("Running the lesson on seeds {a}-{b}…", "正在用种子 {a}～{b} 运行本课……"),
    "app.gaps.result": ("The claim holds on {k} of {n} seeds ({a}-{b})", "结论在 {n} 个种子中的 {k} 个上成立（种子 {a}～{b}）"),
    "app.gaps.threshold": ("claim: above {value}", "结论：高于 {value}"),
    "app.gaps.dot": ("seed {seed}: {value}", "种子 {seed}：{value}"),
    "app.gaps.points": ("{v} pt", "{v} 个百分点"),
    "app.gap.who": ("the elderly's participation minus the young's", "老年人参与率减去青年参与率"),
    "app.gap.vicious": ("the stalled resolutions", "停滞的决议数"),
    "app.gap.follow": ("the implemented share minus the dashed run's", "落实率减去虚线运行的落实率"),
    "app.gap.idea": ("civic awareness minus the dashed run's", "公民意识减去虚线运行的公民意识"),
    "app.gap.practice": ("the young's participation minus the dashed run's", "青年参与率减去虚线运行的青年参与率"),
    "app.spread.none": ("{metric}: no value by week {weeks} in any of the 10 runs",
                        "{metric}：10 次运行到第 {weeks} 周都没有数值"),
}

#: Lever names and descriptions in Chinese (English: the parameter's own name and doc).
LEVER_ZH = {
    "incentive_per_meeting": ("每次参会积分", "每参加一次会议获得的积分（约合元，积分制）"),
    "incentive_budget": ("积分年度预算", "每年用于积分奖励的预算（元）"),
    "pm_performance_contract": ("物业绩效合同", "物业费与落实协商决议挂钩"),
    "supervision": ("落实监督", "落实监督小组的力度"),
    "meeting_cadence_weeks": ("议事周期", "两次议程周期之间的周数"),
    "pm_inclusion": ("物业参会", "物业必须参会并作出承诺"),
    "public_subsidy": ("加装电梯补贴", "财政补贴承担居民自筹工程（加装电梯）费用的比例"),
    "awareness_campaign": ("公民意识宣传", "公民意识宣传活动的强度"),
    "feedback_transparency": ("结果公开", "向全体居民公开协商结果的比例"),
    "training_sessions_per_quarter": ("能力培训", "每季度能力培训次数"),
    "training_seats": ("培训名额", "每次培训的居民名额"),
    "committee_facilitation_training": ("居委会主持培训", "居委会工作人员接受议事主持培训"),
    "social_workers": ("社工", "购买服务的社工人数"),
    "social_worker_hours": ("社工工时", "每名社工每周投入社区的小时数"),
    "online_channel": ("线上渠道", "通过线上渠道发通知和参会"),
}

#: Lessons: {key: {part: (English, 中文)}}; parts as lessons.TEXT_FIELDS.
LESSON_TEXT = {
    "who": {
        "title": ("1. Who shows up, and why", "第 1 课：谁来开会，为什么"),
        "short": ("1. Who shows up", "第 1 课：谁来开会"),
        "question": ("Why are consultation meetings full of retirees?", "为什么协商会上多是退休老人？"),
        "see": ("In the age chart the elderly line stays above the young one: retirees have the time and the "
                "ties, the young work and rarely come.",
                "在年龄图中，老年线始终高于青年线：退休老人有时间、有人脉，年轻人要上班，很少来。"),
        "notice": ("Residents come when they have time, feel it matters and see neighbours come (Granovetter "
                   "1978), so attendance clusters by building. The Shanghai survey found 13.8% turnout at 18-29 "
                   "and 77.7% at 70-79.",
                   "居民在有时间、觉得有用、看到邻居也去时才会来（Granovetter 1978），所以参会按楼栋聚集。"
                   "上海的调查显示 18～29 岁参与率 13.8%，70～79 岁为 77.7%。"),
        "try": ("Switch on the online channel and add two social workers (or open lesson 5): does the gap between "
                "the age lines close?",
                "打开线上渠道、增加两名社工（或打开第 5 课）：年龄线之间的差距会缩小吗？"),
    },
    "vicious": {
        "title": ("2. The vicious circle of unimplemented agreements", "第 2 课：议而不决、决而不行的恶性循环"),
        "short": ("2. The vicious circle", "第 2 课：恶性循环"),
        "question": ("Why do agreed projects stall, and what does that do to the next meeting?",
                     "为什么议定的事项会停滞？这对下一次会议有什么影响？"),
        "see": ("2,000 households over two years: agreed resolutions pass their deadline and move to the Stalled "
                "column, and the implementation line stays well below 100%.",
                "2000 户、两年：议定事项超过期限、进入“停滞”一栏，落实线远低于 100%。"),
        "notice": ("No oversight, no performance contract and few outcomes published: implementation depends on "
                   "a property manager with little reason to hurry and on neighbours who must chip in (a third "
                   "free-ride: Fischbacher, Gächter & Fehr 2001). Those who hear of a stall trust less and come "
                   "less (Ansell & Gash 2008).",
                   "没有监督、没有绩效合同、结果很少公开：落实要靠缺乏动力的物业和需要出钱的邻居（约三分之一搭便车："
                   "Fischbacher、Gächter 与 Fehr 2001）。听说事情停滞的人信任下降、参与减少（Ansell 与 Gash 2008）。"),
        "try": ("Watch the Stalled column, and whether the trust colours in the network fade for those who wanted "
                "the works; then open lesson 3: the same community with follow-through.",
                "观察“停滞”一栏，以及想要这些工程的人在网络图中的信任颜色是否变淡；然后打开第 3 课：同一社区，加上落实保障。"),
    },
    "follow": {
        "title": ("3. What follow-through changes", "第 3 课：抓落实会带来什么"),
        "short": ("3. Follow-through", "第 3 课：抓落实"),
        "question": ("If agreements were carried out, would residents come back?", "如果议定的事真的落实了，居民会回来吗？"),
        "see": ("Lesson 2's community: at week 0 supervision goes to full and the fee is tied to implementation. "
                "Both act on the property manager's works: the implementation line ends at or above the dashed "
                "line by week 104.",
                "第 2 课的社区：第 0 周落实监督开到最大，物业费与落实挂钩。两者作用于物业承担的工程："
                "到第 104 周，落实线不低于虚线。"),
        "notice": ("The purple marker and the log line show when the levers changed. More resolutions are "
                   "carried out; those who hear of a success trust the committee more: the small wins of a "
                   "virtuous cycle (Ansell & Gash 2008).",
                   "紫色标记和日志行显示杠杆何时改变。更多决议得到落实；听说成功的人更信任居委会：这是良性循环的"
                   "“小胜利”（Ansell 与 Gash 2008）。"),
        "try": ("Turn supervision back to 0 mid-run and watch the next resolutions. Then press Run 10 times "
                "with the metric implementation rate to see how much runs differ.",
                "中途把落实监督调回 0，观察之后的决议。再按“运行 10 次”，选落实率，看看各次运行差别多大。"),
    },
    "idea": {
        "title": ("4. An awareness campaign", "第 4 课：公民意识宣传"),
        "short": ("4. Awareness campaign", "第 4 课：意识宣传"),
        "question": ("Does a civic awareness campaign change who comes?", "公民意识宣传能改变谁来参与吗？"),
        "see": ("At week 0 the campaign goes to full strength. Civic awareness climbs clearly above the dashed "
                "line within a year; participation moves much less.",
                "第 0 周把宣传开到最大。一年内公民意识明显高于虚线；参与率变化小得多。"),
        "notice": ("Awareness is slow to turn into attendance: time, ties and the sense that taking part "
                   "matters still decide who comes (ODD §7.4).",
                   "意识转化为参会很慢：时间、人脉和“参与有用”的感觉仍决定谁会来（见模型说明第 7.4 节）。"),
        "try": ("Add feedback transparency (publish outcomes) as well: does efficacy follow?",
                "再提高结果公开：效能感会随之上升吗？"),
    },
    "practice": {
        "title": ("5. Reaching the young: social workers and an online channel",
                  "第 5 课：让年轻人参与——社工与线上渠道"),
        "short": ("5. Reaching the young", "第 5 课：让年轻人参与"),
        "question": ("Can practice reach the residents who never come?", "实践手段能触达从不参会的居民吗？"),
        "see": ("At week 0 two social workers are contracted and an online channel opens. In the age chart the "
                "young line rises above its dashed line.",
                "第 0 周购买两名社工服务并开通线上渠道。年龄图中青年线升到虚线之上。"),
        "notice": ("Social workers reach out to households that have not come recently; the online channel "
                   "lowers the time cost for those who work (ODD §7.4).",
                   "社工主动联系近期未参会的住户；线上渠道降低了上班族的时间成本（见模型说明第 7.4 节）。"),
        "try": ("Colour the network by Attended recently: where do the new participants live? Then switch the "
                "online channel off again.",
                "把网络图按“近期是否参会”着色：新的参与者住在哪里？然后再关闭线上渠道。"),
    },
}

_INFO = {
    "what": ("What is it?", "这是什么？",
             "An agent-based model of community consultation (社区协商) in a Beijing neighbourhood: resident "
             "households, the neighbourhood committee (居委会), property managers (物业) and social workers "
             "(社工) take topics such as elevator retrofits, parking or fees from proposal to implementation. "
             "It lets a class see how policy, idea and practice levers change who takes part and whether "
             "agreements are carried out.",
             "这是一个关于北京某社区居民协商的多主体模型：居民户、居委会、物业和社工把加装电梯、停车、物业费等"
             "议题从提出一直推进到落实。课堂上可以看到政策、理念和实践三类杠杆如何改变谁来参与、议定的事能否落实。"),
    "how": ("How it works", "如何运作",
            "Each week residents raise issues, the committee sets an agenda and calls meetings, households decide "
            "whether to attend (time, civic awareness, efficacy, neighbours), attendees deliberate and vote, the "
            "implementer carries out or lets agreements stall, and those who hear of the outcome update their "
            "trust and efficacy (ODD §3). The dashed lines are a second run of the same community with the "
            "settings before your last change.",
            "每周居民提出问题，居委会设定议程、召集会议；各户根据时间、公民意识、效能感和邻居决定是否参会；参会者"
            "协商并表决；落实方执行或拖延；得知结果的人更新信任与效能感（见模型说明第 3 节）。虚线是同一社区按你改动前设置"
            "的另一次运行。"),
    "notice": ("Things to notice", "注意观察",
               "Who attends (the age chart and the network); how many agreements stall; how trust follows "
               "outcomes; how a lever change opens a gap between the solid and the dashed line.",
               "谁来参会（年龄图与网络图）；有多少议定事项停滞；信任如何随结果变化；改变杠杆后实线与虚线之间"
               "出现的差距。"),
    "try": ("Things to try", "动手试试",
            "Open a lesson and run it; change one lever while playing; press Run 10 times to see how much "
            "runs of the same settings differ; click a household; download the run and the charts.",
            "打开一课并运行；在播放时改变一个杠杆；按“运行 10 次”看看同样设置下各次运行差别多大；点击一户；"
            "下载本次运行和图表。"),
}

register({k: {"en": en, "zh": zh} for k, (en, zh) in _T.items()})
#: Lever names in English as a reader says them (acronyms kept: "PM inclusion", not "pm inclusion").
LEVER_EN = {
    "incentive_per_meeting": "points per meeting", "incentive_budget": "points budget a year",
    "pm_performance_contract": "PM performance contract", "supervision": "supervision",
    "meeting_cadence_weeks": "weeks between meetings", "pm_inclusion": "PM inclusion",
    "public_subsidy": "public subsidy", "awareness_campaign": "awareness campaign",
    "feedback_transparency": "feedback transparency", "training_sessions_per_quarter": "training sessions a quarter",
    "training_seats": "training seats", "committee_facilitation_training": "committee facilitation training",
    "social_workers": "social workers", "social_worker_hours": "social worker hours",
    "online_channel": "online channel",
}
register({f"app.lever.{k}": {"en": LEVER_EN[k], "zh": zh} for k, (zh, _) in LEVER_ZH.items()})
from consultsim.core.params import PARAM_INFO  # noqa: E402  (the English of a lever is its doc)

register({f"app.leverdoc.{k}": {"en": PARAM_INFO[k].metadata["doc"], "zh": doc} for k, (_, doc) in LEVER_ZH.items()})
register({f"app.lesson.{key}.{part}": {"en": en, "zh": zh}
          for key, parts in LESSON_TEXT.items() for part, (en, zh) in parts.items()})
register({f"app.info.{k}.{f}": {"en": v[i], "zh": v[i + 1]}
          for k, v in _INFO.items() for f, i in (("title", 0), ("body", 2))})
