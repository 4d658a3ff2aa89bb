//! Pages for citizens, without sign-in: the public completion table (公开表) and each project's
//! public page, where people rate (五星 + a comment the office approves first) and like (点赞).

pub mod limit;
pub mod project;
pub mod table;

use crate::state::AppState;

/// The supervision phone printed on public pages and boards (a setting).
pub async fn supervision_phone(state: &AppState) -> String {
    let Ok(mut reader) = state.db.reader().await else { return "12345".into() };
    bangdu_store::settings::get(&mut reader.conn(), bangdu_store::settings::SUPERVISION_PHONE)
        .await
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "12345".into())
}
