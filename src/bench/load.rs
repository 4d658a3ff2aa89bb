//! A closed-loop load: N clients, each sending its next request as soon as the last one answered,
//! for a fixed time after a warm-up; every answer's latency is kept and summarised.

use std::future::Future;
use std::time::{Duration, Instant};

pub struct Sample {
    /// Latencies of the requests answered after the warm-up, sorted.
    pub latencies: Vec<Duration>,
    /// The same answers with the tag each request returned (what kind of request it was).
    pub tagged: Vec<(u8, Duration)>,
    pub errors: u64,
    pub first_error: Option<String>,
    pub elapsed: Duration,
}

impl Sample {
    /// The q-quantile (0 < q ≤ 1) by the nearest-rank method.
    pub fn quantile(&self, q: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((q * self.latencies.len() as f64).ceil() as usize).clamp(1, self.latencies.len());
        self.latencies[rank - 1]
    }

    /// The answers of one tag, with the same elapsed time.
    pub fn tagged(&self, tag: u8) -> Sample {
        let mut latencies: Vec<Duration> = self.tagged.iter().filter(|(t, _)| *t == tag).map(|(_, d)| *d).collect();
        latencies.sort_unstable();
        Sample { latencies, tagged: Vec::new(), errors: 0, first_error: None, elapsed: self.elapsed }
    }

    pub fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn line(&self) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "{} requests, {:.0}/s; p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {} errors",
            self.latencies.len(),
            self.per_second(),
            ms(self.quantile(0.50)),
            ms(self.quantile(0.95)),
            ms(self.quantile(0.99)),
            ms(self.latencies.last().copied().unwrap_or_default()),
            self.errors
        )
    }
}

/// Runs `clients` loops of `request(client, n)` for `warmup + measure`; a request answers its tag.
pub async fn run<F, Fut>(clients: usize, warmup: Duration, measure: Duration, request: F) -> Sample
where
    F: Fn(usize, u64) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<u8, String>> + Send,
{
    let start = Instant::now();
    let measure_from = start + warmup;
    let stop = measure_from + measure;
    let mut tasks = Vec::new();
    for client in 0..clients {
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            let mut first_error = None;
            let mut n = 0u64;
            while Instant::now() < stop {
                let sent = Instant::now();
                let result = request(client, n).await;
                let took = sent.elapsed();
                n += 1;
                if sent < measure_from {
                    continue;
                }
                match result {
                    Ok(tag) => latencies.push((tag, took)),
                    Err(e) => {
                        errors += 1;
                        first_error.get_or_insert(e);
                    }
                }
            }
            (latencies, errors, first_error)
        }));
    }
    let mut sample =
        Sample { latencies: Vec::new(), tagged: Vec::new(), errors: 0, first_error: None, elapsed: Duration::ZERO };
    for task in tasks {
        if let Ok((latencies, errors, first_error)) = task.await {
            sample.tagged.extend(latencies);
            sample.errors += errors;
            if sample.first_error.is_none() {
                sample.first_error = first_error;
            }
        }
    }
    sample.elapsed = stop.saturating_duration_since(measure_from).min(Instant::now() - measure_from);
    sample.latencies = sample.tagged.iter().map(|(_, d)| *d).collect();
    sample.latencies.sort_unstable();
    sample
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_quantiles() {
        let latencies = (1..=100).map(Duration::from_millis).collect();
        let s = Sample { latencies, tagged: Vec::new(), errors: 0, first_error: None, elapsed: Duration::from_secs(2) };
        assert_eq!(s.quantile(0.5), Duration::from_millis(50));
        assert_eq!(s.quantile(0.99), Duration::from_millis(99));
        assert_eq!(s.quantile(1.0), Duration::from_millis(100));
        assert_eq!(s.per_second(), 50.0);
    }
}
