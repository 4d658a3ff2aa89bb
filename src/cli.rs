//! The command line: `bangdu <command>`. Every command that touches data takes `--database URL`
//! (or `BANGDU_DATABASE_URL`); without it, the SQLite file under `./bangdu-data/` is used.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "bangdu",
    version,
    about = "Bangdu 帮督 — help-and-supervise (帮督一体) work tracking for Chinese local governments",
    long_about = "Bangdu 帮督 tracks the projects a government promised its citizens, turns every problem into a \
                  supervision item (督导事项) that ends only when written off (销号), and keeps a tamper-evident \
                  record (全记录) of every change.\n\nStart with `bangdu serve --demo` and open http://127.0.0.1:8080."
)]
pub struct Cli {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB [default: sqlite://bangdu-data/bangdu.sqlite3]
    #[arg(long, global = true, env = "BANGDU_DATABASE_URL", value_name = "URL")]
    pub database: Option<String>,

    /// Directory for attachment files (shared storage when several nodes serve one database)
    #[arg(
        long,
        global = true,
        env = "BANGDU_ATTACHMENTS_DIR",
        value_name = "DIR",
        default_value = "bangdu-data/attachments"
    )]
    pub attachments: std::path::PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server and API (applies migrations first)
    Serve(ServeArgs),
    /// Apply pending database migrations, or revert them
    Migrate(MigrateArgs),
    /// Import data from files (单位 units, 项目 projects, 人员库 pool)
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export data to files
    #[command(subcommand)]
    Export(ExportCommand),
    /// Accounts: create users, reset passwords, issue API tokens
    #[command(subcommand)]
    Admin(AdminCommand),
    /// The hash-chained audit log (全记录)
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The working-day calendar (工作日: holidays and make-up days)
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// The background jobs, run by hand (梯级督查: the escalation ladder)
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Inspections (帮督行动): re-run a round's draw from its stored inputs, form its teams
    #[command(subcommand)]
    Inspect(InspectCommand),
    /// Write a portable backup of the whole database (restorable into SQLite or PostgreSQL)
    Backup(BackupArgs),
    /// Restore a backup into an empty database
    Restore(RestoreArgs),
    /// Generate benchmark data: a province of units and people, items with their whole histories
    #[cfg(feature = "bench")]
    #[command(subcommand)]
    Generate(GenerateCommand),
    /// Measure speed on a generated database: item list, item page, actions, escalation job
    #[cfg(feature = "bench")]
    Bench(BenchArgs),
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on
    #[arg(long, env = "BANGDU_LISTEN", default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: String,
    /// Load the demo dataset (Quanzhou units, one account per role) into an empty database and print the accounts
    #[arg(long)]
    pub demo: bool,
    /// The address users reach Bangdu at, e.g. https://bangdu.example.gov.cn (https makes cookies Secure)
    #[arg(long, env = "BANGDU_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Believe X-Forwarded-For and X-Forwarded-Proto (only behind your own reverse proxy)
    #[arg(long, env = "BANGDU_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// Font file for the 公示牌 (repeatable; TTF/OTF/TTC with Chinese) [default: Noto Sans CJK from fonts-noto-cjk]
    #[arg(long, env = "BANGDU_BOARD_FONT", value_name = "FILE", value_delimiter = ',')]
    pub board_font: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct MigrateArgs {
    /// Revert migrations newer than this version (0 reverts everything)
    #[arg(long, value_name = "VERSION")]
    pub down_to: Option<i64>,
    /// Only show the current schema version
    #[arg(long)]
    pub status: bool,
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Import units (单位) from CSV: code,name,parent,kind,region — all or nothing
    Units {
        /// CSV file (UTF-8 or GBK; English or Chinese headers)
        file: PathBuf,
    },
    /// Import a project table (CSV or XLSX), e.g. 序号,牵头单位,民生微实事,完成情况 — all or nothing;
    /// re-importing the same file changes nothing
    Projects(ImportProjectsArgs),
    /// Import the personnel pool (人员库, CSV or XLSX): 姓名,工作单位,所在地区划代码,专业领域,可任组长,手机 —
    /// all or nothing; re-importing the same file changes nothing
    Pool(ImportPoolArgs),
    /// Import a 12345 export of citizens' appeals (CSV in UTF-8/GBK or XLSX): 工单编号, 来电时间,
    /// 诉求内容, 诉求地址, 所属区域, 诉求分类, 承办单位, 办理状态, 满意度, 来电人, 联系电话 are read as
    /// they come; re-importing updates changed rows and adds nothing
    Appeals(ImportAppealsArgs),
}

