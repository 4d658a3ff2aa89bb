use crate::app::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn days_add_and_count() {
    let app = TestApp::new().await;
    let mut client = app.client();
    assert_eq!(
        client.get("/api/v1/calendar/days/2025-10-01").await.json(),
        json!({"date": "2025-10-01", "workday": false, "holiday": "国庆节", "adjusted_workday": false})
    );
    assert_eq!(
        client.get("/api/v1/calendar/days/2025-09-28").await.json(),
        json!({"date": "2025-09-28", "workday": true, "holiday": null, "adjusted_workday": true})
    );
    assert_eq!(
        client.get("/api/v1/calendar/days/2025-10-10").await.json(),
        json!({"date": "2025-10-10", "workday": true, "holiday": null, "adjusted_workday": false})
    );
    assert_eq!(
        client.get("/api/v1/calendar/add-workdays?from=2025-09-30&days=5").await.json(),
        json!({"date": "2025-10-14"})
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
    let r = client.get("/api/v1/calendar/days/2027-03-01").await;
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
        json!({"date": "2027-01-04"})
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
