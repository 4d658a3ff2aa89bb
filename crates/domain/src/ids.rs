//! Typed ids, so a unit id can never be passed where a user id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map($name)
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                $name(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        // Stored as a BIGINT on both backends (feature `sql`, for the storage crate).
        #[cfg(feature = "sql")]
        impl<DB: sqlx::Database> sqlx::Type<DB> for $name
        where
            i64: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <i64 as sqlx::Type<DB>>::type_info()
            }

            fn compatible(ty: &DB::TypeInfo) -> bool {
                <i64 as sqlx::Type<DB>>::compatible(ty)
            }
        }

        #[cfg(feature = "sql")]
        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            i64: sqlx::Decode<'r, DB>,
        {
            fn decode(value: <DB as sqlx::Database>::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                <i64 as sqlx::Decode<'r, DB>>::decode(value).map($name)
            }
        }

        #[cfg(feature = "sql")]
        impl From<$name> for sea_query::Value {
            fn from(id: $name) -> Self {
                sea_query::Value::BigInt(Some(id.0))
            }
        }

        #[cfg(feature = "sql")]
        impl sea_query::Nullable for $name {
            fn null() -> sea_query::Value {
                sea_query::Value::BigInt(None)
            }
        }
    };
}

id_type!(
    /// A unit (单位) in the organisation tree.
    UnitId
);
id_type!(
    /// A user account.
    UserId
);
id_type!(
    /// A supervision item (督导事项).
    ItemId
);
id_type!(
    /// A file attached to an item.
    AttachmentId
);
id_type!(
    /// A project (为民办实事 / 民生微实事 / 重点项目).
    ProjectId
);
id_type!(
    /// A project's monthly report (月度记账).
    ReportId
);
id_type!(
    /// A file attached to a project's report or operating check.
    FileId
);
id_type!(
    /// An operating check of a finished project (运行使用情况).
    CheckId
);
id_type!(
    /// A quarter or year closed for an office's projects (收账 / 清账).
    FreezeId
);
id_type!(
    /// A citizen's rating of a project.
    RatingId
);
id_type!(
    /// A role grant (a role a user holds in a unit).
    GrantId
);
id_type!(
    /// An API token.
    TokenId
);
id_type!(
    /// A signed-in browser session.
    SessionId
);
id_type!(
    /// A unit's webhook.
    WebhookId
);
id_type!(
    /// An inbox notification.
    NotificationId
);
id_type!(
    /// A member of the personnel pool (人员库).
    MemberId
);
id_type!(
    /// A campaign (专项行动).
    CampaignId
);
id_type!(
    /// A round (批次) of a campaign.
    RoundId
);
id_type!(
    /// A target of a round (a project, unit or item to visit).
    TargetId
);
id_type!(
    /// A finding recorded on site by a team (帮督发现).
    FindingId
);
id_type!(
    /// A 帮督报告 of a round or of one team.
    BriefId
);
id_type!(
    /// A citizen's appeal (诉求): a 12345 work order, an Open311 request, a web form, a meeting's issue.
    AppealId
);
id_type!(
    /// An appeal category (诉求分类), which Open311 calls a service.
    CategoryId
);
id_type!(
    /// One import of a 12345 export.
    AppealImportId
);
id_type!(
    /// An Open311 client's API key.
    ApiKeyId
);
id_type!(
    /// A 吐槽大会 (neighbourhood complaint meeting).
    MeetingId
);
id_type!(
    /// A 好差评 rating of an appeal or an item.
    AppealRatingId
);
id_type!(
    /// A photo sent with an appeal (from the public form).
    AppealPhotoId
);