#[derive(Args, Debug)]
pub struct ImportAppealsArgs {
    /// CSV (UTF-8, GBK or GB18030) or XLSX file
    pub file: PathBuf,
    /// The office that owns rows with no region or one no unit covers (unit code); by default the
    /// root unit
    #[arg(long, value_name = "CODE")]
    pub unit: Option<String>,
    /// A column another layout names differently, as 列名=字段 (repeatable; added to the saved mapping)
    #[arg(long = "map", value_name = "列名=字段")]
    pub mapping: Vec<String>,
    /// What to do with bad rows: abort (write nothing, the default) or skip them
    #[arg(long, value_name = "abort|skip", default_value = "abort")]
    pub on_error: String,
    /// Check the whole file and say what it would do, storing nothing (预览)
    #[arg(long)]
    pub dry_run: bool,
    /// No progress bar (for scripts and logs)
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct ImportPoolArgs {
    /// CSV (UTF-8 or GBK) or XLSX file
    pub file: PathBuf,
    /// The office that keeps the pool (unit code)
    #[arg(long, value_name = "CODE")]
    pub owner: String,
    /// Check the whole file and say what it would do, storing nothing (预览)
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Subcommand, Debug)]
pub enum InspectCommand {
    /// Re-run a round's draw from its stored seed, algorithm and candidates; exit status 1 when it
    /// does not give the stored targets
    Redraw {
        /// The round's number (as in /rounds/N)
        round: i64,
    },
    /// Form (or re-form) a round's teams 1+1+N and print them
    Teams { round: i64 },
}

