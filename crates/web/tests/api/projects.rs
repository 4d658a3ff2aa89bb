//! The projects API: register with milestones, report monthly, the light and its reason computed
//! (and as of a past day), the quoted figures, bad input answered 422 with nothing stored, scope,
//! and the Jinjiang table imported through the API.

use crate::app::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

const JINJIANG: &[u8] = include_bytes!("../../../../data/jinjiang-2023-micro-projects.csv");

fn park() -> Value {
    json!({
        "name": "安海镇口袋公园", "year": 2025, "kind": "为民办实事", "lead_unit": "JJ-ZJJ",
        "cooperating_units": ["JJ-T01"], "series": "城建",
        "planned_start": "2025-01-01", "planned_end": "2025-12-31",
        "milestones": [{"name": "主体完工", "date": "2025-06-30", "progress": 60}],
        "funds_planned": "3520万", "funds_allocated": 30000000,
        "address": "晋江市安海镇", "lat": 24.7215, "lon": 118.4610,
    })
}

#[tokio::test]
async fn a_project_lights_from_its_plan_and_reports_and_remembers_past_days() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let r = office.post("/api/v1/projects", park()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let p = r.json();
    let id = p["id"].as_i64().unwrap();
    // Today is 24 September 2025; nothing reported, so the plan is read at the end of August (what
    // the August report will be measured against): 62 days after the 60 % milestone of 30 June, of
    // the 184 to the end — 60 + 40 × 62 / 184 = 73.48 %.
    assert_eq!(p["light"], "red");
    assert_eq!(p["light_reason"], "计划进度 73.48%，实际 0%，落后 73.48 个百分点");
    assert_eq!(p["planned_progress"], 73.48);
    assert_eq!(p["funds_planned"], "35200000.00");
    assert_eq!(p["cooperating_units"][0]["code"], "JJ-T01");

    let mut unit = app.signed_in("unit").await;
    let r = unit
        .post(
            &format!("/api/v1/projects/{id}/reports"),
            json!({"period": "2025-08", "progress": 75, "narrative": "主体完工，正在绿化"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["check_state"], "submitted");
    let p = office.get(&format!("/api/v1/projects/{id}")).await.json();
    assert_eq!((p["light"].as_str(), p["actual_progress"].as_f64()), (Some("green"), Some(75.0)));
    assert_eq!(p["light_reason"], "计划进度 73.48%，实际 75%，进度正常");

    // Yesterday the report was not in yet.
    let then = office.get(&format!("/api/v1/projects/{id}?as_of=2025-09-23")).await.json();
    assert_eq!((then["light"].as_str(), then["as_of"].as_str()), (Some("red"), Some("2025-09-23")));
    assert_eq!(then["light_reason"], "计划进度 73.48%，实际 0%，落后 73.48 个百分点");
    assert_eq!(then["actual_progress"], 0.0);
    let r = office.get(&format!("/api/v1/projects/{id}?as_of=2025-02-30")).await;
    assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("as_of")));

    let lights = office.get(&format!("/api/v1/projects/{id}/lights")).await.json();
    let colours: Vec<(&str, &str)> = lights["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["on"].as_str().unwrap(), c["light"].as_str().unwrap()))
        .collect();
    // The history reads the same days as `as_of`: green from the planned start; yellow on 1 February
    // (the plan for 31 January is 60 × 30 / 180 = 10 %, nothing reported); red on 1 March (19.33 %);
    // green today with the August report. Red then green on one day leaves one row.
    assert_eq!(
        colours,
        [("2025-01-01", "green"), ("2025-02-01", "yellow"), ("2025-03-01", "red"), ("2025-09-24", "green")]
    );

    // The office checks the report.
    let reports = office.get(&format!("/api/v1/projects/{id}/reports")).await.json();
    let rid = reports[0]["id"].as_i64().unwrap();
    let r = office.post(&format!("/api/v1/projects/{id}/reports/{rid}/check"), json!({"accept": false})).await;
    assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("note")));
    let r = office.post(&format!("/api/v1/projects/{id}/reports/{rid}/check"), json!({"accept": true})).await;
    assert_eq!(r.json()["check_state"], "accepted");
    let r = unit.post(&format!("/api/v1/projects/{id}/reports"), json!({"period": "2025-08", "progress": 76})).await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "report_checked".to_string()));

    let s = office.get("/api/v1/projects/stats?year=2025").await.json();
    assert_eq!(
        (s["total"].as_u64(), s["on_schedule"].as_u64(), s["over_schedule"].as_u64()),
        (Some(1), Some(1), Some(0))
    );
    assert_eq!(s["by_light"]["green"], 1);
    assert_eq!(s["by_light"]["red"], 0);
    // 3000 万 of 3520 万 = 85.227… → 85.23 %.
    assert_eq!(s["allocated_percent"], "85.23");
    assert_eq!(s["funds_allocated_text"], "3000 万元");
    assert_eq!(s["by_unit"][0]["name"], "住建局");
}

