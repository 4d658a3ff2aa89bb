//! The `bangdu` command line, run as a person or a script would run it. Each test gets a fresh
//! database (SQLite, or PostgreSQL when `BANGDU_TEST_DATABASE_URL` is set).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use bangdu_store::tables::{AuditEvents, JobRuns};
use bangdu_store::testing::TestDb;
use sea_query::{Expr, ExprTrait, Query};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

mod common;

use common::{BIN, bangdu, stderr, stdout};

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const TREE: &str = "code,name,parent,kind,region\n350500,泉州市,,人民政府,350500\n350582,晋江市,350500,government,350582\nJJ-ZJJ,住建局,350582,部门,\n";

#[test]
fn help_is_clear_for_every_command() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let text = stdout(&out);
    for command in ["serve", "migrate", "import", "export", "admin", "audit", "calendar", "jobs", "backup", "restore"] {
        assert!(text.contains(command), "{command} missing from --help");
    }
    for args in [
        vec!["serve", "--help"],
        vec!["import", "units", "--help"],
        vec!["admin", "create-user", "--help"],
        vec!["admin", "token", "--help"],
        vec!["audit", "verify", "--help"],
        vec!["calendar", "add", "--help"],
        vec!["backup", "--help"],
    ] {
        let out = Command::new(BIN).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(stdout(&out).contains("--database"), "{args:?} takes --database");
    }
}

#[tokio::test]
async fn units_import_export_and_a_bad_row_names_line_and_field() {
    let db = TestDb::new().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let good = write(&dir, "units.csv", TREE);
    let out = bangdu(&db, &["import", "units", &good]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("新建 3 个"), "{}", stdout(&out));
    let bad = write(
        &dir,
        "bad.csv",
        "code,name,parent,kind,region\nJJ-T01,安海镇,350582,乡镇,\nJJ-T02,磁灶镇,NOWHERE,乡镇,\n",
    );
    let out = bangdu(&db, &["import", "units", &bad]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("第 3 行，“上级单位代码”列"), "{}", stderr(&out));
    let out = bangdu(&db, &["export", "units"]);
    assert_eq!(
        stdout(&out),
        "单位代码,单位名称,上级单位代码,单位类型,行政区划代码\n350500,泉州市,,人民政府,350500\n350582,晋江市,350500,人民政府,350582\nJJ-ZJJ,住建局,350582,部门,\n"
    );
    // The Chinese export imports back as it is: nothing changes.
    let exported = write(&dir, "exported.csv", &stdout(&out));
    let again = bangdu(&db, &["import", "units", &exported]);
    assert!(stdout(&again).contains("新建 0 个，更新 0 个，未变 3 个"), "{}{}", stdout(&again), stderr(&again));
}

