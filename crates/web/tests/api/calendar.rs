use crate::app::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn days_add_and_count() {
    let app = TestApp::new().await;
    let mut client = app.client();
    assert_eq!(
        client.get("/api/v1/calendar/days/2025-10-01").await.json(),
        json!({"date": "2025-10-01", "workday": false, "holiday": "国庆节", "adjusted_workday": false, "provisional": false})
    );
    assert_eq!(
        client.get("/api/v1/calendar/days/2025-09-28").await.json(),
        json!({"date": "2025-09-28", "workday": true, "holiday": null, "adjusted_workday": true, "provisional": false})
    );
    assert_eq!(
        client.get("/api/v1/calendar/days/2025-10-10").await.json(),
        json!({"date": "2025-10-10", "workday": true, "holiday": null, "adjusted_workday": false, "provisional": false})
    );
    assert_eq!(
        client.get("/api/v1/calendar/add-workdays?from=2025-09-30&days=5").await.json(),
        json!({"date": "2025-10-14", "provisional": false})
    );
    assert_eq!(
        client.get("/api/v1/calendar/workdays?from=2025-09-26&to=2025-10-10").await.json(),
        json!({"workdays": 5})
    );
}

#[tokio::test]
async fn bad_parameters_name_the_field() {
    let app = TestApp::new().await;
    let mut client = app.client();
    for (path, field) in [
        ("/api/v1/calendar/add-workdays?from=2025-09-30&days=0", "days"),
        ("/api/v1/calendar/add-workdays?from=2025-09-30&days=-1", "days"),
        ("/api/v1/calendar/add-workdays?from=2025-02-30&days=1", "from"),
        ("/api/v1/calendar/add-workdays?days=1", "from"),
        ("/api/v1/calendar/workdays?from=2025-01-01&to=soon", "to"),
    ] {
        let r = client.get(path).await;
        assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{path}");
    }
    assert_eq!(client.get("/api/v1/calendar/days/2025-13-01").await.status, StatusCode::NOT_FOUND);
    // Two years past the last notice loaded (2026) are provisional; beyond them nothing is guessed.
    assert_eq!(client.get("/api/v1/calendar/days/2028-03-01").await.json()["provisional"], true);
    let r = client.get("/api/v1/calendar/days/2029-03-01").await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "calendar_not_loaded"));
}

#[tokio::test]
async fn an_administrator_loads_the_next_year() {
    let app = TestApp::new().await;
    let year = "year 2027\nholiday 2027-01-01..2027-01-03 元旦\n";
    let mut office = app.signed_in("office").await;
    let r = office
        .send(Method::PUT, "/api/v1/calendar/years/2027", Some("text/plain"), year.as_bytes().to_vec(), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut admin = app.signed_in("admin").await;
    let r =
        admin.send(Method::PUT, "/api/v1/calendar/years/2027", Some("text/plain"), year.as_bytes().to_vec(), &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["holidays"], 3);
    assert_eq!(
        admin.get("/api/v1/calendar/add-workdays?from=2026-12-31&days=1").await.json(),
        json!({"date": "2027-01-04", "provisional": false})
    );
    let mismatch =
        admin.send(Method::PUT, "/api/v1/calendar/years/2028", Some("text/plain"), year.as_bytes().to_vec(), &[]).await;
    assert_eq!(mismatch.json()["field"], "year");
    let broken = admin
        .send(
            Method::PUT,
            "/api/v1/calendar/years/2027",
            Some("text/plain"),
            "year 2027\nholiday 2027-02-30 春节\n".as_bytes().to_vec(),
            &[],
        )
        .await;
    assert_eq!((broken.status, broken.json()["line"].as_i64()), (StatusCode::UNPROCESSABLE_ENTITY, Some(2)));
    let text = admin.get("/api/v1/calendar/years/2027").await.text();
    assert!(text.starts_with("year 2027\nholiday 2027-01-01 元旦\n"), "the bad file replaced nothing: {text}");
    let years = admin.get("/api/v1/calendar/years").await.json();
    assert_eq!(years.as_array().unwrap().len(), 8);
}

/// December: a 20-working-day 交办 runs into 2027, whose notice is not loaded. It is counted on the
/// statutory holidays (元旦 on Friday 1 January) and shown 暂定; when the notice is loaded (here with
/// a made-up Saturday 9 January worked), the deadline is counted again — the same 12 working days
/// into January — recorded on the item and told to the unit.
#[tokio::test]
async fn a_deadline_into_an_unloaded_year_is_provisional_until_the_notice_is_loaded() {
    let app = TestApp::new().await;
    let december = chrono::NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
    let mut office = app.on_day(december, &app.signed_in("office").await);
    let item = crate::items::new_item(&mut office, "冬季供暖管网抢修").await;
    let id = &item["id"];
    // From Monday 21 December: 22–25 and 28–31 December are 8, 1 January is 元旦, 4–8 January make
    // 13, 11–15 January 18, and Tuesday 19 January is the 20th.
    let r =
        crate::items::act(&mut office, id, json!({"action": "assign", "version": 1, "deadline_workdays": 20})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        (r.json()["deadline"].as_str(), r.json()["deadline_provisional"].as_bool()),
        (Some("2027-01-19"), Some(true))
    );
    let page = office.get(&format!("/items/{id}")).await.text();
    assert!(page.contains("2027-01-19<span class=\"tag provisional\""), "the page marks it 暂定");
    let mut liaison = app.on_day(december, &app.signed_in("unit").await);
    assert!(liaison.get("/").await.text().contains("期限 2027-01-19（暂定）"), "the unit's home says 暂定 too");
    let mut admin = app.on_day(december, &app.signed_in("admin").await);
    let home = admin.get("/").await.text();
    assert!(home.contains("2027 年节假日安排（国务院办公厅通知）尚未载入"), "December: the administrator is told");

    let notice = "year 2027\nholiday 2027-01-01..2027-01-03 元旦\nworkday 2027-01-09 元旦\n";
    let r = admin
        .send(Method::PUT, "/api/v1/calendar/years/2027", Some("text/plain"), notice.as_bytes().to_vec(), &[])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // 4–8 January are 5, Saturday 9 January the 6th, 11–15 January 11, Monday 18 January the 12th.
    let after = office.get(&format!("/api/v1/items/{id}")).await.json();
    assert_eq!(
        (after["deadline"].as_str(), after["deadline_provisional"].as_bool()),
        (Some("2027-01-18"), Some(false))
    );
    let events = office.get(&format!("/api/v1/items/{id}/events")).await.json();
    let last = events.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "deadline_recount", "{last}");
    assert_eq!(
        (last["payload"]["previous_deadline"].as_str(), last["payload"]["deadline"].as_str()),
        (Some("2027-01-19"), Some("2027-01-18"))
    );
    let mut unit = app.on_day(december, &app.signed_in("unit").await);
    let inbox = unit.get("/api/v1/notifications").await.json();
    assert!(inbox.to_string().contains("暂定期限重新计算为 2027-01-18"), "{inbox}");
    assert!(!admin.get("/").await.text().contains("尚未载入"), "the warning is gone");
}

