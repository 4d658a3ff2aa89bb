//! Bangdu's domain: the rules of the supervision work, as pure Rust with no I/O and no framework types.
//!
//! Everything here can be unit-tested exhaustively and is reused by storage, the web app and the CLI.
//! The glossary in `DESIGN.md` §10 maps the English names used here to the Chinese terms users see.

#[macro_use]
mod coded_enum;

pub mod appeal;
pub mod audit_chain;
pub mod calendar;
pub mod dates;
pub mod destination;
pub mod field_error;
pub mod ids;
pub mod inspection;
pub mod item;
pub mod password;
pub mod permission;
pub mod project;
pub mod region;
pub mod role;
pub mod scope;
pub mod text;
pub mod unit;

pub use field_error::FieldError;
pub use ids::{
    ApiKeyId, AppealId, AppealImportId, AppealPhotoId, AppealRatingId, AttachmentId, BriefId, CampaignId, CategoryId,
    CheckId, FileId, FindingId, FreezeId, GrantId, ItemId, MeetingId, MemberId, NotificationId, ProjectId, RatingId,
    ReportId, RoundId, SessionId, TargetId, TokenId, UnitId, UserId, WebhookId,
};