#[derive(Args, Debug)]
pub struct ImportProjectsArgs {
    /// CSV (UTF-8 or GBK) or XLSX file
    pub file: PathBuf,
    /// The year, when the file has no 年度 column
    #[arg(long)]
    pub year: Option<i32>,
    /// The kind (为民办实事, 民生微实事, 重点项目 …), when the file has no 类别 column
    #[arg(long)]
    pub kind: Option<String>,
    /// Lead units are looked for under this unit (code) first, and created under it with --create-units
    #[arg(long, value_name = "CODE")]
    pub parent_unit: Option<String>,
    /// Create the lead units that are not found (under --parent-unit); without it they are errors
    #[arg(long)]
    pub create_units: bool,
    /// Check the whole file and say what it would create and change, storing nothing (预览)
    #[arg(long)]
    pub dry_run: bool,
    /// The registering office (code) [default: the parent unit]
    #[arg(long, value_name = "CODE")]
    pub owner_unit: Option<String>,
    /// Extra column meaning, 列名=字段 (repeatable), e.g. --map 项目内容=name
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    pub map: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// Export units as CSV (code,name,parent,kind,region), parents first
    Units {
        /// Write here instead of standard output
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create a user; every --role is granted in every --unit (or use --grant ROLE@UNIT[:SCOPE])
    CreateUser(CreateUserArgs),
    /// Set a user's password (ends all their sessions)
    ResetPassword {
        #[arg(long)]
        username: String,
        #[arg(long, env = "BANGDU_NEW_PASSWORD", hide_env_values = true)]
        password: String,
        /// Ask for a new password at next sign-in
        #[arg(long)]
        must_change_password: bool,
    },
    /// Issue an API token for a user; the token is the last line printed
    Token {
        #[arg(long)]
        username: String,
        /// A name to recognise the token by
        #[arg(long, default_value = "命令行生成")]
        name: String,
        /// Days until it expires (never by default)
        #[arg(long)]
        expires_in_days: Option<i64>,
    },
    /// Revoke an API token by its id
    RevokeToken {
        #[arg(long)]
        id: bangdu_domain::TokenId,
    },
    /// Set or clear (with --email "") the e-mail address notices are sent to
    SetEmail {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
    },
    /// Lift a sign-in lock early
    Unlock {
        #[arg(long)]
        username: String,
    },
}

#[derive(Args, Debug)]
pub struct CreateUserArgs {
    #[arg(long)]
    pub username: String,
    /// At least 8 characters with 3 of: upper case, lower case, digits, symbols
    #[arg(long, env = "BANGDU_NEW_PASSWORD", hide_env_values = true)]
    pub password: String,
    /// The person's name (姓名); the user name when omitted
    #[arg(long)]
    pub display_name: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    /// Where e-mailed notices go
    #[arg(long)]
    pub email: Option<String>,
    /// Role: admin, office, inspector, unit or leader (repeatable)
    #[arg(long = "role")]
    pub roles: Vec<String>,
    /// Unit code the roles are held in (repeatable)
    #[arg(long = "unit")]
    pub units: Vec<String>,
    /// One grant as ROLE@UNIT_CODE or ROLE@UNIT_CODE:SCOPE (all, unit, unit_and_below, self) (repeatable)
    #[arg(long = "grant")]
    pub grants: Vec<String>,
    /// Ask for a new password at first sign-in
    #[arg(long)]
    pub must_change_password: bool,
}

#[derive(Subcommand, Debug)]
pub enum JobsCommand {
    /// The escalation ladder for a day: shows what it would raise; --apply raises it
    Escalate(EscalateArgs),
}

#[derive(Args, Debug)]
pub struct EscalateArgs {
    /// The day to run for, YYYY-MM-DD: today by default, or a past day the job missed (never a day to come)
    #[arg(long)]
    pub day: Option<chrono::NaiveDate>,
    /// Raise the steps (recorded as run by the operator); without it nothing is written
    #[arg(long)]
    pub apply: bool,
    /// With --apply: run even if the day's run already happened (it raises nothing twice)
    #[arg(long)]
    pub force: bool,
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Re-walk the hash chain; exit status 0 only when it is intact
    Verify,
    /// Delete events older than a date (never events younger than 184 days)
    Purge {
        /// YYYY-MM-DD
        #[arg(long)]
        before: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum CalendarCommand {
    /// The N-th working day after DATE (DATE itself never counts)
    Add {
        /// YYYY-MM-DD
        date: String,
        /// Working days, at least 1
        days: u32,
        /// Answer as JSON like the API
        #[arg(long)]
        json: bool,
    },
    /// Working days in (FROM, TO]
    Count { from: String, to: String },
    /// What the calendar says about a date
    Day { date: String },
    /// Load (or replace) a year from a year file (see `calendar show 2025` for the format)
    Load { file: PathBuf },
    /// Print a loaded year as a year file
    Show { year: i32 },
    /// Print the statutory holidays of 《全国年节及纪念日放假办法》 for a year (what a provisional
    /// year uses until the State Council notice is loaded), one "DATE NAME" per line
    Statutory { year: i32 },
    /// List the loaded years
    Years,
}

#[derive(Args, Debug)]
pub struct BackupArgs {
    /// The backup file to write (JSON lines)
    #[arg(long, short)]
    pub output: PathBuf,
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// A file written by `bangdu backup`
    pub file: PathBuf,
    /// Only check: read every line and try it on the target inside a transaction that is rolled
    /// back; nothing is kept and no attachment is written
    #[arg(long)]
    pub check: bool,
}

#[cfg(feature = "bench")]
#[derive(Subcommand, Debug)]
pub enum GenerateCommand {
    /// Items (督导事项) with their audit histories over a generated province, into a database
    /// without items. Accounts it makes (gen-…) cannot sign in: they own data and get benchmark tokens.
    Items(GenerateItemsArgs),
    /// Projects (项目) with milestones and a monthly report for each month up to the data's day, on
    /// the generated province (made first, without items, when the database has none)
    Projects(GenerateProjectsArgs),
    /// A 12345 export (CSV) for the appeal import benchmark, over the regions, categories and
    /// units of the database (import units first)
    AppealsExport(GenerateAppealsArgs),
    /// Appeals stored straight into the database for the Open311 read benchmark, over its regions,
    /// categories and units (import units first)
    Appeals(GenerateStoredAppealsArgs),
}

#[cfg(feature = "bench")]
#[derive(Args, Debug)]
pub struct GenerateStoredAppealsArgs {
    /// How many appeals
    #[arg(long, default_value_t = 10_000_000)]
    pub rows: u64,
    /// The last day they are received on; they are spread over the --days before it
    #[arg(long, default_value = "2026-11-30")]
    pub until: chrono::NaiveDate,
    #[arg(long, default_value_t = 1095)]
    pub days: i64,
    #[arg(long, default_value_t = 12345)]
    pub seed: u64,
}

#[cfg(feature = "bench")]
#[derive(Args, Debug)]
pub struct GenerateAppealsArgs {
    /// How many rows
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: u64,
    /// The file to write
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The last day of the export; rows are spread over the --days before it
    #[arg(long, default_value = "2026-11-30")]
    pub until: chrono::NaiveDate,
    #[arg(long, default_value_t = 90)]
    pub days: i64,
    #[arg(long, default_value_t = 12345)]
    pub seed: u64,
}

#[cfg(feature = "bench")]
#[derive(Args, Debug)]
pub struct GenerateProjectsArgs {
    /// How many projects
    #[arg(long, default_value_t = 100_000)]
    pub count: u64,
    /// Years the projects are spread over, ending with the year of --today (10,000 a year by default)
    #[arg(long, default_value_t = 10)]
    pub years: u32,
    /// The day the data is as of, YYYY-MM-DD (today by default; the province's, if already generated)
    #[arg(long)]
    pub today: Option<chrono::NaiveDate>,
    /// Seed of the random generator (the same seed gives the same data)
    #[arg(long, default_value_t = 2025)]
    pub seed: u64,
}

#[cfg(feature = "bench")]
#[derive(Args, Debug)]
pub struct GenerateItemsArgs {
    /// How many items
    #[arg(long, default_value_t = 1_000_000)]
    pub count: u64,
    /// Audit events per item on average (create, assign, accept, reports, ladder steps, write-off)
    #[arg(long, default_value_t = 10)]
    pub events: u32,
    /// Cities in the province
    #[arg(long, default_value_t = 9)]
    pub cities: u32,
    /// Counties per city (each with 30 departments and 15 towns or streets)
    #[arg(long, default_value_t = 9)]
    pub counties: u32,
    /// The day the data is as of, YYYY-MM-DD (today by default)
    #[arg(long)]
    pub today: Option<chrono::NaiveDate>,
    /// Every item open and running (assigned or in progress), for the escalation benchmark
    #[arg(long)]
    pub all_open: bool,
    /// Seed of the random generator (the same seed gives the same data)
    #[arg(long, default_value_t = 2025)]
    pub seed: u64,
}

#[cfg(feature = "bench")]
#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Measure only these: list, get, actions, escalation (items); relight, stats, public, import
    /// (projects) (repeatable; by default every one the database has data for); teams (team
    /// formation: no database needed, only when named); open311 (`GET requests` on the appeals
    /// of `generate appeals`, only when named)
    #[arg(long = "only", value_name = "NAME")]
    pub only: Vec<String>,
    /// Concurrent clients for the list, item and action measurements
    #[arg(long, default_value_t = 32)]
    pub clients: usize,
    /// Seconds each HTTP measurement runs (after a short warm-up)
    #[arg(long, default_value_t = 20)]
    pub seconds: u64,
    /// The day the escalation run is for, YYYY-MM-DD (the data's as-of day by default). A run
    /// changes the data, so a second measurement on the same database takes the next working day
    #[arg(long)]
    pub escalation_day: Option<chrono::NaiveDate>,
    /// Rows of the generated XLSX file the import benchmark imports
    #[arg(long, default_value_t = 100_000)]
    pub import_rows: u64,
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
