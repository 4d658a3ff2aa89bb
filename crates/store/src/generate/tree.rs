//! The generated province: cities, counties, each county's departments and towns, and the people
//! who act on items — an office and a leader per county, an office per city and one for the
//! province, and a liaison per responsible unit. Accounts get an unusable password: they exist to
//! own data and to be given API tokens by the benchmark, never to sign in.

use super::{Progress, Spec};
use crate::actor::Actor;
use crate::db::Db;
use crate::error::Result;
use crate::grants::GrantInput;
use crate::passwords;
use crate::units::{self, NewUnit, Unit};
use crate::users::{self, NewUser};
use bangdu_domain::role::Role;
use bangdu_domain::unit::UnitKind;

const CITIES: [&str; 9] = ["福州市", "厦门市", "莆田市", "三明市", "泉州市", "漳州市", "南平市", "龙岩市", "宁德市"];

const DEPARTMENTS: [&str; 30] = [
    "发改局",
    "教育局",
    "科技局",
    "工信局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人社局",
    "自然资源局",
    "生态环境局",
    "住建局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文旅局",
    "卫健局",
    "退役军人事务局",
    "应急局",
    "审计局",
    "市场监督管理局",
    "体育局",
    "统计局",
    "医保局",
    "林业局",
    "城管局",
    "信访局",
    "政务服务中心",
    "数据管理局",
];

const TOWNS: [&str; 15] = [
    "城关镇",
    "东城街道",
    "西城街道",
    "南山镇",
    "北岭镇",
    "青阳镇",
    "梅林镇",
    "石湖镇",
    "龙门镇",
    "凤山镇",
    "白沙镇",
    "金峰镇",
    "溪口镇",
    "港头镇",
    "新塘镇",
];

#[derive(Clone, Debug)]
pub struct Person {
    pub id: i64,
    pub username: String,
}

/// A unit that items are assigned to, with the liaison who acts for it.
#[derive(Clone, Debug)]
pub struct Responsible {
    pub unit: i64,
    pub code: String,
    /// The town or street, for item titles; none for departments.
    pub place: Option<&'static str>,
    pub liaison: Person,
}

#[derive(Clone, Debug)]
pub struct County {
    pub unit: i64,
    pub code: String,
    pub office: Person,
    pub leader: Person,
    pub units: Vec<Responsible>,
}

#[derive(Clone, Debug)]
pub struct City {
    pub office: Person,
}

#[derive(Clone, Debug)]
pub struct Tree {
    pub province_office: Person,
    pub cities: Vec<City>,
    pub counties: Vec<County>,
    units: u64,
    users: u64,
}

impl Tree {
    pub fn unit_count(&self) -> u64 {
        self.units
    }

    pub fn user_count(&self) -> u64 {
        self.users
    }
}

struct Builder<'a> {
    db: &'a Db,
    actor: Actor,
    units: u64,
    users: u64,
}

impl Builder<'_> {
    async fn unit(&mut self, code: String, name: String, kind: UnitKind, parent: Option<&Unit>) -> Result<Unit> {
        let mut tx = self.db.begin().await?;
        let new = NewUnit { code, name, kind, parent: parent.map(Unit::unit_id), region: None, sort_order: 0 };
        let unit = units::create(&mut tx.conn(), &self.actor, new).await?;
        tx.commit().await?;
        self.units += 1;
        Ok(unit)
    }

    async fn person(&mut self, username: String, display_name: String, role: Role, unit: &Unit) -> Result<Person> {
        let mut tx = self.db.begin().await?;
        let new = NewUser {
            username: username.clone(),
            display_name,
            phone: None,
            email: None,
            password_hash: passwords::decoy_hash().to_string(),
            must_change_password: false,
            grants: vec![GrantInput { role, unit: unit.unit_id(), data_scope: None, custom_units: vec![] }],
        };
        let user = users::create(&mut tx.conn(), &self.actor, new).await?;
        tx.commit().await?;
        self.users += 1;
        Ok(Person { id: user.row.id, username })
    }
}

pub async fn build(db: &Db, spec: &Spec, progress: &mut dyn Progress) -> Result<Tree> {
    let per_county = 2 + DEPARTMENTS.len() + TOWNS.len();
    let total = 1 + u64::from(spec.cities) * (2 + u64::from(spec.counties_per_city) * per_county as u64);
    progress.stage("units and people", total);
    let mut b = Builder { db, actor: Actor::system("generate"), units: 0, users: 0 };
    let province = b.unit("G35".into(), "福建省（生成）".into(), UnitKind::Government, None).await?;
    let province_office = b.person("gen-office-35".into(), "省督查室（生成）".into(), Role::Office, &province).await?;
    progress.advance(1);
    let mut cities = Vec::new();
    let mut counties = Vec::new();
    for c in 0..spec.cities {
        let city_name = CITIES[c as usize % CITIES.len()];
        let city_code = format!("G35{:02}", c + 1);
        let city = b
            .unit(city_code.clone(), format!("{city_name}（生成{:02}）", c + 1), UnitKind::Government, Some(&province))
            .await?;
        b.unit(format!("{city_code}-DCS"), format!("{city_name}督查室"), UnitKind::Department, Some(&city)).await?;
        let office = b
            .person(format!("gen-office-{}", &city_code[1..]), format!("{city_name}督查室"), Role::Office, &city)
            .await?;
        cities.push(City { office });
        progress.advance(2);
        for k in 0..spec.counties_per_city {
            let code = format!("{city_code}{:02}", k + 1);
            let name = format!("{city_name}第{}县", k + 1);
            let county = b.unit(code.clone(), name.clone(), UnitKind::Government, Some(&city)).await?;
            b.unit(format!("{code}-DCS"), format!("{name}督查室"), UnitKind::Department, Some(&county)).await?;
            let office =
                b.person(format!("gen-office-{}", &code[1..]), format!("{name}督查员"), Role::Office, &county).await?;
            let leader =
                b.person(format!("gen-leader-{}", &code[1..]), format!("{name}领导"), Role::Leader, &county).await?;
            let mut responsible = Vec::new();
            let named = DEPARTMENTS
                .iter()
                .enumerate()
                .map(|(i, n)| (format!("{code}-D{:02}", i + 1), *n, UnitKind::Department))
                .chain(TOWNS.iter().enumerate().map(|(i, n)| {
                    let kind = if n.ends_with("街道") { UnitKind::Street } else { UnitKind::Town };
                    (format!("{code}-T{:02}", i + 1), *n, kind)
                }));
            for (unit_code, unit_name, kind) in named {
                let unit = b.unit(unit_code.clone(), format!("{name}{unit_name}"), kind, Some(&county)).await?;
                let liaison = b
                    .person(
                        format!("gen-unit-{}", unit_code[1..].to_lowercase()),
                        format!("{unit_name}联络员"),
                        Role::Unit,
                        &unit,
                    )
                    .await?;
                let place = matches!(kind, UnitKind::Town | UnitKind::Street).then_some(unit_name);
                responsible.push(Responsible { unit: unit.id, code: unit_code, place, liaison });
            }
            counties.push(County { unit: county.id, code, office, leader, units: responsible });
            progress.advance(per_county as u64);
        }
    }
    Ok(Tree { province_office, cities, counties, units: b.units, users: b.users })
}
