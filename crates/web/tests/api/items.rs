//! The item lifecycle through the API: every action for the right role only, refusals that change
//! nothing, decomposition, attachments, and the full record.

use crate::app::{Client, TestApp};
use axum::http::StatusCode;
use serde_json::{Value, json};

pub async fn new_item(office: &mut Client, title: &str) -> Value {
    let r = office
        .post(
            "/api/v1/items",
            json!({"title": title, "source": "inspection", "tags": ["项目建设"], "responsible_unit": "JJ-ZJJ",
                   "completion_standard": "取得施工许可证", "priority": "high"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()
}

pub async fn act(client: &mut Client, id: &Value, body: Value) -> crate::app::Response {
    client.post(&format!("/api/v1/items/{id}/actions"), body).await
}

async fn ok(client: &mut Client, id: &Value, body: Value) -> Value {
    let r = act(client, id, body.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{body}: {}", r.text());
    r.json()
}

pub const PNG: &[u8] =
    &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 0, 1, 0, 0, 0, 1];

#[tokio::test]
async fn the_whole_lifecycle_from_registration_to_recheck() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let mut unit = app.signed_in("unit").await;
    let mut public = app.client();

    let item = new_item(&mut office, "两所学校综合楼施工许可办理受阻").await;
    let id = item["id"].clone();
    assert_eq!((item["state"].as_str(), item["version"].as_i64()), (Some("registered"), Some(1)));
    assert!(item["code"].as_str().unwrap().starts_with("DB-20"), "{}", item["code"]);
    assert_eq!(item["actions"], json!(["assign", "cancel"]));
    assert_eq!(item["responsible_unit"]["code"], "JJ-ZJJ");

    let assigned = ok(&mut office, &id, json!({"action": "assign", "version": 1, "deadline_workdays": 10})).await;
    let expected = public.get("/api/v1/calendar/add-workdays?from=2025-09-24&days=10").await.json()["date"].clone();
    // By hand: 25, 26, Sun 28 (make-up), 29, 30 Sep, then after the holiday 9, 10, Sat 11 (make-up), 13, 14 Oct.
    assert_eq!(expected, "2025-10-14");
    assert_eq!(assigned["deadline"], expected, "deadline counted in working days");
    assert_eq!((assigned["state"].as_str(), assigned["version"].as_i64()), (Some("assigned"), Some(2)));
    assert_eq!(assigned["due_status"], "normal");
    assert_eq!(assigned["workdays_left"], 10);

    let seen = unit.get(&format!("/api/v1/items/{id}")).await.json();
    assert_eq!(seen["actions"], json!(["decline", "accept"]));
    ok(&mut unit, &id, json!({"action": "accept", "version": 2})).await;

    let photo = unit.upload(&format!("/api/v1/items/{id}/attachments"), "现场照片.png", PNG).await;
    assert_eq!(photo.status, StatusCode::CREATED, "{}", photo.text());
    let photo_id = photo.json()["id"].clone();
    let reported = ok(&mut unit, &id, json!({"action": "report", "version": 3, "note": "已召开协调会，历史遗留问题已明确解决路径", "attachments": [photo_id]})).await;
    assert_eq!(reported["attachments"][0]["action"], "report");

    ok(&mut unit, &id, json!({"action": "request_close", "version": 4, "measures": "协调住建、自然资源部门联合审批", "result": "施工许可证已核发"})).await;
    let closed =
        ok(&mut office, &id, json!({"action": "approve_close", "version": 5, "opinion": "整改到位，同意销号"})).await;
    assert_eq!(closed["state"], "closed");
    assert!(closed["closed_at"].is_string());
    assert_eq!(closed["close_request"]["result"], "施工许可证已核发");
    let confirmed = ok(&mut office, &id, json!({"action": "confirm", "version": 6})).await;
    assert!(confirmed["confirmed_at"].is_string());

    let events = office.get(&format!("/api/v1/items/{id}/events")).await.json();
    let actions: Vec<&str> = events.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        ["create", "assign", "accept", "attach", "report", "request_close", "approve_close", "confirm"]
    );
    let approve = &events[6];
    assert_eq!((approve["from"].as_str(), approve["to"].as_str()), (Some("close_requested"), Some("closed")));
    assert_eq!((approve["actor_name"].as_str(), approve["actor_role"].as_str()), (Some("office"), Some("office")));
    assert_eq!(events[4]["attachments"], json!([photo_id]));
    assert_eq!(events[2]["actor_role"], "unit");

    let mut admin = app.signed_in("admin").await;
    assert_eq!(admin.get("/api/v1/audit/verify").await.json()["ok"], true);
}

#[tokio::test]
async fn refusals_answer_with_the_right_code_and_change_nothing() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let mut unit = app.signed_in("unit").await;
    let item = new_item(&mut office, "农村自来水管网铺设后无法供水").await;
    let id = item["id"].clone();
    let mut inspector = app.signed_in("inspector").await;
    let mut leader = app.signed_in("leader").await;
    let before = app.audit_count().await;

    // Until it is assigned the item is the office's business: the unit does not even see it.
    let r = act(&mut unit, &id, json!({"action": "assign", "version": 1, "deadline_workdays": 5})).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::NOT_FOUND, "not_found"), "a unit does not see it yet");
    assert_eq!(unit.get(&format!("/api/v1/items/{id}")).await.status, StatusCode::NOT_FOUND);
    let r =
        act(&mut office, &id, json!({"action": "approve_close", "version": 1, "opinion": "整改到位，同意销号"})).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::CONFLICT, "invalid_transition"));
    let r = act(&mut office, &id, json!({"action": "assign", "version": 7, "deadline_workdays": 5})).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::CONFLICT, "version_conflict"));
    let r = act(&mut office, &id, json!({"action": "cancel", "version": 1})).await;
    assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("reason")));
    let r = act(&mut office, &id, json!({"action": "assign", "version": 1})).await;
    assert_eq!(r.json()["field"], "deadline");
    let r = act(&mut office, &id, json!({"action": "fly", "version": 1})).await;
    assert_eq!(r.json()["field"], "action");
    assert_eq!(inspector.get(&format!("/api/v1/items/{id}")).await.status, StatusCode::NOT_FOUND, "out of scope");
    let r = act(&mut inspector, &id, json!({"action": "cancel", "version": 1, "reason": "x"})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let seen = leader.get(&format!("/api/v1/items/{id}")).await.json();
    assert_eq!(seen["actions"], json!([]), "leaders read, they do not act");
    let r = act(&mut leader, &id, json!({"action": "cancel", "version": 1, "reason": "x"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    assert_eq!(app.audit_count().await, before, "no refused action left a trace in the record");
    assert_eq!(office.get(&format!("/api/v1/items/{id}")).await.json()["version"], 1);
}

#[tokio::test]
async fn decline_and_reassign_return_and_reopen() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let mut unit = app.signed_in("unit").await;
    let item = new_item(&mut office, "公共文化空间闲置").await;
    let id = item["id"].clone();
    ok(&mut office, &id, json!({"action": "assign", "version": 1, "deadline_workdays": 5})).await;
    let declined =
        ok(&mut unit, &id, json!({"action": "decline", "version": 2, "reason": "不属于本单位职责，应由文旅局牵头"}))
            .await;
    assert_eq!(declined["state"], "registered");
    // 改派: the office assigns again, to a unit in its jurisdiction.
    let reassigned = ok(&mut office, &id, json!({"action": "assign", "version": 3, "unit": "JJ-ZJJ", "lead_unit": "350582", "cooperating_units": ["JJ-T01"], "deadline_workdays": 8})).await;
    assert_eq!(reassigned["lead_unit"]["code"], "350582");
    assert_eq!(reassigned["cooperating_units"][0]["code"], "JJ-T01");
    ok(&mut unit, &id, json!({"action": "accept", "version": 4})).await;
    ok(&mut unit, &id, json!({"action": "request_close", "version": 5, "measures": "盘活", "result": "已开放"})).await;
    let returned = ok(&mut office, &id, json!({"action": "return", "version": 6, "reason": "佐证材料不足"})).await;
    assert_eq!(returned["state"], "in_progress");
    ok(
        &mut unit,
        &id,
        json!({"action": "request_close", "version": 7, "measures": "盘活", "result": "已开放，附照片"}),
    )
    .await;
    let r = act(&mut office, &id, json!({"action": "approve_close", "version": 8, "opinion": " "})).await;
    assert_eq!(r.json()["field"], "opinion", "a write-off states the office's 审核意见");
    ok(&mut office, &id, json!({"action": "approve_close", "version": 8, "opinion": "整改到位，同意销号"})).await;
    let reopened =
        ok(&mut office, &id, json!({"action": "reopen", "version": 9, "reason": "回头看发现空间再次闲置"})).await;
    assert_eq!((reopened["state"].as_str(), reopened["reopen_count"].as_i64()), (Some("in_progress"), Some(1)));
    // A new deadline from the reopen: 10 working days (the setting) from Wednesday 24 September
    // 2025, counting the make-up Sunday 28 September and Saturday 11 October and skipping the
    // National Day holiday 1–8 October — 14 October, worked out by hand. The write-off is undone.
    assert_eq!((reopened["deadline"].as_str(), reopened["deadline_workdays"].as_i64()), (Some("2025-10-14"), Some(10)));
    assert_eq!((reopened["closed_at"].clone(), reopened["close_request"].clone()), (Value::Null, Value::Null));
    assert_eq!(reopened["escalation"], "none");
    let events = office.get(&format!("/api/v1/items/{id}/events")).await.json();
    let last = events.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["payload"]["deadline"], "2025-10-14", "the record says what deadline it got");
    let reasons: Vec<&str> = events.as_array().unwrap().iter().filter_map(|e| e["reason"].as_str()).collect();
    assert_eq!(reasons, ["不属于本单位职责，应由文旅局牵头", "佐证材料不足", "回头看发现空间再次闲置"]);
}

#[tokio::test]
async fn extensions_and_pauses() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let mut unit = app.signed_in("unit").await;
    let item = new_item(&mut office, "停车场建设进度滞后").await;
    let id = item["id"].clone();
    let assigned = ok(&mut office, &id, json!({"action": "assign", "version": 1, "deadline_workdays": 5})).await;
    ok(&mut unit, &id, json!({"action": "accept", "version": 2})).await;
    let asked = ok(
        &mut unit,
        &id,
        json!({"action": "request_extension", "version": 3, "deadline_workdays": 5, "reason": "等待电力迁改"}),
    )
    .await;
    let wanted = asked["extension_request"]["deadline"].clone();
    assert!(wanted.as_str().unwrap() > assigned["deadline"].as_str().unwrap());
    let r = act(
        &mut unit,
        &id,
        json!({"action": "request_extension", "version": 4, "deadline_workdays": 3, "reason": "再延"}),
    )
    .await;
    assert_eq!(r.code(), "invalid_transition", "one pending request at a time");
    let approved = ok(&mut office, &id, json!({"action": "approve_extension", "version": 4})).await;
    assert_eq!(approved["deadline"], wanted);
    assert!(approved["extension_request"].is_null());
    ok(
        &mut unit,
        &id,
        json!({"action": "request_extension", "version": 5, "deadline": "2099-01-01", "reason": "再延"}),
    )
    .await;
    let rejected =
        ok(&mut office, &id, json!({"action": "reject_extension", "version": 6, "reason": "理由不充分"})).await;
    assert_eq!(rejected["deadline"], wanted);
    let paused = ok(&mut office, &id, json!({"action": "pause", "version": 7, "reason": "等待第三方鉴定"})).await;
    assert_eq!((paused["paused"].as_bool(), paused["due_status"].as_str()), (Some(true), Some("paused")));
    let r = act(&mut office, &id, json!({"action": "pause", "version": 8, "reason": "again"})).await;
    assert_eq!(r.code(), "invalid_transition");
    let resumed = ok(&mut office, &id, json!({"action": "resume", "version": 8, "reason": "鉴定完成"})).await;
    assert_eq!(resumed["paused"], false);
    assert_eq!(resumed["deadline"], wanted, "paused and resumed the same day: no working day was lost");
}

