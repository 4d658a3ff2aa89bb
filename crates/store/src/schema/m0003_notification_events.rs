//! Notifications remember the event that raised them (`item.assigned`, `item.close_requested`…),
//! so that a 待办 is marked done when somebody answers it; and they are found by item for that.

use crate::db::Conn;
use crate::error::Result;
use crate::tables::*;
use sea_query::{ColumnDef, Index, Table};

pub async fn up(c: &mut Conn<'_>) -> Result<()> {
    c.schema(Table::alter().table(Notifications::Table).add_column(ColumnDef::new(Notifications::Event).text().null()))
        .await?;
    c.schema(Index::create().name("idx_notifications_item").table(Notifications::Table).col(Notifications::ItemId))
        .await?;
    Ok(())
}

pub async fn down(c: &mut Conn<'_>) -> Result<()> {
    c.schema(Index::drop().name("idx_notifications_item").table(Notifications::Table)).await?;
    c.schema(Table::alter().table(Notifications::Table).drop_column(Notifications::Event)).await?;
    Ok(())
}
