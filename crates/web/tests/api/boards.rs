//! 公示牌: a project's board as PNG and PDF for anyone, whose QR code — read back from the picture
//! as a phone camera would — opens the project's public page; the batch print of a list, one A3
//! page per project the signed-in person may see; and a clear answer when the font is missing.

use crate::app::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::json;

const JINJIANG: &[u8] = include_bytes!("../../../../data/jinjiang-2023-micro-projects.csv");

/// The texts of the QR codes found in a PNG.
fn scan_png(bytes: &[u8]) -> Vec<String> {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgba);
    let (w, h, stride) = (info.width as usize, info.height as usize, info.line_size);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        let i = y * stride + x * 4;
        ((buf[i] as u32 + buf[i + 1] as u32 + buf[i + 2] as u32) / 3) as u8
    });
    img.detect_grids().iter().filter_map(|g| g.decode().ok()).map(|(_, text)| text).collect()
}

/// The page sizes of a PDF, in points.
fn pages(pdf: &[u8]) -> Vec<(f64, f64)> {
    let text = String::from_utf8_lossy(pdf);
    text.split("/MediaBox [")
        .skip(1)
        .map(|rest| {
            let n: Vec<f64> = rest.split(']').next().unwrap().split_whitespace().map(|n| n.parse().unwrap()).collect();
            (n[2], n[3])
        })
        .collect()
}

fn is_a3((w, h): (f64, f64)) -> bool {
    (w - 841.89).abs() < 0.01 && (h - 1190.55).abs() < 0.01
}

fn project(name: &str, lead: &str) -> serde_json::Value {
    json!({
        "name": name, "year": 2025, "kind": "为民办实事", "lead_unit": lead,
        "planned_start": "2025-01-01", "planned_end": "2025-12-31",
        "target": "新建口袋公园 1 个，面积 3000 平方米", "address": "晋江市安海镇",
        "funds_planned": "1200000", "milestones": [{"name": "主体完工", "date": "2025-06-30", "progress": 60}],
    })
}

