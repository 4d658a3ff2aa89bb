//! Items not yet assigned (草稿, 已立项) are shown only to the registering office's jurisdiction: the
//! visibility index is rewritten under that rule (see `item_access`). No table changes.

use crate::db::Conn;
use crate::error::Result;

pub async fn up(c: &mut Conn<'_>) -> Result<()> {
    crate::item_access::rebuild_all(c).await
}

/// The index is derived data: going back rewrites it under whatever rule the running code has.
pub async fn down(c: &mut Conn<'_>) -> Result<()> {
    crate::item_access::rebuild_all(c).await
}
