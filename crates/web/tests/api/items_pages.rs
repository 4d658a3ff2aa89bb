//! The item pages: every page opens for every role, each person sees only the forms they may use,
//! the forms work end to end with their CSRF token, and the home page counts what waits for whom.

use crate::app::{Client, TestApp};
use crate::items::{PNG, new_item};
use crate::pages::{hidden, sign_in_page};
use axum::http::StatusCode;
use serde_json::Value;

/// The value of `<input name=…>` in the form whose action is `action`.
fn form_field(html: &str, action: &str, name: &str) -> String {
    let start = html.find(&format!("action=\"{action}\"")).unwrap_or_else(|| panic!("no form {action}"));
    hidden(&html[start..], name)
}

async fn page(client: &mut Client, path: &str) -> String {
    let r = client.get(path).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
    r.text()
}

/// Submits one action form of the item page as a person would.
async fn act_on_page(
    client: &mut Client,
    id: &Value,
    action: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> crate::app::Response {
    let html = page(client, &format!("/items/{id}")).await;
    let marker = format!("name=\"action\" value=\"{action}\"");
    assert!(html.contains(&marker), "no {action} form on the page");
    let csrf = hidden(&html, "csrf_token");
    let version = hidden(&html, "version");
    let mut all = vec![("csrf_token", csrf.as_str()), ("version", version.as_str()), ("action", action)];
    all.extend_from_slice(fields);
    client.multipart(&format!("/items/{id}/act"), &all, file).await
}

#[tokio::test]
async fn no_item_page_fails_for_any_role() {
    let app = TestApp::new().await;
    let mut office_api = app.signed_in("office").await;
    let item = new_item(&mut office_api, "施工许可办理受阻").await;
    let id = &item["id"];
    for who in ["admin", "office", "leader", "unit", "inspector"] {
        let mut client = sign_in_page(&app, who).await;
        for path in [
            "/".to_string(),
            "/items".into(),
            "/items?state=all&sort=newest".into(),
            "/items?overdue=true&due_within=5&escalation=urge&escalation_exact=true&extension=pending".into(),
            "/items/board".into(),
            "/lists".into(),
            "/lists?list=responsibilities".into(),
            "/lists?list=rectifications&overdue=true".into(),
            "/inbox".into(),
            "/inbox?unread=true".into(),
            "/inbox?kind=todo".into(),
            "/items/new".into(),
            format!("/items/{id}"),
        ] {
            let r = client.get(&path).await;
            assert!(
                [StatusCode::OK, StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&r.status),
                "{who} {path}: {} {}",
                r.status,
                r.text()
            );
        }
    }
    // Registering is for the office and leaders; the inspector of another city cannot see the item.
    assert_eq!(sign_in_page(&app, "unit").await.get("/items/new").await.status, StatusCode::FORBIDDEN);
    assert_eq!(sign_in_page(&app, "inspector").await.get(&format!("/items/{id}")).await.status, StatusCode::NOT_FOUND);
    let mut leader = sign_in_page(&app, "leader").await;
    assert!(page(&mut leader, "/items/new").await.contains("登记督导事项"));
    // A filter the list does not know is a clear error, not a crash.
    assert_eq!(leader.get("/items?state=nonsense").await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn register_assign_accept_report_and_write_off_through_the_pages() {
    let app = TestApp::new().await;
    let mut office = sign_in_page(&app, "office").await;
    let form = page(&mut office, "/items/new").await;
    let csrf = hidden(&form, "csrf_token");
    let fields = [
        ("title", "农村自来水管网铺设后无法供水"),
        ("source", "hotline"),
        ("priority", "high"),
        ("responsible_unit", "JJ-ZJJ"),
        ("tags", "供水，民生"),
        ("description", "12345 热线反映"),
    ];
    assert_eq!(office.form("/items", &fields).await.status, StatusCode::FORBIDDEN, "no token, no item");
    let mut with_token = fields.to_vec();
    with_token.push(("csrf_token", &csrf));
    let r = office.form("/items", &with_token).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let location = r.location();
    let id: Value = location.trim_start_matches("/items/").split('?').next().unwrap().parse::<i64>().unwrap().into();
    let shown = page(&mut office, &location).await;
    assert!(shown.contains("农村自来水管网铺设后无法供水") && shown.contains("已立项") && shown.contains("已创建"));
    assert!(shown.contains("value=\"assign\"") && shown.contains("value=\"cancel\""));
    assert!(!shown.contains("value=\"accept\""), "the office is not the unit");

    // The office's home counts it as waiting for assignment.
    let home = page(&mut office, "/").await;
    assert!(home.contains("待交办") && home.contains("农村自来水管网铺设后无法供水"));

    // 交办 with 10 working days from 2025-09-24 (the app's today): Sunday 28 September is a working
    // day, 1–8 October are the National Day holiday, Saturday 11 October is worked: 2025-10-14.
    let r = act_on_page(
        &mut office,
        &id,
        "assign",
        &[("unit", "JJ-ZJJ"), ("assigned_on", "2025-09-24"), ("deadline_workdays", "10")],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let shown = page(&mut office, &r.location()).await;
    assert!(shown.contains("已交办住建局，期限 2025-10-14"), "the message says to whom and until when");

    // The unit sees the item on its home page and may only sign for it or decline it.
    let mut unit = sign_in_page(&app, "unit").await;
    let home = page(&mut unit, "/").await;
    assert!(home.contains("待签收") && home.contains("农村自来水管网铺设后无法供水"));
    let shown = page(&mut unit, &format!("/items/{id}")).await;
    assert!(shown.contains("value=\"accept\"") && shown.contains("value=\"decline\""));
    assert!(
        !shown.contains("value=\"assign\"") && !shown.contains("value=\"cancel\"") && !shown.contains("分解并交办")
    );
    let forged = unit
        .multipart(
            &format!("/items/{id}/act"),
            &[("csrf_token", "forged"), ("version", "1"), ("action", "accept")],
            None,
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "a forged token changes nothing");
    let r = act_on_page(&mut unit, &id, "accept", &[], None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // Signing for it answers the 待办 in the unit's inbox.
    let inbox = page(&mut unit, "/inbox?unread=true").await;
    assert!(!inbox.contains("新交办事项"), "the assignment notice is done once signed for");

    // A progress report with a photo, then the write-off request; a missing field is said, not lost.
    let r = act_on_page(&mut unit, &id, "report", &[("note", "加压泵站已通电")], Some(("现场.png", PNG))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // A Chinese text file is a welcome attachment (its 64th byte falls inside a character).
    let note = "整改情况说明：经现场核实，加压泵站已接入专线电源，一千二百户恢复正常供水。";
    let r =
        act_on_page(&mut unit, &id, "report", &[("note", "管网试压完成")], Some(("说明.txt", note.as_bytes()))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // A refused file keeps the note the liaison typed, and says the file must be chosen again.
    let r =
        act_on_page(&mut unit, &id, "report", &[("note", "入户水压复测正常")], Some(("页面.html", b"<html><body>x")))
            .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(r.text().contains("附件需重新选择") && r.text().contains(">入户水压复测正常</textarea>"), "{}", r.text());
    let r = act_on_page(&mut unit, &id, "request_close", &[("measures", "泵站接入专线电源")], None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("申请销号未完成") && r.text().contains("办理结果不能为空"));
    let r = act_on_page(
        &mut unit,
        &id,
        "request_close",
        &[("measures", "泵站接入专线电源"), ("result", "1200 户恢复供水")],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let shown = page(&mut unit, &format!("/items/{id}")).await;
    assert!(shown.contains("现场.png") && shown.contains("加压泵站已通电") && shown.contains("申请销号"));

    // The office reviews it from its home page and writes it off.
    let home = page(&mut office, "/").await;
    assert!(home.contains("<span class=\"tag need\">审核销号</span>"));
    // 销号 needs the office's 审核意见 and its tick; a refusal keeps what was typed.
    let r = act_on_page(&mut office, &id, "approve_close", &[("opinion", "现场核实泵站双电源已接入")], None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("销号未完成") && r.text().contains("已核实整改结果"), "{}", r.text());
    assert!(r.text().contains(">现场核实泵站双电源已接入</textarea>"), "the opinion typed is kept");
    let r = act_on_page(&mut office, &id, "approve_close", &[("confirm", "1")], None).await;
    assert!(r.text().contains("审核意见不能为空"), "{}", r.text());
    let r = act_on_page(
        &mut office,
        &id,
        "approve_close",
        &[("opinion", "现场核实泵站双电源已接入"), ("confirm", "1")],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let shown = page(&mut office, &r.location()).await;
    assert!(shown.contains("已销号，审核意见已记入全记录"), "the message says what was done");
    assert!(shown.contains("审核意见：现场核实泵站双电源已接入") && shown.contains("value=\"confirm\""));
    // The record names people, not usernames.
    assert!(shown.contains("office用户（督查室）") && shown.contains("unit用户（责任单位）"));
    // A stale form (old version) is refused with a message, and nothing changes.
    let r = office
        .multipart(
            &format!("/items/{id}/act"),
            &[("csrf_token", &hidden(&shown, "csrf_token")), ("version", "1"), ("action", "reopen"), ("reason", "x")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("记录已被他人修改，请刷新后重试"), "{}", r.text());
    assert!(page(&mut office, &format!("/items/{id}")).await.contains("已销号"));
}

#[tokio::test]
async fn split_and_upload_from_the_item_page() {
    let app = TestApp::new().await;
    let mut api = app.signed_in("office").await;
    let item = new_item(&mut api, "校园周边交通安全综合整治").await;
    let id = &item["id"];
    let r = api
        .post(
            &format!("/api/v1/items/{id}/actions"),
            serde_json::json!({"action": "assign", "version": 1, "deadline_workdays": 20}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let mut unit_api = app.signed_in("unit").await;
    let r = unit_api
        .post(&format!("/api/v1/items/{id}/actions"), serde_json::json!({"action": "accept", "version": 2}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    let mut office = sign_in_page(&app, "office").await;
    let html = page(&mut office, &format!("/items/{id}")).await;
    let csrf = form_field(&html, &format!("/items/{id}/split"), "csrf_token");
    let r = office
        .form(
            &format!("/items/{id}/split"),
            &[
                ("csrf_token", &csrf),
                ("title", "增设交通标志标线"),
                ("unit", "JJ-ZJJ"),
                ("deadline_workdays", "10"),
                ("title", "上下学护学岗"),
                ("unit", "JJ-T01"),
                ("deadline_workdays", ""),
                ("title", ""),
                ("unit", ""),
                ("deadline_workdays", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = page(&mut office, &format!("/items/{id}")).await;
    assert!(html.contains("子事项（剥笋，2）") && html.contains("增设交通标志标线") && html.contains("上下学护学岗"));
    // An unknown unit is said on the page and nothing is split.
    let r = office
        .form(
            &format!("/items/{id}/split"),
            &[("csrf_token", &csrf), ("title", "第三项"), ("unit", "NOPE"), ("deadline_workdays", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("分解未完成"));
    assert!(page(&mut office, &format!("/items/{id}")).await.contains("子事项（剥笋，2）"));

    // Uploading evidence from the page; the file comes back byte for byte.
    let r =
        office.multipart(&format!("/items/{id}/attachments"), &[("csrf_token", &csrf)], Some(("照片.png", PNG))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = page(&mut office, &format!("/items/{id}")).await;
    let start = html.find("href=\"/attachments/").unwrap() + "href=\"".len();
    let link = &html[start..start + html[start..].find('"').unwrap()];
    let file = office.get(link).await;
    assert_eq!((file.status, file.body.as_slice()), (StatusCode::OK, PNG));
    // A file whose content is not an allowed type is refused with a message.
    let r = office
        .multipart(&format!("/items/{id}/attachments"), &[("csrf_token", &csrf)], Some(("run.exe", b"MZ\x90\x00\x03")))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("alert"), "{}", r.text());
}

#[tokio::test]
async fn the_list_defaults_to_open_items_and_keeps_link_conditions() {
    let app = TestApp::new().await;
    let mut api = app.signed_in("office").await;
    let open = new_item(&mut api, "仍在办理的事项").await;
    let gone = new_item(&mut api, "已撤销的事项").await;
    let r = api
        .post(
            &format!("/api/v1/items/{}/actions", gone["id"]),
            serde_json::json!({"action": "cancel", "version": 1, "reason": "重复登记"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let mut office = sign_in_page(&app, "office").await;
    let list = page(&mut office, "/items").await;
    assert!(
        list.contains("仍在办理的事项") && !list.contains("已撤销的事项"),
        "cancelled items are not in the default list"
    );
    let all = page(&mut office, "/items?state=all").await;
    assert!(all.contains("仍在办理的事项") && all.contains("已撤销的事项"));
    // The API speaks the same words.
    let api_open = api.get("/api/v1/items?state=open").await.json();
    assert_eq!(api_open["total"], 1);
    assert_eq!(api_open["data"][0]["id"], open["id"]);
    // A condition from a link stays through the next query and is said in words.
    let linked = page(&mut office, "/items?unit=JJ-ZJJ&responsible=true&extension=pending").await;
    assert!(linked.contains("name=\"extension\" value=\"pending\"") && linked.contains("延期申请待审核"));
    assert!(linked.contains("单位 JJ-ZJJ为责任单位"));
}

#[tokio::test]
async fn the_unit_never_sees_another_units_item_on_any_page() {
    let app = TestApp::new().await;
    let mut api = app.signed_in("office").await;
    let r =
        api.post("/api/v1/items", serde_json::json!({"title": "安海镇自己的事项", "responsible_unit": "JJ-T01"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].clone();
    let mut unit = sign_in_page(&app, "unit").await;
    for path in ["/", "/items?state=all", "/items/board", "/lists"] {
        assert!(!page(&mut unit, path).await.contains("安海镇自己的事项"), "{path}");
    }
    assert_eq!(unit.get(&format!("/items/{id}")).await.status, StatusCode::NOT_FOUND);
    let csrf = hidden(&page(&mut unit, "/items").await, "csrf_token");
    let r = unit
        .multipart(
            &format!("/items/{id}/act"),
            &[("csrf_token", &csrf), ("version", "1"), ("action", "cancel"), ("reason", "x")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
