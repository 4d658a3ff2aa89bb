//! A member's load: the batches (批次 — one team sent to one target) they served in a year, counted
//! from the seats they hold on targets that were not dropped — never typed in, so it cannot drift
//! from the record. The year is the year of the visit.

use crate::db::Conn;
use crate::error::Result;
use crate::tables::{RoundTargets, Rounds, TeamSeats};
use bangdu_domain::{MemberId, RoundId};
use chrono::{Datelike, NaiveDate};
use sea_query::{Expr, ExprTrait, JoinType, Query, SelectStatement};
use std::collections::{BTreeSet, HashMap};

#[derive(sqlx::FromRow)]
struct SeatDay {
    member_id: MemberId,
    visit_on: NaiveDate,
}

fn seats_of(ids: &[MemberId], except: Option<RoundId>) -> SelectStatement {
    let mut select = Query::select();
    select
        .column((TeamSeats::Table, TeamSeats::MemberId))
        .column((RoundTargets::Table, RoundTargets::VisitOn))
        .from(TeamSeats::Table)
        .join(
            JoinType::InnerJoin,
            RoundTargets::Table,
            Expr::col((RoundTargets::Table, RoundTargets::Id)).equals((TeamSeats::Table, TeamSeats::TargetId)),
        )
        .join(
            JoinType::InnerJoin,
            Rounds::Table,
            Expr::col((Rounds::Table, Rounds::Id)).equals((RoundTargets::Table, RoundTargets::RoundId)),
        )
        .and_where(Expr::col((RoundTargets::Table, RoundTargets::DroppedAt)).is_null())
        .and_where(Expr::col((TeamSeats::Table, TeamSeats::MemberId)).is_in(ids.iter().copied()));
    if let Some(round) = except {
        select.and_where(Expr::col((Rounds::Table, Rounds::Id)).ne(round));
    }
    select
}

/// Per member, the seats they hold on visits in `year` (leaving out `except`, the round being
/// formed).
pub async fn loads_in_year(
    c: &mut Conn<'_>,
    ids: &[MemberId],
    year: i32,
    except: Option<RoundId>,
) -> Result<HashMap<MemberId, i64>> {
    let mut loads: HashMap<MemberId, i64> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<SeatDay> = c.fetch_all(&seats_of(chunk, except)).await?;
        for r in rows.into_iter().filter(|r| r.visit_on.year() == year) {
            *loads.entry(r.member_id).or_default() += 1;
        }
    }
    Ok(loads)
}

/// Per member, the days they visit a target of another round, and their load in `year`.
pub async fn busy_and_load(
    c: &mut Conn<'_>,
    ids: &[MemberId],
    year: i32,
    except: RoundId,
) -> Result<HashMap<MemberId, (Vec<NaiveDate>, u32)>> {
    let mut out: HashMap<MemberId, (BTreeSet<NaiveDate>, u32)> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<SeatDay> = c.fetch_all(&seats_of(chunk, Some(except))).await?;
        for r in rows {
            let entry = out.entry(r.member_id).or_default();
            entry.0.insert(r.visit_on);
            if r.visit_on.year() == year {
                entry.1 += 1;
            }
        }
    }
    Ok(out.into_iter().map(|(m, (days, load))| (m, (days.into_iter().collect(), load))).collect())
}
