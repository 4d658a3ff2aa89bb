//! Roles (角色) and data scopes (数据权限), as DESIGN.md §1 lists them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Office,
    Inspector,
    Unit,
    Leader,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Office, Role::Inspector, Role::Unit, Role::Leader];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Office => "office",
            Role::Inspector => "inspector",
            Role::Unit => "unit",
            Role::Leader => "leader",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::Office => "督查室",
            Role::Inspector => "帮督人员",
            Role::Unit => "责任单位",
            Role::Leader => "领导",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        let text = text.trim();
        Role::ALL.into_iter().find(|r| r.code() == text || r.label() == text)
    }

    /// The data scope a role gets unless the administrator chooses another (DESIGN §1).
    /// Inspectors see the targets of their inspections; until inspections exist that is
    /// nothing but their own records.
    pub fn default_scope(self) -> DataScope {
        match self {
            Role::Admin => DataScope::All,
            Role::Office | Role::Leader => DataScope::UnitAndBelow,
            Role::Inspector => DataScope::SelfOnly,
            Role::Unit => DataScope::Unit,
        }
    }
}

/// Which records a role grant lets its holder see, as RuoYi's data scopes offer it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataScope {
    /// 全部数据
    All,
    /// 指定单位: the units listed on the grant.
    Custom,
    /// 本单位
    Unit,
    /// 本单位及下级
    UnitAndBelow,
    /// 仅本人: records the user created or that are about the user.
    #[serde(rename = "self")]
    SelfOnly,
}

impl DataScope {
    pub const ALL: [DataScope; 5] =
        [DataScope::All, DataScope::Custom, DataScope::Unit, DataScope::UnitAndBelow, DataScope::SelfOnly];

    pub fn code(self) -> &'static str {
        match self {
            DataScope::All => "all",
            DataScope::Custom => "custom",
            DataScope::Unit => "unit",
            DataScope::UnitAndBelow => "unit_and_below",
            DataScope::SelfOnly => "self",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DataScope::All => "全部数据",
            DataScope::Custom => "指定单位",
            DataScope::Unit => "本单位",
            DataScope::UnitAndBelow => "本单位及下级",
            DataScope::SelfOnly => "仅本人",
        }
    }

    pub fn parse(text: &str) -> Option<DataScope> {
        let text = text.trim();
        DataScope::ALL.into_iter().find(|s| s.code() == text || s.label() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_serde_agrees() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
            assert_eq!(Role::parse(role.label()), Some(role));
            assert_eq!(serde_json::to_value(role).unwrap(), role.code());
        }
        for scope in DataScope::ALL {
            assert_eq!(DataScope::parse(scope.code()), Some(scope));
            assert_eq!(serde_json::to_value(scope).unwrap(), scope.code());
        }
    }

    #[test]
    fn default_scopes_follow_design() {
        assert_eq!(Role::Admin.default_scope(), DataScope::All);
        assert_eq!(Role::Office.default_scope(), DataScope::UnitAndBelow);
        assert_eq!(Role::Leader.default_scope(), DataScope::UnitAndBelow);
        assert_eq!(Role::Unit.default_scope(), DataScope::Unit);
        assert_eq!(Role::Inspector.default_scope(), DataScope::SelfOnly);
    }
}
