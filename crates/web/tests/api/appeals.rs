//! Appeals end to end through the API and Open311: a day of 12345 data imports, is sent on as an
//! item, and is answered when the item is written off — in the API and through Open311 — and
//! reopened with it; who sees what (the office, the handling unit, a leader without the phones, the
//! 帮督人员 refused); Open311 posts and their refusals in the spec's shape, with nothing stored.

use crate::app::{Client, TestApp};
use crate::items::{PNG, act};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

const EXPORT: &str = "工单编号,来电时间,诉求内容,诉求地址,所属区域,诉求分类,承办单位,办理状态,满意度,来电人,联系电话\n\
    G20250923001,2025-09-23 08:15,西滨路路灯连续三晚不亮,安海镇西滨路,,市容环境,JJ-ZJJ,已受理,,陈先生,13812341234\n\
    G20250923002,2025/9/23 9:02:00,西滨路路灯不亮，夜里骑车危险,安海镇西滨路口,,城乡建设>市容环境,住建局,已派单,,林女士,0595-85551234\n";

async fn import(client: &mut Client, csv: &str) -> crate::app::Response {
    client
        .send(Method::POST, "/api/v1/appeals/import?filename=day.csv", Some("text/csv"), csv.as_bytes().to_vec(), &[])
        .await
}