#[tokio::test]
async fn split_children_must_be_closed_before_the_parent() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let mut unit = app.signed_in("unit").await;
    let parent = new_item(&mut office, "老旧小区改造推进缓慢").await;
    let id = parent["id"].clone();
    ok(&mut office, &id, json!({"action": "assign", "version": 1, "deadline_workdays": 20})).await;
    let r = office
        .post(
            &format!("/api/v1/items/{id}/split"),
            json!({"children": [
                {"title": "安海镇完成管网改造", "unit": "JJ-T01", "deadline_workdays": 5},
                {"title": "住建局完成审批", "unit": "JJ-ZJJ"}
            ]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let split = r.json();
    assert_eq!(split["children"].as_array().unwrap().len(), 2);
    assert_eq!(split["children"][0]["state"], "assigned");
    assert_eq!(split["children"][1]["deadline"], split["deadline"], "a child without a deadline takes the parent's");
    let town_child = split["children"][0]["id"].clone();
    let zjj_child = split["children"][1]["id"].clone();
    let r =
        unit.post(&format!("/api/v1/items/{id}/split"), json!({"children": [{"title": "x", "unit": "JJ-T01"}]})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "only the office splits");

    ok(&mut unit, &id, json!({"action": "accept", "version": 3})).await;
    let r = act(&mut unit, &id, json!({"action": "request_close", "version": 4, "measures": "m", "result": "r"})).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::CONFLICT, "open_children"));

    ok(&mut office, &town_child, json!({"action": "cancel", "version": 2, "reason": "并入住建局子事项"})).await;
    ok(&mut unit, &zjj_child, json!({"action": "accept", "version": 2})).await;
    ok(&mut unit, &zjj_child, json!({"action": "request_close", "version": 3, "measures": "m", "result": "r"})).await;
    ok(&mut office, &zjj_child, json!({"action": "approve_close", "version": 4, "opinion": "整改到位，同意销号"}))
        .await;
    ok(
        &mut unit,
        &id,
        json!({"action": "request_close", "version": 4, "measures": "分解后全部完成", "result": "已完成"}),
    )
    .await;
    ok(&mut office, &id, json!({"action": "approve_close", "version": 5, "opinion": "整改到位，同意销号"})).await;
}

