//! Inspections through the API and the pages: the pool (its phones kept to the office, its file
//! imported line-exact), a round planned, drawn, checked again, staffed and changed by hand — and
//! every refusal with its code.

use crate::app::TestApp;
use crate::pages::{hidden, sign_in_page};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

const POOL: &str = "姓名,工作单位,所在地区划代码,专业领域,可任组长,手机,督查室成员
林组长,石狮市住建局,350581,项目建设,是,13900000001,否
陈组长,南安市住建局,350583,城建,是,,否
王督查,泉州市督查室,350500,营商环境,否,13900000003,是
张督查,泉州市督查室,350500,营商环境,否,,是
吴专家,福建省建设科学研究院,350100,项目建设、城建,否,,否
郑专家,石狮市住建局,350581,城建、项目建设,否,,否
蔡专家,南安市发改局,350583,项目建设,否,,否
许专家,惠安县住建局,350521,城建,否,,否
";

async fn import(client: &mut crate::app::Client, csv: &str) -> crate::app::Response {
    client.send(Method::POST, "/api/v1/pool/import", Some("text/csv"), csv.as_bytes().to_vec(), &[]).await
}

#[tokio::test]
async fn the_pool_keeps_phones_to_the_office_and_its_file_imports_line_exact_and_once() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let member = json!({"name": "洪专家", "unit": "住建局", "region": "350521", "domains": ["安全生产"], "phone": "13700000000"});
    for (change, field) in [
        (json!({"region": "350599"}), "region"),
        (json!({"region": "35058"}), "region"),
        (json!({"domains": ["航天"]}), "domains"),
        (json!({"domains": []}), "domains"),
        (json!({"name": " "}), "name"),
        (json!({"phone": "tel:137"}), "phone"),
    ] {
        let mut body = member.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = office.post("/api/v1/pool/members", body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{change}: {}", r.text());
        assert_eq!(r.json()["field"], field, "{change}");
    }
    let r = office.post("/api/v1/pool/members", member.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    // 住建局 is one of ours: the member's home unit is known, for 回避.
    assert_eq!(r.json()["unit_id"], app.unit("JJ-ZJJ"));
    assert_eq!(r.json()["phone"], "13700000000");
    assert_eq!(r.json()["region_name"], "惠安县");
    assert_eq!(office.post("/api/v1/pool/members", member).await.code(), "duplicate_member");

    // The leader sees the member, never the phone; the liaison and the inspector see no pool.
    let mut leader = app.signed_in("leader").await;
    let seen = leader.get(&format!("/api/v1/pool/members/{id}")).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(seen.json().get("phone").is_none(), "{}", seen.text());
    assert!(!seen.text().contains("13700000000"));
    for who in ["unit", "inspector"] {
        let mut c = app.signed_in(who).await;
        assert_eq!(c.get("/api/v1/pool/members").await.status, StatusCode::FORBIDDEN, "{who}");
    }
    // A leader may not change the pool.
    let absence = json!({"starts_on": "2025-10-13", "ends_on": "2025-10-17", "reason": "休假"});
    assert_eq!(
        leader.post(&format!("/api/v1/pool/members/{id}/absences"), absence.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let r = office.post(&format!("/api/v1/pool/members/{id}/absences"), absence).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["absences"][0]["ends_on"], "2025-10-17");
    let backwards = json!({"starts_on": "2025-10-17", "ends_on": "2025-10-13"});
    assert_eq!(office.post(&format!("/api/v1/pool/members/{id}/absences"), backwards).await.json()["field"], "ends_on");

    // A file with a bad third line: its line and column, nothing stored.
    let before = office.get("/api/v1/pool/members").await.json()["total"].as_i64().unwrap();
    let bad = POOL.replace("陈组长,南安市住建局,350583", "陈组长,南安市住建局,350599");
    let r = import(&mut office, &bad).await;
    assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_import_row".to_string()));
    assert_eq!((r.json()["line"].as_i64(), r.json()["field"].as_str()), (Some(3), Some("所在地区划代码")));
    let r = import(
        &mut office,
        &POOL.replace(
            "吴专家,福建省建设科学研究院,350100,项目建设、城建",
            "吴专家,福建省建设科学研究院,350100,项目建设、航天",
        ),
    )
    .await;
    assert_eq!((r.json()["line"].as_i64(), r.json()["field"].as_str()), (Some(6), Some("专业领域")));
    assert_eq!(office.get("/api/v1/pool/members").await.json()["total"].as_i64().unwrap(), before);
    let r = import(&mut office, POOL).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!((r.json()["created"].as_i64(), r.json()["unchanged"].as_i64()), (Some(8), Some(0)));
    let r = import(&mut office, POOL).await;
    assert_eq!((r.json()["created"].as_i64(), r.json()["unchanged"].as_i64()), (Some(0), Some(8)));

    // The pages: the office sees phones in the list, the leader does not.
    let mut page = sign_in_page(&app, "office").await;
    let list = page.get("/pool").await.text();
    assert!(list.contains("林组长") && list.contains("13900000001"));
    let mut leader_page = sign_in_page(&app, "leader").await;
    let list = leader_page.get("/pool").await.text();
    assert!(list.contains("林组长") && !list.contains("13900000001"));
    // Adding one through the form, and a refused one keeping what was typed.
    let csrf = hidden(&page.get("/pool/new").await.text(), "csrf_token");
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("name", "苏专家"),
        ("unit", "德化县住建局"),
        ("region", "350526"),
        ("domains", "城建、航天"),
    ];
    let r = page.form("/pool", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "the form again, with the refusal's status");
    assert!(r.text().contains("未知的专业领域“航天”") && r.text().contains("德化县住建局"));
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("name", "苏专家"),
        ("unit", "德化县住建局"),
        ("region", "350526"),
        ("domains", "城建"),
    ];
    let r = page.form("/pool", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(page.get(&r.location()).await.text().contains("德化县"));
}

/// Three projects led by 住建局, made through the API.
async fn projects(office: &mut crate::app::Client) -> Vec<i64> {
    let mut ids = Vec::new();
    for name in ["安海镇口袋公园", "住建局停车场", "安海镇污水管网"] {
        let body = json!({
            "name": name, "year": 2025, "kind": "为民办实事", "lead_unit": "JJ-ZJJ",
            "planned_start": "2025-01-01", "planned_end": "2025-12-31",
            "milestones": [{"name": "主体完工", "date": "2025-06-30", "progress": 60}],
        });
        let r = office.post("/api/v1/projects", body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        ids.push(r.json()["id"].as_i64().unwrap());
    }
    ids
}

#[tokio::test]
async fn a_round_is_planned_drawn_checked_staffed_and_changed_by_hand_through_the_api() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let ids = projects(&mut office).await;
    assert_eq!(import(&mut office, POOL).await.status, StatusCode::OK);
    let members = office.get("/api/v1/pool/members?per_page=100").await.json();
    let member = |name: &str| {
        members["data"].as_array().unwrap().iter().find(|m| m["name"] == name).unwrap()["id"].as_i64().unwrap()
    };
    let cai = member("蔡专家");
    let on_leave = json!({"starts_on": "2025-10-13", "ends_on": "2025-10-17", "reason": "休假"});
    assert_eq!(
        office.post(&format!("/api/v1/pool/members/{cai}/absences"), on_leave).await.status,
        StatusCode::CREATED
    );

    let r = office
        .post(
            "/api/v1/campaigns",
            json!({"name": "抓项目、促发展", "starts_on": "2025-10-01", "ends_on": "2025-12-31"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let campaign = r.json()["id"].as_i64().unwrap();
    let rounds = format!("/api/v1/campaigns/{campaign}/rounds");
    // 4 and 5 October 2025 are National Day holidays: no working day.
    let r = office
        .post(&rounds, json!({"name": "第一批", "kind": "on_site", "starts_on": "2025-10-04", "ends_on": "2025-10-05"}))
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "no_working_day".to_string()));
    let r = office
        .post(&rounds, json!({"name": "第一批", "kind": "巡视", "starts_on": "2025-10-13", "ends_on": "2025-10-17"}))
        .await;
    assert_eq!(r.json()["field"], "kind");
    let r = office
        .post(&rounds, json!({"name": "第一批", "kind": "实地帮", "starts_on": "2025-10-13", "ends_on": "2026-01-17"}))
        .await;
    assert_eq!(r.json()["field"], "starts_on", "outside the campaign: {}", r.text());
    let r = office.post(&rounds, json!({"name": "第一批", "kind": "on_site", "starts_on": "2025-10-13", "ends_on": "2025-10-17", "specialists": 1})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let round = r.json()["id"].as_i64().unwrap();

    // A draw asking for more than there are.
    let draw = format!("/api/v1/rounds/{round}/draw");
    let r = office
        .post(&draw, json!({"seed": "20251013", "random": 50, "lookback_projects": 0, "lookback_items": 0}))
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "draw_too_large".to_string()));
    let r =
        office.post(&draw, json!({"seed": "20251013", "random": 0, "lookback_projects": 0, "lookback_items": 0})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let drawn = r.json();
    assert_eq!(drawn["draw"]["seed"], "20251013");
    assert_eq!(drawn["draw"]["algorithm"], "sha256-rank-v1");
    // Every red project is drawn (重点督), and only those; the others are added by hand, with a reason.
    let key: Vec<String> = drawn["draw"]["candidates"]["key"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    assert_eq!(drawn["targets"].as_array().unwrap().len(), key.len());
    for id in &ids {
        if key.contains(&format!("project:{id}")) {
            continue;
        }
        let add = json!({"kind": "project", "id": id, "reason": "群众反映进度慢"});
        let r = office.post(&format!("/api/v1/rounds/{round}/targets"), add).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        assert_eq!((r.json()["basis"].as_str(), r.json()["reason"].as_str()), (Some("manual"), Some("群众反映进度慢")));
    }
    let again = office
        .post(
            &format!("/api/v1/rounds/{round}/targets"),
            json!({"kind": "project", "id": ids[0], "reason": "再加一次"}),
        )
        .await;
    assert_eq!(again.code(), "target_exists");
    let no_reason = office
        .post(
            &format!("/api/v1/rounds/{round}/targets"),
            json!({"kind": "unit", "id": app.unit("JJ-T01"), "reason": ""}),
        )
        .await;
    assert_eq!(no_reason.json()["field"], "reason");
    let check = office.get(&format!("/api/v1/rounds/{round}/redraw")).await;
    assert_eq!(check.json()["same"], true, "{}", check.text());

    // Teams: formed twice from the same seed and data, the same answer byte for byte.
    let teams = format!("/api/v1/rounds/{round}/teams");
    let first = office.post(&teams, json!({})).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    let second = office.post(&teams, json!({})).await;
    assert_eq!(first.body, second.body);
    let formed = first.json();
    assert_eq!(formed["teams"].as_array().unwrap().len(), 3);
    for team in formed["teams"].as_array().unwrap() {
        let roles: Vec<&str> =
            team["members"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap()).collect();
        assert_eq!(&roles[..2], ["leader", "office"], "{team}");
        for m in team["members"].as_array().unwrap() {
            assert_ne!(m["member_id"], cai, "the member on leave was seated");
            assert!(m["load_after"].as_i64() > m["load_before"].as_i64());
            assert!(m["home_region"].is_string() && m["domains"].is_array());
        }
        let removed = team["explanation"]["removed"].as_array().unwrap();
        let why = removed.iter().find(|r| r["member_id"] == cai).unwrap();
        assert_eq!(why["reasons"][0]["code"], "unavailable");
    }
    // The leader reads the teams but may not form them; the liaison sees no inspections at all.
    let mut leader = app.signed_in("leader").await;
    assert_eq!(leader.get(&teams).await.body, office.get(&teams).await.body);
    assert_eq!(leader.post(&teams, json!({})).await.status, StatusCode::FORBIDDEN);
    let mut unit = app.signed_in("unit").await;
    assert_eq!(unit.get(&format!("/api/v1/rounds/{round}")).await.status, StatusCode::FORBIDDEN);
    // The inspector serves on no team: no campaign to see.
    let mut inspector = app.signed_in("inspector").await;
    assert_eq!(inspector.get("/api/v1/campaigns").await.json(), json!([]));
    assert_eq!(inspector.get(&format!("/api/v1/rounds/{round}")).await.status, StatusCode::NOT_FOUND);

    // The member on leave, by hand: refused with the constraint's code, then overridden with a reason.
    let target = formed["teams"][0]["target"]["id"].as_i64().unwrap();
    let seats = format!("/api/v1/targets/{target}/seats");
    let r = office.post(&seats, json!({"member_id": cai})).await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "unavailable".to_string()));
    assert!(r.json()["message"].as_str().unwrap().contains("2025-10-13 至 2025-10-17 不能参加"));
    let r = office.post(&seats, json!({"member_id": cai, "override_reason": "本人销假参加"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let seat =
        r.json()["teams"][0]["members"].as_array().unwrap().iter().find(|m| m["member_id"] == cai).cloned().unwrap();
    assert_eq!(
        (seat["overrides"].clone(), seat["override_reason"].clone()),
        (json!(["unavailable"]), json!("本人销假参加"))
    );
    assert_eq!(office.delete(&format!("{seats}/{cai}")).await.status, StatusCode::OK);
    assert_eq!(office.delete(&format!("{seats}/{cai}")).await.status, StatusCode::NOT_FOUND);
    // Dropping a target keeps it with its reason; re-drawing after teams exist is refused.
    let r = office.post(&format!("/api/v1/targets/{target}/drop"), json!({"reason": "已整改完毕"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let dropped = r.json()["targets"].as_array().unwrap().iter().find(|t| t["id"] == target).cloned().unwrap();
    assert_eq!(dropped["dropped_reason"], "已整改完毕");
    let r = office.post(&draw, json!({"seed": "1", "random": 0, "lookback_projects": 0, "lookback_items": 0})).await;
    assert_eq!(r.code(), "teams_formed");
    let edit = office
        .send(
            Method::PUT,
            &format!("/api/v1/targets/{target}"),
            Some("application/json"),
            json!({"visit_on": "2025-10-18"}).to_string().into_bytes(),
            &[],
        )
        .await;
    assert_eq!(edit.status, StatusCode::UNPROCESSABLE_ENTITY, "a Saturday outside the round: {}", edit.text());

    // The round's page shows the draw, its check and the teams.
    let mut page = sign_in_page(&app, "office").await;
    let html = page.get(&format!("/rounds/{round}?redraw=1")).await.text();
    assert!(html.contains("20251013") && html.contains("复核一致"), "{html}");
    assert!(html.contains("已整改完毕"));
    let csrf = hidden(&html, "csrf_token");
    let r = page.form(&format!("/rounds/{round}/teams"), &[("csrf_token", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let _: Value = office.get(&teams).await.json();
}

#[tokio::test]
async fn a_team_member_records_findings_from_the_phone_once_and_the_office_reports_them_as_docx() {
    let app = TestApp::new().await;
    let mut office = app.signed_in("office").await;
    let ids = projects(&mut office).await;
    // The inspector (石狮市) is in the pool with an account, so a seat makes them a team member.
    let pool = format!("{POOL}何专家,石狮市住建局,350581,城建,否,,否\n");
    assert_eq!(import(&mut office, &pool).await.status, StatusCode::OK);
    let members = office.get("/api/v1/pool/members?per_page=100").await.json();
    let he = members["data"].as_array().unwrap().iter().find(|m| m["name"] == "何专家").unwrap().clone();
    let body = json!({"name": "何专家", "unit": "石狮市住建局", "region": "350581", "domains": ["城建"], "username": "inspector"});
    let put = format!("/api/v1/pool/members/{}?version={}", he["id"], he["version"]);
    let bytes = body.to_string().into_bytes();
    let r = office.send(Method::PUT, &put, Some("application/json"), bytes.clone(), &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // The same change against the version read before it is refused.
    let stale = office.send(Method::PUT, &put, Some("application/json"), bytes, &[]).await;
    assert_eq!(stale.code(), "version_conflict");
    let campaign = office
        .post("/api/v1/campaigns", json!({"name": "抓项目", "starts_on": "2025-09-01", "ends_on": "2025-12-31"}))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let round = office
        .post(&format!("/api/v1/campaigns/{campaign}/rounds"), json!({"name": "第一批", "kind": "on_site", "starts_on": "2025-09-22", "ends_on": "2025-09-26", "specialists": 1}))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let target = office
        .post(
            &format!("/api/v1/rounds/{round}/targets"),
            json!({"kind": "project", "id": ids[0], "reason": "群众反映"}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(office.post(&format!("/api/v1/rounds/{round}/teams"), json!({})).await.status, StatusCode::OK);
    let he_id = he["id"].as_i64().unwrap();
    let seat = office.post(&format!("/api/v1/targets/{target}/seats"), json!({"member_id": he_id})).await;
    let seated = seat.status == StatusCode::OK
        || office
            .post(
                &format!("/api/v1/targets/{target}/seats"),
                json!({"member_id": he_id, "override_reason": "熟悉该项目"}),
            )
            .await
            .status
            == StatusCode::OK
        || seat.code() == "already_on_team";
    assert!(seated, "{}", seat.text());

    // Before the seat the inspector saw nothing; now the round, and the target on the phone page.
    let mut inspector = app.signed_in("inspector").await;
    assert_eq!(inspector.get("/api/v1/campaigns").await.json().as_array().unwrap().len(), 1);
    let mut phone = sign_in_page(&app, "inspector").await;
    let html = phone.get("/visits").await.text();
    assert!(html.contains("安海镇口袋公园") && html.contains("data-outbox"), "{html}");
    let csrf = hidden(&html, "csrf_token");
    // A finding with a photo, sent twice by the outbox (its answer lost the first time): stored once.
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("client_key", "3f2a9c1e-0001"),
        ("description", "围挡破损\n夜间照明不足"),
        ("domain", "安全生产"),
        ("outcome", "solved"),
        ("solved_note", "要求施工单位当日修复"),
        ("lat", "24.812345"),
        ("lon", "118.552468"),
    ];
    let photo: &[u8] = crate::items::PNG;
    let boundary = "outbox-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"现场.png\"\r\nContent-Type: image/png\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(photo);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let path = format!("/visits/{target}/findings");
    let outbox = [("x-bangdu-outbox", "1")];
    let first = phone.send(Method::POST, &path, Some(&content_type), body.clone(), &outbox).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let again = phone.send(Method::POST, &path, Some(&content_type), body, &outbox).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(first.json()["id"], again.json()["id"]);
    let listed = office.get(&format!("/api/v1/rounds/{round}/findings")).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["description"], "围挡破损\n夜间照明不足");
    assert_eq!(listed[0]["photos"].as_array().unwrap().len(), 1);
    assert_eq!((listed[0]["lat"].as_f64(), listed[0]["outcome"].as_str()), (Some(24.812345), Some("solved")));
    // Bad findings are refused with their field, and a unit liaison may not record one at all.
    let r = inspector
        .post(&format!("/api/v1/targets/{target}/findings"), json!({"description": "x", "outcome": "solved"}))
        .await;
    assert_eq!(r.json()["field"], "solved_note");
    let r = inspector
        .post(&format!("/api/v1/targets/{target}/findings"), json!({"description": "x", "lat": 95.0, "lon": 118.0}))
        .await;
    assert_eq!(r.json()["field"], "lat");
    let mut unit = app.signed_in("unit").await;
    assert_eq!(
        unit.post(&format!("/api/v1/targets/{target}/findings"), json!({"description": "x"})).await.status,
        StatusCode::FORBIDDEN
    );
    // A pending finding: the inspector may not raise an item; the office does, through the lifecycle.
    let pending = inspector
        .post(
            &format!("/api/v1/targets/{target}/findings"),
            json!({"description": "征迁遗留问题影响进场", "domain": "项目建设"}),
        )
        .await;
    assert_eq!(pending.status, StatusCode::CREATED, "{}", pending.text());
    let finding = pending.json()["id"].as_i64().unwrap();
    assert_eq!(
        inspector.post(&format!("/api/v1/findings/{finding}/item"), json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let raised = office.post(&format!("/api/v1/findings/{finding}/item"), json!({})).await;
    assert_eq!(raised.status, StatusCode::OK, "{}", raised.text());
    let item = raised.json()["item_id"].as_i64().unwrap();
    let item = office.get(&format!("/api/v1/items/{item}")).await.json();
    assert_eq!((item["source"].as_str(), item["state"].as_str()), (Some("helping"), Some("registered")));
    assert_eq!(item["responsible_unit"]["code"], "JJ-ZJJ", "{item}");
    assert_eq!(office.post(&format!("/api/v1/findings/{finding}/item"), json!({})).await.code(), "finding_decided");

    // The report: counts as recorded, suggestions editable until issued, then frozen.
    let report = format!("/api/v1/rounds/{round}/report");
    let r = office.get(&report).await.json();
    assert_eq!(
        (r["counts"]["findings"].as_i64(), r["counts"]["solved"].as_i64(), r["counts"]["items"].as_i64()),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(
        inspector
            .send(
                Method::PUT,
                &report,
                Some("application/json"),
                json!({"suggestions": "x"}).to_string().into_bytes(),
                &[]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let saved = office
        .send(
            Method::PUT,
            &report,
            Some("application/json"),
            json!({"suggestions": "一、加快征迁\n二、每周调度"}).to_string().into_bytes(),
            &[],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
    let issued = office.post(&format!("{report}/issue"), json!({})).await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.text());
    assert!(issued.json()["issued_at"].is_string());
    let again = office
        .send(
            Method::PUT,
            &report,
            Some("application/json"),
            json!({"suggestions": "改"}).to_string().into_bytes(),
            &[],
        )
        .await;
    assert_eq!(again.code(), "report_issued");
    // A finding recorded after issue changes the record, not the issued report.
    let late =
        inspector.post(&format!("/api/v1/targets/{target}/findings"), json!({"description": "补充：资料不全"})).await;
    assert_eq!(late.status, StatusCode::CREATED);
    assert_eq!(office.get(&report).await.json()["counts"]["findings"], 2);
    // The leader reads it, and the DOCX names the 公文 fonts and holds the text.
    let mut leader = app.signed_in("leader").await;
    assert_eq!(leader.get(&report).await.json()["suggestions"], "一、加快征迁\n二、每周调度");
    let docx = leader.get(&format!("{report}.docx")).await;
    assert_eq!(docx.status, StatusCode::OK);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx.body.clone())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    for text in [
        "抓项目第一批帮督报告",
        "方正小标宋简体",
        "仿宋_GB2312",
        "一、基本情况",
        "三、工作建议",
        "二、每周调度",
        "当场协调解决",
    ] {
        assert!(xml.contains(text), "{text} not in the DOCX");
    }
    assert!(!xml.contains("补充：资料不全"), "the issued report changed");
    // The photo is the team's and the office's to see, not the liaison's.
    let photo_url = listed[0]["photos"][0]["url"].as_str().unwrap().to_string();
    let mut office_page = sign_in_page(&app, "office").await;
    assert_eq!(office_page.get(&photo_url).await.body, photo);
    let mut unit_page = sign_in_page(&app, "unit").await;
    assert_eq!(unit_page.get(&photo_url).await.status, StatusCode::FORBIDDEN);
}
