//! Messages shown after a form is handled. The handler redirects with `?done=<code>` and the page
//! shows the sentence for that code: no session state, and nothing user-typed is echoed back.

use super::shell::Flash;

pub fn from_code(code: Option<&str>) -> Option<Flash> {
    let text = match code? {
        "created" => "已创建",
        "appeals_sent" => "已转办为督导事项",
        "appeal_rated" => "已记录回访评价",
        "meeting_recorded" => "吐槽大会已记录，群众提出的问题已逐条登记为诉求",
        "category_saved" => "诉求分类已保存",
        "key_revoked" => "密钥已吊销，该接入方不能再提交诉求",
        "saved" => "已保存",
        "moved" => "已移动",
        "deactivated" => "已停用",
        "activated" => "已启用",
        "imported" => "导入完成",
        "password" => "密码已修改，其他设备上的登录已退出",
        "reset" => "密码已重置，该用户的所有登录已退出",
        "unlocked" => "账号已解锁",
        "ended" => "会话已结束",
        "revoked" => "令牌已吊销",
        "roles" => "角色已更新",
        "year" => "年度节假日安排已载入",
        "signed_out" => "已安全退出",
        "acted" => "操作已完成",
        "uploaded" => "附件已上传",
        "split" => "已分解为子事项并交办",
        "read" => "已标为已读",
        "none_chosen" => "请先勾选消息",
        "webhook_off" => "推送地址已停用",
        "reported" => "月度进展已报送，亮灯已重新计算",
        "checked" => "审核意见已保存",
        "drawn" => "已抽取督查对象，种子和候选名单已保存",
        "formed" => "已组队",
        "finding" => "问题已记录",
        "issued" => "报告已印发，内容已固定",
        "raised" => "已转为督导事项，请交办责任单位",
        "check_normal" => "运行检查已记录：运行正常",
        "check_problem" => "运行检查已记录：发现问题",
        "check_raised" => "运行检查发现的问题已转为督导事项",
        "moderated" => "留言已审核",
        "frozen" => "已收账：所涉项目本期数据已固定",
        _ => return None,
    };
    Some(Flash { kind: "success", text: text.into() })
}

pub fn error(text: impl Into<String>) -> Option<Flash> {
    Some(Flash { kind: "error", text: text.into() })
}

pub fn success(text: impl Into<String>) -> Option<Flash> {
    Some(Flash { kind: "success", text: text.into() })
}