#[tokio::test]
async fn whoever_asked_for_the_write_off_cannot_approve_it() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let r = admin
        .post(
            "/api/v1/users",
            json!({"username": "both", "display_name": "兼职", "password": "Dual-2025a",
                   "roles": [{"role": "office", "unit": "350582"}, {"role": "unit", "unit": "JJ-ZJJ"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let mut both = app.client();
    both.post("/api/v1/session", json!({"username": "both", "password": "Dual-2025a"})).await;
    let item = new_item(&mut both, "双重角色").await;
    let id = item["id"].clone();
    ok(&mut both, &id, json!({"action": "assign", "version": 1, "deadline_workdays": 5})).await;
    ok(&mut both, &id, json!({"action": "accept", "version": 2})).await;
    let asked =
        ok(&mut both, &id, json!({"action": "request_close", "version": 3, "measures": "m", "result": "r"})).await;
    assert!(!asked["actions"].as_array().unwrap().contains(&json!("approve_close")));
    let r =
        act(&mut both, &id, json!({"action": "approve_close", "version": 4, "opinion": "整改到位，同意销号"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut office = app.signed_in("office").await;
    ok(&mut office, &id, json!({"action": "approve_close", "version": 4, "opinion": "整改到位，同意销号"})).await;
}

#[tokio::test]
async fn attachments_are_checked_stored_and_downloaded() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let mut unit = app.signed_in("unit").await;
    let item = new_item(&mut office, "附件").await;
    let id = item["id"].clone();
    ok(&mut office, &id, json!({"action": "assign", "version": 1, "deadline_workdays": 5})).await;
    let r = unit.upload(&format!("/api/v1/items/{id}/attachments"), "整改报告.pdf", b"%PDF-1.7\n1 0 obj\n").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let attachment = r.json();
    assert_eq!(
        (attachment["content_type"].as_str(), attachment["filename"].as_str()),
        (Some("application/pdf"), Some("整改报告.pdf"))
    );
    let r = unit
        .upload(&format!("/api/v1/items/{id}/attachments"), "photo.png", b"<html><script>alert(1)</script></html>")
        .await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"));
    let mut admin = app.signed_in("admin").await;
    admin.patch("/api/v1/settings", json!({"attachments.max_mb": 1})).await;
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(1024 * 1024 + 10, b'x');
    let r = unit.upload(&format!("/api/v1/items/{id}/attachments"), "big.pdf", &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);

    let r = office.get(attachment["url"].as_str().unwrap()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    assert!(r.headers["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''%E6%95%B4"));
    assert_eq!(r.body, b"%PDF-1.7\n1 0 obj\n");
    let mut inspector = app.signed_in("inspector").await;
    assert_eq!(inspector.get(attachment["url"].as_str().unwrap()).await.status, StatusCode::NOT_FOUND);
    // The file lives outside any served path, under its digest.
    let sha = attachment["sha256"].as_str().unwrap();
    assert!(app.files.path().join(&sha[..2]).join(&sha[2..4]).join(sha).exists());
    assert_eq!(app.client().get("/bangdu-data/attachments").await.status, StatusCode::NOT_FOUND);
}

/// A unit meets an item when it is assigned to it: drafts and registered items named for it stay
/// out of its list, its counts and its reach until 交办 (and again after it declines one).
#[tokio::test]
async fn a_unit_sees_an_item_from_its_assignment_on() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let mut unit = app.signed_in("unit").await;
    let draft =
        office.post("/api/v1/items", json!({"title": "草稿事项", "responsible_unit": "JJ-ZJJ", "draft": true})).await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.text());
    let item = new_item(&mut office, "已立项未交办").await;
    let id = item["id"].clone();
    let listed = |v: &Value| v["data"].as_array().unwrap().iter().map(|i| i["id"].clone()).collect::<Vec<_>>();
    assert_eq!(unit.get("/api/v1/items?state=all").await.json()["total"], 0, "neither draft nor registered");
    assert_eq!(unit.get(&format!("/api/v1/items/{}", draft.json()["id"])).await.status, StatusCode::NOT_FOUND);
    ok(&mut office, &id, json!({"action": "assign", "version": 1, "deadline_workdays": 5})).await;
    assert_eq!(listed(&unit.get("/api/v1/items?state=all").await.json()), vec![id.clone()]);
    ok(&mut unit, &id, json!({"action": "decline", "version": 2, "reason": "不属于本单位职责"})).await;
    assert_eq!(unit.get(&format!("/api/v1/items/{id}")).await.status, StatusCode::NOT_FOUND, "back with the office");
}

/// 回头看 may name the new deadline (working days from today, or a date not in the past), and the
/// page offers the field with the setting's default.
#[tokio::test]
async fn a_reopened_item_may_be_given_its_new_deadline() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let mut unit = app.signed_in("unit").await;
    let item = new_item(&mut office, "路灯不亮").await;
    let id = item["id"].clone();
    ok(&mut office, &id, json!({"action": "assign", "version": 1, "deadline_workdays": 5})).await;
    ok(&mut unit, &id, json!({"action": "accept", "version": 2})).await;
    ok(&mut unit, &id, json!({"action": "request_close", "version": 3, "measures": "更换灯具", "result": "已亮"}))
        .await;
    ok(&mut office, &id, json!({"action": "approve_close", "version": 4, "opinion": "整改到位，同意销号"})).await;
    let page = crate::pages::sign_in_page(&app, "office").await.get(&format!("/items/{id}")).await.text();
    assert!(page.contains("不填按 10 个工作日，自今日起算"), "the reopen form offers the new deadline");
    let r = act(
        &mut office,
        &id,
        json!({"action": "reopen", "version": 5, "reason": "又不亮了", "deadline": "2025-09-01"}),
    )
    .await;
    assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("deadline")));
    // Three working days from Wednesday 24 September 2025: 25, 26 and the make-up Sunday 28th.
    let reopened =
        ok(&mut office, &id, json!({"action": "reopen", "version": 5, "reason": "又不亮了", "deadline_workdays": 3}))
            .await;
    assert_eq!(reopened["deadline"], "2025-09-28");
}

/// 剥笋 stays consistent: a child may not be due after its parent, and 回头看 on a child of a
/// written-off parent reopens the parent with it, recorded on both.
#[tokio::test]
async fn children_keep_within_their_parent() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let mut unit = app.signed_in("unit").await;
    let parent = new_item(&mut office, "背街小巷综合整治").await;
    let pid = parent["id"].clone();
    // Five working days from Wednesday 24 September 2025: 25, 26, 28 (make-up Sunday), 29, 30.
    let assigned = ok(&mut office, &pid, json!({"action": "assign", "version": 1, "deadline_workdays": 5})).await;
    assert_eq!(assigned["deadline"], "2025-09-30");
    let split = |days: u32| json!({"children": [{"title": "路面修补", "unit": "JJ-ZJJ", "deadline_workdays": days}]});
    let r = office.post(&format!("/api/v1/items/{pid}/split"), split(10)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["field"], "children[0].deadline");
    assert!(r.json()["message"].as_str().unwrap().contains("2025-09-30"));
    let r = office.post(&format!("/api/v1/items/{pid}/split"), split(3)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // The answer is the parent with its children.
    let cid = r.json()["children"][0]["id"].clone();
    let child_code = r.json()["children"][0]["code"].as_str().unwrap().to_string();

    // The child is done and written off, then the parent.
    ok(&mut unit, &cid, json!({"action": "accept", "version": 2})).await;
    ok(&mut unit, &cid, json!({"action": "request_close", "version": 3, "measures": "补平", "result": "完成"})).await;
    ok(&mut office, &cid, json!({"action": "approve_close", "version": 4, "opinion": "整改到位，同意销号"})).await;
    ok(&mut unit, &pid, json!({"action": "accept", "version": 3})).await;
    ok(&mut unit, &pid, json!({"action": "request_close", "version": 4, "measures": "整治", "result": "完成"})).await;
    ok(&mut office, &pid, json!({"action": "approve_close", "version": 5, "opinion": "整改到位，同意销号"})).await;

    // 回头看 finds the road broken again: the child reopens, and the parent with it.
    let reopened = ok(
        &mut office,
        &cid,
        json!({"action": "reopen", "version": 5, "reason": "路面再次破损", "deadline_workdays": 3}),
    )
    .await;
    assert_eq!(reopened["state"], "in_progress");
    let parent = office.get(&format!("/api/v1/items/{pid}")).await.json();
    assert_eq!((parent["state"].as_str(), parent["reopen_count"].as_i64()), (Some("in_progress"), Some(1)));
    // The parent keeps its own deadline when that is not earlier than the child's new one (on a
    // later day its old deadline would have passed, and it would take the child's).
    assert!(
        parent["deadline"].as_str() >= reopened["deadline"].as_str(),
        "the parent runs at least as long as its child"
    );
    let events = office.get(&format!("/api/v1/items/{pid}/events")).await.json();
    let last = events.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "reopen");
    assert_eq!(last["reason"], format!("子事项 {child_code} 回头看重启：路面再次破损"));
    let events = office.get(&format!("/api/v1/items/{cid}/events")).await.json();
    let last = events.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["payload"]["reopens_parents"][0], parent["code"], "the child's record names the parent");
}
