//! 批量办理 from the item list: the ticked rows, one action, the list again with what became of
//! each (done, or why not).

use super::list::{ListParams, list_page};
use crate::auth::PageUser;
use crate::input::items::BatchBody;
use crate::pages::errors::PageResult;
use crate::pages::flash;
use crate::pages::forms::CsrfFields;
use crate::state::AppState;
use axum::extract::State;
use bangdu_domain::item::Action;

pub async fn batch_form(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfFields(fields): CsrfFields,
) -> PageResult {
    let back: ListParams = serde_urlencoded::from_str(&fields.text("back").unwrap_or_default()).unwrap_or_default();
    let label = fields.text("action").and_then(|a| Action::parse(&a)).map_or("办理", |a| a.label());
    // 销号 ends items for good: the same tick as on an item's page.
    if let Err(e) = super::write_off_confirmed(&fields) {
        return list_page(&state, &authed, back, flash::error(format!("批量{label}未完成：{}", e.message))).await;
    }
    let message = match BatchBody::from_fields(&fields) {
        Ok(body) => match body.run(&state, &authed).await {
            Ok(out) => {
                let refused: Vec<String> = out
                    .results
                    .iter()
                    .filter(|r| !r.ok)
                    .map(|r| {
                        format!(
                            "{}：{}",
                            r.code.clone().unwrap_or_else(|| format!("事项 {}", r.id)),
                            r.message.clone().unwrap_or_default()
                        )
                    })
                    .collect();
                if refused.is_empty() {
                    flash::success(format!("已批量{label} {} 件", out.done))
                } else {
                    flash::error(format!(
                        "已批量{label} {} 件；{} 件未办理 —— {}",
                        out.done,
                        out.refused,
                        refused.join("；")
                    ))
                }
            }
            Err(e) if e.status.is_client_error() => flash::error(format!("批量{label}未完成：{}", e.message)),
            Err(e) => return Err(e),
        },
        Err(e) => flash::error(format!("批量{label}未完成：{}", e.message)),
    };
    list_page(&state, &authed, back, message).await
}
