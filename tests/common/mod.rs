//! What the command-line tests share: the binary, run on a test database.

#![allow(dead_code)]

use bangdu_store::testing::TestDb;
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_bangdu");

pub fn bangdu(db: &TestDb, args: &[&str]) -> Output {
    Command::new(BIN).args(args).env("BANGDU_DATABASE_URL", &db.url).env("BANGDU_LOG", "warn").output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
