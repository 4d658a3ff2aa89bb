//! Citizens' appeals: categories (Open311 services), imports, 吐槽大会 meetings, appeals with their
//! callers kept apart, their history and ratings, and Open311 clients' API keys.

use super::columns::*;
use crate::db::Conn;
use crate::error::Result;
use crate::tables::*;
use crate::time::now;
use sea_query::{ColumnDef, Expr, ForeignKey, ForeignKeyAction, Index, IntoIden, Query, Table};

/// The categories a fresh system starts with (the 12345 platforms' usual first level), so that
/// exports import without configuration: (service code, name, group, working days to answer).
const CATEGORIES: &[(&str, &str, &str, i64)] = &[
    ("urban", "城乡建设", "城市管理", 5),
    ("cityscape", "市容环境", "城市管理", 5),
    ("traffic", "交通运输", "城市管理", 5),
    ("utilities", "水电气", "公共服务", 3),
    ("housing", "住房保障", "公共服务", 10),
    ("environment", "生态环境", "城市管理", 5),
    ("market", "市场监管", "经济运行", 5),
    ("labour", "劳动保障", "社会民生", 10),
    ("education", "教育", "社会民生", 10),
    ("health", "卫生健康", "社会民生", 5),
    ("civil", "民政", "社会民生", 10),
    ("agriculture", "农业农村", "经济运行", 10),
    ("safety", "公共安全", "社会治理", 3),
    ("business", "营商环境", "经济运行", 5),
    ("other", "其他", "其他", 10),
];

