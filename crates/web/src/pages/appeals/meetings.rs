//! 吐槽大会 for the office: the meetings held in its area with where their issues stand, one
//! meeting with each issue raised (an appeal of channel 吐槽大会, sent on like any other), and the
//! form that records a meeting.

use crate::auth::{Authed, PageUser};
use crate::error::WebError;
use crate::extract::Id;
use crate::input::appeals::MeetingForm;
use crate::output::appeals::{AppealMeetingDetailOut, AppealMeetingOut};
use crate::pages::errors::PageResult;
use crate::pages::forms::CsrfForm;
use crate::pages::shell::{Flash, Shell, shell};
use crate::pages::{Done, done, flash, render, settle};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use bangdu_domain::MeetingId;
use bangdu_domain::permission::Permission;
use bangdu_store::Actor;
use bangdu_store::appeals::{categories, meetings};
use bangdu_store::time::beijing;

#[derive(Template)]
#[template(path = "appeals/meetings.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<AppealMeetingOut>,
    can_manage: bool,
}

#[derive(Template)]
#[template(path = "appeals/meeting_new.html")]
struct NewPage {
    shell: Shell,
    form: MeetingForm,
    categories: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "appeals/meeting_show.html")]
struct ShowPage {
    shell: Shell,
    m: AppealMeetingDetailOut,
}

impl ShowPage {
    fn at(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        beijing(t, "%Y-%m-%d %H:%M")
    }
}

pub async fn list(State(state): State<AppState>, PageUser(authed): PageUser) -> PageResult {
    let rows = {
        let mut reader = state.db.reader().await?;
        meetings::list(&mut reader.conn(), &authed.actor).await?
    };
    render(&ListPage {
        shell: shell(&state, &authed, "appeals", "吐槽大会", &[("群众诉求", Some("/appeals")), ("吐槽大会", None)])
            .await,
        rows: rows.iter().map(|(m, o)| AppealMeetingOut::new(m, *o)).collect(),
        can_manage: authed.actor.can(Permission::ManageAppeals),
    })
}

async fn new_page(state: &AppState, authed: &Authed, form: MeetingForm, flash: Option<Flash>) -> PageResult {
    if !authed.actor.can(Permission::ManageAppeals) {
        return Err(WebError::forbidden());
    }
    let cats = {
        let mut reader = state.db.reader().await?;
        categories::list(&mut reader.conn(), &Actor::public(), false).await?
    };
    render(&NewPage {
        shell: shell(
            state,
            authed,
            "appeals",
            "记录吐槽大会",
            &[("群众诉求", Some("/appeals")), ("吐槽大会", Some("/appeals/meetings")), ("记录", None)],
        )
        .await
        .flash(flash),
        form,
        categories: cats.iter().map(|c| (c.code.clone(), c.name.clone())).collect(),
    })
}

pub async fn new_form(State(state): State<AppState>, PageUser(authed): PageUser) -> PageResult {
    let form = MeetingForm { held_on: state.today().to_string(), ..MeetingForm::default() };
    new_page(&state, &authed, form, None).await
}

/// Records the meeting; each issue becomes an appeal of it.
pub async fn create(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    CsrfForm(form): CsrfForm<MeetingForm>,
) -> PageResult {
    let result: Result<_, WebError> = async {
        let command = form.clone().into_body()?.into_command()?;
        let mut tx = state.db.begin().await?;
        let cal = bangdu_store::calendar::load(&mut tx.conn()).await?;
        let id = meetings::record(&mut tx.conn(), &authed.actor, &cal, command).await?;
        tx.commit().await?;
        Ok(done(&format!("/appeals/meetings/{}", id.0), "meeting_recorded"))
    }
    .await;
    settle(result, |e| new_page(&state, &authed, form, flash::error(e.message))).await
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(authed): PageUser,
    Id(id): Id<MeetingId>,
    Query(d): Query<Done>,
) -> PageResult {
    let (meeting, issues) = {
        let mut reader = state.db.reader().await?;
        meetings::get(&mut reader.conn(), &authed.actor, id).await?
    };
    let m = AppealMeetingDetailOut::new(&meeting, &issues);
    let title = format!("吐槽大会 · {}", m.meeting.place);
    render(&ShowPage {
        shell: shell(
            &state,
            &authed,
            "appeals",
            title,
            &[
                ("群众诉求", Some("/appeals")),
                ("吐槽大会", Some("/appeals/meetings")),
                (m.meeting.place.as_str(), None),
            ],
        )
        .await
        .flash(flash::from_code(d.done.as_deref())),
        m,
    })
}
