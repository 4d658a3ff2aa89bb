//! `item_access`: who can see an item, flattened for fast scoped lists (see `item_access`),
//! filled for the items that already exist.

use super::columns::*;
use crate::db::Conn;
use crate::error::Result;
use crate::tables::*;
use sea_query::{ColumnDef, Index, Table};

pub async fn up(c: &mut Conn<'_>) -> Result<()> {
    c.schema(
        Table::create()
            .table(ItemAccess::Table)
            .col(big(ItemAccess::ItemId))
            .col(big(ItemAccess::UnitId))
            .col(flag(ItemAccess::Direct, false))
            .col(text(ItemAccess::State))
            .col(flag(ItemAccess::Open, true))
            .col(ColumnDef::new(ItemAccess::DeadlineKey).date().not_null())
            .primary_key(Index::create().col(ItemAccess::ItemId).col(ItemAccess::UnitId)),
    )
    .await?;
    // A unit's items in one state, soonest deadline first; and its open items the same way.
    for (name, middle) in [("idx_item_access_state", ItemAccess::State), ("idx_item_access_open", ItemAccess::Open)] {
        c.schema(
            Index::create()
                .name(name)
                .table(ItemAccess::Table)
                .col(ItemAccess::UnitId)
                .col(middle)
                .col(ItemAccess::DeadlineKey)
                .col(ItemAccess::ItemId)
                .col(ItemAccess::Direct),
        )
        .await?;
    }
    crate::item_access::rebuild_all(c).await
}

pub async fn down(c: &mut Conn<'_>) -> Result<()> {
    c.schema(Table::drop().table(ItemAccess::Table)).await?;
    Ok(())
}
