//! The demo dataset (`serve --demo`): the Quanzhou city tree with its county-level units, Jinjiang's
//! towns, streets and departments (the lead units of the real 2023 Jinjiang table), and one account
//! per role; and the supervision items of a few months of a county office's work (`stories.rs`).

mod appeals;
mod inspections;
mod items;
mod projects;
mod stories;

use bangdu_domain::UserId;
use bangdu_domain::role::Role;
use bangdu_store::grants::GrantInput;
use bangdu_store::users::{self, NewUser};
use bangdu_store::{Actor, Db, passwords, unit_csv, units};
use std::collections::HashMap;

const UNITS_CSV: &str = include_str!("quanzhou-units.csv");

/// The one password of every demo account (they are for trying Bangdu, never for production).
pub const PASSWORD: &str = "Bangdu@2025";

pub struct Account {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: Role,
    pub unit_code: &'static str,
    pub what: &'static str,
}

pub const ACCOUNTS: [Account; 5] = [
    Account {
        username: "admin",
        display_name: "系统管理员",
        role: Role::Admin,
        unit_code: "350500",
        what: "泉州市 · 系统管理员（全部数据）",
    },
    Account {
        username: "office",
        display_name: "陈督查",
        role: Role::Office,
        unit_code: "350582",
        what: "晋江市 · 督查室（晋江市及下级）",
    },
    Account {
        username: "inspector",
        display_name: "林帮督",
        role: Role::Inspector,
        unit_code: "NA-ZJJ",
        what: "南安市住建局 · 帮督人员",
    },
    Account {
        username: "unit",
        display_name: "黄联络",
        role: Role::Unit,
        unit_code: "JJ-027",
        what: "晋江市住建局 · 责任单位联络员",
    },
    Account {
        username: "leader",
        display_name: "王领导",
        role: Role::Leader,
        unit_code: "350582",
        what: "晋江市 · 领导（晋江市及下级）",
    },
];

fn demo_actor() -> Actor {
    Actor::system("demo")
}

/// Loads the demo data into an empty database; returns false (and changes nothing) otherwise.
/// Checking and loading happen in one transaction under the bootstrap lock, so two nodes started
/// together with `--demo` load the data once.
pub async fn load_if_empty(db: &Db) -> anyhow::Result<bool> {
    let csv: String = UNITS_CSV.lines().filter(|l| !l.starts_with('#')).map(|l| format!("{l}\n")).collect();
    let hash = tokio::task::spawn_blocking(|| passwords::hash(PASSWORD)).await??;
    let mut tx = db.begin_bootstrap().await?;
    let mut c = tx.conn();
    if units::count_all(&mut c).await? > 0 {
        return Ok(false);
    }
    unit_csv::import(&mut c, &demo_actor(), csv.as_bytes()).await?;
    let mut ids: HashMap<&'static str, UserId> = HashMap::new();
    for account in &ACCOUNTS {
        let unit = units::get_by_code(&mut c, &Actor::system("demo"), account.unit_code).await?;
        let user = users::create(
            &mut c,
            &demo_actor(),
            NewUser {
                username: account.username.into(),
                display_name: account.display_name.into(),
                phone: None,
                email: None,
                password_hash: hash.clone(),
                must_change_password: false,
                grants: vec![GrantInput {
                    role: account.role,
                    unit: unit.unit_id(),
                    data_scope: None,
                    custom_units: vec![],
                }],
            },
        )
        .await?;
        ids.insert(account.username, UserId(user.row.id));
    }
    items::load(&mut c, &ids, &hash).await?;
    let cal = bangdu_store::calendar::load(&mut c).await?;
    projects::load(&mut c, &cal, bangdu_store::time::today()).await?;
    inspections::load(&mut c, &cal, bangdu_store::time::today()).await?;
    appeals::load(&mut c, &cal, bangdu_store::time::today(), &ids).await?;
    tx.commit().await?;
    Ok(true)
}

pub fn accounts_text() -> String {
    let mut text = format!("演示账号（密码均为 {PASSWORD}）：");
    for a in &ACCOUNTS {
        text.push_str(&format!("\n  {:<10} {}", a.username, a.what));
    }
    text
}
