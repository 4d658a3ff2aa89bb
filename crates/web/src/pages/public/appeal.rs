//! The public appeal form and the tracking page: no sign-in. A citizen writes what is wrong, where
//! (typed, or the phone's location), chooses a category and may leave a name and phone for the call
//! back; the answer is a number and a tracking link. The link shows the appeal's state, the answer
//! and nothing personal, and takes one 好差评 once answered. A hidden field no person fills stops
//! simple robots (no CAPTCHA); each address may submit a few appeals an hour.

use crate::auth::csrf::{self, PublicOrigin};
use crate::error::WebError;
use crate::extract::Parts;
use crate::extract::client::ClientInfo;
use crate::pages::errors::PageResult;
use crate::pages::render;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use bangdu_domain::AppealPhotoId;
use bangdu_domain::appeal::channel::Channel;
use bangdu_domain::appeal::satisfaction::Satisfaction;
use bangdu_domain::text::looks_like_markup;
use bangdu_store::Actor;
use bangdu_store::appeals::create::{NewAppeal, receive};
use bangdu_store::appeals::public::{PublicAppeal, tracked};
use bangdu_store::appeals::{categories, photos, ratings};
use bangdu_store::time::beijing;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "public/appeal_new.html")]
struct NewPage {
    categories: Vec<(String, String)>,
    form: AppealForm,
    error: Option<String>,
    phone: String,
    version: &'static str,
}

#[derive(Template)]
#[template(path = "public/appeal_sent.html")]
struct SentPage {
    /// None when the robots' field was filled: nothing was stored, nothing is promised.
    number: Option<String>,
    link: String,
    phone: String,
    version: &'static str,
}