#[tokio::test]
async fn bad_project_input_names_the_field_and_stores_nothing() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let before = app.audit_count().await;
    let cases: Vec<(Value, &str)> = vec![
        (json!({"milestones": [{"name": "主体完工", "date": "2026-01-10", "progress": 60}]}), "milestones[0].date"),
        (
            json!({"milestones": [{"name": "主体完工", "date": "2025-06-30", "progress": 120}]}),
            "milestones[0].progress",
        ),
        (json!({"funds_planned": -5}), "funds_planned"),
        (json!({"planned_start": "2025-02-30"}), "planned_start"),
        (json!({"planned_end": "2024-12-31"}), "planned_end"),
        (json!({"lead_unit": "NOPE"}), "lead_unit"),
        (json!({"kind": "形象工程"}), "kind"),
        (json!({"status": "completed"}), "completed_on"),
        (json!({"lat": 95, "lon": 118}), "lat"),
    ];
    for (change, field) in cases {
        let mut body = park();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = office.post("/api/v1/projects", body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.text());
        assert_eq!(r.json()["field"], field, "{}", r.text());
    }
    assert_eq!(app.audit_count().await, before, "nothing stored");

    let id = office.post("/api/v1/projects", park()).await.json()["id"].as_i64().unwrap();
    let url = format!("/api/v1/projects/{id}/reports");
    assert_eq!(office.post(&url, json!({"period": "2025-08", "progress": 75})).await.status, StatusCode::CREATED);
    let before = app.audit_count().await;
    for (body, field) in [
        (json!({"period": "2025-09", "progress": 70}), "progress"),
        (json!({"period": "2025-09", "progress": 100.5}), "progress"),
        (json!({"period": "2025-13", "progress": 80}), "period"),
        (json!({"period": "2025-10", "progress": 80}), "period"),
        (json!({"period": "2025-09", "progress": 80, "funds_spent": "-1"}), "funds_spent"),
        (
            json!({"period": "2025-09", "progress": 100, "status": "completed", "completed_on": "2025-09-31"}),
            "completed_on",
        ),
    ] {
        let r = office.post(&url, body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.text());
        assert_eq!(r.json()["field"], field, "{body}");
    }
    assert_eq!(app.audit_count().await, before);
    // Backwards with a reason is accepted.
    let r = office.post(&url, json!({"period": "2025-09", "progress": 70, "progress_reason": "复核后调减"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}

#[tokio::test]
async fn projects_are_seen_and_changed_only_within_scope() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let id = office.post("/api/v1/projects", park()).await.json()["id"].as_i64().unwrap();
    let mut inspector = app.signed_in("inspector").await;
    assert_eq!(inspector.get(&format!("/api/v1/projects/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(inspector.get("/api/v1/projects").await.json()["total"], 0);
    let r =
        inspector.post(&format!("/api/v1/projects/{id}/reports"), json!({"period": "2025-08", "progress": 75})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let mut unit = app.signed_in("unit").await;
    assert_eq!(unit.get("/api/v1/projects").await.json()["total"], 1);
    assert_eq!(unit.post("/api/v1/projects", park()).await.status, StatusCode::FORBIDDEN);
    let body = serde_json::to_vec(&park()).unwrap();
    let r = unit
        .send(Method::PUT, &format!("/api/v1/projects/{id}?version=1"), Some("application/json"), body.clone(), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The office changes it; a stale version is refused.
    let mut changed = park();
    changed["name"] = json!("安海镇口袋公园（二期）");
    let body = serde_json::to_vec(&changed).unwrap();
    let r = office
        .send(Method::PUT, &format!("/api/v1/projects/{id}?version=1"), Some("application/json"), body.clone(), &[])
        .await;
    assert_eq!((r.status, r.json()["version"].as_i64()), (StatusCode::OK, Some(2)));
    let r = office
        .send(Method::PUT, &format!("/api/v1/projects/{id}?version=1"), Some("application/json"), body, &[])
        .await;
    assert_eq!(r.code(), "version_conflict");
}

#[tokio::test]
async fn the_jinjiang_table_imports_through_the_api() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let plain = "/api/v1/projects/import?year=2023&kind=民生微实事&parent_unit=350582";
    let url = &format!("{plain}&create_units=true");
    let mut unit = app.signed_in("unit").await;
    assert_eq!(
        unit.send(Method::POST, url, Some("text/csv"), JINJIANG.to_vec(), &[]).await.status,
        StatusCode::FORBIDDEN
    );
    // A bad row stops the import with its line and column; nothing is stored.
    let bad = String::from_utf8(JINJIANG.to_vec()).unwrap().replace("\r\n5,", "\r\n五,");
    let r = office.send(Method::POST, url, Some("text/csv"), bad.into_bytes(), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((r.json()["line"].as_u64(), r.json()["field"].as_str()), (Some(6), Some("序号")));
    assert_eq!(r.json()["code"], "invalid_import_row");
    let units_before = app.unit_count().await;
    // A lead unit not in the unit list is an error unless creating units is asked for.
    let r = office.send(Method::POST, plain, Some("text/csv"), JINJIANG.to_vec(), &[]).await;
    assert_eq!(
        (r.status, r.json()["line"].as_u64(), r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some(2), Some("牵头单位"))
    );
    assert!(r.json()["message"].as_str().unwrap().contains("单位“市纪委监委”不存在"), "{}", r.text());
    // The preview says what would be created and stores nothing.
    let r = office.send(Method::POST, &format!("{url}&dry_run=true"), Some("text/csv"), JINJIANG.to_vec(), &[]).await;
    let preview = r.json();
    assert_eq!(
        (preview["dry_run"].as_bool(), preview["created"].as_u64(), preview["units_created"].as_u64()),
        (Some(true), Some(117), Some(80))
    );
    assert_eq!(&preview["new_units"][0], "市纪委监委");
    assert_eq!(app.unit_count().await, units_before, "a preview creates nothing");
    // The office creates the lead units it does not have yet under 晋江市, which it manages.
    let r = office.send(Method::POST, url, Some("text/csv"), JINJIANG.to_vec(), &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let report = r.json();
    assert_eq!(
        (report["rows"].as_u64(), report["created"].as_u64(), report["completed"].as_u64()),
        (Some(117), Some(117), Some(82))
    );
    // 82 lead units in the table; 住建局 and 安海镇 are matched by name, the other 80 are created.
    assert_eq!(report["units_created"], 80);
    assert_eq!(app.unit_count().await, units_before + 80);
    let again = office.send(Method::POST, url, Some("text/csv"), JINJIANG.to_vec(), &[]).await.json();
    assert_eq!((again["created"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(117)));
    // A 完成情况 the import does not know is an error naming the row and column, never a silent
    // un-completion; a blank one keeps the stored status; "未完成" on a finished project is named.
    let one = |completion: &str| {
        format!("序号,牵头单位,民生微实事,完成情况\n1,市纪委监委,举办“家风书场”展演活动,{completion}\n").into_bytes()
    };
    let r = office.send(Method::POST, url, Some("text/csv"), one("完成了一半"), &[]).await;
    assert_eq!(
        (r.status, r.json()["line"].as_u64(), r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some(2), Some("完成情况"))
    );
    assert!(r.json()["message"].as_str().unwrap().contains("完成情况“完成了一半”无法识别"), "{}", r.text());
    let r = office.send(Method::POST, url, Some("text/csv"), one(""), &[]).await.json();
    assert_eq!((r["unchanged"].as_u64(), r["completed"].as_u64()), (Some(1), Some(1)), "a blank keeps 已完工: {r}");
    let r =
        office.send(Method::POST, &format!("{url}&dry_run=true"), Some("text/csv"), one("未完成"), &[]).await.json();
    assert_eq!((r["updated"].as_u64(), &r["uncompleted"][0]), (Some(1), &serde_json::json!("举办“家风书场”展演活动")));
    let s = office.get("/api/v1/projects/stats?year=2023&kind=民生微实事").await.json();
    assert_eq!((s["total"].as_u64(), s["completed"].as_u64()), (Some(117), Some(82)));
}
