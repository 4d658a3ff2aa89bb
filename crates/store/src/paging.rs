//! Pagination as every list in the API answers it: `{"data":[…],"total":N,"page":P,"per_page":K}`.

use sea_query::{Alias, Expr, Query, SelectStatement};
use serde::Serialize;

pub const DEFAULT_PER_PAGE: u64 = 20;
pub const MAX_PER_PAGE: u64 = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// 1-based.
    pub page: u64,
    pub per_page: u64,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest { page: 1, per_page: DEFAULT_PER_PAGE }
    }
}

impl PageRequest {
    /// Clamps to sane values: page ≥ 1, 1 ≤ per_page ≤ 500.
    pub fn new(page: Option<u64>, per_page: Option<u64>) -> PageRequest {
        PageRequest {
            page: page.unwrap_or(1).max(1),
            per_page: per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE),
        }
    }

    pub fn offset(&self) -> u64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Paged<T> {
    pub data: Vec<T>,
    pub total: i64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Paged<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Paged<U> {
        Paged {
            data: self.data.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }

    pub fn pages(&self) -> u64 {
        (self.total.max(0) as u64).div_ceil(self.per_page.max(1)).max(1)
    }
}

/// `SELECT COUNT(…) AS n` decodes into this.
#[derive(sqlx::FromRow)]
pub(crate) struct CountRow {
    pub n: i64,
}

/// `SELECT COUNT(*) AS n FROM (<select>)`: the total for a filtered list, whatever its joins.
pub(crate) fn count_of(select: &SelectStatement) -> SelectStatement {
    Query::select()
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from_subquery(select.clone(), Alias::new("counted"))
        .to_owned()
}
