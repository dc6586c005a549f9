"""What each parameter means, in 中文 (the English is the parameter's ``doc`` in core/params.py).

Every parameter a policymaker can change or be shown (community, network, participation, deliberation,
committee, property manager, social workers, implementation, feedback, learning, the levers and their
prices) has its Chinese here; tests/test_i18n_complete.py checks that none is missing. Population,
topic-catalog and stake parameters, which describe the place rather than an action, fall back to
"参数 NAME" under zh (never to English): :func:`param_doc`.
"""

from __future__ import annotations

from consultsim.core.params import PARAM_INFO
from consultsim.i18n import register, tr

__all__ = ["PARAM_ZH", "ZH_SECTIONS", "param_doc"]

# The sections whose every parameter has a Chinese description.
ZH_SECTIONS = ("community", "network", "participation", "deliberation", "committee", "property_manager",
               "social_worker", "implementation", "feedback", "learning", "policy", "idea", "practice", "costs",
               "owners_committee", "street")

PARAM_ZH = {
    # issue 18: the actors a district has (ODD §7.10)
    "owners_committee": "社区设有业主委员会（业委会）：由它召集业主表决，并就物业应做的工程与物业协商",
    "oc_members": "业主委员会委员人数",
    "oc_member_hours": "表决征集期间每名业委会委员每周用于上门收集业主表决的义务小时数",
    "oc_negotiation_effect": "业委会督促时物业在其应做工程上自身投入增加的比例（扣留物业费、续聘与否）",
    "vote_convener": "设有业委会时由谁召集并收集业主表决：业委会（先用委员的时间，再用社工和居委会的时间）或居委会（与没有业委会时相同）",
    "street_pressure": "本年度居委会承受的接诉即办压力：街道按上年 12345 每户诉求量对社区的排名（0 最少，1 最多）；由城区运行中的街道每年设定，单个社区运行时为 0",
    "pressure_responsiveness": "接诉即办压力为 1 时居委会在自办工程上投入增加的比例",
    # issue 16 and 17: habit, experience, hours, votes, structures
    "b_habit": "参会习惯的权重（0 无习惯 … 1 习惯牢固）",
    "habit_gain": "每参加一次会议习惯向 1 靠近的步长（每次失望则向 0 靠近）",
    "habit_decay": "不参会时习惯每周的消退",
    "habit_aspiration": "结果（是否如愿、是否被倾听、是否落实）低于此值的参会者感到失望，习惯减弱",
    "online_selectivity": "线上渠道节省的时间只按居民投入程度惠及的比例（取公共参与意愿与习惯的较大者）",
    "online_presence": "线上参会者相对到场者的有效能力（发言分量与向知情立场靠拢）",
    "meeting_kernel": "会议中的意见动力学（结构性备选，议题 17）：有限信任、固执者加权平均或两两随机交流",
    "committee_experience": "居委会开始时的经验（0 全新 … 1 老练）",
    "experience_gain": "居委会每召开一次会议经验向 1 靠近的步长",
    "experience_loss": "人员流动与换届间隙造成的每周经验流失",
    "experience_facilitation": "经验每高于（低于）起始水平一个单位所增加（减少）的主持能力",
    "committee_term_weeks": "居委会换届间隔的周数",
    "committee_term_elapsed": "模拟开始时本届已任职的周数",
    "election_turnover": "换届时流失的居委会经验比例（成员更替）",
    "staff_week_hours": "一名社区工作者每周的工作小时数",
    "committee_admin_share": "上级行政事务占用的工作时间比例；其余用于协商：开会、收集表决、跟进工程",
    "meeting_staff_hours": "每次会议所需的工作人员小时数：准备、通知、主持、记录",
    "cycle_staff_hours": "每个议程周期所需的工作人员小时数：召集居民议事会、张贴议程、向街道汇报",
    "followup_hours": "居委会自办的一项在建工程全力推进每周所需的工作人员小时数",
    "vote_visit_hours": "上门收集一份业主书面表决所需的小时数",
    "vote_climate_sd": "各次表决之间业主交回表决票概率的标准差（时机、传言、物业自行动员）",
    "vote_return_concentration": "业主是否签字因人而异：每位业主交回表决票的倾向服从以均值为中心、集中度为此值的贝塔分布",
    "sw_group_size": "一名主持人带领的小组人数",
    "sw_hours_per_group": "社工以充分质量带领一个小组所需的小时数：会前逐一入户或电话沟通组员、讨论、记录与反馈；工时不足则主持效果按比例减弱",
    "sw_groups_per_worker": "一名社工在一次会议上带领的小组数（各小组同时讨论，每组一名主持人）",
    "sw_canvass_share": "外展时间中用于上门收集业主表决的比例（其余用于邀请居民参会）",
    "oversight_cases": "监督力度为 1 时监督小组可全力跟进的工程数，分摊到所有在建工程",
    "complaint_curve": "一项结果引发的 12345 来电如何随受损受众增长（结构性备选，议题 17）：线性或趋于饱和",
    "complaint_saturation": "每个议题来电趋于饱和时的人数（仅在饱和曲线下）",
    "trust_judges": "对居委会的信任从结果中学习什么（结构性备选，议题 17）：自身偏好与程序，或只看结果",
    "proposal_skill": "提议起草人能力每高于 1/2 一个单位，提议设计（所有人的利害与其合理性）的改善幅度",
    "trust_anchor_rate": "每户长期信任与效能感跟随其经历形成水平的每周速率（结果的累积记账；0 则保持初始值）",

    # community, network
    "n_residents": "户数（每户一个居民主体）", "n_buildings": "居民楼栋数", "floors": "每栋楼的层数",
    "building_degree": "楼内平均邻里关系数", "long_range_degree": "与其他楼栋的平均关系数",
    "age_homophily": "关系在同一年龄组内形成的概率", "network_file": "替代生成网络的边列表或 GraphML 文件",
    # population parameters that set a lever's effect (funding.LEVER_EFFECT_PARAMS)
    "online_elderly": "加入微信群的老年户比例", "online_middle": "加入微信群的中年户比例",
    "online_young": "加入微信群的青年户比例",
    # participation
    "b0": "参会逻辑模型的截距", "b_stake": "利害程度 × 效能感的权重", "b_civic": "公共参与意愿的权重",
    "b_capacity": "协商能力（减 1/2）的权重", "b_incentive": "积分激励的权重（每 10 分）",
    "b_invited": "受到当面邀请的权重", "b_network": "邻居参会比例的权重", "b_time": "时间成本 ×（1 − 空闲时间）的权重",
    "b_trust": "对居委会信任（减 1/2）的权重", "interest_decay": "议题等待期间每周的关注度衰减",
    "notice_reach": "范围内居民看到纸质通知的概率（空闲时间多者更高）", "notice_time_base": "通知到达系数的基数（加上空闲时间）",
    "notice_weeks": "通知与会议之间的周数", "leader_reach": "楼门长当面邀请每位邻居的概率",
    "online_reach": "在线居民看到线上通知的概率", "online_time_cost": "线上参会相对于到场参会的时间成本",
    "outreach_recent_weeks": "社工把一户视为近期活跃的周数", "outreach_recent_weight": "近期活跃户在社工入户中的权重（其他为 1）",
    "outreach_young_weight": "青年户在社工入户中的权重（其他为 1）",
    # deliberation
    "rounds": "一次会议中的交流轮数", "epsilon": "无主持时的信任边界（有界信任）",
    "epsilon_facilitated": "充分主持时信任边界的扩大", "voice_exponent": "发言权重随协商能力增长的指数",
    "anchoring": "对自己最初看法的坚持程度（弗里德金–约翰森模型）", "informed_pull": "充分能力时向知情立场靠拢的程度",
    "complexity_penalty": "最复杂议题上损失的有效能力比例", "complexity_narrowing": "复杂性同时收窄信任边界的比例",
    "pm_capacity": "物业代表在会上的协商能力", "agreement_consensus": "适用表决规则之前会议须达到的共识",
    "max_meetings": "一个议题最多开会次数（超过即为僵持）", "max_deferrals": "议题因不足法定人数而失败前的最多延期次数",
    "quorum_min": "会议有效的最少参会人数", "quorum_share": "法定人数占范围内居民的比例", "majority": "多数决的通过比例",
    "owners_turnout": "业主事项：须参与表决的业主比例（按人数和面积）",
    "owners_supermajority": "业主重大事项（加装电梯）：表决业主中同意的比例（按人数和面积）",
    # committee
    "households_per_worker": "每名社区工作者服务的户数", "committee_facilitation": "居委会工作人员的主持能力",
    "facilitation_training_gain": "主持培训带来的主持能力提升", "agenda_capacity": "每个周期列入议程的议题数",
    "agenda_mandate_weight": "居委会自身（上级交办）议题的议程优先权加成", "agenda_wait_weight": "议题每等待一周的议程优先权加成",
    "welfare_fund": "每年的社区公益金（元）", "committee_responsiveness": "标准人员配置下居委会对自身工程的每周投入（工作周）",
    "vote_rounds": "入户收集业主书面表决的轮数", "vote_canvass_reach": "每轮居委会工作人员在家见到业主的概率",
    "vote_leader_reach": "每轮楼门长见到本楼业主的概率", "vote_return_base": "见到的业主签字交回表决票的概率",
    "vote_return_stake": "每单位利害程度增加的交回概率",
    # property manager
    "n_property_managers": "物业服务企业数量", "pm_responsiveness": "不涉及自身成本时物业每周的投入（工作周）",
    "pm_cost_aversion": "物业自担成本降低其投入的程度", "pm_attendance": "非强制时物业出席会议的概率",
    # social workers
    "sw_outreach_share": "社工用于入户动员的工时比例", "sw_facilitation_share": "社工用于主持的工时比例",
    "sw_training_share": "社工用于培训的工时比例（其余用于调解）", "sw_invites_per_hour": "每小时入户动员的敲门和电话次数",
    "sw_seats_per_hour": "每小时培训工作提供的培训名额", "sw_cases_per_hour": "每小时调解走访的投诉人数",
    "sw_facilitation_hours": "达到社工全部主持能力 63% 所需的主持工时", "sw_facilitation_weight": "社工满工时时的主持能力",
    # implementation
    "deadline_factor": "软期限为议题工期的倍数", "residents_effort": "居民自筹工程（其施工方）每周的投入（工作周）",
    "effort_regularity": "每周工作量的稳定程度（伽马分布形状）", "escalation_effect": "任务逾期一个工期后投入的增加（街道督办）",
    "abandon_base": "进行中的任务每周被放弃的概率（任务竞争、人员流动）", "abandon_hazard": "每逾期一个工期增加的每周放弃概率",
    "contribution_required": "居民自筹工程须出资的住户比例（无补贴时）", "collection_rounds": "入户收取出资的轮数",
    "collection_persuasion": "一次走访说服尚未出资的支持者的概率",
    "coop_threshold_base": "条件合作者的出资门槛基数（减去信任效应 × 信任）",
    "coop_trust_effect": "对组织者的信任降低条件合作者门槛的程度", "sanction_effect": "充分监督下搭便车者每轮被促成出资的概率",
    "pressure_effect": "居民压力（支持度）带来的每周投入增加", "supervision_effect": "充分监督带来的每周投入增加",
    "commitment_effect": "物业在会上作出承诺后每周投入的增加", "contract_effect": "绩效合同消除的物业成本顾虑比例",
    # feedback
    "learning_rate": "看到结果者向该结果调整的步长", "procedural_weight": "信任和效能感中程序公正（被倾听、按程序办）相对于结果好坏的权重",
    "publication_voice": "公示决定及其理由在多大程度上可替代“被倾听”", "network_learning": "参会者的邻居得知结果的概率",
    "complaint_propensity": "受损且知情的居民拨打 12345 热线的概率", "aggrieved_stake": "决定不利时构成不满的利害程度门槛",
    "heard_acceptance": "因被倾听而接受不利决定、不再投诉者的比例", "mediation_trust_target": "调解后投诉人信任趋向的水平",
    "mediation_effect": "调解使投诉人信任向目标移动的比例",
    # learning
    "capacity_gain_attend": "每参加一次会议获得的能力", "capacity_gain_training": "每参加一次培训获得的能力",
    "training_base_weight": "培训学员抽取权重的基数（加上公共参与意愿和空闲时间）", "capacity_decay": "能力每周向初始值的衰减",
    "civic_drift": "公共参与意愿每周向初始值的回归", "civic_gain_success": "得知一项成功落实后公共参与意愿的提升",
    "campaign_reach": "全力宣传每周覆盖的住户比例", "campaign_gain": "宣传覆盖的住户公共参与意愿的提升",
    "crowding_out": "每得到一次积分损失的公共参与意愿（挤出效应）", "trust_drift": "信任和效能感每周向社区原有水平的回归",
    # levers (the ones i18n/report.py already names keep its text)
    "public_subsidy": "居民自筹工程（加装电梯）由财政补贴的比例",
    # prices (yuan a year unless said)
    "cost_incentive_admin": "积分制一年的运营（台账、合作商户结算、人力；积分本身按实际发放计）",
    "cost_pm_contract": "与物业签订一年绩效合同（起草和第三方服务评估）",
    "cost_oversight_case": "落实监督小组一年跟进一项工程的能力所需费用（小组费用 = 监督力度 × 可跟进工程数 × 此值）：居民成员补贴、街道联络人力",
    "cost_per_meeting": "每次实际召开的协商会：场地、通知、人员加班", "cost_pm_at_meeting": "强制出席时物业每次会议的人力",
    "cost_campaign": "全力开展一年的公共意识宣传（按宣传强度折算）：海报、讲座、每季度协商日",
    "cost_publication": "一年公示全部议题结果（按公示比例折算）：公告栏、微信推送、人力",
    "cost_training_session": "一场居民能力培训：讲师、材料、茶点", "cost_facilitation_training": "居委会工作人员一年的主持培训（课程及复训）",
    "cost_social_worker": "一名全职（每周 40 小时）购买服务社工一年的费用（按每周工时 / 40 折算）：工资、社保和承接机构管理费",
    "cost_resident_works": "一项居民自筹工程（加装电梯）的造价：财政补贴按补贴比例支付每项获得资金的工程",
    "cost_online_platform": "线上渠道一年的费用：平台或小程序费用及管理",
}


def _register() -> None:
    from consultsim.i18n.report import LEVER_DOC_ZH  # the levers' Chinese, registered there

    register({f"param.{k}": {"en": PARAM_INFO[k].metadata["doc"], "zh": v} for k, v in PARAM_ZH.items()
              if k in PARAM_INFO and k not in LEVER_DOC_ZH})


_register()


def param_doc(name: str, lang: str = "en") -> str:
    """What parameter ``name`` means in ``lang``: its Chinese under zh, or "参数 NAME" when it has none
    (never English in a Chinese page); its English doc otherwise."""
    try:
        return tr(f"param.{name}", lang)
    except KeyError:
        if lang == "zh":
            return tr("param.fallback", lang, name=name)
        return PARAM_INFO[name].metadata["doc"]


register({"param.fallback": {"en": "parameter {name}", "zh": "参数 {name}"}})
