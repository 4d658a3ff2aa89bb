//! The Open311 read target, on a database of appeals made by `bangdu generate appeals`:
//! `GET /open311/v2/requests.json?service_code=…&start_date=…&end_date=…` — a random category and
//! a random 30-day window inside the data — 100 requests a page, no sign-in (as Open311 clients
//! read), from many clients at once.

use super::{Figure, load, ms, report};
use bangdu_store::Db;
use bangdu_store::appeals::categories;
use chrono::Duration;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::sync::Arc;

pub async fn requests(
    db: &Db,
    http: &reqwest::Client,
    base: &str,
    clients: usize,
    seconds: u64,
    figures: &mut Vec<Figure>,
) -> anyhow::Result<()> {
    let (newest, codes, total) = {
        let mut reader = db.reader().await?;
        let mut c = reader.conn();
        let newest = bangdu_store::generate::appeals::newest(&mut c)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no appeals stored: run `bangdu generate appeals` first"))?;
        let codes: Vec<String> = categories::list(&mut c, &bangdu_store::Actor::public(), false)
            .await?
            .into_iter()
            .map(|c| c.code.clone())
            .collect();
        (newest, codes, bangdu_store::generate::appeals::count(&mut c).await?)
    };
    // Windows end anywhere in the last year of data (older ones when the data spans less).
    let span_days = 365;
    println!("open311: {total} appeals stored, newest received {newest}; {} services", codes.len());
    let first = http
        .get(format!(
            "{base}/open311/v2/requests.json?service_code={}&start_date={}&end_date={}",
            codes[0],
            urlencode(&(newest - Duration::days(30)).to_rfc3339()),
            urlencode(&newest.to_rfc3339())
        ))
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    let first: serde_json::Value = serde_json::from_slice(&first)?;
    println!("  one request answers {} requests", first.as_array().map(Vec::len).unwrap_or(0));
    let codes = Arc::new(codes);
    let (http, base) = (http.clone(), base.to_string());
    let sample = load::run(
        clients,
        std::time::Duration::from_secs(3),
        std::time::Duration::from_secs(seconds),
        move |client, n| {
            let (http, base, codes) = (http.clone(), base.clone(), codes.clone());
            async move {
                let mut rng = StdRng::seed_from_u64((client as u64) << 32 | n);
                let code = codes.choose(&mut rng).ok_or("no services")?;
                let end = newest - Duration::hours(rng.random_range(0..span_days * 24));
                let start = end - Duration::days(30);
                let url = format!(
                    "{base}/open311/v2/requests.json?service_code={code}&start_date={}&end_date={}",
                    urlencode(&start.to_rfc3339()),
                    urlencode(&end.to_rfc3339())
                );
                super::check(http.get(url).send().await).await.map(|()| 0)
            }
        },
    )
    .await;
    report("open311", &sample);
    figures.push(Figure {
        name: "Open311 GET p99",
        value: ms(sample.quantile(0.99)),
        unit: "ms",
        target: 50.0,
        lower_is_better: true,
    });
    Ok(())
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
