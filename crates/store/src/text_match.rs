//! LIKE patterns built from user-typed text, with `%`, `_` and `\` escaped so they match literally.

use sea_query::{Expr, ExprTrait, IntoColumnRef, LikeExpr, SimpleExpr};

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// `column` contains `text` anywhere.
pub fn contains(column: impl IntoColumnRef, text: &str) -> SimpleExpr {
    Expr::col(column).like(LikeExpr::new(format!("%{}%", escape(text))).escape('\\'))
}

/// `column` starts with `text`.
pub fn starts_with(column: impl IntoColumnRef, text: &str) -> SimpleExpr {
    Expr::col(column).like(LikeExpr::new(format!("{}%", escape(text))).escape('\\'))
}

/// `column` ends with `text`.
pub fn ends_with(column: impl IntoColumnRef, text: &str) -> SimpleExpr {
    Expr::col(column).like(LikeExpr::new(format!("%{}", escape(text))).escape('\\'))
}
