//! The sentence shown after an action on an item: what was done, to whom, until when — read from
//! the item as it now stands, so the official sees the result rather than "操作已完成".

use crate::output::items::ItemOut;
use bangdu_domain::item::Action;

pub fn message(action: Action, item: &ItemOut) -> String {
    let unit = item.responsible_unit.as_ref().map(|u| u.name.as_str()).unwrap_or("责任单位");
    let deadline = item.deadline.map(|d| d.to_string());
    let until = |prefix: &str| deadline.as_ref().map(|d| format!("，{prefix} {d}")).unwrap_or_default();
    match action {
        Action::Register => "已登记，请交办责任单位".into(),
        Action::Assign => format!("已交办{unit}{}", until("期限")),
        Action::Decline => "已拒签，事项退回督查办重新交办".into(),
        Action::Accept => format!("已签收{}", until("期限")),
        Action::Report => "进展已报送".into(),
        Action::RequestClose => "已申请销号，等待督查办审核".into(),
        Action::ApproveClose => "已销号，审核意见已记入全记录".into(),
        Action::Return => format!("已退回{unit}重新整改"),
        Action::Confirm => "已确认整改成效".into(),
        Action::Reopen => format!("已回头看重启，交{unit}重新办理{}", until("新期限")),
        Action::RequestExtension => "延期申请已提交，等待督查办审核".into(),
        Action::ApproveExtension => format!("已同意延期{}", until("新期限")),
        Action::RejectExtension => format!("已驳回延期申请{}", until("期限仍为")),
        Action::Pause => "已暂停计时".into(),
        Action::Resume => format!("已恢复计时{}", until("期限顺延至")),
        Action::Cancel => "已撤销".into(),
    }
}
