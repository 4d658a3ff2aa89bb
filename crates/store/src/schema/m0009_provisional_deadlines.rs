//! A deadline counted in working days into a year whose State Council notice is not loaded yet is
//! 暂定 (provisional, on the statutory holidays alone): the item remembers it, to be counted again
//! when the notice is loaded.

use crate::db::Conn;
use crate::error::Result;
use crate::tables::*;
use sea_query::{ColumnDef, Table};

pub async fn up(c: &mut Conn<'_>) -> Result<()> {
    c.schema(
        Table::alter()
            .table(Items::Table)
            .add_column(ColumnDef::new(Items::DeadlineProvisional).boolean().not_null().default(false)),
    )
    .await?;
    Ok(())
}

pub async fn down(c: &mut Conn<'_>) -> Result<()> {
    c.schema(Table::alter().table(Items::Table).drop_column(Items::DeadlineProvisional)).await?;
    Ok(())
}
