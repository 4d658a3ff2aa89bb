//! What the API answers, with the OpenAPI schema of each shape. Storage types stay free of HTTP and
//! documentation concerns; these are built from them.

use bangdu_domain::scope::Scope;
use bangdu_store::grants::{GrantView, UnitBrief};
use bangdu_store::paging::Paged;
use bangdu_store::units::Unit;
use bangdu_store::users::User;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A page of a list: `{"data":[…],"total":N,"page":P,"per_page":K}`.
#[derive(Serialize, ToSchema)]
pub struct ListOf<T: ToSchema> {
    pub data: Vec<T>,
    /// Records matching the filters, on all pages.
    pub total: i64,
    pub page: u64,
    pub per_page: u64,
}

impl<T: ToSchema> ListOf<T> {
    pub fn from<U>(paged: Paged<U>, f: impl FnMut(U) -> T) -> ListOf<T> {
        let Paged { data, total, page, per_page } = paged;
        ListOf { data: data.into_iter().map(f).collect(), total, page, per_page }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UnitOut {
    pub id: i64,
    /// The unit's own code, used by CSV files and scripts.
    pub code: String,
    pub name: String,
    /// `government`, `party`, `department`, `congress`, `cppcc`, `mass_org`, `town`, `street`,
    /// `village`, `community`, `park`, `enterprise` or `other`.
    pub kind: String,
    /// 人民政府, 乡镇, …
    pub kind_label: String,
    pub parent_id: Option<i64>,
    pub parent_code: Option<String>,
    pub parent_name: Option<String>,
    /// 行政区划代码 (6, 9 or 12 digits).
    pub region: Option<String>,
    /// Ids from the root, e.g. `/1/4/9/`.
    pub path: String,
    pub depth: i64,
    pub sort_order: i64,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Send it back with a change to guard against overwriting someone else's edit.
    pub version: i64,
}

impl From<Unit> for UnitOut {
    fn from(u: Unit) -> Self {
        UnitOut {
            kind_label: u.kind_label().to_string(),
            id: u.id,
            code: u.code.clone(),
            name: u.name.clone(),
            kind: u.kind.clone(),
            parent_id: u.parent_id,
            parent_code: u.parent_code.clone(),
            parent_name: u.parent_name.clone(),
            region: u.region.clone(),
            path: u.path.clone(),
            depth: u.depth,
            sort_order: u.sort_order,
            active: u.active,
            created_at: u.created_at,
            updated_at: u.updated_at,
            version: u.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UnitRefOut {
    pub id: i64,
    pub code: String,
    pub name: String,
}

impl From<UnitBrief> for UnitRefOut {
    fn from(u: UnitBrief) -> Self {
        UnitRefOut { id: u.id, code: u.code, name: u.name }
    }
}

/// A role held in a unit.
#[derive(Serialize, ToSchema)]
pub struct GrantOut {
    /// `admin`, `office`, `inspector`, `unit` or `leader`.
    pub role: String,
    pub role_label: String,
    pub unit: UnitRefOut,
    /// `all`, `custom`, `unit`, `unit_and_below` or `self`.
    pub data_scope: String,
    pub data_scope_label: String,
    /// The chosen units of a `custom` scope.
    pub custom_units: Vec<UnitRefOut>,
}

impl From<GrantView> for GrantOut {
    fn from(g: GrantView) -> Self {
        GrantOut {
            role: g.role,
            role_label: g.role_label.to_string(),
            unit: g.unit.into(),
            data_scope: g.data_scope,
            data_scope_label: g.data_scope_label.to_string(),
            custom_units: g.custom_units.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserOut {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    /// Where e-mailed notices go.
    pub email: Option<String>,
    pub active: bool,
    /// Signed-in is refused until this time after repeated failures.
    pub locked_until: Option<DateTime<Utc>>,
    pub must_change_password: bool,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub roles: Vec<GrantOut>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl From<User> for UserOut {
    fn from(u: User) -> Self {
        let now = Utc::now();
        UserOut {
            id: u.row.id,
            username: u.row.username,
            display_name: u.row.display_name,
            phone: u.row.phone,
            email: u.row.email,
            active: u.row.active,
            locked_until: u.row.locked_until.filter(|t| *t > now),
            must_change_password: u.row.must_change_password,
            last_sign_in_at: u.row.last_sign_in_at,
            roles: u.grants.into_iter().map(Into::into).collect(),
            created_at: u.row.created_at,
            updated_at: u.row.updated_at,
            version: u.row.version,
        }
    }
}

/// The effective data scope: the union over all grants.
#[derive(Serialize, ToSchema)]
pub struct ScopeOut {
    pub all: bool,
    /// Units visible exactly (own unit, chosen units).
    pub units: Vec<i64>,
    /// Unit paths whose whole subtree is visible.
    pub subtrees: Vec<String>,
    /// Records the user created or that are about them.
    pub own_records: bool,
}

impl From<&Scope> for ScopeOut {
    fn from(s: &Scope) -> Self {
        ScopeOut {
            all: s.all,
            units: s.units.iter().map(|u| u.0).collect(),
            subtrees: s.subtrees.iter().cloned().collect(),
            own_records: s.own_records,
        }
    }
}

/// The signed-in user.
#[derive(Serialize, ToSchema)]
pub struct MeOut {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// Role codes, each once.
    pub roles: Vec<String>,
    /// The units the user holds roles in.
    pub units: Vec<UnitRefOut>,
    /// Each role in each unit, with its data scope.
    pub grants: Vec<GrantOut>,
    /// What the user can see (union of the grants' scopes).
    pub scope: ScopeOut,
    pub must_change_password: bool,
    /// How this request was authenticated: `session` or `token`.
    pub via: String,
    /// For cookie sessions: send as `X-CSRF-Token` with form-type POSTs.
    pub csrf_token: Option<String>,
}
