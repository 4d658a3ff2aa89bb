//! The personnel pool (人员库): the rules for one member's fields, shared by the form, the API and
//! the CSV/XLSX import (columns 姓名, 工作单位, 所在地区划代码, 专业领域, 可任组长, 手机). Each error
//! names the field, so an import can name the line and the column.

use crate::field_error::{FieldError, optional_text, required_text};
use crate::region::parse_region_code;

/// The domains offered when the administrator has not edited the list (DESIGN.md §5).
pub const DEFAULT_DOMAINS: [&str; 12] = [
    "项目建设",
    "财税金融",
    "产业发展",
    "营商环境",
    "交通物流",
    "教育",
    "卫健",
    "城建",
    "生态环境",
    "安全生产",
    "农业农村",
    "政务服务",
];

/// Domains as typed into one cell or field: separated by 、 or commas (either width) or spaces,
/// each one of `known`; duplicates count once, the order typed is kept.
pub fn domains(field: &str, text: &str, known: &[String]) -> Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::new();
    for name in text.split(['、', ',', '，', ' ', '\u{3000}', ';', '；']).map(str::trim).filter(|s| !s.is_empty()) {
        if !known.iter().any(|k| k == name) {
            return Err(FieldError::new(field, format!("未知的专业领域“{name}”，可选：{}", known.join("、"))));
        }
        if !out.iter().any(|d| d == name) {
            out.push(name.to_string());
        }
    }
    if out.is_empty() {
        return Err(FieldError::new(field, "请至少填写一个专业领域"));
    }
    Ok(out)
}

/// 可任组长: 是/否 as people type it (also Y/N, true/false, 1/0); blank is 否.
pub fn yes_no(field: &str, text: &str) -> Result<bool, FieldError> {
    match text.trim().to_lowercase().as_str() {
        "是" | "y" | "yes" | "true" | "1" | "√" => Ok(true),
        "否" | "n" | "no" | "false" | "0" | "" => Ok(false),
        other => Err(FieldError::new(field, format!("“{other}”应为“是”或“否”"))),
    }
}

/// A member as typed, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberFields {
    pub name: String,
    /// The unit as typed (a code or a name); the store resolves it.
    pub unit: String,
    pub region: String,
    pub domains: Vec<String>,
    pub can_lead: bool,
    pub phone: Option<String>,
}

/// Checks one member's fields; the field names are the API's (`name`, `unit`, `region`, `domains`,
/// `can_lead`, `phone`).
pub fn check_member(
    name: &str,
    unit: &str,
    region: &str,
    domain_text: &str,
    can_lead: &str,
    phone: &str,
    known_domains: &[String],
) -> Result<MemberFields, FieldError> {
    let name = required_text("name", "姓名", name, 50)?;
    let unit = required_text("unit", "工作单位", unit, 100)?;
    let region = parse_region_code("region", region)?;
    let domains = domains("domains", domain_text, known_domains)?;
    let can_lead = yes_no("can_lead", can_lead)?;
    let phone = match optional_text("phone", "手机", phone, 20)? {
        Some(p) if p.trim_start_matches('+').chars().all(|c| c.is_ascii_digit() || c == '-') => Some(p),
        Some(_) => return Err(FieldError::new("phone", "手机号码只能包含数字、开头的 + 和 -")),
        None => None,
    };
    Ok(MemberFields { name, unit, region, domains, can_lead, phone })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        DEFAULT_DOMAINS.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn a_row_as_the_office_types_it() {
        let m = check_member(
            " 林志强 ",
            "泉州市住建局",
            "350500",
            "项目建设、城建，安全生产 城建",
            "是",
            "13900000000",
            &known(),
        )
        .unwrap();
        assert_eq!(m.name, "林志强");
        assert_eq!(m.domains, ["项目建设", "城建", "安全生产"]);
        assert!(m.can_lead);
        assert_eq!(m.phone.as_deref(), Some("13900000000"));
        let m = check_member("陈", "晋江市发改局", "350582", "营商环境", "", "", &known()).unwrap();
        assert_eq!((m.can_lead, m.phone), (false, None));
    }

    #[test]
    fn each_bad_field_is_named() {
        let k = known();
        let field = |r: Result<MemberFields, FieldError>| r.unwrap_err().field;
        assert_eq!(field(check_member("", "单位", "350500", "城建", "是", "", &k)), "name");
        assert_eq!(field(check_member("林", "", "350500", "城建", "是", "", &k)), "unit");
        assert_eq!(field(check_member("林", "单位", "999999", "城建", "是", "", &k)), "region");
        assert_eq!(field(check_member("林", "单位", "350500", "航天", "是", "", &k)), "domains");
        assert_eq!(field(check_member("林", "单位", "350500", "、", "是", "", &k)), "domains");
        assert_eq!(field(check_member("林", "单位", "350500", "城建", "可以", "", &k)), "can_lead");
        assert_eq!(field(check_member("林", "单位", "350500", "城建", "否", "tel:139", &k)), "phone");
        let e = check_member("林", "单位", "350500", "城建、航天", "是", "", &k).unwrap_err();
        assert!(e.message.starts_with("未知的专业领域“航天”"), "{}", e.message);
    }
}