/// A written-off parent brought back by its child's 回头看 takes the child's 暂定 deadline with its
/// mark: the parent was due on a typed 31 December (firm); the child is reopened on 21 December
/// with 20 working days, into 2027 (2027-01-19, as worked above) — the parent too is 暂定.
#[tokio::test]
async fn a_parent_reopened_into_an_unloaded_year_is_provisional_too() {
    use crate::items::{act, new_item};
    let app = TestApp::new().await;
    let december = chrono::NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
    let mut office = app.on_day(december, &app.signed_in("office").await);
    let mut unit = app.on_day(december, &app.signed_in("unit").await);
    let ok = |r: crate::app::Response| {
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r.json()
    };
    let parent = new_item(&mut office, "背街小巷综合整治").await;
    let pid = parent["id"].clone();
    ok(act(&mut office, &pid, json!({"action": "assign", "version": 1, "deadline": "2026-12-31"})).await);
    let split = json!({"children": [{"title": "路面修补", "unit": "JJ-ZJJ", "deadline_workdays": 3}]});
    let r = office.post(&format!("/api/v1/items/{pid}/split"), split).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let cid = r.json()["children"][0]["id"].clone();
    ok(act(&mut unit, &cid, json!({"action": "accept", "version": 2})).await);
    ok(act(&mut unit, &cid, json!({"action": "request_close", "version": 3, "measures": "补平", "result": "完成"}))
        .await);
    ok(act(&mut office, &cid, json!({"action": "approve_close", "version": 4, "opinion": "到位"})).await);
    ok(act(&mut unit, &pid, json!({"action": "accept", "version": 3})).await);
    ok(act(&mut unit, &pid, json!({"action": "request_close", "version": 4, "measures": "整治", "result": "完成"}))
        .await);
    let closed = ok(act(&mut office, &pid, json!({"action": "approve_close", "version": 5, "opinion": "到位"})).await);
    assert_eq!(closed["deadline_provisional"], false, "a typed 31 December is firm");
    let child = ok(act(
        &mut office,
        &cid,
        json!({"action": "reopen", "version": 5, "reason": "路面再次破损", "deadline_workdays": 20}),
    )
    .await);
    assert_eq!((child["deadline"].as_str(), child["deadline_provisional"].as_bool()), (Some("2027-01-19"), Some(true)));
    let parent = office.get(&format!("/api/v1/items/{pid}")).await.json();
    assert_eq!((parent["state"].as_str(), parent["deadline"].as_str()), (Some("in_progress"), Some("2027-01-19")));
    assert_eq!(parent["deadline_provisional"], true, "the parent's new deadline is the child's, 暂定");
}
