//! Open311 attributes: the extra questions a service asks (GeoReport v2 "service definition"), as
//! the administrator defines them per category, and the values a post gives them, checked against
//! the definitions (an unknown attribute, a missing required one or a value not on its list is
//! refused, never stored).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The six datatypes GeoReport v2 defines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Datatype {
    String,
    Number,
    Datetime,
    Text,
    Singlevaluelist,
    Multivaluelist,
}

/// One allowed value of a list attribute.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeValue {
    pub key: String,
    pub name: String,
}

/// One attribute as `services/{code}` serves it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeDef {
    /// False for an attribute that only informs (no value is asked).
    #[serde(default = "yes")]
    pub variable: bool,
    pub code: String,
    pub datatype: Datatype,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub datatype_description: Option<String>,
    #[serde(default)]
    pub order: i64,
    pub description: String,
    #[serde(default)]
    pub values: Vec<AttributeValue>,
}

fn yes() -> bool {
    true
}

/// Reads and checks the definitions the administrator wrote (a JSON list), in their order.
pub fn parse_defs(text: &str) -> Result<Vec<AttributeDef>, String> {
    let mut defs: Vec<AttributeDef> =
        serde_json::from_str(text).map_err(|e| format!("属性定义不是有效的 JSON 列表：{e}"))?;
    let mut seen = std::collections::BTreeSet::new();
    for def in &defs {
        let code_ok = !def.code.is_empty()
            && def.code.len() <= 40
            && def.code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !code_ok {
            return Err(format!("属性代码“{}”只能由字母、数字、_ 和 - 组成", def.code));
        }
        if !seen.insert(def.code.clone()) {
            return Err(format!("属性代码“{}”重复", def.code));
        }
        if def.description.trim().is_empty() {
            return Err(format!("属性“{}”缺少说明", def.code));
        }
        let listed = matches!(def.datatype, Datatype::Singlevaluelist | Datatype::Multivaluelist);
        if listed && def.values.is_empty() {
            return Err(format!("列表属性“{}”没有可选值", def.code));
        }
    }
    defs.sort_by_key(|d| d.order);
    Ok(defs)
}

/// The definitions as stored.
pub fn defs_json(defs: &[AttributeDef]) -> String {
    serde_json::to_string(defs).unwrap_or_else(|_| "[]".into())
}

/// What a post gave: `attribute[CODE]=v` and, for multi-value lists, `attribute[CODE][]=v` repeated.
pub type Given = BTreeMap<String, Vec<String>>;

/// Checks the given values against the definitions; the refusal names the attribute.
pub fn check_values(defs: &[AttributeDef], given: &Given) -> Result<BTreeMap<String, serde_json::Value>, String> {
    let mut out = BTreeMap::new();
    for code in given.keys() {
        if !defs.iter().any(|d| d.variable && &d.code == code) {
            return Err(format!("attribute[{code}] is not an attribute of this service"));
        }
    }
    for def in defs.iter().filter(|d| d.variable) {
        let values: Vec<&str> = given
            .get(&def.code)
            .map(|v| v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect())
            .unwrap_or_default();
        if values.is_empty() {
            if def.required {
                return Err(format!("attribute[{}] is required", def.code));
            }
            continue;
        }
        if def.datatype != Datatype::Multivaluelist && values.len() > 1 {
            return Err(format!("attribute[{}] takes one value", def.code));
        }
        let listed = |v: &str| def.values.iter().any(|allowed| allowed.key == v);
        let value = match def.datatype {
            Datatype::String | Datatype::Text => {
                let limit = if def.datatype == Datatype::String { 200 } else { 4000 };
                if values[0].chars().count() > limit {
                    return Err(format!("attribute[{}] is longer than {limit} characters", def.code));
                }
                serde_json::Value::from(values[0])
            }
            Datatype::Number => {
                let n: f64 = values[0].parse().map_err(|_| format!("attribute[{}] must be a number", def.code))?;
                if !n.is_finite() {
                    return Err(format!("attribute[{}] must be a number", def.code));
                }
                serde_json::Value::from(values[0])
            }
            Datatype::Datetime => {
                chrono::DateTime::parse_from_rfc3339(values[0])
                    .map_err(|_| format!("attribute[{}] must be an ISO 8601 date and time", def.code))?;
                serde_json::Value::from(values[0])
            }
            Datatype::Singlevaluelist => {
                if !listed(values[0]) {
                    return Err(format!("attribute[{}] has no value {}", def.code, values[0]));
                }
                serde_json::Value::from(values[0])
            }
            Datatype::Multivaluelist => {
                if let Some(bad) = values.iter().find(|v| !listed(v)) {
                    return Err(format!("attribute[{}] has no value {bad}", def.code));
                }
                serde_json::Value::from(values.clone())
            }
        };
        out.insert(def.code.clone(), value);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFS: &str = r#"[
      {"code":"FLOOR","datatype":"number","required":false,"order":2,"description":"楼层"},
      {"code":"KIND","datatype":"singlevaluelist","required":true,"order":1,"description":"问题类型",
       "values":[{"key":"noise","name":"噪音"},{"key":"smell","name":"异味"}]},
      {"code":"WHEN","datatype":"multivaluelist","order":3,"description":"时段",
       "values":[{"key":"day","name":"白天"},{"key":"night","name":"夜间"}]}
    ]"#;

    fn given(pairs: &[(&str, &str)]) -> Given {
        let mut g = Given::new();
        for (k, v) in pairs {
            g.entry(k.to_string()).or_default().push(v.to_string());
        }
        g
    }

    #[test]
    fn definitions_read_in_order_and_bad_ones_are_refused() {
        let defs = parse_defs(DEFS).unwrap();
        assert_eq!(defs.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["KIND", "FLOOR", "WHEN"]);
        assert!(defs[0].variable, "variable defaults to true");
        assert!(parse_defs(r#"[{"code":"A B","datatype":"string","description":"x"}]"#).is_err());
        assert!(parse_defs(r#"[{"code":"A","datatype":"singlevaluelist","description":"x"}]"#).is_err());
        assert!(parse_defs(r#"[{"code":"A","datatype":"colour","description":"x"}]"#).is_err());
        assert!(parse_defs("{}").is_err());
        assert_eq!(parse_defs(&defs_json(&defs)).unwrap(), defs, "stored and read back unchanged");
    }

    #[test]
    fn values_are_checked_against_the_definitions() {
        let defs = parse_defs(DEFS).unwrap();
        let ok = check_values(&defs, &given(&[("KIND", "noise"), ("FLOOR", "3"), ("WHEN", "day"), ("WHEN", "night")]))
            .unwrap();
        assert_eq!(ok["WHEN"], serde_json::json!(["day", "night"]));
        assert!(check_values(&defs, &given(&[])).unwrap_err().contains("KIND"), "required");
        assert!(check_values(&defs, &given(&[("KIND", "fire")])).is_err(), "not on the list");
        assert!(check_values(&defs, &given(&[("KIND", "noise"), ("COLOUR", "red")])).unwrap_err().contains("COLOUR"));
        assert!(check_values(&defs, &given(&[("KIND", "noise"), ("FLOOR", "three")])).is_err());
        assert!(check_values(&defs, &given(&[("KIND", "noise"), ("KIND", "smell")])).is_err(), "one value");
    }
}
