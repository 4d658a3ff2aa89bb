//! An item's page: its fields, deadline, children, attachments, the timeline of its record, and a
//! form for each action the viewer may take now.

use crate::auth::{Authed, PageUser};
use crate::extract::Id;
use crate::input::fields::Fields;
use crate::output::items::ItemOut;
use crate::output::items::{Context, ItemEventOut, full_item, item_record};
use crate::pages::errors::PageResult;
use crate::pages::shell::{Flash, Shell, shell};
use crate::pages::units::{UnitChoice, choices};
use crate::pages::{Done, flash, render, view};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::item::{Action, ItemState};
use bangdu_domain::permission::Permission;
use bangdu_domain::{AttachmentId, ItemId};
use bangdu_store::items::query;
use bangdu_store::units::Picking;

/// One line of the record, ready to show.
pub struct RecordLine {
    pub at: String,
    pub actor: String,
    pub role: String,
    pub label: String,
    pub transition: String,
    pub reason: String,
    pub details: Vec<String>,
    pub attachments: Vec<(AttachmentId, String)>,
    pub escalation: bool,
}

fn role_label(role: &Option<String>) -> String {
    match role.as_deref() {
        Some("office") => "督查室".into(),
        Some("unit") => "责任单位".into(),
        Some("inspector") => "帮督人员".into(),
        Some("escalation") => "系统".into(),
        Some(other) => bangdu_domain::role::Role::parse(other.split(',').next().unwrap_or(""))
            .map(|r| r.label().to_string())
            .unwrap_or_default(),
        None => String::new(),
    }
}

fn record_line(
    e: ItemEventOut,
    names: &std::collections::HashMap<AttachmentId, String>,
    unit_names: &std::collections::HashMap<String, String>,
) -> RecordLine {
    let state = |s: &Option<String>| s.as_deref().and_then(ItemState::parse).map(|s| s.label()).unwrap_or("");
    let transition = match (&e.from, &e.to) {
        (Some(f), Some(t)) if f != t => format!("{} → {}", state(&e.from), state(&e.to)),
        (None, Some(_)) => state(&e.to).to_string(),
        _ => String::new(),
    };
    let p = &e.payload;
    let field = |k: &str, label: &str| {
        p.get(k)
            .and_then(|v| v.as_str().map(String::from).or_else(|| (!v.is_null()).then(|| v.to_string())))
            .map(|v| format!("{label}：{v}"))
    };
    let unit = p
        .get("unit")
        .and_then(|v| v.as_str())
        .map(|code| format!("责任单位：{}", unit_names.get(code).cloned().unwrap_or_else(|| code.to_string())));
    let details: Vec<String> = [
        unit,
        field("deadline", "期限"),
        field("previous_deadline", "原期限"),
        field("deadline_workdays", "工作日"),
        field("note", "进展"),
        field("measures", "整改措施"),
        field("result", "办理结果"),
        field("opinion", "审核意见"),
        field("paused_workdays", "暂停工作日"),
        field("filename", "附件"),
        p.get("children")
            .and_then(|c| c.as_array())
            .map(|c| format!("子事项：{}", c.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join("、"))),
    ]
    .into_iter()
    .flatten()
    .collect();
    RecordLine {
        at: view::time(&e.at),
        actor: e.actor_display_name.clone(),
        role: if e.actor_id.is_some() { role_label(&e.actor_role) } else { String::new() },
        escalation: e.action == "escalate",
        label: e.action_label.clone(),
        transition,
        reason: e.reason.clone().unwrap_or_default(),
        details,
        attachments: e
            .attachments
            .iter()
            .map(|id| (*id, names.get(id).cloned().unwrap_or_else(|| format!("附件 {id}"))))
            .collect(),
    }
}

/// The form of an action: which fields it shows.
pub struct ActionForm {
    pub code: &'static str,
    pub label: &'static str,
    pub reason: bool,
    pub note: bool,
    pub close: bool,
    pub assign: bool,
    pub extension: bool,
    /// 回头看重启: a new deadline (the setting's working days when left blank).
    pub reopen: bool,
    /// 销号: the 审核意见 and a tick confirming the rectification was verified.
    pub approve: bool,
    pub file: bool,
    /// Red buttons for actions that undo or stop.
    pub danger: bool,
    /// What the user typed into this form before it was refused (empty otherwise).
    pub kept: Fields,
}

