//! Where an appeal belongs: its region read from a code or a name, the office whose area it lies in
//! (its owner), and the handling unit an export names. Loaded once per import or post from the
//! units table, which is small next to the appeals.

use crate::db::Conn;
use crate::error::Result;
use crate::tables::Units;
use bangdu_domain::field_error::FieldError;
use bangdu_domain::region::{parse_region_code, region_contains, region_name};
use sea_query::{Expr, ExprTrait, Query};
use std::collections::HashMap;

#[derive(Clone, Debug, sqlx::FromRow)]
struct PlaceUnit {
    id: i64,
    code: String,
    name: String,
    region: Option<String>,
    depth: i64,
    path: String,
}

/// The units as places.
pub struct Places {
    /// Units with a county-level (or higher) region, deepest region first, then highest in the tree:
    /// the first that contains an appeal's region owns it.
    owners: Vec<(String, i64)>,
    /// Region names (GB/T 2260 names of our units' regions, and the names of units that have a
    /// region of their own, such as towns) → code.
    region_names: HashMap<String, String>,
    regions: Vec<String>,
    unit_by_code: HashMap<String, i64>,
    unit_by_name: HashMap<String, Vec<i64>>,
    /// The unit that owns appeals with no region or a region no unit covers: the root.
    fallback: Option<i64>,
    paths: HashMap<i64, String>,
}

impl Places {
    pub async fn load(c: &mut Conn<'_>) -> Result<Places> {
        let units: Vec<PlaceUnit> = c
            .fetch_all(
                Query::select()
                    .columns([Units::Id, Units::Code, Units::Name, Units::Region, Units::Depth, Units::Path])
                    .from(Units::Table)
                    .and_where(Expr::col(Units::Active).eq(true)),
            )
            .await?;
        Ok(Places::from_units(units))
    }

    fn from_units(units: Vec<PlaceUnit>) -> Places {
        let mut owners: Vec<(String, i64, i64)> = Vec::new();
        let mut region_names = HashMap::new();
        let mut regions = Vec::new();
        let mut unit_by_code = HashMap::new();
        let mut unit_by_name: HashMap<String, Vec<i64>> = HashMap::new();
        for u in &units {
            unit_by_code.insert(u.code.clone(), u.id);
            unit_by_name.entry(u.name.clone()).or_default().push(u.id);
            let Some(region) = u.region.as_deref().filter(|r| !r.is_empty()) else { continue };
            regions.push(region.to_string());
            if region.len() <= 6 {
                owners.push((region.to_string(), u.depth, u.id));
            } else {
                // A town is named with or without its government's suffix (安海镇, 安海镇人民政府).
                for name in [u.name.as_str(), u.name.trim_end_matches("人民政府")] {
                    region_names.entry(name.to_string()).or_insert_with(|| region.to_string());
                }
            }
            // The county, city and province the region lies in, by their standard names.
            for prefix in
                [region.get(..6).map(str::to_string), region.get(..4).map(|p| format!("{p}00"))].into_iter().flatten()
            {
                if let Some(name) = region_name(&prefix) {
                    region_names.entry(name.to_string()).or_insert(prefix);
                }
            }
        }
        // Significant digits decide depth: 350500 is a city (4), 350582 a county (6).
        owners.sort_by_key(|(region, depth, id)| (std::cmp::Reverse(region.trim_end_matches("00").len()), *depth, *id));
        let fallback = units.iter().min_by_key(|u| (u.depth, u.id)).map(|u| u.id);
        let paths = units.iter().map(|u| (u.id, u.path.clone())).collect();
        Places {
            owners: owners.into_iter().map(|(region, _, id)| (region, id)).collect(),
            region_names,
            regions,
            unit_by_code,
            unit_by_name,
            fallback,
            paths,
        }
    }

    /// The region a cell names: a code lying in one of our units' regions, or a name we know.
    /// A blank cell is no region; anything else is the field's error.
    pub fn region(&self, field: &str, text: &str) -> std::result::Result<Option<String>, FieldError> {
        let t = text.trim();
        if t.is_empty() {
            return Ok(None);
        }
        if t.bytes().all(|b| b.is_ascii_digit()) {
            let code = parse_region_code(field, t)?;
            if self.regions.iter().any(|r| region_contains(r, &code) || region_contains(&code, r)) {
                return Ok(Some(code));
            }
            return Err(FieldError::new(field, format!("行政区划代码“{t}”不在本系统各单位的区域内")));
        }
        self.region_names
            .get(t)
            .cloned()
            .map(Some)
            .ok_or_else(|| FieldError::new(field, format!("不认识的区域“{t}”，请填写本系统单位所在的区划名称或代码")))
    }

