use super::{open, operator};
use crate::cli::{AdminCommand, CreateUserArgs};
use anyhow::{Context, anyhow, bail};
use bangdu_domain::password;
use bangdu_domain::role::{DataScope, Role};
use bangdu_store::grants::GrantInput;
use bangdu_store::time::now;
use bangdu_store::users::{self, NewUser};
use bangdu_store::{Conn, Db, passwords, tokens, units, user_input};
use std::process::ExitCode;

pub async fn run(url: &str, cmd: AdminCommand) -> anyhow::Result<ExitCode> {
    let db = open(url).await?;
    match cmd {
        AdminCommand::CreateUser(args) => create_user(&db, args).await,
        AdminCommand::ResetPassword { username, password, must_change_password } => {
            let user = find_user(&db, &username).await?;
            password::check_policy(&password, &user.row.username).map_err(|e| anyhow!("--password：{}", e.message))?;
            let hash = hash(password).await?;
            let mut tx = db.begin().await?;
            users::set_password(&mut tx.conn(), &operator(), user.id(), hash, must_change_password, None, &[]).await?;
            tx.commit().await?;
            println!("已修改 {} 的密码，其所有登录已退出、接口令牌已吊销", user.row.username);
            Ok(ExitCode::SUCCESS)
        }
        AdminCommand::Token { username, name, expires_in_days } => {
            let user = find_user(&db, &username).await?;
            let expires = match expires_in_days {
                Some(days) if !(1..=3650).contains(&days) => bail!("--expires-in-days 应为 1–3650"),
                Some(days) => Some(now() + chrono::Duration::days(days)),
                None => None,
            };
            let mut tx = db.begin().await?;
            let (token, row) = tokens::create(&mut tx.conn(), &operator(), user.id(), &name, expires).await?;
            tx.commit().await?;
            eprintln!("已为 {1} 生成令牌 {0}（用法：Authorization: Bearer <令牌>）", row.id, user.row.username);
            println!("{token}");
            Ok(ExitCode::SUCCESS)
        }
        AdminCommand::RevokeToken { id } => {
            let mut tx = db.begin().await?;
            tokens::revoke(&mut tx.conn(), &operator(), id).await.with_context(|| format!("令牌 {id} 不存在"))?;
            tx.commit().await?;
            println!("令牌 {id} 已吊销");
            Ok(ExitCode::SUCCESS)
        }
        AdminCommand::Unlock { username } => {
            let user = find_user(&db, &username).await?;
            let mut tx = db.begin().await?;
            users::unlock(&mut tx.conn(), &operator(), user.id()).await?;
            tx.commit().await?;
            println!("{} 已解锁", user.row.username);
            Ok(ExitCode::SUCCESS)
        }
        AdminCommand::SetEmail { username, email } => {
            let email = user_input::email(&email).map_err(|e| anyhow!("--email：{}", e.message))?;
            let user = find_user(&db, &username).await?;
            let mut tx = db.begin().await?;
            let changes = users::UserChanges { email: Some(email.clone()), ..users::UserChanges::default() };
            users::update(&mut tx.conn(), &operator(), user.id(), changes).await?;
            tx.commit().await?;
            match email {
                Some(email) => println!("{} 的电子邮箱已设为 {email}", user.row.username),
                None => println!("{} 的电子邮箱已清除", user.row.username),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn find_user(db: &Db, username: &str) -> anyhow::Result<users::User> {
    let mut reader = db.reader().await?;
    users::get_by_username(&mut reader.conn(), &super::operator(), username)
        .await
        .map_err(|_| anyhow!("用户 {username} 不存在"))
}

async fn hash(password: String) -> anyhow::Result<String> {
    Ok(tokio::task::spawn_blocking(move || passwords::hash(&password)).await??)
}

async fn unit_id(c: &mut Conn<'_>, code: &str) -> anyhow::Result<bangdu_domain::UnitId> {
    Ok(units::get_by_code(c, &super::operator(), code).await.map_err(|_| anyhow!("单位代码 {code} 不存在"))?.unit_id())
}

/// `--role`×`--unit` (every role in every unit) plus each `--grant ROLE@UNIT[:SCOPE]`.
async fn grants(c: &mut Conn<'_>, args: &CreateUserArgs) -> anyhow::Result<Vec<GrantInput>> {
    let mut out = Vec::new();
    if !args.roles.is_empty() && args.units.is_empty() {
        bail!("--role 需要至少一个 --unit（角色所在的单位）");
    }
    if args.roles.is_empty() && !args.units.is_empty() {
        bail!("--unit 需要至少一个 --role");
    }
    for role in &args.roles {
        let role =
            Role::parse(role).ok_or_else(|| anyhow!("--role {role}：应为 admin、office、inspector、unit 或 leader"))?;
        for unit in &args.units {
            out.push(GrantInput { role, unit: unit_id(c, unit).await?, data_scope: None, custom_units: vec![] });
        }
    }
    for grant in &args.grants {
        let (role, rest) =
            grant.split_once('@').ok_or_else(|| anyhow!("--grant {grant}：应写成 角色@单位代码[:数据范围]"))?;
        let (unit, scope) = rest.split_once(':').map_or((rest, None), |(u, s)| (u, Some(s)));
        let role = Role::parse(role).ok_or_else(|| anyhow!("--grant {grant}：未知角色 {role}"))?;
        let data_scope = match scope {
            Some(s) => Some(DataScope::parse(s).ok_or_else(|| anyhow!("--grant {grant}：未知数据范围 {s}"))?),
            None => None,
        };
        if data_scope == Some(DataScope::Custom) {
            bail!("--grant {grant}：自定义数据范围请在网页或接口中选择");
        }
        out.push(GrantInput { role, unit: unit_id(c, unit).await?, data_scope, custom_units: vec![] });
    }
    out.dedup_by(|a, b| a.role == b.role && a.unit == b.unit);
    Ok(out)
}

async fn create_user(db: &Db, args: CreateUserArgs) -> anyhow::Result<ExitCode> {
    let username = user_input::username(&args.username).map_err(|e| anyhow!("--username：{}", e.message))?;
    let display_name = user_input::display_name(args.display_name.as_deref().unwrap_or(&username))
        .map_err(|e| anyhow!("--display-name：{}", e.message))?;
    let phone =
        user_input::phone(args.phone.as_deref().unwrap_or("")).map_err(|e| anyhow!("--phone：{}", e.message))?;
    let email =
        user_input::email(args.email.as_deref().unwrap_or("")).map_err(|e| anyhow!("--email：{}", e.message))?;
    password::check_policy(&args.password, &username).map_err(|e| anyhow!("--password：{}", e.message))?;
    let grants = {
        let mut reader = db.reader().await?;
        grants(&mut reader.conn(), &args).await?
    };
    let password_hash = hash(args.password.clone()).await?;
    let mut tx = db.begin().await?;
    let user = users::create(
        &mut tx.conn(),
        &operator(),
        NewUser {
            username,
            display_name,
            phone,
            email,
            password_hash,
            must_change_password: args.must_change_password,
            grants,
        },
    )
    .await
    .map_err(|e| anyhow!("{e}"))?;
    tx.commit().await?;
    let roles: Vec<String> =
        user.grants.iter().map(|g| format!("{}@{}({})", g.role, g.unit.code, g.data_scope)).collect();
    println!(
        "已创建用户 {}（编号 {}），角色：{}",
        user.row.username,
        user.row.id,
        if roles.is_empty() { "无".into() } else { roles.join("、") }
    );
    Ok(ExitCode::SUCCESS)
}