#[tokio::test]
async fn a_board_for_anyone_whose_qr_code_opens_the_public_page() {
    if bangdu_board::fonts_for_tests().is_none() {
        return;
    }
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let id = office.post("/api/v1/projects", project("安海镇口袋公园", "JJ-ZJJ")).await.json()["id"].as_i64().unwrap();

    // Without the setting or --public-url, the code points at the listening address — never at
    // the Host header, which whoever asks can set.
    let mut citizen = app.client();
    let r = citizen
        .send(Method::GET, &format!("/public/projects/{id}/board.png"), None, vec![], &[("host", "evil.example")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.headers["content-type"], "image/png");
    assert_eq!(scan_png(&r.body), vec![format!("http://127.0.0.1:8080/public/projects/{id}")]);
    // The administrator's settings page says so until the address is set.
    let mut admin = app.signed_in("admin").await;
    assert!(admin.get("/settings").await.text().contains("尚未设置公开访问地址"));

    // With 公开访问地址 set, that address, and the warning is gone.
    let r = admin.patch("/api/v1/settings", json!({"public.base_url": "https://bangdu.example.gov.cn/"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = citizen.get(&format!("/public/projects/{id}/board.png")).await;
    assert_eq!(scan_png(&r.body), vec![format!("https://bangdu.example.gov.cn/public/projects/{id}")]);
    assert!(!admin.get("/settings").await.text().contains("尚未设置公开访问地址"));

    // The PDF: one A3 page, shown in the browser, named after the project.
    let r = citizen.get(&format!("/public/projects/{id}/board.pdf")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "application/pdf");
    let disposition = r.headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("inline; filename=\"board-") && disposition.contains("%E5%85%AC%E7%A4%BA%E7%89%8C"),
        "{disposition}"
    );
    assert!(r.body.starts_with(b"%PDF-"));
    let sizes = pages(&r.body);
    assert_eq!(sizes.len(), 1);
    assert!(is_a3(sizes[0]), "{sizes:?}");

    // A project that does not exist is a 404, not an empty board.
    assert_eq!(citizen.get("/public/projects/999999/board.pdf").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_batch_print_has_a_page_per_project_the_person_may_see() {
    if bangdu_board::fonts_for_tests().is_none() {
        return;
    }
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    for (name, lead) in [("住建局项目一", "JJ-ZJJ"), ("住建局项目二", "JJ-ZJJ"), ("安海镇项目", "JJ-T01")]
    {
        assert_eq!(office.post("/api/v1/projects", project(name, lead)).await.status, StatusCode::CREATED);
    }
    let r = office.get("/projects/boards.pdf?year=2025").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let sizes = pages(&r.body);
    assert_eq!(sizes.len(), 3);
    assert!(sizes.iter().all(|s| is_a3(*s)));
    // The 住建局 liaison sees only the bureau's two projects, so prints two boards.
    let mut unit = app.signed_in("unit").await;
    assert_eq!(pages(&unit.get("/projects/boards.pdf?year=2025").await.body).len(), 2);
    // Without sign-in, the batch is not given out.
    let r = app.client().get("/projects/boards.pdf?year=2025").await;
    assert_ne!(r.status, StatusCode::OK);
    assert!(!r.body.starts_with(b"%PDF"));
    // An empty list and a list too long for one file are refused with the reason.
    let r = office.get("/projects/boards.pdf?year=2030").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("当前筛选没有项目"));
    for year in ["2023", "2024"] {
        let url = format!("/api/v1/projects/import?year={year}&kind=民生微实事&parent_unit=350582&create_units=true");
        assert_eq!(
            office.send(Method::POST, &url, Some("text/csv"), JINJIANG.to_vec(), &[]).await.status,
            StatusCode::OK
        );
    }
    let r = office.get("/projects/boards.pdf").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "237 projects");
    assert!(r.text().contains("一次最多打印 200 块公示牌"));
}

#[tokio::test]
async fn without_a_chinese_font_the_board_says_what_to_install() {
    let app = TestApp::configured(|c| c.board_fonts = vec!["/nonexistent/NotoSansCJK-Regular.ttc".into()]).await;
    let mut office = app.signed_in("office").await;
    let id = office.post("/api/v1/projects", project("安海镇口袋公园", "JJ-ZJJ")).await.json()["id"].as_i64().unwrap();
    let r = app.client().get(&format!("/public/projects/{id}/board.png")).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.text().contains("apt-get install fonts-noto-cjk"), "{}", r.text());
    // The rest of the public side is unaffected.
    assert_eq!(app.client().get(&format!("/public/projects/{id}")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_name_stored_before_input_was_checked_breaks_no_board_chart_or_batch() {
    if bangdu_board::fonts_for_tests().is_none() {
        return;
    }
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    // Input refuses U+FFFF now…
    let r = office.post("/api/v1/projects", project("口袋公园\u{ffff}", "JJ-ZJJ")).await;
    assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("name")));
    // …but a record kept from before must still print: here one written past the checks.
    for name in ["口袋公园", "篮球场"] {
        assert_eq!(office.post("/api/v1/projects", project(name, "JJ-ZJJ")).await.status, StatusCode::CREATED);
    }
    let mut tx = app.db.db.begin().await.unwrap();
    tx.conn().raw("UPDATE projects SET name = name || '\u{ffff}' WHERE name = '口袋公园'").await.unwrap();
    tx.commit().await.unwrap();
    let id = office.get("/api/v1/projects?q=口袋公园").await.json()["data"][0]["id"].as_i64().unwrap();
    let r = app.client().get(&format!("/public/projects/{id}/board.png")).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app.client().get(&format!("/public/projects/{id}/board.pdf")).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = office.get("/projects/boards.pdf?year=2025").await;
    assert_eq!((r.status, pages(&r.body).len()), (StatusCode::OK, 2), "both boards, no page of skipped ones");
    assert_eq!(r.headers["x-bangdu-skipped-boards"], "0");
    // The wall chart stays well-formed XML: no U+FFFF in it, the replacement character instead.
    let svg = office.get("/projects/chart.svg?year=2025").await.text();
    assert!(!svg.contains('\u{ffff}') && svg.contains("口袋公园\u{fffd}"), "{svg}");
}
