//! Projects beyond the API's core: a lagging project turned into a supervision item (linked both
//! ways), the XLSX export that imports back unchanged, and the pages worked as a person would —
//! register with a milestone, a refused form that keeps what was typed, a monthly report.

use crate::app::TestApp;
use crate::pages::{hidden, sign_in_page};
use axum::http::{Method, StatusCode};
use serde_json::json;

const JINJIANG: &[u8] = include_bytes!("../../../../data/jinjiang-2023-micro-projects.csv");
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[tokio::test]
async fn a_lagging_project_becomes_one_supervision_item_linked_both_ways() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    // Planned to be 60 % done by 30 June; on 24 September (the tests' today) nothing is reported: red.
    let park = json!({
        "name": "安海镇口袋公园", "year": 2025, "kind": "为民办实事", "lead_unit": "JJ-ZJJ",
        "planned_start": "2025-01-01", "planned_end": "2025-12-31",
        "milestones": [{"name": "主体完工", "date": "2025-06-30", "progress": 60}],
    });
    let p = office.post("/api/v1/projects", park).await.json();
    let id = p["id"].as_i64().unwrap();
    assert_eq!(p["light"], "red");

    let mut unit = app.signed_in("unit").await;
    assert_eq!(unit.post(&format!("/api/v1/projects/{id}/items"), json!({})).await.status, StatusCode::FORBIDDEN);

    let r = office.post(&format!("/api/v1/projects/{id}/items"), json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let item = r.json();
    assert_eq!(item["source"], "project");
    assert_eq!(item["title"], "项目滞后：安海镇口袋公园");
    assert_eq!(item["responsible_unit"]["code"], "JJ-ZJJ");
    assert_eq!(item["project"]["id"], id);
    assert_eq!(item["priority"], "urgent");
    assert!(item["description"].as_str().unwrap().contains("落后 73.48 个百分点"), "{}", item["description"]);

    // A second click does not make a second item while the first is open.
    let r = office.post(&format!("/api/v1/projects/{id}/items"), json!({})).await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "project_item_open".to_string()));
    assert!(r.json()["message"].as_str().unwrap().contains(item["code"].as_str().unwrap()));

    let listed = office.get(&format!("/api/v1/projects/{id}/items")).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let shown = office.get(&format!("/api/v1/items/{}", item["id"])).await.json();
    assert_eq!(shown["project"]["name"], "安海镇口袋公园");

    // The pages link both ways.
    let mut page = sign_in_page(&app, "office").await;
    let html = page.get(&format!("/items/{}", item["id"])).await.text();
    assert!(html.contains(&format!("href=\"/projects/{id}\"")), "item page links back to the project");
    let html = page.get(&format!("/projects/{id}")).await.text();
    assert!(html.contains(item["code"].as_str().unwrap()), "project page lists its item");
    assert!(!html.contains("转为督导事项</button>"), "no second raise button while an item is open");

    // A project not yet started (gray) is not "behind".
    let later = json!({
        "name": "2026 年口袋公园", "year": 2026, "kind": "为民办实事", "lead_unit": "JJ-ZJJ",
        "planned_start": "2026-03-01", "planned_end": "2026-12-31",
    });
    let gray = office.post("/api/v1/projects", later).await.json();
    assert_eq!(gray["light"], "gray");
    let r = office.post(&format!("/api/v1/projects/{}/items", gray["id"]), json!({})).await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "project_on_track".to_string()));
}