#[tokio::test]
async fn the_jinjiang_project_table_imports_as_is_and_again_changes_nothing() {
    let db = TestDb::new().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    assert!(bangdu(&db, &["import", "units", &write(&dir, "u.csv", TREE)]).status.success());
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/data/jinjiang-2023-micro-projects.csv");
    let args = ["import", "projects", file, "--year", "2023", "--kind", "民生微实事", "--parent-unit", "350582"];
    // Lead units the unit list lacks are errors until creating them is asked for.
    let out = bangdu(&db, &args);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("第 2 行，“牵头单位”列：单位“市纪委监委”不存在"), "{}", stderr(&out));
    let preview = [&args[..], &["--create-units", "--dry-run"]].concat();
    let out = bangdu(&db, &preview);
    assert!(
        stdout(&out).contains("预览（未写入任何数据）") && stdout(&out).contains("新建牵头单位 81 个"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("新建的牵头单位：市纪委监委、市委办、"), "{}", stdout(&out));
    let args = [&args[..], &["--create-units"]].concat();
    let out = bangdu(&db, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    // 住建局 exists in TREE and is matched by name; the other 81 lead units are created.
    assert!(
        stdout(&out).contains("共 117 行，新建 117 个，更新 0 个，未变 0 个；其中已完成 82 个；新建牵头单位 81 个"),
        "{}",
        stdout(&out)
    );
    let out = bangdu(&db, &args);
    assert!(stdout(&out).contains("共 117 行，新建 0 个，更新 0 个，未变 117 个"), "{}", stdout(&out));
    let bad = write(&dir, "bad.csv", "序号,牵头单位,民生微实事,完成情况\n1,住建局,口袋公园,已完成\n2,住建局,,\n");
    let out = bangdu(&db, &["import", "projects", &bad, "--year", "2023", "--parent-unit", "350582"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("第 3 行，“民生微实事”列：项目名称不能为空"), "{}", stderr(&out));
    assert!(stderr(&out).contains("未导入任何数据"));
}

#[tokio::test]
async fn create_user_and_token_for_scripts() {
    let db = TestDb::new().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    assert!(bangdu(&db, &["import", "units", &write(&dir, "u.csv", TREE)]).status.success());
    let out = bangdu(
        &db,
        &[
            "admin",
            "create-user",
            "--username",
            "office",
            "--password",
            "Duban@2025",
            "--role",
            "office",
            "--role",
            "leader",
            "--unit",
            "350582",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("office@350582(unit_and_below)") && stdout(&out).contains("leader@350582"),
        "{}",
        stdout(&out)
    );
    let out = bangdu(
        &db,
        &["admin", "create-user", "--username", "weak", "--password", "password", "--role", "unit", "--unit", "JJ-ZJJ"],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--password"), "{}", stderr(&out));
    let out = bangdu(
        &db,
        &["admin", "create-user", "--username", "user2", "--password", "Duban@2025", "--grant", "unit@NOPE"],
    );
    assert!(stderr(&out).contains("NOPE"), "{}", stderr(&out));

    // An e-mail address for notices: refused when malformed, then set and cleared.
    let out = bangdu(&db, &["admin", "set-email", "--username", "office", "--email", "office@jj"]);
    assert!(!out.status.success() && stderr(&out).contains("--email"), "{}", stderr(&out));
    let out = bangdu(&db, &["admin", "set-email", "--username", "office", "--email", "office@jj.gov.cn"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let email = |db: &TestDb| {
        let db = db.db.clone();
        async move {
            let mut reader = db.reader().await.unwrap();
            let system = bangdu_store::Actor::system("test");
            let mut c = reader.conn();
            bangdu_store::users::get_by_username(&mut c, &system, "office").await.unwrap().row.email
        }
    };
    assert_eq!(email(&db).await.as_deref(), Some("office@jj.gov.cn"));
    assert!(bangdu(&db, &["admin", "set-email", "--username", "office", "--email", ""]).status.success());
    assert_eq!(email(&db).await, None);

    let out = bangdu(&db, &["admin", "token", "--username", "office"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let token = stdout(&out).lines().last().unwrap().to_string();
    assert!(token.starts_with("bd_") && token.len() > 40, "{token}");
    let mut reader = db.db.reader().await.unwrap();
    let found = bangdu_store::tokens::find_valid(&mut reader.conn(), &token, chrono::Utc::now()).await.unwrap();
    assert!(found.is_some(), "the printed token authenticates");
}

#[tokio::test]
async fn audit_verify_exits_zero_only_when_the_chain_is_intact() {
    let db = TestDb::new().await.unwrap();
    let out = bangdu(&db, &["audit", "verify"]);
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("完好"), "{}", stdout(&out));
    let mut tx = db.db.begin().await.unwrap();
    tx.conn()
        .execute(Query::delete().from_table(AuditEvents::Table).and_where(Expr::col(AuditEvents::Seq).eq(2)))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let out = bangdu(&db, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("已损坏：第 2 条事件处断开"), "{}", stdout(&out));
    let out = bangdu(&db, &["audit", "purge", "--before", &chrono::Utc::now().format("%Y-%m-%d").to_string()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("184"), "{}", stderr(&out));
}

#[tokio::test]
async fn calendar_add_prints_the_same_answer_as_the_api() {
    let db = TestDb::new().await.unwrap();
    let out = bangdu(&db, &["calendar", "add", "2025-09-30", "5"]);
    assert_eq!(stdout(&out), "2025-10-14\n");
    let out = bangdu(&db, &["calendar", "add", "2025-09-30", "5", "--json"]);
    assert_eq!(stdout(&out), "{\"date\":\"2025-10-14\",\"provisional\":false}\n");
    assert_eq!(stdout(&bangdu(&db, &["calendar", "count", "2025-09-26", "2025-10-10"])), "5\n");
    // Into 2027, whose notice is not loaded: 31 December, then 元旦 (Friday 1 January) and the
    // weekend off, 4–7 January — 暂定.
    let out = bangdu(&db, &["calendar", "add", "2026-12-30", "5"]);
    assert_eq!(stdout(&out), "2027-01-07（暂定：2027 年节假日安排尚未载入，按法定节假日计算）\n", "{}", stderr(&out));
    // Beyond the provisional years nothing is guessed.
    let out = bangdu(&db, &["calendar", "add", "2028-12-28", "5"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("2029"), "{}", stderr(&out));
    let dir = tempfile::tempdir().unwrap();
    let year = write(&dir, "2027.txt", "year 2027\nholiday 2027-01-01 元旦\n");
    assert!(bangdu(&db, &["calendar", "load", &year]).status.success());
    assert_eq!(stdout(&bangdu(&db, &["calendar", "add", "2026-12-31", "1"])), "2027-01-04\n");
    let broken = write(&dir, "bad.txt", "year 2027\nholiday 2027-02-30 春节\n");
    let out = bangdu(&db, &["calendar", "load", &broken]);
    assert!(stderr(&out).contains("第 2 行"), "{}", stderr(&out));
}

#[tokio::test]
async fn backup_restores_into_a_fresh_database_with_the_chain_intact() {
    let source = TestDb::new().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    assert!(bangdu(&source, &["import", "units", &write(&dir, "u.csv", TREE)]).status.success());
    bangdu(
        &source,
        &["admin", "create-user", "--username", "admin", "--password", "Duban@2025", "--grant", "admin@350500"],
    );
    let file = dir.path().join("backup.jsonl").display().to_string();
    let out = bangdu(&source, &["backup", "--output", &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    let target = TestDb::new().await.unwrap();
    // A check first: it reads and tries everything, and keeps nothing.
    let out = bangdu(&target, &["restore", "--check", &file]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("检查通过"), "{}", stdout(&out));
    assert_eq!(stdout(&bangdu(&target, &["export", "units"])).lines().count(), 1, "only the header: nothing kept");
    let out = bangdu(&target, &["restore", &file]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("审计链完好"), "{}", stdout(&out));
    assert_eq!(stdout(&bangdu(&target, &["export", "units"])), stdout(&bangdu(&source, &["export", "units"])));
    // New records continue the restored sequences and the chain.
    assert!(
        bangdu(
            &target,
            &["import", "units", &write(&dir, "more.csv", "code,name,parent,kind\nJJ-T01,安海镇,350582,town\n")]
        )
        .status
        .success()
    );
    assert!(bangdu(&target, &["audit", "verify"]).status.success());
    // Restoring over data is refused.
    let out = bangdu(&target, &["restore", &file]);
    assert!(!out.status.success());
}

#[tokio::test]
async fn serve_starts_answers_and_stops_cleanly_on_sigterm() {
    let db = TestDb::new().await.unwrap();
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("BANGDU_DATABASE_URL", &db.url)
        .env("BANGDU_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines.next().unwrap().unwrap();
    let address = line.split("http://").nth(1).unwrap().split('（').next().unwrap().to_string();
    let health = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    })
    .await
    .unwrap();
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exit after SIGTERM: {status:?}");
    assert!(lines.any(|l| l.unwrap().contains("已停止")));
}

#[tokio::test]
async fn a_county_sqlite_backup_restores_into_the_test_database() {
    // The source is always an SQLite file; the target is PostgreSQL when the suite runs there, which
    // is the path from a county's first installation to a provincial deployment.
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("county.sqlite3").display());
    let run = |url: &str, args: &[&str]| {
        Command::new(BIN).args(args).env("BANGDU_DATABASE_URL", url).env("BANGDU_LOG", "warn").output().unwrap()
    };
    assert!(run(&sqlite, &["import", "units", &write(&dir, "u.csv", TREE)]).status.success());
    let file = dir.path().join("county.jsonl").display().to_string();
    assert!(run(&sqlite, &["backup", "--output", &file]).status.success());
    let target = TestDb::new().await.unwrap();
    let out = bangdu(&target, &["restore", &file]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&bangdu(&target, &["export", "units"])), stdout(&run(&sqlite, &["export", "units"])));
    assert!(bangdu(&target, &["audit", "verify"]).status.success());
}

/// A server child process that is killed if the test fails before stopping it.
struct Node {
    child: std::process::Child,
    output: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Node {
    fn start(url: &str, args: &[&str]) -> Node {
        let mut child = Command::new(BIN)
            .args(args)
            .env("BANGDU_DATABASE_URL", url)
            .env("BANGDU_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let output = BufReader::new(child.stdout.take().unwrap()).lines();
        Node { child, output }
    }

    /// What it printed up to and including the line saying where it listens.
    fn until_listening(&mut self) -> Vec<String> {
        let mut lines = Vec::new();
        for line in self.output.by_ref().map_while(Result::ok) {
            let done = line.contains("已启动：http://");
            lines.push(line);
            if done {
                break;
            }
        }
        lines
    }

    fn stop(&mut self) -> std::process::ExitStatus {
        assert!(Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap().success());
        self.child.wait().unwrap()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn two_nodes_started_together_with_the_demo_share_one_database() {
    let db = TestDb::new().await.unwrap();
    let args = ["serve", "--demo", "--listen", "127.0.0.1:0"];
    let mut nodes = [Node::start(&db.url, &args), Node::start(&db.url, &args)];
    for node in &mut nodes {
        let lines = node.until_listening();
        assert!(lines.iter().any(|l| l.contains("演示账号")), "{lines:?}");
        assert!(lines.last().is_some_and(|l| l.contains("已启动：http://")), "{lines:?}");
    }
    for node in &mut nodes {
        assert!(node.stop().success(), "a clean exit after SIGTERM");
    }
    let mut reader = db.db.reader().await.unwrap();
    let users = bangdu_store::users::list(
        &mut reader.conn(),
        &bangdu_store::Actor::system("cli"),
        &Default::default(),
        bangdu_store::paging::PageRequest::new(Some(1), Some(100)),
    )
    .await
    .unwrap();
    // 5 demo accounts and a liaison for each of the other 32 responsible units of the stories.
    assert_eq!(users.total, 37, "the demo accounts exist once");
    let items = bangdu_store::items::query::list(
        &mut reader.conn(),
        &bangdu_store::Actor::system("cli"),
        &Default::default(),
        Default::default(),
        bangdu_store::paging::PageRequest::new(Some(1), Some(1)),
    )
    .await
    .unwrap();
    // 59 stories, one of them split into 3 children, one problem found by an operating check, and
    // the problems found on site (帮督发现) the office raised as items — two of the demo's six.
    let raised = bangdu_store::inspections::figures::findings(
        &mut reader.conn(),
        &bangdu_store::Actor::system("cli"),
        Some("item"),
    )
    .await
    .unwrap()
    .len();
    assert_eq!(raised, 2, "the demo's round raised two items from its findings");
    // …and the citizens' appeals the office sent on (转办): two groups of 12345 calls and one
    // issue of the 吐槽大会.
    let sent = bangdu_store::appeals::query::all(
        &mut reader.conn(),
        &bangdu_store::Actor::system("cli"),
        &bangdu_store::appeals::query::AppealFilter { sent_on: Some(true), ..Default::default() },
        1000,
    )
    .await
    .unwrap();
    let mut sent_items: Vec<_> = sent.iter().filter_map(|a| a.item_id).collect();
    sent_items.sort_unstable();
    sent_items.dedup();
    assert_eq!(sent_items.len(), 3, "three items from appeals");
    assert_eq!(items.total, 63 + raised as i64 + 3, "the demo items exist once");
    // The demo stands as if the daily ladder had run on every past day: the servers' first run,
    // today's, finds nothing new to raise (no burst of 催办, 督办 and 通报 in the first minute).
    let today = bangdu_store::time::today().to_string();
    let run: bangdu_store::tables::JobRunRecord = reader
        .conn()
        .fetch_one(
            Query::select()
                .columns(JobRuns::COLUMNS.iter().copied())
                .from(JobRuns::Table)
                .and_where(Expr::col(JobRuns::Job).eq("escalation"))
                .and_where(Expr::col(JobRuns::RunKey).eq(today.as_str())),
        )
        .await
        .unwrap();
    let summary: serde_json::Value = serde_json::from_str(run.summary.as_deref().unwrap_or("null")).unwrap();
    assert_eq!(summary["raised"], serde_json::json!({}), "today's run after the demo raised {summary}");
}

#[tokio::test]
async fn a_server_whose_output_was_closed_still_stops_cleanly() {
    let db = TestDb::new().await.unwrap();
    let mut node = Node::start(&db.url, &["serve", "--listen", "127.0.0.1:0"]);
    node.until_listening();
    // Whoever started it stops reading: its standard output is closed.
    node.output = BufReader::new(tempfile_stdout()).lines();
    assert!(node.stop().success(), "no panic on a closed standard output");
}

/// A `ChildStdout` cannot be made from nothing; a finished `true` process gives a closed one to swap in.
fn tempfile_stdout() -> std::process::ChildStdout {
    let mut done = Command::new("true").stdout(Stdio::piped()).spawn().unwrap();
    let out = done.stdout.take().unwrap();
    done.wait().unwrap();
    out
}

/// `bangdu jobs escalate` shows what the ladder would raise and writes nothing unless `--apply`;
/// it refuses a day to come; an applied run is recorded as the operator's and not repeated.
#[tokio::test]
async fn jobs_escalate_is_a_dry_run_until_applied() {
    let db = TestDb::new().await.unwrap();
    let out = bangdu(&db, &["jobs", "escalate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("试运行") && stdout(&out).contains("没有需要发出"), "{}", stdout(&out));
    let runs = || async {
        let mut r = db.db.reader().await.unwrap();
        let filter = bangdu_store::audit::EventFilter { action: Some("job.escalation".into()), ..Default::default() };
        let page = bangdu_store::paging::PageRequest::new(Some(1), Some(1));
        let system = bangdu_store::Actor::system("test");
        bangdu_store::audit::list(&mut r.conn(), &system, &filter, page).await.unwrap().total
    };
    assert_eq!(runs().await, 0, "a dry run writes nothing");
    let out = bangdu(&db, &["jobs", "escalate", "--day", "2999-01-01"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("不能为将来的日期 2999-01-01"), "{}", stderr(&out));
    let out = bangdu(&db, &["jobs", "escalate", "--apply"]);
    assert!(out.status.success() && stdout(&out).contains("已执行"), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(runs().await, 1, "the operator's run is on the record");
    let out = bangdu(&db, &["jobs", "escalate", "--apply"]);
    assert!(stdout(&out).contains("已运行过"), "{}", stdout(&out));
}

/// The README's tour, run as a newcomer would copy it: its API commands against a fresh demo (on a
/// free port instead of 8080, the `Origin` header following), every request answered 2xx, the
/// answers it annotates given, and the liaison account it names able to sign in.
#[tokio::test]
async fn the_readme_tour_runs_as_written_on_a_fresh_demo() {
    let db = TestDb::new().await.unwrap();
    let mut node = Node::start(&db.url, &["serve", "--demo", "--listen", "127.0.0.1:0"]);
    let lines = node.until_listening();
    let listening = lines.last().unwrap();
    let base = listening.split("已启动：").nth(1).unwrap().split('（').next().unwrap().to_string();
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("## A short tour").unwrap();
    let tour = &readme[start..start + readme[start + 3..].find("\n## ").unwrap() + 3];
    let blocks: Vec<&str> =
        tour.split("```sh\n").skip(1).map(|b| b.split("```").next().unwrap()).filter(|b| b.contains("curl ")).collect();
    assert!(blocks.len() >= 2, "the API and the projects blocks");
    let dir = tempfile::tempdir().unwrap();
    // Every curl fails on a status that is not 2xx, and the script stops at the first failure.
    let script = format!(
        "set -euo pipefail\ncurl() {{ command curl --fail-with-body \"$@\"; echo; }}\n{}",
        blocks.join("\n").replace("http://127.0.0.1:8080", &base)
    );
    let out = Command::new("bash").arg("-c").arg(&script).current_dir(dir.path()).output().unwrap();
    let said = stdout(&out);
    assert!(out.status.success(), "the tour failed:\n{said}\n{}", stderr(&out));
    for expected in [
        "{\"date\":\"2025-10-14\",\"provisional\":false}",
        "\"state\":\"assigned\"",
        "\"state\":\"in_progress\"",
        "\"total\":117,\"completed\":82",
        "\"check_state\":\"submitted\"",
        "\"owner_unit\":{\"id\":1,\"code\":\"350500\",\"name\":\"泉州市\"}",
        "\"actions\":[]",
    ] {
        assert!(said.contains(expected), "{expected} missing from the tour's answers:\n{said}");
    }
    // The liaison account the README names exists, with the demo password.
    let named = tour.split("(for example `").nth(1).unwrap().split('`').next().unwrap();
    let body = format!("{{\"username\":\"{named}\",\"password\":\"Bangdu@2025\"}}");
    let r = Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "content-type: application/json", "-d", &body])
        .arg(format!("{base}/api/v1/session"))
        .output()
        .unwrap();
    assert_eq!(stdout(&r), "200", "{named} signs in");
    assert!(node.stop().success());
}
