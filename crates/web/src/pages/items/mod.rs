//! 督导事项 pages, a file per action: the list, an item's page, the new-item form, actions,
//! splits and attachments.

pub mod act;
pub mod acted;
pub mod attachments;
pub mod batch;
pub mod list;
pub mod new;
pub mod show;
pub mod split;

pub use list::ListParams;

use crate::error::{WebError, WebResult};
use crate::input::fields::Fields;
use bangdu_domain::item::Action;

/// 销号 ends items for good: a form that writes off (one item or a batch) must carry the tick that
/// the result was verified. The API's caller says so by calling; a page's must tick it.
pub fn write_off_confirmed(fields: &Fields) -> WebResult<()> {
    let writes_off = fields.text("action").and_then(|a| Action::parse(&a)) == Some(Action::ApproveClose);
    if writes_off && !fields.flag("confirm") {
        return Err(WebError::invalid("confirm", "请勾选“已核实整改结果”后再销号"));
    }
    Ok(())
}
