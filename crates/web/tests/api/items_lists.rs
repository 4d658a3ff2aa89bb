//! Item lists: filters, scope, sorting, and the three XLSX lists read back with a spreadsheet parser.

use crate::app::TestApp;
use crate::items::{act, new_item};
use axum::http::StatusCode;
use calamine::{Data, Reader, Xlsx};
use serde_json::json;

async fn assigned(app: &TestApp, title: &str, body: serde_json::Value) -> serde_json::Value {
    let mut office = app.signed_in("office").await;
    let item = new_item(&mut office, title).await;
    let mut action = json!({"action": "assign", "version": 1});
    for (k, v) in body.as_object().unwrap() {
        action[k] = v.clone();
    }
    let r = act(&mut office, &item["id"], action).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()
}

#[tokio::test]
async fn filters_scope_and_sorting() {
    let app = TestApp::new().await;
    // Today is 2025-09-24 (see app.rs).
    let late = assigned(&app, "逾期的事项", json!({"assigned_on": "2025-09-01", "deadline": "2025-09-10"})).await;
    let soon = assigned(&app, "临期的事项", json!({"deadline_workdays": 2})).await;
    let later = assigned(&app, "不急的事项", json!({"deadline_workdays": 30})).await;
    let mut office = app.signed_in("office").await;
    let draft = office.post("/api/v1/items", json!({"title": "草稿事项", "draft": true})).await.json();
    assert_eq!(draft["state"], "draft");

    let page = office.get("/api/v1/items?per_page=2").await.json();
    assert_eq!((page["total"].as_i64(), page["data"].as_array().unwrap().len()), (Some(4), 2));
    let codes: Vec<&str> = page["data"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(codes, ["逾期的事项", "临期的事项"], "soonest deadline first");
    assert_eq!(page["data"][0]["overdue"], true);
    assert_eq!(page["data"][0]["due_status"], "overdue");
    assert_eq!(page["data"][1]["due_status"], "due_soon");

    let overdue = office.get("/api/v1/items?overdue=true").await.json();
    assert_eq!(overdue["total"], 1);
    assert_eq!(overdue["data"][0]["id"], late["id"]);
    let due = office.get("/api/v1/items?due_within=5").await.json();
    assert_eq!(due["total"], 1);
    assert_eq!(due["data"][0]["id"], soon["id"]);
    assert_eq!(office.get("/api/v1/items?state=draft").await.json()["total"], 1);
    assert_eq!(office.get("/api/v1/items?state=assigned,in_progress").await.json()["total"], 3);
    assert_eq!(office.get("/api/v1/items?q=不急").await.json()["data"][0]["id"], later["id"]);
    assert_eq!(office.get("/api/v1/items?unit=JJ-ZJJ&responsible=true").await.json()["total"], 3);
    assert_eq!(office.get("/api/v1/items?source=inspection").await.json()["total"], 3);
    let r = office.get("/api/v1/items?state=finished").await;
    assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("state")));
    let r = office.get("/api/v1/items?sort=sideways").await;
    assert_eq!(r.json()["field"], "sort");

    // The unit sees the items it is responsible for, not the office's draft.
    let mut unit = app.signed_in("unit").await;
    assert_eq!(unit.get("/api/v1/items").await.json()["total"], 3);
    // An inspector of another county sees none of them.
    let mut inspector = app.signed_in("inspector").await;
    assert_eq!(inspector.get("/api/v1/items").await.json()["total"], 0);

    let summary = office.get("/api/v1/items/summary").await.json();
    assert_eq!(summary["by_state"]["assigned"], 3);
    assert_eq!(summary["overdue"], 1);
    assert_eq!(summary["due_soon"], 1);
    assert_eq!(summary["overdue_by_unit"][0]["unit"]["code"], "JJ-ZJJ");
}

fn sheet(bytes: Vec<u8>) -> (String, Vec<Vec<String>>) {
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("a valid xlsx");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let rows = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    (name, rows)
}