    /// The office whose area the region lies in, or the root for none.
    pub fn owner(&self, region: Option<&str>) -> Option<i64> {
        region.and_then(|region| self.owner_of_region(region)).or(self.fallback)
    }

    /// A unit's path in the tree, for scope checks.
    pub fn path(&self, unit: i64) -> Option<&str> {
        self.paths.get(&unit).map(String::as_str)
    }

    /// The office whose area the region lies in, when one of ours covers it.
    pub fn owner_of_region(&self, region: &str) -> Option<i64> {
        self.owners.iter().find(|(r, _)| region_contains(r, region)).map(|(_, id)| *id)
    }

    /// One of our units by code or by a name only one unit has; `None` for a name we do not keep
    /// (the export's text is kept either way).
    pub fn unit(&self, text: &str) -> Option<i64> {
        let t = text.trim();
        self.unit_by_code.get(t).copied().or_else(|| match self.unit_by_name.get(t).map(Vec::as_slice) {
            Some([only]) => Some(*only),
            _ => None,
        })
    }
}

/// Whether Open311's jurisdiction_id names one of our units' regions: one indexed look-up, for
/// every `GET requests` that names one (the whole unit tree is not read for it).
pub async fn is_jurisdiction(c: &mut Conn<'_>, code: &str) -> Result<bool> {
    #[derive(sqlx::FromRow)]
    struct Found {
        #[allow(dead_code)]
        id: i64,
    }
    let found: Option<Found> = c
        .fetch_optional(
            Query::select()
                .column(Units::Id)
                .from(Units::Table)
                .and_where(Expr::col(Units::Region).eq(code))
                .and_where(Expr::col(Units::Active).eq(true))
                .limit(1),
        )
        .await?;
    Ok(found.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, name: &str, region: Option<&str>, depth: i64) -> PlaceUnit {
        PlaceUnit {
            id,
            code: format!("U{id}"),
            name: name.into(),
            region: region.map(str::to_string),
            depth,
            path: format!("/{id}/"),
        }
    }

    fn places() -> Places {
        Places::from_units(vec![
            unit(1, "泉州市人民政府", Some("350500"), 0),
            unit(2, "晋江市人民政府", Some("350582"), 1),
            unit(3, "晋江市住房和城乡建设局", Some("350582"), 2),
            unit(4, "安海镇人民政府", Some("350582102"), 2),
            unit(5, "石狮市人民政府", Some("350581"), 1),
            unit(6, "晋江市住房和城乡建设局", None, 2),
        ])
    }

    #[test]
    fn an_appeal_belongs_to_the_county_office_of_its_region() {
        let p = places();
        assert_eq!(p.owner(Some("350582")), Some(2), "the county, not its department");
        assert_eq!(p.owner(Some("350582102")), Some(2), "a town's appeal is the county office's");
        assert_eq!(p.owner(Some("350581")), Some(5));
        assert_eq!(p.owner(Some("350503")), Some(1), "a district without a unit of its own: the city");
        assert_eq!(p.owner(None), Some(1), "no region: the root");
    }

    #[test]
    fn regions_read_from_codes_and_names() {
        let p = places();
        assert_eq!(p.region("region", "350582"), Ok(Some("350582".into())));
        assert_eq!(p.region("region", "晋江市"), Ok(Some("350582".into())));
        assert_eq!(p.region("region", "泉州市"), Ok(Some("350500".into())));
        assert_eq!(p.region("region", "安海镇人民政府"), Ok(Some("350582102".into())));
        assert_eq!(p.region("region", "安海镇"), Ok(Some("350582102".into())));
        assert_eq!(p.region("region", ""), Ok(None));
        assert_eq!(p.region("region", "110101").unwrap_err().field, "region", "Beijing is not ours");
        assert!(p.region("region", "火星").is_err());
        assert!(p.region("region", "35058").is_err(), "five digits is no code");
    }

    #[test]
    fn handling_units_by_code_or_a_name_only_one_has() {
        let p = places();
        assert_eq!(p.unit("U5"), Some(5));
        assert_eq!(p.unit("石狮市人民政府"), Some(5));
        assert_eq!(p.unit("晋江市住房和城乡建设局"), None, "two units share the name");
        assert_eq!(p.unit("外省某局"), None);
    }
}