impl ActionForm {
    /// The value typed into `key` before a refusal, for the form to show again.
    pub fn kept(&self, key: &str) -> String {
        self.kept.text(key).unwrap_or_default()
    }

    pub fn has(&self, key: &str) -> bool {
        self.kept.text(key).is_some()
    }
}

/// A refused action's form input, shown again so that nothing typed is lost.
pub struct Kept {
    pub action: String,
    pub fields: Fields,
}

fn action_form(action: Action) -> ActionForm {
    ActionForm {
        code: action.code(),
        label: action.label(),
        reason: action.needs_reason(),
        note: action == Action::Report,
        close: action == Action::RequestClose,
        assign: action == Action::Assign,
        extension: action == Action::RequestExtension,
        reopen: action == Action::Reopen,
        approve: action == Action::ApproveClose,
        file: matches!(action, Action::Report | Action::RequestClose),
        danger: matches!(
            action,
            Action::Cancel | Action::Decline | Action::Return | Action::Reopen | Action::RejectExtension
        ),
        kept: Fields::default(),
    }
}

#[derive(Template)]
#[template(path = "items/show.html")]
struct ShowPage {
    shell: Shell,
    item: ItemOut,
    forms: Vec<ActionForm>,
    record: Vec<RecordLine>,
    choices: Vec<UnitChoice>,
    today: String,
    /// The working days a reopened item gets when none are given (setting).
    reopen_workdays: i64,
    can_split: bool,
    /// The split form's rows (title, unit, working days): three blank ones, or those typed before a refusal.
    split_rows: Vec<(String, String, String)>,
    can_upload: bool,
    parent: Option<(ItemId, String, String)>,
    /// The citizens' appeals sent on as this item (转办), for those who may see appeals.
    appeals: Vec<crate::output::appeals::AppealOut>,
    /// The office may enter a phone-back 好差评 of the item's work once it is written off.
    can_rate: bool,
    levels: Vec<(&'static str, &'static str)>,
}

pub async fn show_page(state: &AppState, authed: &Authed, id: ItemId, flash: Option<Flash>) -> PageResult {
    page(state, authed, id, flash, None, None).await
}

/// The page again after a refused action, its form filled with what was typed.
pub async fn refused_page(
    state: &AppState,
    authed: &Authed,
    id: ItemId,
    flash: Option<Flash>,
    kept: Kept,
) -> PageResult {
    page(state, authed, id, flash, None, Some(kept)).await
}