#[derive(Template)]
#[template(path = "public/appeal_track.html")]
struct TrackPage {
    a: PublicAppeal,
    photos: Vec<AppealPhotoId>,
    token: String,
    levels: Vec<(&'static str, &'static str)>,
    message: Option<(&'static str, String)>,
    phone: String,
    version: &'static str,
}

impl TrackPage {
    fn at(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        beijing(t, "%Y-%m-%d %H:%M")
    }
}

#[derive(Default, Clone)]
pub struct AppealForm {
    pub category: String,
    pub content: String,
    pub address: String,
    pub lat: String,
    pub lon: String,
    pub name: String,
    pub phone: String,
    /// The robots' field: hidden from people, so anything in it came from a program.
    pub website: String,
}

impl AppealForm {
    /// The form's fields from its multipart body (it carries a photo); a field not sent is empty.
    fn from_parts(parts: &Parts) -> AppealForm {
        let field = |name: &str| parts.fields.get(name).cloned().unwrap_or_default();
        AppealForm {
            category: field("category"),
            content: field("content"),
            address: field("address"),
            lat: field("lat"),
            lon: field("lon"),
            name: field("name"),
            phone: field("phone"),
            website: field("website"),
        }
    }
}

async fn supervision_phone(state: &AppState) -> Result<String, WebError> {
    let mut reader = state.db.reader().await?;
    Ok(bangdu_store::settings::get_text(&mut reader.conn(), bangdu_store::settings::SUPERVISION_PHONE).await?)
}

async fn new_page(state: &AppState, form: AppealForm, error: Option<String>, status: StatusCode) -> PageResult {
    let cats = {
        let mut reader = state.db.reader().await?;
        categories::list(&mut reader.conn(), &Actor::public(), false).await?
    };
    let mut response = render(&NewPage {
        categories: cats.iter().map(|c| (c.code.clone(), c.name.clone())).collect(),
        form,
        error,
        phone: supervision_phone(state).await?,
        version: crate::assets::VERSION,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn form(State(state): State<AppState>) -> PageResult {
    new_page(&state, AppealForm::default(), None, StatusCode::OK).await
}

fn location(form: &AppealForm) -> Result<Option<(f64, f64)>, WebError> {
    match (form.lat.trim(), form.lon.trim()) {
        ("", "") => Ok(None),
        (lat, lon) => match (lat.parse::<f64>(), lon.parse::<f64>()) {
            (Ok(lat), Ok(lon)) => Ok(Some((lat, lon))),
            _ => Err(WebError::invalid("location", "位置无法识别，请重新定位或填写地址")),
        },
    }
}

pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Extension(public): axum::Extension<PublicOrigin>,
    axum::Extension(client): axum::Extension<ClientInfo>,
    multipart: Multipart,
) -> PageResult {
    if csrf::cross_site(&headers, &public) {
        return Err(WebError::new(StatusCode::FORBIDDEN, "csrf_failed", "请求来源校验失败，请刷新页面后重试"));
    }
    crate::auth::throttle::public_appeal(&state, &client)?;
    let parts = Parts::read(multipart).await?;
    // (A photo over the size limit is refused by the body limit before this point.)
    let form = AppealForm::from_parts(&parts);
    if !form.website.trim().is_empty() {
        // A robot: answer as to a person, store nothing.
        return render(&SentPage {
            number: None,
            link: String::new(),
            phone: supervision_phone(&state).await?,
            version: crate::assets::VERSION,
        });
    }
    let result = async {
        for (field, text) in [("content", &form.content), ("address", &form.address), ("name", &form.name)] {
            if looks_like_markup(text) {
                return Err(WebError::invalid(field, "请不要输入网页代码（如 <script>）"));
            }
        }
        if form.address.trim().is_empty() && form.lat.trim().is_empty() {
            return Err(WebError::invalid("address", "请填写地址，或点“使用当前位置”"));
        }
        let mut tx = state.db.begin().await?;
        let cal = bangdu_store::calendar::load(&mut tx.conn()).await?;
        let received = receive(
            &mut tx.conn(),
            &Actor::public(),
            &cal,
            NewAppeal {
                channel: Some(Channel::Web),
                content: form.content.clone(),
                address: Some(form.address.clone()),
                location: location(&form)?,
                category: Some(form.category.clone()).filter(|c| !c.trim().is_empty()),
                caller_name: Some(form.name.clone()),
                caller_phone: Some(form.phone.clone()),
                ..Default::default()
            },
        )
        .await?;
        if let Some((filename, bytes)) = &parts.file {
            photos::attach(&mut tx.conn(), state.files.as_ref(), &Actor::public(), &received, filename, bytes)
                .await
                .map_err(crate::output::items::upload_error)?;
        }
        tx.commit().await?;
        Ok(received)
    }
    .await;
    match result {
        Ok(received) => {
            let base = {
                let mut reader = state.db.reader().await?;
                super::board::public_base(&mut reader.conn(), &state).await?
            };
            let mut response = render(&SentPage {
                number: Some(received.appeal.external_id),
                link: format!("{base}/track/{}", received.token),
                phone: supervision_phone(&state).await?,
                version: crate::assets::VERSION,
            })?;
            *response.status_mut() = StatusCode::CREATED;
            Ok(response)
        }
        Err(e) if e.status.is_client_error() && e.status != StatusCode::NOT_FOUND => {
            new_page(&state, form, Some(e.message.clone()), e.status).await
        }
        Err(e) => Err(e),
    }
}

async fn track_page(
    state: &AppState,
    token: &str,
    message: Option<(&'static str, String)>,
    status: StatusCode,
) -> PageResult {
    let (a, photos) = {
        let mut reader = state.db.reader().await?;
        let a = tracked(&mut reader.conn(), &Actor::public(), token).await?;
        (a, photos::tracked(&mut reader.conn(), &Actor::public(), token).await?)
    };
    let mut response = render(&TrackPage {
        a,
        photos: photos.into_iter().map(|p| p.id).collect(),
        token: token.to_string(),
        levels: Satisfaction::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        message,
        phone: supervision_phone(state).await?,
        version: crate::assets::VERSION,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn track(State(state): State<AppState>, Path(token): Path<String>) -> PageResult {
    track_page(&state, &token, None, StatusCode::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RateForm {
    pub level: String,
    pub comment: String,
}

pub async fn rate(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    axum::Extension(public): axum::Extension<PublicOrigin>,
    axum::Extension(client): axum::Extension<ClientInfo>,
    crate::extract::Form(form): crate::extract::Form<RateForm>,
) -> PageResult {
    if csrf::cross_site(&headers, &public) {
        return Err(WebError::new(StatusCode::FORBIDDEN, "csrf_failed", "请求来源校验失败，请刷新页面后重试"));
    }
    crate::auth::throttle::public_action(&state, &client)?;
    let result = async {
        let level =
            Satisfaction::parse(form.level.trim()).ok_or_else(|| WebError::invalid("level", "请选择满意程度"))?;
        if looks_like_markup(&form.comment) {
            return Err(WebError::invalid("comment", "请不要输入网页代码（如 <script>）"));
        }
        let mut tx = state.db.begin().await?;
        ratings::rate_by_token(&mut tx.conn(), &Actor::public(), &token, level, Some(&form.comment)).await?;
        tx.commit().await?;
        Ok::<_, WebError>(())
    }
    .await;
    match result {
        Ok(()) => track_page(&state, &token, Some(("success", "感谢您的评价".into())), StatusCode::OK).await,
        Err(e) if e.status.is_client_error() && e.status != StatusCode::NOT_FOUND => {
            track_page(&state, &token, Some(("error", e.message.clone())), e.status).await
        }
        Err(e) => Err(e),
    }
}

/// A photo of the tracked appeal, for the tracking page.
pub async fn photo(
    State(state): State<AppState>,
    Path((token, photo)): Path<(String, AppealPhotoId)>,
) -> Result<axum::response::Response, WebError> {
    let record = {
        let mut reader = state.db.reader().await?;
        photos::get_tracked(&mut reader.conn(), &Actor::public(), &token, photo).await?
    };
    Ok(crate::output::download::stored_file(&state, record.sha256, record.content_type, &record.filename)
        .await?
        .into_response())
}