async fn ok(client: &mut Client, id: &Value, body: Value) -> Value {
    let r = act(client, id, body.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{body}: {}", r.text());
    r.json()
}

async fn open311(client: &mut Client, path: &str) -> crate::app::Response {
    client.get(&format!("/open311/v2/{path}")).await
}

#[tokio::test]
async fn a_day_of_12345_is_sent_on_answered_when_the_item_closes_and_reopened_with_it() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let first = import(&mut office, EXPORT).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    assert_eq!((first.json()["added"].as_u64(), first.json()["unchanged"].as_u64()), (Some(2), Some(0)));
    let again = import(&mut office, EXPORT).await.json();
    assert_eq!((again["added"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(2)), "idempotent");

    let list = office.get("/api/v1/appeals").await.json();
    assert_eq!(list["total"], 2);
    let row = list["data"].as_array().unwrap().iter().find(|a| a["number"] == "G20250923001").unwrap().clone();
    assert_eq!(row["caller_phone"], "138****1234", "masked in lists");
    assert_eq!(row["caller_name"], "陈**");
    assert_eq!(row["handling"]["name"], "住建局");
    assert!(!list.to_string().contains("13812341234"), "no phone in clear in a list");

    // Who sees what: the bureau handles both; a leader sees them without the callers; the 帮督人员 is refused.
    let mut unit = app.signed_in("unit").await;
    assert_eq!(unit.get("/api/v1/appeals").await.json()["total"], 2);
    let id = row["id"].as_i64().unwrap();
    let detail = office.get(&format!("/api/v1/appeals/{id}")).await.json();
    assert_eq!(detail["caller"]["phone"], "13812341234", "the office calls back");
    let mut leader = app.signed_in("leader").await;
    let seen = leader.get(&format!("/api/v1/appeals/{id}")).await.json();
    assert!(seen.get("caller").is_none(), "{seen}");
    let mut inspector = app.signed_in("inspector").await;
    assert_eq!(inspector.get("/api/v1/appeals").await.status, StatusCode::FORBIDDEN);
    // The liaison cannot send appeals on.
    let ids: Vec<i64> = list["data"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect();
    let refused = unit.post("/api/v1/appeals/transfer", json!({"appeals": ids})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());

    // 转办: both appeals become one item, source 12345, for the bureau.
    let sent = office.post("/api/v1/appeals/transfer", json!({"appeals": ids, "title": "西滨路路灯不亮"})).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.text());
    let item_id = json!(sent.json()["item_id"]);
    let item = office.get(&format!("/api/v1/items/{item_id}")).await.json();
    assert_eq!((item["source"].as_str(), item["responsible_unit"]["code"].as_str()), (Some("hotline"), Some("JJ-ZJJ")));
    let twice = office.post("/api/v1/appeals/transfer", json!({"appeals": [ids[0]]})).await;
    assert_eq!((twice.status, twice.code()), (StatusCode::CONFLICT, "appeal_already_sent".to_string()));
    let listed = office.get(&format!("/api/v1/appeals?item={item_id}")).await.json();
    assert_eq!(listed["total"], 2, "the list shows which appeals are in the item");

    ok(&mut office, &item_id, json!({"action": "assign", "version": 1, "deadline_workdays": 5})).await;
    ok(&mut unit, &item_id, json!({"action": "accept", "version": 2})).await;
    ok(
        &mut unit,
        &item_id,
        json!({"action": "request_close", "version": 3, "measures": "更换灯具", "result": "西滨路 12 盏路灯已修复"}),
    )
    .await;
    ok(&mut office, &item_id, json!({"action": "approve_close", "version": 4, "opinion": "现场核实已亮"})).await;

    // Every linked appeal is answered, in the API and through Open311.
    let answered = office.get(&format!("/api/v1/appeals/{id}")).await.json();
    assert_eq!(answered["status"], "answered");
    assert!(answered["status_notes"].as_str().unwrap().contains("西滨路 12 盏路灯已修复"), "{answered}");
    let public = open311(&mut app.client(), "requests/G20250923002.json").await.json();
    assert_eq!(public[0]["status"], "closed");
    assert!(public[0]["status_notes"].as_str().unwrap().contains("已修复"));
    assert_eq!(public[0]["service_code"], "cityscape");
    assert_eq!(public[0]["agency_responsible"], "住建局");
    assert!(!public.to_string().contains("林女士") && !public.to_string().contains("85551234"), "nothing personal");

    // A bad phone-back rating raises 回头看 in the item's history; the office reopens; the appeals reopen.
    let rated = office
        .post(&format!("/api/v1/appeals/{id}/ratings"), json!({"level": "不满意", "comment": "只修了一半"}))
        .await;
    assert_eq!(rated.status, StatusCode::CREATED, "{}", rated.text());
    assert_eq!(rated.json()["satisfaction"], "dissatisfied");
    let events = office.get(&format!("/api/v1/items/{item_id}/events")).await.json();
    let rating = events.as_array().unwrap().iter().find(|e| e["action"] == "appeal.rate").expect("an item event");
    assert_eq!(rating["payload"]["look_again"], true, "{rating}");
    assert_eq!(rating["action_label"], "好差评：不满意（需回头看）");
    ok(&mut office, &item_id, json!({"action": "reopen", "version": 5, "reason": "群众回访不满意"})).await;
    let reopened = open311(&mut app.client(), "requests/G20250923001.json").await.json();
    assert_eq!(reopened[0]["status"], "open");
    let history = office.get(&format!("/api/v1/appeals/{id}")).await.json();
    let actions: Vec<&str> =
        history["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["imported", "transferred", "answered", "rated", "reopened"]);

    let figures = office.get("/api/v1/appeals/satisfaction?by=unit").await.json();
    assert_eq!(figures[0]["name"], "住建局", "{figures}");
    assert_eq!((figures[0]["dissatisfied"].as_i64(), figures[0]["rated"].as_i64()), (Some(1), Some(1)));
    // The export has no caller.
    let xlsx = office.get("/api/v1/appeals/export.xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let text = String::from_utf8_lossy(&xlsx.body).to_string();
    assert!(!text.contains("13812341234"));
}

#[tokio::test]
async fn an_import_with_bad_rows_names_them_and_writes_nothing_unless_told_to_skip() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let bad = format!("{EXPORT}G3,2025-02-30 10:00,日期不存在,,,,,,,,\nG4,2025-09-23 10:00,分类不认识,,,飞碟,,,,,\n");
    let r = import(&mut office, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!((r.code().as_str(), r.json()["line"].as_u64()), ("invalid_import_rows", Some(4)));
    let errors = r.json()["report"]["errors"].clone();
    assert_eq!(errors[0]["line"], 4);
    assert_eq!(errors[0]["column"], "来电时间");
    assert_eq!(errors[1]["column"], "诉求分类");
    assert_eq!(office.get("/api/v1/appeals").await.json()["total"], 0, "nothing half-written");
    let skipped = office
        .send(Method::POST, "/api/v1/appeals/import?on_error=skip", Some("text/csv"), bad.into_bytes(), &[])
        .await
        .json();
    assert_eq!((skipped["added"].as_u64(), skipped["skipped"].as_u64()), (Some(2), Some(2)));
    let mut unit = app.signed_in("unit").await;
    let refused =
        unit.send(Method::POST, "/api/v1/appeals/import", Some("text/csv"), EXPORT.as_bytes().to_vec(), &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

async fn key(app: &TestApp) -> String {
    let mut admin = app.signed_in("admin").await;
    let r = admin.post("/api/v1/open311-keys", json!({"name": "市民通 App"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["api_key"].as_str().unwrap().to_string()
}

async fn post311(client: &mut Client, path: &str, fields: &[(&str, &str)]) -> crate::app::Response {
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    client
        .send(
            Method::POST,
            &format!("/open311/v2/{path}"),
            Some("application/x-www-form-urlencoded"),
            body.into_bytes(),
            &[],
        )
        .await
}

#[tokio::test]
async fn open311_posts_are_checked_as_the_spec_says_and_nothing_bad_is_stored() {
    let app = TestApp::new().await;
    let api_key = key(&app).await;
    let mut unit = app.signed_in("unit").await;
    assert_eq!(unit.post("/api/v1/open311-keys", json!({"name": "x"})).await.status, StatusCode::FORBIDDEN);
    let mut client = app.client();
    let long = "很".repeat(4001);
    // (the form's fields, the status, a word the description must hold)
    type Case<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str);
    let cases: Vec<Case> = vec![
        (vec![("service_code", "urban"), ("lat", "24.8"), ("long", "118.5"), ("description", "x")], 403, "api_key"),
        (
            vec![
                ("api_key", "o311_wrong"),
                ("service_code", "urban"),
                ("address_string", "安海"),
                ("description", "x"),
            ],
            403,
            "api_key",
        ),
        (vec![("api_key", &api_key), ("address_string", "安海"), ("description", "x")], 400, "service_code"),
        (vec![("api_key", &api_key), ("service_code", "urban"), ("description", "x")], 400, "location"),
        (
            vec![
                ("api_key", &api_key),
                ("service_code", "urban"),
                ("lat", "24.8"),
                ("long", "118.5"),
                ("address_string", "安海"),
                ("description", "x"),
            ],
            400,
            "location",
        ),
        (
            vec![("api_key", &api_key), ("service_code", "urban"), ("address_string", "安海"), ("description", &long)],
            400,
            "4000",
        ),
        (
            vec![
                ("api_key", &api_key),
                ("service_code", "urban"),
                ("address_string", "安海"),
                ("description", "<script>alert(1)</script>"),
            ],
            400,
            "HTML",
        ),
        (
            vec![
                ("api_key", &api_key),
                ("service_code", "urban"),
                ("address_string", "安海"),
                ("description", "x"),
                ("attribute[COLOUR]", "red"),
            ],
            400,
            "COLOUR",
        ),
        (
            vec![("api_key", &api_key), ("service_code", "ufo"), ("address_string", "安海"), ("description", "x")],
            404,
            "ufo",
        ),
    ];
    for (fields, status, says) in &cases {
        for format in ["json", "xml"] {
            let r = post311(&mut client, &format!("requests.{format}"), fields).await;
            assert_eq!(r.status.as_u16(), *status, "{fields:?}: {}", r.text());
            if format == "json" {
                let body = r.json();
                assert_eq!(body[0]["code"], *status);
                assert!(body[0]["description"].as_str().unwrap().contains(says), "{body}");
            } else {
                assert!(r.text().contains(&format!("<errors><error><code>{status}</code>")), "{}", r.text());
            }
        }
    }
    let none = open311(
        &mut client,
        "requests.json?start_date=2025-07-01T00:00:00%2B08:00&end_date=2025-09-28T00:00:00%2B08:00",
    )
    .await;
    assert_eq!(none.json(), json!([]), "nothing stored");

    let posted = post311(
        &mut client,
        "requests.json",
        &[
            ("api_key", &api_key),
            ("service_code", "cityscape"),
            ("lat", "24.6975"),
            ("long", "118.4581"),
            ("description", "井盖缺失 & 有人跌倒"),
            ("first_name", "三"),
            ("last_name", "张"),
            ("phone", "13800001111"),
        ],
    )
    .await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.text());
    let answer = posted.json();
    let number = answer[0]["service_request_id"].as_str().unwrap().to_string();
    assert!(number.starts_with("BD"), "ids are strings: {number}");
    let token = answer[0]["token"].as_str().unwrap().to_string();
    let by_token = open311(&mut client, &format!("tokens/{token}.json")).await.json();
    assert_eq!(by_token[0]["service_request_id"], number);
    let xml = open311(&mut client, &format!("requests/{number}.xml")).await.text();
    assert!(xml.contains("<description>井盖缺失 &amp; 有人跌倒</description>"), "{xml}");
    assert!(xml.contains("<status>open</status>") && xml.contains("<lat>24.6975</lat>"), "{xml}");
    assert!(!xml.contains("13800001111") && !xml.contains("张三"));
    let expected =
        open311(&mut client, &format!("requests/{number}.json")).await.json()[0]["expected_datetime"].clone();
    assert!(expected.as_str().unwrap().ends_with("T18:00:00+08:00"), "{expected}");
    let window =
        open311(&mut client, "requests.json?start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z").await;
    assert_eq!(window.status, StatusCode::BAD_REQUEST, "more than 90 days");
    assert_eq!(open311(&mut client, "services/ufo.json").await.status, StatusCode::NOT_FOUND);
    assert_eq!(open311(&mut client, "requests/NOPE.json").await.status, StatusCode::NOT_FOUND);
    let services = open311(&mut client, "services.json").await.json();
    assert!(services.as_array().unwrap().iter().any(|s| s["service_code"] == "cityscape" && s["group"] == "城市管理"));

    // A revoked key is refused from then on.
    let mut admin = app.signed_in("admin").await;
    let keys = admin.get("/api/v1/open311-keys").await.json();
    let id = keys[0]["id"].as_i64().unwrap();
    assert_eq!(admin.delete(&format!("/api/v1/open311-keys/{id}")).await.status, StatusCode::NO_CONTENT);
    let refused = post311(
        &mut client,
        "requests.json",
        &[("api_key", &api_key), ("service_code", "urban"), ("address_string", "安海"), ("description", "x")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_pages_list_show_import_and_send_on_as_the_office_does() {
    let app = TestApp::new().await;
    let mut page = crate::pages::sign_in_page(&app, "office").await;
    let csrf = crate::pages::hidden(&page.get("/appeals/import").await.text(), "csrf_token");
    let uploaded = page
        .multipart(
            "/appeals/import",
            &[("csrf_token", &csrf), ("mode", "import"), ("on_error", "abort")],
            Some(("day.csv", EXPORT.as_bytes())),
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::OK, "{}", uploaded.text());
    assert!(uploaded.text().contains("导入完成：共 2 行，新增 2 条"), "{}", uploaded.text());
    let bad = page
        .multipart(
            "/appeals/import",
            &[("csrf_token", &csrf), ("mode", "import"), ("on_error", "abort")],
            Some(("bad.csv", "工单编号,来电时间,诉求内容\nG9,2025-02-30 10:00,日期不存在\n".as_bytes())),
        )
        .await
        .text();
    assert!(bad.contains("未导入任何数据") && bad.contains("来电时间"), "{bad}");

    let list = page.get("/appeals").await.text();
    assert!(list.contains("G20250923001") && list.contains("138****1234"), "masked in the list");
    assert!(!list.contains("13812341234"));
    let mut api = app.signed_in("office").await;
    let rows = api.get("/api/v1/appeals").await.json();
    let ids: Vec<String> = rows["data"].as_array().unwrap().iter().map(|a| a["id"].to_string()).collect();
    let show = page.get(&format!("/appeals/{}", ids[0])).await.text();
    assert!(show.contains("仅用于回访"), "the office sees the caller in clear");
    let sent = page
        .form(
            "/appeals/transfer",
            &[("csrf_token", &csrf), ("appeal", &ids[0]), ("appeal", &ids[1]), ("title", "西滨路路灯不亮")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
    assert!(sent.location().starts_with("/items/"), "{}", sent.location());
    let item = page.get(&sent.location()).await.text();
    assert!(item.contains("西滨路路灯不亮"));
    assert!(item.contains("群众诉求（2）") && item.contains("G20250923001"), "the item lists its appeals");
    // A leader sees the appeal without the caller; the figures page answers.
    let mut leader = crate::pages::sign_in_page(&app, "leader").await;
    let seen = leader.get(&format!("/appeals/{}", ids[0])).await.text();
    assert!(!seen.contains("13812341234") && !seen.contains("仅用于回访"));
    assert_eq!(leader.get("/appeals/satisfaction").await.status, StatusCode::OK);
    let xlsx = page.get("/appeals/export.xlsx?status=handling").await;
    assert_eq!(xlsx.status, StatusCode::OK);
}

#[tokio::test]
async fn a_citizen_appeals_without_signing_in_follows_it_by_link_and_robots_store_nothing() {
    let app = TestApp::new().await;
    let mut citizen = app.client();
    let form = citizen.get("/public/appeals/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("市容环境") && form.text().contains("name=\"website\""));
    let robot = citizen
        .multipart(
            "/public/appeals",
            &[("category", "cityscape"), ("content", "广告"), ("address", "x"), ("website", "http://spam")],
            None,
        )
        .await;
    assert_eq!(robot.status, StatusCode::OK);
    let scripted = citizen
        .multipart(
            "/public/appeals",
            &[("category", "cityscape"), ("content", "<script>alert(1)</script>"), ("address", "安海镇")],
            None,
        )
        .await;
    assert_eq!(scripted.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        scripted.text().contains("网页代码") && !scripted.text().contains("<script>alert(1)"),
        "escaped when shown again"
    );
    let mut admin = app.signed_in("admin").await;
    assert_eq!(admin.get("/api/v1/appeals").await.json()["total"], 0, "nothing stored for the robot or the script");

    let sent = citizen
        .multipart(
            "/public/appeals",
            &[
                ("category", "cityscape"),
                ("content", "西滨路路灯不亮"),
                ("address", "安海镇西滨路"),
                ("name", "陈先生"),
                ("phone", "13812345678"),
            ],
            Some(("现场.png", PNG)),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.text());
    let page = sent.text();
    let link = page.split("/track/").nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_string();
    let track = citizen.get(&format!("/track/{link}")).await;
    assert_eq!(track.status, StatusCode::OK);
    let text = track.text();
    assert!(text.contains("西滨路路灯不亮") && text.contains("已受理"));
    assert!(!text.contains("13812345678") && !text.contains("陈先生"), "nothing personal on the tracking page");
    assert!(!text.contains("对办理结果评价"), "no rating before the answer");
    // The photo is on the tracking page and opens from it; the office sees it on the appeal.
    let photo = text.split("<img src=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_string();
    assert!(photo.starts_with(&format!("/track/{link}/photos/")), "{photo}");
    let bytes = citizen.get(&photo).await;
    assert_eq!(bytes.status, StatusCode::OK);
    assert_eq!(bytes.headers["content-type"], "image/png");
    assert_eq!(bytes.body, PNG);
    assert_eq!(citizen.get(&photo.replace(&link, "not-a-token")).await.status, StatusCode::NOT_FOUND);
    let stored = admin.get("/api/v1/appeals").await.json();
    let id = stored["data"][0]["id"].as_i64().unwrap();
    let detail = admin.get(&format!("/api/v1/appeals/{id}")).await.json();
    let url = detail["photos"][0]["url"].as_str().unwrap().to_string();
    assert_eq!(admin.get(&url).await.body, PNG);
    let shown = admin.get(&format!("/appeals/{id}")).await.text();
    assert!(shown.contains(&format!("/appeals/{id}/photos/")), "the office's page shows the photo");
    // A unit that does not handle it cannot open it; nor can the citizen without the link.
    let mut unit = app.signed_in("unit").await;
    assert_eq!(unit.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(citizen.get(&url).await.status, StatusCode::UNAUTHORIZED);
    // Only a photo: a document is refused and nothing of that appeal is kept.
    let pdf = citizen
        .multipart(
            "/public/appeals",
            &[("category", "cityscape"), ("content", "附件是文件"), ("address", "安海镇")],
            Some(("说明.pdf", b"%PDF-1.7\n...")),
        )
        .await;
    assert_eq!(pdf.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(pdf.text().contains("只能上传照片"));
    assert_eq!(admin.get("/api/v1/appeals").await.json()["total"], 1, "the refused appeal is not stored");
    let early = citizen.form(&format!("/track/{link}/rate"), &[("level", "satisfied")]).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(citizen.get("/track/not-a-token").await.status, StatusCode::NOT_FOUND);
    // The office sees who it was (the root unit's office here is the admin's view).
    let list = admin.get("/api/v1/appeals").await.json();
    assert_eq!(list["data"][0]["channel"], "web");
    assert_eq!(list["data"][0]["caller_phone"], "138****5678");
    // An address may not flood the form.
    let mut last = StatusCode::OK;
    for _ in 0..12 {
        last = citizen
            .multipart(
                "/public/appeals",
                &[("category", "cityscape"), ("content", "又一个问题"), ("address", "安海镇")],
                None,
            )
            .await
            .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn meetings_categories_and_keys_have_their_pages_for_the_roles_that_own_them() {
    let app = TestApp::new().await;
    // 吐槽大会: the office records one; each issue is an appeal of it, listed with its outcome.
    let mut office = crate::pages::sign_in_page(&app, "office").await;
    let form = office.get("/appeals/meetings/new").await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = crate::pages::hidden(&form.text(), "csrf_token");
    let empty = office
        .form(
            "/appeals/meetings",
            &[("csrf_token", &csrf), ("held_on", "2025-09-20"), ("place", "安海镇西垵村委会"), ("host", "王镇长")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().contains("请至少记录一个群众提出的问题") && empty.text().contains("安海镇西垵村委会"));
    let recorded = office
        .form(
            "/appeals/meetings",
            &[
                ("csrf_token", &csrf),
                ("held_on", "2025-09-20"),
                ("place", "安海镇西垵村委会"),
                ("host", "王镇长"),
                ("attendees", "46"),
                ("attendee_units", "住建局、交通局，镇政府"),
                ("issues", "村口路灯坏了半年｜西垵村村口\n\n菜市场门口积水\n"),
                ("category", "cityscape"),
            ],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.text());
    let shown = office.get(&recorded.location()).await.text();
    assert!(shown.contains("吐槽大会已记录"), "{shown}");
    assert!(shown.contains("村口路灯坏了半年") && shown.contains("西垵村村口") && shown.contains("菜市场门口积水"));
    assert!(shown.contains("住建局、交通局、镇政府") && shown.contains("提出问题 2 个，已转办 0 个"));
    let list = office.get("/appeals/meetings").await.text();
    assert!(list.contains("安海镇西垵村委会") && list.contains(">46<") && list.contains(">2<"), "{list}");
    let mut api = app.signed_in("office").await;
    let meeting = api.get("/api/v1/appeal-meetings").await.json();
    assert_eq!(meeting[0]["issues_raised"], 2);
    assert_eq!(meeting[0]["sent_on"], 0);
    let appeals = api.get("/api/v1/appeals?channel=meeting").await.json();
    assert_eq!(appeals["total"], 2);
    assert_eq!(appeals["data"][0]["category_code"], "cityscape");
    // The liaison sees meetings of what it handles but records none; it may not touch categories.
    let mut unit = crate::pages::sign_in_page(&app, "unit").await;
    assert_eq!(unit.get("/appeals/meetings/new").await.status, StatusCode::FORBIDDEN);
    let unit_csrf = crate::pages::hidden(&unit.get("/appeals").await.text(), "csrf_token");
    let refused = unit
        .form(
            "/appeals/meetings",
            &[("csrf_token", &unit_csrf), ("held_on", "2025-09-20"), ("place", "x"), ("host", "y"), ("issues", "z")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(office.get("/appeals/categories").await.status, StatusCode::FORBIDDEN);
    assert_eq!(office.get("/appeals/keys").await.status, StatusCode::FORBIDDEN);

    // Categories: the administrator adds one (Open311 serves it) and a duplicate code is refused.
    let mut admin = crate::pages::sign_in_page(&app, "admin").await;
    let page = admin.get("/appeals/categories").await.text();
    assert!(page.contains("市容环境") && page.contains("cityscape"));
    let csrf = crate::pages::hidden(&page, "csrf_token");
    let fields = |code: &'static str| {
        vec![
            ("csrf_token", csrf.clone()),
            ("code", code.to_string()),
            ("name", "路灯".to_string()),
            ("group_name", "城市管理".to_string()),
            ("time_limit_days", "3".to_string()),
            ("active", "on".to_string()),
        ]
    };
    let borrowed = |f: &Vec<(&'static str, String)>| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let add = fields("streetlight");
    let pairs: Vec<(&str, &str)> = add.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let created = admin.form("/appeals/categories", &pairs).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    let again = admin.form("/appeals/categories", &pairs).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().contains("已被另一分类使用"));
    let services = app.client().get("/open311/v2/services.json").await.json();
    assert!(
        services.as_array().unwrap().iter().any(|s| s["service_code"] == "streetlight" && s["service_name"] == "路灯")
    );
    // Editing with a stale version is refused, not lost silently.
    let mut admin_api = app.signed_in("admin").await;
    let listed = admin_api.get("/api/v1/appeal-categories").await.json();
    let edit_link = listed.as_array().unwrap().iter().find(|c| c["code"] == "streetlight").unwrap()["id"].to_string();
    let edit = admin.get(&format!("/appeals/categories/{edit_link}")).await.text();
    let version = crate::pages::hidden(&edit, "version");
    let mut change = borrowed(&fields("streetlight"));
    change.push(("version", version.clone()));
    change[2].1 = "路灯照明".into();
    let pairs: Vec<(&str, &str)> = change.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = admin.form(&format!("/appeals/categories/{edit_link}"), &pairs).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let stale = admin.form(&format!("/appeals/categories/{edit_link}"), &pairs).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);

    // Keys: issued once on the page, working for Open311 until revoked.
    let keys = admin.get("/appeals/keys").await.text();
    let csrf = crate::pages::hidden(&keys, "csrf_token");
    let issued = admin.form("/appeals/keys", &[("csrf_token", &csrf), ("name", "泉州 12345 平台")]).await.text();
    let key = issued.split("secret-box mono\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    assert!(key.starts_with("o311_"), "{key}");
    let mut client = app.client();
    let open311 = |key: String| {
        vec![
            ("api_key", key),
            ("service_code", "streetlight".to_string()),
            ("address_string", "安海镇西滨路".to_string()),
            ("description", "路灯不亮".to_string()),
        ]
    };
    let fields = open311(key.clone());
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let accepted = post311(&mut client, "requests.json", &pairs).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text());
    let listed = admin.get("/appeals/keys").await.text();
    assert!(!listed.contains(&key), "the key is never shown again");
    let revoke = listed.split("action=\"/appeals/keys/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let revoked = admin.form(&format!("/appeals/keys/{revoke}"), &[("csrf_token", &csrf)]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(post311(&mut client, "requests.json", &pairs).await.status, StatusCode::FORBIDDEN);
}