pub async fn up(c: &mut Conn<'_>) -> Result<()> {
    c.schema(
        Table::create()
            .table(AppealCategories::Table)
            .col(id(AppealCategories::Id))
            .col(text(AppealCategories::Code))
            .col(text(AppealCategories::Name))
            .col(text(AppealCategories::GroupName))
            .col(text_null(AppealCategories::Description))
            .col(big(AppealCategories::TimeLimitDays))
            .col(text_null(AppealCategories::Attributes))
            .col(flag(AppealCategories::Active, true))
            .col(big(AppealCategories::SortOrder))
            .col(big(AppealCategories::Version))
            .col(ts(AppealCategories::UpdatedAt)),
    )
    .await?;
    c.schema(
        Index::create()
            .name("idx_appeal_categories_code")
            .table(AppealCategories::Table)
            .col(AppealCategories::Code)
            .unique(),
    )
    .await?;
    let mut seed = Query::insert();
    seed.into_table(AppealCategories::Table).columns(AppealCategories::insert_columns());
    for (order, (code, name, group, days)) in CATEGORIES.iter().enumerate() {
        seed.values_panic([
            Expr::val(*code),
            Expr::val(*name),
            Expr::val(*group),
            Expr::val(Option::<String>::None),
            Expr::val(*days),
            Expr::val(Option::<String>::None),
            Expr::val(true),
            Expr::val(order as i64 + 1),
            Expr::val(1i64),
            Expr::val(now()),
        ]);
    }
    c.execute(&seed).await?;
    c.schema(
        Table::create()
            .table(AppealImports::Table)
            .col(id(AppealImports::Id))
            .col(text(AppealImports::Filename))
            .col(text(AppealImports::Sha256))
            .col(text_null(AppealImports::Mapping))
            .col(big(AppealImports::RowsTotal))
            .col(big(AppealImports::RowsAdded))
            .col(big(AppealImports::RowsUpdated))
            .col(big(AppealImports::RowsUnchanged))
            .col(big(AppealImports::RowsSkipped))
            .col(big(AppealImports::OwnerUnitId))
            .col(big_null(AppealImports::ImportedBy))
            .col(ts(AppealImports::ImportedAt))
            .foreign_key(
                ForeignKey::create().from(AppealImports::Table, AppealImports::OwnerUnitId).to(Units::Table, Units::Id),
            ),
    )
    .await?;
    c.schema(
        Table::create()
            .table(AppealMeetings::Table)
            .col(id(AppealMeetings::Id))
            .col(big(AppealMeetings::UnitId))
            .col(date(AppealMeetings::HeldOn))
            .col(text(AppealMeetings::Place))
            .col(text(AppealMeetings::Host))
            .col(big(AppealMeetings::Attendees))
            .col(text(AppealMeetings::AttendeeUnits))
            .col(text_null(AppealMeetings::Summary))
            .col(big_null(AppealMeetings::CreatedBy))
            .col(ts(AppealMeetings::CreatedAt))
            .col(ts(AppealMeetings::UpdatedAt))
            .col(big(AppealMeetings::Version))
            .foreign_key(
                ForeignKey::create().from(AppealMeetings::Table, AppealMeetings::UnitId).to(Units::Table, Units::Id),
            ),
    )
    .await?;
    c.schema(
        Table::create()
            .table(Appeals::Table)
            .col(id(Appeals::Id))
            .col(text(Appeals::ExternalId))
            .col(text(Appeals::Channel))
            .col(ts(Appeals::ReceivedAt))
            .col(text(Appeals::Content))
            .col(text_null(Appeals::Address))
            .col(big_null(Appeals::LatE6))
            .col(big_null(Appeals::LonE6))
            .col(text_null(Appeals::Region))
            .col(big_null(Appeals::CategoryId))
            .col(big(Appeals::OwnerUnitId))
            .col(big_null(Appeals::HandlingUnitId))
            .col(text_null(Appeals::HandlingUnitName))
            .col(text(Appeals::Status))
            .col(text_null(Appeals::StatusNotes))
            .col(ts_null(Appeals::AnsweredAt))
            .col(ts_null(Appeals::ExpectedAt))
            .col(text_null(Appeals::Satisfaction))
            .col(big_null(Appeals::ItemId))
            .col(big_null(Appeals::MeetingId))
            .col(text_null(Appeals::Attributes))
            .col(text_null(Appeals::MediaUrl))
            .col(text_null(Appeals::TrackingDigest))
            .col(big_null(Appeals::ImportId))
            .col(text_null(Appeals::RowDigest))
            .col(big_null(Appeals::CreatedBy))
            .col(ts(Appeals::CreatedAt))
            .col(ts(Appeals::UpdatedAt))
            .col(big(Appeals::Version))
            .foreign_key(
                ForeignKey::create()
                    .from(Appeals::Table, Appeals::CategoryId)
                    .to(AppealCategories::Table, AppealCategories::Id)
                    .on_delete(ForeignKeyAction::Restrict),
            )
            .foreign_key(ForeignKey::create().from(Appeals::Table, Appeals::OwnerUnitId).to(Units::Table, Units::Id))
            .foreign_key(ForeignKey::create().from(Appeals::Table, Appeals::HandlingUnitId).to(Units::Table, Units::Id))
            .foreign_key(
                ForeignKey::create()
                    .from(Appeals::Table, Appeals::ItemId)
                    .to(Items::Table, Items::Id)
                    .on_delete(ForeignKeyAction::Restrict),
            )
            .foreign_key(
                ForeignKey::create()
                    .from(Appeals::Table, Appeals::MeetingId)
                    .to(AppealMeetings::Table, AppealMeetings::Id)
                    .on_delete(ForeignKeyAction::Restrict),
            ),
    )
    .await?;
    // Idempotent imports and Open311's service_request_id look appeals up by their number.
    c.schema(Index::create().name("idx_appeals_external_id").table(Appeals::Table).col(Appeals::ExternalId).unique())
        .await?;
    c.schema(Index::create().name("idx_appeals_tracking").table(Appeals::Table).col(Appeals::TrackingDigest).unique())
        .await?;
    // Lists newest first: everything (Open311 without a service), by category (Open311's commonest
    // filter), by the office's area and by the handling unit.
    c.schema(
        Index::create().name("idx_appeals_received").table(Appeals::Table).col(Appeals::ReceivedAt).col(Appeals::Id),
    )
    .await?;
    c.schema(
        Index::create()
            .name("idx_appeals_category_received")
            .table(Appeals::Table)
            .col(Appeals::CategoryId)
            .col(Appeals::ReceivedAt),
    )
    .await?;
    c.schema(
        Index::create()
            .name("idx_appeals_owner_received")
            .table(Appeals::Table)
            .col(Appeals::OwnerUnitId)
            .col(Appeals::ReceivedAt),
    )
    .await?;
    c.schema(
        Index::create()
            .name("idx_appeals_handling_received")
            .table(Appeals::Table)
            .col(Appeals::HandlingUnitId)
            .col(Appeals::ReceivedAt),
    )
    .await?;
    c.schema(Index::create().name("idx_appeals_item").table(Appeals::Table).col(Appeals::ItemId)).await?;
    c.schema(Index::create().name("idx_appeals_meeting").table(Appeals::Table).col(Appeals::MeetingId)).await?;
    c.schema(
        Table::create()
            .table(AppealCallers::Table)
            .col(ColumnDef::new(AppealCallers::AppealId).big_integer().not_null().primary_key())
            .col(text_null(AppealCallers::Name))
            .col(text_null(AppealCallers::Phone))
            .col(text_null(AppealCallers::Email))
            .foreign_key(
                ForeignKey::create()
                    .from(AppealCallers::Table, AppealCallers::AppealId)
                    .to(Appeals::Table, Appeals::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;
    c.schema(
        Table::create()
            .table(AppealEvents::Table)
            .col(id(AppealEvents::Id))
            .col(big(AppealEvents::AppealId))
            .col(text(AppealEvents::Action))
            .col(text_null(AppealEvents::Note))
            .col(big_null(AppealEvents::ActorId))
            .col(ts(AppealEvents::At))
            .foreign_key(
                ForeignKey::create()
                    .from(AppealEvents::Table, AppealEvents::AppealId)
                    .to(Appeals::Table, Appeals::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;
    c.schema(Index::create().name("idx_appeal_events_appeal").table(AppealEvents::Table).col(AppealEvents::AppealId))
        .await?;
    c.schema(
        Table::create()
            .table(AppealRatings::Table)
            .col(id(AppealRatings::Id))
            .col(big_null(AppealRatings::AppealId))
            .col(big_null(AppealRatings::ItemId))
            .col(text(AppealRatings::Level))
            .col(text_null(AppealRatings::Comment))
            .col(text(AppealRatings::Via))
            .col(big_null(AppealRatings::RatedBy))
            .col(ts(AppealRatings::RatedAt))
            .foreign_key(
                ForeignKey::create()
                    .from(AppealRatings::Table, AppealRatings::AppealId)
                    .to(Appeals::Table, Appeals::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .foreign_key(
                ForeignKey::create()
                    .from(AppealRatings::Table, AppealRatings::ItemId)
                    .to(Items::Table, Items::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .await?;
    c.schema(
        Index::create().name("idx_appeal_ratings_appeal").table(AppealRatings::Table).col(AppealRatings::AppealId),
    )
    .await?;
    c.schema(Index::create().name("idx_appeal_ratings_item").table(AppealRatings::Table).col(AppealRatings::ItemId))
        .await?;
    c.schema(
        Table::create()
            .table(Open311Keys::Table)
            .col(id(Open311Keys::Id))
            .col(text(Open311Keys::Name))
            .col(text(Open311Keys::KeyHash))
            .col(text(Open311Keys::Prefix))
            .col(big_null(Open311Keys::CreatedBy))
            .col(ts(Open311Keys::CreatedAt))
            .col(ts_null(Open311Keys::LastUsedAt))
            .col(ts_null(Open311Keys::RevokedAt)),
    )
    .await?;
    c.schema(
        Index::create().name("idx_open311_keys_hash").table(Open311Keys::Table).col(Open311Keys::KeyHash).unique(),
    )
    .await?;
    Ok(())
}

pub async fn down(c: &mut Conn<'_>) -> Result<()> {
    for table in [
        Open311Keys::Table.into_iden(),
        AppealRatings::Table.into_iden(),
        AppealEvents::Table.into_iden(),
        AppealCallers::Table.into_iden(),
        Appeals::Table.into_iden(),
        AppealMeetings::Table.into_iden(),
        AppealImports::Table.into_iden(),
        AppealCategories::Table.into_iden(),
    ] {
        c.schema(Table::drop().table(table)).await?;
    }
    Ok(())
}