#[tokio::test]
async fn the_three_lists_open_as_spreadsheets() {
    let app = TestApp::new().await;
    assigned(&app, "施工许可办理受阻", json!({"deadline_workdays": 10, "cooperating_units": ["JJ-T01"]})).await;
    assigned(&app, "农村自来水管网铺设后无法供水", json!({"assigned_on": "2025-09-01", "deadline": "2025-09-10"}))
        .await;
    let mut office = app.signed_in("office").await;

    let r = office.get("/api/v1/lists/problems.xlsx").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(r.headers["content-disposition"].to_str().unwrap().contains("problems.xlsx"));
    let (name, rows) = sheet(r.body);
    assert_eq!(name, "问题清单");
    assert!(rows[0][0].starts_with("问题清单（截至"), "{:?}", rows[0]);
    assert_eq!(rows[1][..4], ["序号", "事项编号", "问题（事项）", "来源"]);
    assert_eq!(rows.len(), 4, "title, header, two items");
    assert_eq!(rows[2][2], "农村自来水管网铺设后无法供水", "by deadline");
    assert_eq!((rows[2][9].as_str(), rows[3][9].as_str()), ("逾期", "正常"));
    // 序号 is a number and 期限 a date Excel sorts by, not text.
    let mut book: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(office.get("/api/v1/lists/problems.xlsx").await.body)).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let first: Vec<Data> = range.rows().nth(2).unwrap().to_vec();
    assert_eq!(first[0], Data::Float(1.0));
    assert_eq!(crate::app::excel_day(&first[7]), Some("2025-09-10".into()), "{:?}", first[7]);
    assert!(matches!(first[7], Data::DateTime(_)));

    let (name, rows) = sheet(office.get("/api/v1/lists/responsibilities.xlsx").await.body);
    assert_eq!(name, "责任清单");
    assert_eq!(rows[1][1], "责任单位");
    assert!(rows.iter().any(|r| r[6] == "安海镇"), "co-operating units are listed");

    let (name, rows) = sheet(office.get("/api/v1/lists/rectifications.xlsx?overdue=true").await.body);
    assert_eq!(name, "整改清单");
    assert_eq!(rows.len(), 3, "the same filters as the list");
    assert_eq!(rows[1][3], "整改措施");
}

/// People type a unit's name, not its code: 住建局 in a filter, an assignment or a page finds the one
/// unit of that name in the caller's scope; two of that name answer which codes to choose from.
#[tokio::test]
async fn a_unit_is_found_by_its_name() {
    let app = TestApp::new().await;
    assigned(&app, "施工许可办理受阻", json!({"unit": "住建局", "deadline_workdays": 10})).await;
    let mut office = app.signed_in("office").await;
    let found = office.get("/api/v1/items?unit=住建局").await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.text());
    assert_eq!(found.json()["total"], 1);
    let page = office.get("/items?unit=住建局").await;
    assert_eq!(page.status, StatusCode::OK, "the list page takes a name too");

    // 石狮市 gets a 住建局 too: the city administrator sees both and must choose by code; the
    // county office sees only its own and is not asked.
    let mut admin = app.signed_in("admin").await;
    let r = admin
        .post("/api/v1/units", json!({"code": "SS-ZJJ", "name": "住建局", "kind": "department", "parent": "350581"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = admin.get("/api/v1/items?unit=住建局").await;
    assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("unit")));
    assert!(r.json()["message"].as_str().unwrap().contains("JJ-ZJJ、SS-ZJJ"), "{}", r.text());
    assert_eq!(office.get("/api/v1/items?unit=住建局").await.json()["total"], 1);
}

/// A list page offers 20, 50, 100 or 200 rows a page, and its page links keep the choice; a size it
/// does not offer falls back to the list's own.
#[tokio::test]
async fn a_list_page_offers_page_sizes() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    for i in 0..21 {
        new_item(&mut office, &format!("第 {i} 件事项")).await;
    }
    let page = office.get("/items?state=all").await.text();
    assert!(page.contains("共 21 条，第 1/2 页") && page.contains("每页 <strong>20</strong>"), "default 20");
    assert!(page.contains("per_page=20") && page.contains(">50</a>"), "page links carry the size");
    let page = office.get("/items?state=all&per_page=50").await.text();
    assert!(page.contains("<strong>50</strong>") && !page.contains("第 1/2 页"), "all 21 on one page");
    let page = office.get("/items?state=all&per_page=7").await.text();
    assert!(page.contains("每页 <strong>20</strong>"), "7 is not offered: the list's own size");
}