async fn page(
    state: &AppState,
    authed: &Authed,
    id: ItemId,
    flash: Option<Flash>,
    acted: Option<Action>,
    kept: Option<Kept>,
) -> PageResult {
    let ctx = Context::load(state).await?;
    let mut reader = state.db.reader().await?;
    let row = query::get(&mut reader.conn(), &authed.actor, id).await?;
    let parent = match row.parent_id {
        Some(pid) => query::get(&mut reader.conn(), &authed.actor, pid)
            .await
            .ok()
            .map(|p| (p.id, p.code.clone(), p.title.clone())),
        None => None,
    };
    let events = item_record(&mut reader.conn(), &row).await?;
    let item = full_item(&mut reader.conn(), &ctx.view(authed), row).await?;
    let names: std::collections::HashMap<AttachmentId, String> =
        item.attachments.iter().map(|a| (AttachmentId(a.id), a.filename.clone())).collect();
    // Units named in the record (by code, as the audit keeps them), shown by name.
    let mut unit_names = std::collections::HashMap::new();
    for code in events.iter().filter_map(|e| e.payload.get("unit").and_then(|v| v.as_str())) {
        if !unit_names.contains_key(code)
            && let Ok(unit) = bangdu_store::units::get_by_code(&mut reader.conn(), &authed.actor, code).await
        {
            unit_names.insert(code.to_string(), unit.name.clone());
        }
    }
    let record = events.into_iter().map(|e| record_line(e, &names, &unit_names)).collect();
    let reopen_workdays =
        bangdu_store::settings::get_i64(&mut reader.conn(), bangdu_store::settings::REOPEN_WORKDAYS).await?;
    let appeals = if authed.actor.can(Permission::ViewAppeals) {
        bangdu_store::appeals::transfer::of_item(&mut reader.conn(), &authed.actor, id).await?
    } else {
        Vec::new()
    };
    drop(reader);
    let mut forms: Vec<ActionForm> = item.actions.iter().filter_map(|a| Action::parse(a)).map(action_form).collect();
    let mut split_rows = vec![(String::new(), String::new(), String::new()); 3];
    if let Some(kept) = kept.as_ref().filter(|k| k.action == "split") {
        let (titles, units, days) =
            (kept.fields.all("title"), kept.fields.all("unit"), kept.fields.all("deadline_workdays"));
        for (i, row) in split_rows.iter_mut().enumerate() {
            let at = |v: &Vec<String>| v.get(i).cloned().unwrap_or_default();
            *row = (at(&titles), at(&units), at(&days));
        }
    }
    if let Some(kept) = kept
        && let Some(form) = forms.iter_mut().find(|f| f.code == kept.action)
    {
        form.kept = kept.fields;
    }
    let flash = flash.or_else(|| acted.map(|a| Flash { kind: "success", text: super::acted::message(a, &item) }));
    // The way forward first; actions that undo or stop after it.
    forms.sort_by_key(|f| f.danger);
    let is_office = item.actions.iter().any(|a| a == "cancel") || forms.iter().any(|f| f.code == "approve_close");
    let can_split =
        authed.actor.can(Permission::ManageItems) && item.state != "closed" && item.state != "cancelled" && is_office;
    let can_upload = !forms.is_empty();
    let title = item.code.clone();
    render(&ShowPage {
        shell: shell(state, authed, "items", title.clone(), &[("督导事项", Some("/items")), (&title, None)])
            .await
            .flash(flash),
        choices: if forms.iter().any(|f| f.assign) || can_split {
            choices(state, authed, Picking::Any).await?
        } else {
            vec![]
        },
        today: ctx.today.to_string(),
        reopen_workdays,
        forms,
        record,
        can_split,
        split_rows,
        can_upload,
        parent,
        appeals: appeals.iter().map(crate::output::appeals::AppealOut::from).collect(),
        can_rate: authed.actor.can(Permission::ManageAppeals) && item.state == "closed",
        levels: bangdu_domain::appeal::satisfaction::Satisfaction::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        item,
    })
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<ItemId>,
    Query(d): Query<Done>,
) -> PageResult {
    // After an action the page says what was done (`?done=assign`); other codes are plain flashes.
    let acted = d.done.as_deref().and_then(Action::parse);
    let flash = if acted.is_some() { None } else { flash::from_code(d.done.as_deref()) };
    page(&state, &authed, id, flash, acted, None).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ItemRatingForm {
    pub level: String,
    pub comment: String,
}

/// The office's phone-back 好差评 of a written-off item; a bad one asks for 回头看 in its record.
pub async fn rate(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<ItemId>,
    crate::pages::forms::CsrfForm(form): crate::pages::forms::CsrfForm<ItemRatingForm>,
) -> PageResult {
    let result: Result<(), crate::error::WebError> = async {
        let level = bangdu_domain::appeal::satisfaction::Satisfaction::parse(form.level.trim())
            .ok_or_else(|| crate::error::WebError::invalid("level", "请选择回访结果"))?;
        let mut tx = state.db.begin().await?;
        let comment = Some(form.comment.as_str()).filter(|c| !c.trim().is_empty());
        bangdu_store::appeals::ratings::rate_item(&mut tx.conn(), &authed.actor, id, level, comment).await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::pages::settle(result.map(|()| crate::pages::done(&format!("/items/{}", id.0), "appeal_rated")), |e| {
        show_page(&state, &authed, id, crate::pages::flash::error(e.message))
    })
    .await
}
