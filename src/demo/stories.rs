//! The demo's supervision items: what a county office's book looks like a few months into the year.
//! Titles come from the source articles (a school whose building cannot get a construction permit,
//! village water mains laid but dry, idle public culture spaces…) and from the rows of the 2023
//! Jinjiang table that were still open. Each story is a list of steps dated in working days before
//! today, so the demo has items in every state, on time, near their deadline and at every step of
//! the escalation ladder (临近提醒 · 催办 · 督办 · 通报).

use bangdu_domain::item::{Priority, Source};

/// One step of a story: who does it follows from the action (the office, or the unit's liaison).
pub enum Step {
    /// 交办 with a deadline this many working days after the day of assignment.
    Assign(u32),
    Decline(&'static str),
    Accept,
    Report(&'static str),
    /// 申请延期 by this many working days, with the reason.
    Extend(u32, &'static str),
    ApproveExtension,
    RejectExtension(&'static str),
    Pause(&'static str),
    Resume(&'static str),
    /// 申请销号: measures taken and the result.
    RequestClose(&'static str, &'static str),
    ApproveClose,
    Return(&'static str),
    Confirm,
    Reopen(&'static str),
    Cancel(&'static str),
    /// 剥笋: the item is split into children, assigned at once.
    Split(&'static [Child]),
}

/// A child of a split: its unit, deadline and its own steps (working days before today).
pub struct Child {
    pub title: &'static str,
    pub unit: &'static str,
    pub workdays: u32,
    pub steps: &'static [(u32, Step)],
}

pub struct Story {
    pub title: &'static str,
    pub description: &'static str,
    pub source: Source,
    pub priority: Priority,
    pub tags: &'static [&'static str],
    /// The responsible unit (by code); its liaison takes the unit's steps.
    pub unit: &'static str,
    pub related: &'static str,
    /// Registered by the leader (领导批示) rather than the office.
    pub by_leader: bool,
    /// Working days before today it was registered.
    pub registered: u32,
    pub draft: bool,
    /// Steps, each with the working days before today it was taken (in order).
    pub steps: &'static [(u32, Step)],
}

const fn story(
    title: &'static str,
    source: Source,
    unit: &'static str,
    registered: u32,
    steps: &'static [(u32, Step)],
) -> Story {
    Story {
        title,
        description: "",
        source,
        priority: Priority::Normal,
        tags: &[],
        unit,
        related: "",
        by_leader: false,
        registered,
        draft: false,
        steps,
    }
}

const fn described(mut s: Story, description: &'static str, tags: &'static [&'static str]) -> Story {
    s.description = description;
    s.tags = tags;
    s
}

const fn urgent(mut s: Story) -> Story {
    s.priority = Priority::Urgent;
    s
}

const fn important(mut s: Story) -> Story {
    s.priority = Priority::High;
    s
}

const fn project(mut s: Story, related: &'static str) -> Story {
    s.related = related;
    s
}

const fn by_leader(mut s: Story) -> Story {
    s.by_leader = true;
    s
}

const fn draft(mut s: Story) -> Story {
    s.draft = true;
    s
}

use Source::*;
use Step::*;

pub const STORIES: &[Story] = &[
    // —— 已销号（部分已回头看）——
    important(described(
        story(
            "两所学校综合楼因历史遗留问题无法办理施工许可",
            Inspection,
            "JJ-027",
            110,
            &[
                (109, Assign(30)),
                (107, Accept),
                (95, Report("已会同自然资源局梳理用地手续，形成容缺受理方案")),
                (84, RequestClose("容缺受理、并联审批，补齐消防审查意见", "两所学校综合楼已取得施工许可证并开工")),
                (83, ApproveClose),
                (60, Confirm),
            ],
        ),
        "为民办实事专项帮督中发现：两所学校综合楼因历史遗留用地问题无法办理施工许可，项目推进受阻。",
        &["教育", "审批"],
    )),
    described(
        story(
            "农村自来水管网铺设后无法供水",
            Hotline,
            "JJ-031",
            104,
            &[
                (103, Assign(20)),
                (102, Accept),
                (96, Report("排查发现加压泵站未通电，已协调供电公司")),
                (88, RequestClose("泵站接入专线电源，管网冲洗消毒", "3 个自然村 1200 户恢复正常供水，水质检测合格")),
                (87, ApproveClose),
                (65, Confirm),
            ],
        ),
        "12345 热线集中反映：村里自来水管网铺设完成半年，仍无法正常供水。",
        &["供水", "民生"],
    ),
    described(
        story(
            "公共文化空间建成后长期闲置",
            Inspection,
            "JJ-033",
            100,
            &[
                (99, Assign(25)),
                (97, Accept),
                (90, Report("已引入社会力量运营，制定开放时间表")),
                (80, RequestClose("委托第三方运营，每周开放不少于 40 小时", "已恢复开放，月均接待群众 3000 余人次")),
                (79, Return("开放时间未公示，请补充现场照片及公示材料")),
                (76, RequestClose("委托第三方运营并公示开放时间", "已恢复开放并在入口公示，月均接待 3000 余人次")),
                (75, ApproveClose),
            ],
        ),
        "督查发现部分公共文化空间建成后大门紧锁，群众无法使用。",
        &["文化"],
    ),
    project(
        story(
            "推动“微车管所”进五里工业园区",
            Project,
            "JJ-021",
            96,
            &[
                (95, Assign(20)),
                (94, Accept),
                (85, Report("选址已确定，设备进场调试")),
                (78, RequestClose("完成场地改造和设备调试", "“微车管所”已在园区挂牌运行")),
                (77, ApproveClose),
            ],
        ),
        "推动“微车管所”进五里工业园区",
    ),
    story(
        "企业申报质量奖过程中遇到材料审核困难",
        Enterprise,
        "JJ-038",
        92,
        &[
            (91, Assign(10)),
            (90, Accept),
            (86, RequestClose("安排专人一对一指导材料准备", "企业已完成申报并通过形式审查")),
            (85, ApproveClose),
            (55, Confirm),
        ],
    ),
    project(
        story(
            "金井镇湖厝村三池公园池塘清淤工程进度滞后",
            Project,
            "JJ-T10",
            88,
            &[
                (87, Assign(15)),
                (86, Accept),
                (73, Report("清淤完成 60%")),
                (70, RequestClose("增加清淤设备两台，延长作业时间", "池塘清淤完成，岸坡修复")),
                (69, ApproveClose),
            ],
        ),
        "金井镇湖厝村三池公园池塘清淤工程",
    ),
    story(
        "政务服务大厅“局长走流程”发现不动产登记材料重复提交",
        Walkthrough,
        "JJ-026",
        84,
        &[
            (83, Assign(10)),
            (83, Accept),
            (78, RequestClose("与税务数据共享，取消重复提交的完税证明", "不动产登记材料由 9 项压减至 6 项")),
            (77, ApproveClose),
            (50, Confirm),
        ],
    ),
    project(
        story(
            "灵源街道大山后社区泉源路停车场改造项目",
            Project,
            "JJ-S05",
            80,
            &[
                (79, Assign(20)),
                (78, Accept),
                (60, RequestClose("完成地面硬化和划线", "新增停车位 86 个，已投入使用")),
                (59, ApproveClose),
            ],
        ),
        "大山后社区泉源路停车场改造项目",
    ),
    story(
        "小区宠物在公共场所随地排泄问题",
        Suggestion,
        "JJ-S01",
        76,
        &[
            (75, Assign(10)),
            (74, Accept),
            (68, RequestClose("设置宠物便便箱，物业加强巡查", "小区公共区域卫生明显改善，群众评价满意")),
            (67, ApproveClose),
        ],
    ),
    project(
        story(
            "池店镇启承路路灯改造项目",
            Project,
            "JJ-T02",
            72,
            &[
                (71, Assign(15)),
                (70, Accept),
                (55, Report("路灯基础施工完成")),
                // Written off late: the write-off came after 催办.
                (52, RequestClose("更换 LED 路灯 126 盏", "启承路夜间照明恢复正常")),
                (51, ApproveClose),
            ],
        ),
        "池店镇启承路路灯改造项目",
    ),
    story(
        "私自乱搭乱占水渠及圈养鸡鸭污染环境",
        Hotline,
        "JJ-T08",
        68,
        &[
            (67, Assign(10)),
            (66, Accept),
            (60, RequestClose("拆除违搭 12 处，清理水渠 800 米", "水渠恢复畅通，周边环境整洁")),
            (59, ApproveClose),
            (40, Confirm),
        ],
    ),
    story(
        "零工驿站招聘信息更新不及时",
        Suggestion,
        "JJ-025",
        64,
        &[
            (63, Assign(8)),
            (62, Accept),
            (57, RequestClose("建立每日信息更新机制", "驿站信息每日更新，上线小程序查询")),
            (56, ApproveClose),
        ],
    ),
    story(
        "地震应急避难场所标识缺失、供水设备未测试",
        Inspection,
        "JJ-036",
        60,
        &[
            (59, Assign(10)),
            (58, Accept),
            (52, RequestClose("补设标识标牌 48 块，完成供水设备测试", "11 处避难场所设施齐全可用")),
            (51, ApproveClose),
            (30, Confirm),
        ],
    ),
    story(
        "存量房买卖合同网签需多次跑窗口",
        Walkthrough,
        "JJ-027",
        56,
        &[
            (55, Assign(10)),
            (55, Accept),
            (49, RequestClose("上线掌上自助网签", "存量房网签实现“零跑腿”")),
            (48, ApproveClose),
        ],
    ),
    story(
        "学校周边道路上下学时段拥堵",
        Hotline,
        "JJ-028",
        52,
        &[
            (51, Assign(12)),
            (50, Accept),
            (41, RequestClose("增设临时停车区，错峰放学", "高峰通行时间缩短一半")),
            (40, ApproveClose),
        ],
    ),
    story(
        "老旧小区雨污管网混接",
        Meeting,
        "JJ-043",
        48,
        &[
            (47, Assign(15)),
            (46, Accept),
            (34, RequestClose("完成雨污分流改造 1.2 公里", "混接点全部整改")),
            (33, ApproveClose),
        ],
    ),
    // —— 申请销号，待督查室审核 ——
    project(
        story(
            "紫帽镇文体活动广场口袋公园建设",
            Project,
            "JJ-T06",
            60,
            &[
                (59, Assign(65)),
                (58, Accept),
                (40, Report("园路和健身器材安装完成")),
                (3, RequestClose("完成绿化种植和照明安装", "口袋公园已建成开放")),
            ],
        ),
        "紫帽镇文体活动广场口袋公园建设",
    ),
    story(
        "危旧房屋翻建审批流程繁琐",
        Walkthrough,
        "JJ-027",
        45,
        &[
            (44, Assign(50)),
            (43, Accept),
            (30, Report("已拟定审批流程优化方案，征求意见中")),
            (2, RequestClose("审批环节由 7 个压减为 4 个，实行联审", "危旧房屋翻建审批时限由 30 个工作日压缩至 12 个")),
        ],
    ),
    project(
        story(
            "永和镇困难老年人家庭适老化改造",
            Project,
            "JJ-T08",
            50,
            &[
                (49, Assign(55)),
                (48, Accept),
                (25, Report("已完成 40 户改造")),
                (4, RequestClose("完成 65 户适老化改造", "改造户全部验收合格")),
            ],
        ),
        "困难老年人家庭适老化改造",
    ),
    story(
        "社区卫生服务站夜间无人值守",
        Hotline,
        "JJ-034",
        30,
        &[
            (29, Assign(30)),
            (28, Accept),
            (1, RequestClose("实行夜间轮班，公布值班电话", "夜间值守已落实，群众回访满意")),
        ],
    ),
    story(
        "园区企业用工招聘难",
        Enterprise,
        "JJ-025",
        35,
        &[
            (34, Assign(40)),
            (33, Accept),
            (15, Report("组织专场招聘会 2 场")),
            (1, RequestClose("举办专场招聘会，搭建校企合作平台", "帮助企业招聘 320 人")),
        ],
    ),
    story(
        "农村公路安全隐患整治",
        Inspection,
        "JJ-028",
        40,
        &[
            (39, Assign(30)),
            (38, Accept),
            (5, RequestClose("增设护栏 2.3 公里、警示标志 40 处", "排查的 18 处隐患全部整改")),
        ],
    ),
    // —— 办理中：按期推进 ——
    project(
        story(
            "龙湖旅阅小镇建设项目进度滞后",
            Project,
            "JJ-033",
            40,
            &[(39, Assign(60)), (37, Accept), (20, Report("主体工程完成 70%，室内装修招标中"))],
        ),
        "龙湖旅阅小镇建设项目",
    ),
    urgent(described(
        by_leader(story(
            "市医院晋南分院二期综合楼建设提速",
            Instruction,
            "JJ-T11",
            30,
            &[(29, Assign(45)), (28, Accept), (10, Report("主体结构封顶，机电安装进场"))],
        )),
        "领导批示：该项目关系群众就医，请督查室跟踪督办，每半月报告进展。",
        &["卫生", "重点项目"],
    )),
    project(
        story(
            "磁灶镇黑臭水体治理项目",
            Project,
            "JJ-T04",
            25,
            &[(24, Assign(40)), (23, Accept), (12, Report("截污管网铺设完成 1.5 公里"))],
        ),
        "磁灶镇黑臭水体治理项目",
    ),
    story("政务服务中心无障碍设施不完善", Walkthrough, "JJ-045", 20, &[(19, Assign(30)), (18, Accept)]),
    story(
        "老旧电梯安全评估进展缓慢",
        Project,
        "JJ-038",
        18,
        &[(17, Assign(25)), (16, Accept), (8, Report("已完成 120 台电梯评估"))],
    ),
    story("食品安全巡回快检覆盖不足", Meeting, "JJ-038", 15, &[(14, Assign(25)), (13, Accept)]),
    // —— 办理中：临近期限（临近提醒）——
    project(
        story(
            "罗山街道福埔社区空地停车场建设",
            Project,
            "JJ-S04",
            25,
            &[(24, Assign(26)), (23, Accept), (10, Report("地面硬化完成，待划线"))],
        ),
        "福埔社区空地停车场建设",
    ),
    story(
        "商品房交付后配套道路未移交",
        Hotline,
        "JJ-027",
        22,
        &[(21, Assign(23)), (20, Accept), (9, Report("已约谈开发企业，制定移交计划"))],
    ),
    project(
        story("安海镇户外劳动者驿站建设", Project, "JJ-T03", 30, &[(29, Assign(30)), (27, Accept)]),
        "户外劳动者驿站建设",
    ),
    // —— 办理中：逾期（催办 · 督办 · 通报）——
    important(project(
        story(
            "东石镇檗谷村水泥硬化工程逾期",
            Project,
            "JJ-T07",
            45,
            &[(44, Assign(42)), (42, Accept), (20, Report("因雨季施工受影响，完成 50%"))],
        ),
        "东石镇檗谷村安全厝至秀才厝水泥硬化工程",
    )),
    story(
        "小区电动车充电设施不足",
        Suggestion,
        "JJ-027",
        30,
        &[(29, Assign(27)), (28, Accept), (14, Report("已选定 5 处安装点位"))],
    ),
    story("晋新路积水点改造未完成", Hotline, "JJ-031", 35, &[(34, Assign(29)), (33, Accept)]),
    important(story(
        "中小学食堂配餐单位食品安全监管不到位",
        Inspection,
        "JJ-038",
        40,
        &[(39, Assign(33)), (38, Accept), (20, Report("已检查 35 家配餐单位"))],
    )),
    urgent(project(
        story(
            "高霞社区一体化卫生所建设严重滞后",
            Project,
            "JJ-S01",
            50,
            &[(49, Assign(37)), (47, Accept), (30, Report("装修队伍变更，工期延误"))],
        ),
        "高霞社区一体化卫生所建设",
    )),
    urgent(described(
        project(
            story(
                "英林镇嘉排村气排球训练基地提升项目停工",
                Project,
                "JJ-T09",
                60,
                &[(59, Assign(40)), (57, Accept), (35, Report("施工方资金问题，暂停施工"))],
            ),
            "嘉排村气排球训练基地提升项目",
        ),
        "项目停工超过一个月，群众反映强烈。",
        &["体育"],
    )),
    // —— 办理中：暂停、延期、退回重办、回头看重新打开 ——
    story(
        "深沪镇公园绿地景观提升项目（等待规划调整）",
        Project,
        "JJ-T12",
        40,
        &[(39, Assign(30)), (38, Accept), (25, Pause("规划调整须经市规委会审议，暂停计时"))],
    ),
    story(
        "陈埭镇霞村道路基础设施改善（管线迁改后复工）",
        Project,
        "JJ-T01",
        41,
        &[
            (40, Assign(35)),
            (39, Accept),
            (30, Pause("燃气管线迁改期间无法施工，暂停计时")),
            (20, Resume("管线迁改完成，恢复施工")),
            (8, Report("路基施工完成，准备铺设沥青")),
        ],
    ),
    story(
        "供水管网老化漏损率高",
        Inspection,
        "JJ-031",
        40,
        &[
            (39, Assign(40)),
            (38, Accept),
            (12, Extend(20, "管材采购周期长")),
            (11, RejectExtension("理由不充分，请按原期限完成并优先处理主干管")),
        ],
    ),
    story(
        "梅岭街道竹树下社区夜市规划建设",
        Suggestion,
        "JJ-S02",
        35,
        &[(34, Assign(32)), (33, Accept), (6, Extend(15, "涉及交通组织方案调整，需公安交警部门会审"))],
    ),
    story(
        "商业综合体母婴室缺少",
        Suggestion,
        "JJ-032",
        30,
        &[(29, Assign(28)), (28, Accept), (3, Extend(10, "部分商场装修排期在下月"))],
    ),
    story(
        "后间社区青少年成长陪伴中心建设",
        Project,
        "JJ-S03",
        45,
        &[
            (44, Assign(25)),
            (43, Accept),
            (22, Extend(30, "场地产权变更手续未完成")),
            (21, ApproveExtension),
            (10, Report("场地手续已完成，开始装修")),
        ],
    ),
    story(
        "小区加装电梯审批慢",
        Walkthrough,
        "JJ-027",
        40,
        &[
            (39, Assign(45)),
            (38, Accept),
            (22, RequestClose("简化审批，一窗受理", "加装电梯审批 15 个工作日办结")),
            (21, Return("回访发现部分小区仍需多次提交材料，请继续整改")),
            (12, Report("已与不动产、规划共享材料，避免重复提交")),
        ],
    ),
    story(
        "道路隐患整治后反弹",
        Inspection,
        "JJ-028",
        70,
        &[
            (69, Assign(15)),
            (68, Accept),
            (56, RequestClose("修复坑槽 36 处", "隐患全部整改")),
            (55, ApproveClose),
            (12, Reopen("回头看发现 8 处坑槽再次出现，要求重新整改")),
            (5, Report("已组织复查并返修")),
        ],
    ),
    // —— 已交办，待签收 ——
    story("住宅小区消防通道被占用", Hotline, "JJ-027", 3, &[(2, Assign(10))]),
    story("新建小区配套幼儿园未按期移交", Meeting, "JJ-027", 5, &[(4, Assign(20))]),
    story("陈埭镇岸兜村适老化公园建设", Project, "JJ-T01", 4, &[(3, Assign(30))]),
    story("农村宅基地房屋产权登记进度慢", Inspection, "JJ-026", 6, &[(5, Assign(25))]),
    // Not accepted in time: 催办 while still waiting for 签收.
    story("砌坑村多功能乐享空间建设", Project, "JJ-T05", 12, &[(11, Assign(9))]),
    // —— 已立项，待交办 ——
    story("新塘街道晋新路两侧农田环境整治", Hotline, "JJ-S06", 2, &[]),
    story("龙湖镇图书馆微分馆群建设进度", Project, "JJ-T11", 1, &[]),
    story("成品油零售企业“司机之家”建设", Enterprise, "JJ-032", 0, &[]),
    // Declined by the unit as not theirs, back with the office to assign again.
    story(
        "社区养老服务中心运营经费拨付慢",
        Hotline,
        "JJ-024",
        8,
        &[(7, Assign(15)), (6, Decline("该事项属民政局职责范围，建议改派民政局"))],
    ),
    // —— 草稿 ——
    draft(story("适龄女性HPV疫苗接种活动覆盖率偏低", Meeting, "JJ-034", 1, &[])),
    draft(story("政务服务中心非机动车停车位不足", Walkthrough, "JJ-045", 0, &[])),
    // —— 已撤销 ——
    story("重复登记：晋新路积水点", Hotline, "JJ-031", 30, &[(29, Cancel("与已有事项重复，合并办理"))]),
    story(
        "政务服务中心老年人办事引导",
        Walkthrough,
        "JJ-045",
        25,
        &[(24, Assign(20)), (23, Accept), (10, Cancel("已纳入“走流程”专项整改统一推进"))],
    ),
    // —— 剥笋：一个大问题分给几个单位 ——
    important(described(
        story(
            "校园周边交通安全综合整治",
            Meeting,
            "JJ-028",
            40,
            &[
                (39, Assign(40)),
                (38, Accept),
                (
                    37,
                    Split(&[
                        Child {
                            title: "校园周边增设交通标志标线",
                            unit: "JJ-028",
                            workdays: 20,
                            steps: &[
                                (36, Accept),
                                (20, RequestClose("增设标志 56 块、标线 3 公里", "25 所学校周边完成")),
                                (19, ApproveClose),
                            ],
                        },
                        Child {
                            title: "上下学时段警力护学岗",
                            unit: "JJ-021",
                            workdays: 36,
                            steps: &[(35, Accept), (15, Report("已设护学岗 40 个"))],
                        },
                        Child {
                            title: "AI 校车智能监管系统推广",
                            unit: "JJ-018",
                            workdays: 35,
                            steps: &[(36, Accept), (4, RequestClose("全市校车接入智能监管平台", "接入校车 312 辆"))],
                        },
                    ]),
                ),
            ],
        ),
        "调度会部署：学校周边交通安全问题涉及交通、公安、教育多个部门，分解落实。",
        &["交通", "教育"],
    )),
];