/// 批量办理: one action on several items, each as if taken alone — the ones that may take it change,
/// the others are listed with why (here: one already assigned, one stale version); from the list
/// page, the ticked rows with the same rules.
#[tokio::test]
async fn a_batch_assigns_what_it_may_and_says_why_not_for_the_rest() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let mut ids = Vec::new();
    for title in ["路灯不亮", "井盖缺失", "占道经营"] {
        let item = new_item(&mut office, title).await;
        ids.push(item["id"].as_i64().unwrap());
    }
    // The third is assigned alone first: in the batch its version 1 is stale and its state moved on.
    let r = crate::items::act(
        &mut office,
        &json!(ids[2]),
        json!({"action": "assign", "version": 1, "deadline_workdays": 5}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let body = json!({"action": "assign", "deadline_workdays": 10,
        "items": [{"id": ids[0], "version": 1}, {"id": ids[1], "version": 1}, {"id": ids[2], "version": 1}]});
    let r = office.post("/api/v1/items/batch-actions", body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let out = r.json();
    assert_eq!((out["done"].as_u64(), out["refused"].as_u64()), (Some(2), Some(1)), "{out}");
    assert_eq!(out["results"][0]["state"], "assigned");
    assert_eq!(out["results"][2]["error"], "version_conflict");
    // A liaison may not assign: every item refused, nothing changed.
    let mut unit = app.signed_in("unit").await;
    let r = unit
        .post(
            "/api/v1/items/batch-actions",
            json!({"action": "assign", "deadline_workdays": 3, "items": [{"id": ids[0], "version": 2}]}),
        )
        .await;
    assert_eq!((r.json()["done"].as_u64(), r.json()["results"][0]["ok"].as_bool()), (Some(0), Some(false)));
    let r = office.post("/api/v1/items/batch-actions", json!({"action": "assign", "items": []})).await;
    assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("items")));

    // The unit signs for both from its list page, ticking the rows.
    let page = unit.get("/items").await.text();
    assert!(page.contains("批量签收") && !page.contains("批量交办"), "a liaison is offered 签收");
    let csrf = page.split("name=\"csrf_token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let ticked: Vec<String> = ids[..2].iter().map(|id| format!("{id}:2")).collect();
    let form = format!(
        "csrf_token={csrf}&back=state%3Dopen&action=accept&item={}&item={}",
        ticked[0].replace(':', "%3A"),
        ticked[1].replace(':', "%3A")
    );
    let r = unit
        .send(
            axum::http::Method::POST,
            "/items/batch",
            Some("application/x-www-form-urlencoded"),
            form.into_bytes(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("已批量签收 2 件"), "{}", r.text());
    // 销号 from the list needs the same tick as on an item's page, however the action is named.
    for action in ["approve_close", "%E9%94%80%E5%8F%B7"] {
        let form = format!("csrf_token={csrf}&back=&action={action}&opinion=%E5%88%B0%E4%BD%8D&item={}%3A3", ids[0]);
        let r = unit
            .send(
                axum::http::Method::POST,
                "/items/batch",
                Some("application/x-www-form-urlencoded"),
                form.into_bytes(),
                &[],
            )
            .await;
        assert!(r.text().contains("请勾选“已核实整改结果”"), "{action}: {}", r.text());
    }
    assert_eq!(office.get(&format!("/api/v1/items/{}", ids[0])).await.json()["state"], "in_progress");
}

/// 批量已读: the chosen messages are marked read, another person's are untouched.
#[tokio::test]
async fn chosen_messages_are_marked_read_together() {
    let app = TestApp::new().await;
    for title in ["路灯不亮", "井盖缺失", "占道经营"] {
        assigned(&app, title, json!({"deadline_workdays": 10})).await;
    }
    let mut unit = app.signed_in("unit").await;
    let inbox = unit.get("/api/v1/notifications?unread=true").await.json();
    let ids: Vec<i64> = inbox["data"].as_array().unwrap().iter().map(|n| n["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 3, "{inbox}");
    let mut office = app.signed_in("office").await;
    assert_eq!(
        office.post("/api/v1/notifications/read", json!({"ids": ids})).await.json()["marked"],
        0,
        "not the office's"
    );
    let r = unit.post("/api/v1/notifications/read", json!({"ids": &ids[..2]})).await;
    assert_eq!(r.json()["marked"], 2, "{}", r.text());
    let left = unit.get("/api/v1/notifications?unread=true").await.json();
    assert_eq!(left["total"], 1);
    let page = unit.get("/inbox").await.text();
    assert!(page.contains("所选标为已读") && page.contains("form=\"read-selected\""));
}