#[tokio::test]
async fn an_exported_list_is_a_spreadsheet_that_imports_back_unchanged() {
    use calamine::{Reader, Xlsx};
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let url = "/api/v1/projects/import?year=2023&kind=民生微实事&parent_unit=350582&create_units=true";
    let r = office.send(Method::POST, url, Some("text/csv"), JINJIANG.to_vec(), &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    let r = office.get("/api/v1/projects/export.xlsx?year=2023&light=blue").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(r.body.clone())).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert!(rows[0][0].starts_with("项目清单（截至"), "title row: {:?}", rows[0]);
    assert_eq!(&rows[1][..3], ["序号", "年度", "类别"]);
    // The filter holds: the 82 done projects (blue) of the table, in its order.
    assert_eq!(rows.len() - 2, 82);
    let first = &rows[2];
    let col = |name: &str| rows[1].iter().position(|h| h == name).unwrap();
    assert_eq!(first[col("序号")], "1");
    assert_eq!(first[col("状态")], "已完工");
    assert_eq!(first[col("亮灯")], "蓝灯 已完成");
    // Numbers, amounts and dates are typed cells Excel can sum and sort, not text.
    let raw: Vec<&[calamine::Data]> = sheet.rows().collect();
    let typed = |name: &str| raw[2][col(name)].clone();
    assert_eq!(typed("序号"), calamine::Data::Float(1.0));
    assert_eq!(typed("年度"), calamine::Data::Float(2023.0));
    assert_eq!(typed("计划投资"), calamine::Data::Float(0.0));
    assert_eq!(typed("实际进度"), calamine::Data::Float(1.0), "100 % as an Excel percentage");
    for name in ["计划开工", "计划完工", "完工日期"] {
        let calamine::Data::DateTime(d) = typed(name) else { panic!("{name} is {:?}", typed(name)) };
        assert!(d.is_datetime(), "{name}");
    }
    let day = |name: &str| crate::app::excel_day(&typed(name));
    assert_eq!((day("计划开工"), day("完工日期")), (Some("2023-01-01".into()), Some("2023-12-31".into())));

    // The file goes back in as it came out: every row found, nothing changed.
    let r = office.send(Method::POST, "/api/v1/projects/import", Some(XLSX), r.body.clone(), &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let report = r.json();
    assert_eq!((report["rows"].as_u64(), report["created"].as_u64()), (Some(82), Some(0)));
    assert_eq!(report["unchanged"], 82, "{report}");
}

#[tokio::test]
async fn the_project_pages_register_refuse_and_report_as_a_person_would() {
    let app = TestApp::new().await;
    let mut office = sign_in_page(&app, "office").await;
    for path in [
        "/projects",
        "/projects/new",
        "/projects/stats",
        "/projects/chart",
        "/projects/map",
        "/projects/import",
        "/projects/freezes",
    ] {
        let r = office.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
    }
    let form = office.get("/projects/new").await.text();
    let csrf = hidden(&form, "csrf_token");
    let mut fields = vec![
        ("csrf_token", csrf.as_str()),
        ("name", "青阳街道口袋公园"),
        ("year", "2025"),
        ("kind", "为民办实事"),
        ("level", "county"),
        ("lead_unit", "JJ-ZJJ"),
        ("funds_planned", "120万"),
        ("planned_start", "2025-01-01"),
        ("planned_end", "2025-12-31"),
        ("m1_name", "主体完工"),
        ("m1_date", "2026-01-15"),
        ("m1_progress", "60"),
        ("status", "in_progress"),
    ];
    // A milestone after the planned end: the form comes back with the message and what was typed.
    let r = office.form("/projects", &fields).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("alert-error"), "an error is shown");
    assert!(html.contains("value=\"青阳街道口袋公园\""), "what was typed stays");
    assert_eq!(office.get("/api/v1/projects?q=青阳街道").await.json()["total"], 0, "nothing stored");

    fields[10] = ("m1_date", "2025-06-30");
    let r = office.form("/projects", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let location = r.location();
    let id: i64 = location.trim_start_matches("/projects/").split('?').next().unwrap().parse().unwrap();
    let p = office.get(&format!("/api/v1/projects/{id}")).await.json();
    assert_eq!(
        (p["funds_planned"].as_str(), p["milestones"][0]["progress"].as_f64()),
        (Some("1200000.00"), Some(60.0))
    );
    assert_eq!(p["light"], "red");
    let html = office.get(&format!("/projects/{id}")).await.text();
    assert!(html.contains("120 万元"), "money as officials read it");

    // The unit reports August through the page; the light turns green.
    let mut unit = sign_in_page(&app, "unit").await;
    let html = unit.get(&format!("/projects/{id}")).await.text();
    let csrf = hidden(&html, "csrf_token");
    // The form is multipart (it can carry a photo); this one has none.
    let r = unit
        .multipart(
            &format!("/projects/{id}/reports"),
            &[
                ("csrf_token", &csrf),
                ("period", "2025-08"),
                ("progress", "80"),
                ("status", "in_progress"),
                ("narrative", "主体完工"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let p = office.get(&format!("/api/v1/projects/{id}")).await.json();
    assert_eq!((p["light"].as_str(), p["actual_progress"].as_f64()), (Some("green"), Some(80.0)));
    // Going backwards without a reason is refused on the page, and nothing changes.
    let r = unit
        .multipart(
            &format!("/projects/{id}/reports"),
            &[("csrf_token", &csrf), ("period", "2025-09"), ("progress", "70")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("has-error"), "the progress_reason field is marked");
    assert_eq!(office.get(&format!("/api/v1/projects/{id}")).await.json()["actual_progress"], 80.0);
    // The unit sees no edit button and may not open the edit form.
    assert_eq!(unit.get(&format!("/projects/{id}/edit")).await.status, StatusCode::FORBIDDEN);
    // The chart draws the project, with its light colour.
    let svg = office.get("/projects/chart.svg?year=2025").await.text();
    assert!(svg.starts_with("<svg") && svg.contains("青阳街道口袋公园") && svg.contains("#2e9e4f"));
}

#[tokio::test]
async fn citizens_see_the_public_table_and_rate_once_with_comments_shown_after_approval() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let url = "/api/v1/projects/import?year=2023&kind=民生微实事&parent_unit=350582&create_units=true";
    assert_eq!(office.send(Method::POST, url, Some("text/csv"), JINJIANG.to_vec(), &[]).await.status, StatusCode::OK);

    // No sign-in: the table as the newspaper printed it, 序号 in order, 500 rows at most a page.
    let mut citizen = app.client();
    let r = citizen.get("/public/projects?year=2023&kind=民生微实事&per_page=500").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(html.contains("2023 年民生微实事项目完成情况公开表"));
    assert_eq!(html.matches("<span class=\"dot\"></span>已完成").count(), 82);
    assert_eq!(html.matches("<span class=\"dot\"></span>未完成").count(), 35);
    assert_eq!(citizen.get("/public/projects?per_page=501").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let first = office.get("/api/v1/projects?year=2023&per_page=1").await.json()["data"][0].clone();
    let id = first["id"].as_i64().unwrap();
    let page = citizen.get(&format!("/public/projects/{id}")).await.text();
    assert!(page.contains(first["name"].as_str().unwrap()) && page.contains("监督电话"));

    // A forged cross-site post is refused; a rating from the page is taken once.
    let path = format!("/public/projects/{id}/rate");
    let form = "stars=4&comment=%E5%BE%88%E6%96%B9%E4%BE%BF".as_bytes().to_vec(); // 很方便
    let urlencoded = Some("application/x-www-form-urlencoded");
    let r = citizen.send(Method::POST, &path, urlencoded, form.clone(), &[("origin", "https://evil.example")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = citizen.send(Method::POST, &path, urlencoded, form.clone(), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(r.set_cookies().iter().any(|c| c.starts_with("bangdu_visitor=") && c.contains("HttpOnly")));
    let r = citizen.send(Method::POST, &path, urlencoded, b"stars=5".to_vec(), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let mut other = app.client();
    assert_eq!(
        other.send(Method::POST, &path, urlencoded, b"stars=6".to_vec(), &[]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Likes: one per person, a second is no change.
    for _ in 0..2 {
        let r = citizen.send(Method::POST, &format!("/public/projects/{id}/like"), urlencoded, vec![], &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let page = citizen.get(&format!("/public/projects/{id}")).await.text();
    assert!(page.contains("平均 4 星 · 1 人评价 · 1 人点赞"), "summary shown");
    assert!(!page.contains("很方便"), "the comment waits for the office");

    // The office approves it on the moderation page; then it shows.
    let mut office_page = sign_in_page(&app, "office").await;
    let html = office_page.get("/projects/comments").await.text();
    assert!(html.contains("很方便"));
    let csrf = hidden(&html, "csrf_token");
    let rating = hidden(&html, "rating");
    let r = office_page
        .form("/projects/comments", &[("csrf_token", &csrf), ("rating", &rating), ("verdict", "approve")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(citizen.get(&format!("/public/projects/{id}")).await.text().contains("很方便"));
    // Nothing about the person is stored: the rating row holds a digest, not the cookie.
    let cookie = citizen.cookies.iter().find(|(k, _)| k == "bangdu_visitor").unwrap().1.clone();
    #[derive(sqlx::FromRow)]
    struct Stored {
        visitor: String,
    }
    let mut reader = app.db.db.reader().await.unwrap();
    let stored: Vec<Stored> = reader
        .conn()
        .fetch_all(
            &sea_query::Query::select()
                .column(bangdu_store::tables::ProjectRatings::Visitor)
                .from(bangdu_store::tables::ProjectRatings::Table)
                .to_owned(),
        )
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].visitor, cookie, "the visitor token itself is not stored");
    assert_eq!(
        stored[0].visitor,
        bangdu_store::projects::feedback::visitor_digest(&cookie, bangdu_domain::ProjectId(id))
    );
}

/// What citizens read is marked checked or not: a liaison's report shows at once as 待审核 (and the
/// headline says its figure is unchecked), becomes 已审核 when the office accepts it, and a report
/// the office returned is not shown at all.
#[tokio::test]
async fn the_public_page_says_which_reports_the_office_has_checked() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let project = json!({"name": "安海镇口袋公园", "year": 2025, "kind": "为民办实事", "lead_unit": "JJ-ZJJ",
                         "planned_start": "2025-01-01", "planned_end": "2025-12-31"});
    let r = office.post("/api/v1/projects", project).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let mut liaison = app.signed_in("unit").await;
    let r = liaison.post(&format!("/api/v1/projects/{id}/reports"), json!({"period": "2025-07", "progress": 40})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let july = r.json()["id"].as_i64().unwrap();
    let mut citizen = app.client();
    let page = citizen.get(&format!("/public/projects/{id}")).await.text();
    let (waiting, checked) = ("tag-warning\">待审核", "tag-success\">已审核");
    assert!(page.contains("2025-07") && page.contains(waiting), "an unchecked report is marked");
    assert!(page.contains("其中 2025-07 的进度是牵头单位的报送，督查室尚未审核"));
    assert!(!page.contains("督查室审核，亮灯"), "the footer no longer claims every report was checked");

    let check = |report: i64| format!("/api/v1/projects/{id}/reports/{report}/check");
    let r = office.post(&check(july), json!({"accept": true})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = liaison.post(&format!("/api/v1/projects/{id}/reports"), json!({"period": "2025-08", "progress": 55})).await;
    let august = r.json()["id"].as_i64().unwrap();
    let r = office.post(&check(august), json!({"accept": false, "note": "进度与现场不符"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = citizen.get(&format!("/public/projects/{id}")).await.text();
    assert!(page.contains(checked) && !page.contains(waiting), "July checked, nothing waiting");
    assert!(!page.contains("2025-08"), "a returned report is not published");
    assert!(!page.contains("督查室尚未审核"));
}

/// The 挂图作战 chart across a year boundary: no two header labels overlap (years on their own row,
/// month numbers thinned when months are narrow), and a percentage after a bar that ends at the
/// right edge stays inside the picture. Widths are estimated as drawn: a CJK character is as wide
/// as the font size, a digit or sign a little over half of it.
#[tokio::test]
async fn the_chart_labels_do_not_overlap_or_run_off_the_edge() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    for (name, start, end) in [
        ("跨年口袋公园", "2025-11-01", "2027-02-28"),
        ("城区停车位扩面", "2025-03-01", "2026-06-30"),
        ("老旧小区改造", "2024-01-01", "2027-12-31"),
    ] {
        let body = serde_json::json!({"name": name, "year": 2025, "kind": "为民办实事", "lead_unit": "JJ-ZJJ",
            "planned_start": start, "planned_end": end});
        let r = office.post("/api/v1/projects", body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    for query in ["year=2025", "q=跨年"] {
        let svg = office.get(&format!("/projects/chart.svg?{query}")).await.text();
        let width: f64 = attr(&svg, "width").parse().unwrap();
        // (x, y, font size, text) of every <text> element.
        let texts: Vec<(f64, f64, f64, String)> = svg
            .split("<text ")
            .skip(1)
            .map(|t| {
                let (head, rest) = t.split_once('>').unwrap();
                let head = &format!(" {head}");
                let size =
                    head.split("font-size=\"").nth(1).map_or(12.0, |v| v.split('"').next().unwrap().parse().unwrap());
                (
                    attr(head, "x").parse().unwrap(),
                    attr(head, "y").parse().unwrap(),
                    size,
                    rest.split('<').next().unwrap().to_string(),
                )
            })
            .collect();
        let wide =
            |text: &str, size: f64| text.chars().map(|c| if c.is_ascii() { size * 0.62 } else { size }).sum::<f64>();
        let header_rows: std::collections::BTreeSet<i64> =
            texts.iter().filter(|t| t.3.ends_with('年') || t.3.ends_with('月')).map(|t| t.1 as i64).collect();
        for row in header_rows {
            let mut labels: Vec<&(f64, f64, f64, String)> =
                texts.iter().filter(|t| t.1 as i64 == row && t.0 >= 450.0).collect();
            labels.sort_by(|a, b| a.0.total_cmp(&b.0));
            for pair in labels.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                assert!(a.0 + wide(&a.3, a.2) <= b.0, "{query}: “{}” at {} runs into “{}” at {}", a.3, a.0, b.3, b.0);
            }
        }
        for t in texts.iter().filter(|t| t.3.ends_with('%')) {
            assert!(t.0 + wide(&t.3, t.2) <= width, "{query}: “{}” at {} passes the edge {width}", t.3, t.0);
        }
    }
}

fn attr(tag: &str, name: &str) -> String {
    tag.split(&format!(" {name}=\"")).nth(1).and_then(|v| v.split('"').next()).unwrap_or_default().to_string()
}
