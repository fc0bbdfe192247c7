//! What every network adapter shares: how an HTTP answer is classified (try again later,
//! credentials refused, refused for good) and timestamps as the networks write them.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::Deserialize;

use crate::model::Millis;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetError {
    /// Worth trying again (network error, 408, 429, 5xx). `after`: what the server asked for.
    /// `ambiguous`: the request may have taken effect even though no answer said so.
    #[error("{reason}")]
    Retry {
        reason: String,
        after: Option<Duration>,
        ambiguous: bool,
    },
    /// The token or password is refused: nothing will work until the account is fixed.
    #[error("{0}")]
    Auth(String),
    /// Refused for good, with the server's reason (422 and other 4xx).
    #[error("{0}")]
    Rejected(String),
}

impl NetError {
    /// A transport failure: the request may or may not have reached the server.
    pub fn transport(e: &reqwest::Error) -> Self {
        let chain = source_chain(e);
        let what = if e.is_timeout() {
            "the server did not answer in time"
        } else if is_tls(&chain) {
            "TLS failed (is the address right? a proxy or a self-signed certificate?)"
        } else if e.is_connect() {
            "cannot connect (is the address right, is the network up?)"
        } else if e.is_decode() || e.is_body() {
            "the answer broke off"
        } else {
            "network error"
        };
        // Say which part failed without echoing the URL (it may carry a query with ids).
        NetError::Retry {
            reason: format!("{what}: {chain}"),
            after: None,
            // A connect error means nothing was sent.
            ambiguous: !e.is_connect(),
        }
    }
}

/// rustls words for a failed handshake (wrong port, plain HTTP, an untrusted certificate).
fn is_tls(chain: &str) -> bool {
    let c = chain.to_lowercase();
    [
        "certificate",
        "tls",
        "corrupt message",
        "handshake",
        "alert",
    ]
    .iter()
    .any(|w| c.contains(w))
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut last = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        last = s.to_string();
        cur = s.source();
    }
    last
}

/// Error bodies: Mastodon says `{"error": "..."}`, XRPC `{"error": "Name", "message": "..."}`.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// The server's own words for a failure, short and on one line.
pub fn server_reason(body: &str) -> Option<String> {
    let b: ErrorBody = serde_json::from_str(body).ok()?;
    let text = match (b.error, b.message) {
        (Some(e), Some(m)) => format!("{e}: {m}"),
        (Some(e), None) => e,
        (None, Some(m)) => m,
        (None, None) => return None,
    };
    Some(
        crate::sanitize::sanitize_line(&text)
            .chars()
            .take(200)
            .collect(),
    )
}

/// Classifies a failed answer. `now` is for turning a rate-limit reset time into a wait.
pub fn classify(status: StatusCode, headers: &HeaderMap, body: &str, now: Millis) -> NetError {
    let said = server_reason(body);
    let reason = |default: &str| said.clone().unwrap_or_else(|| default.to_string());
    let code = status.as_u16();
    match code {
        401 | 403 => NetError::Auth(format!(
            "{code}: {} — the token is refused: `modq account remove` it and add it again",
            reason("access refused")
        )),
        408 | 429 | 500..=599 => NetError::Retry {
            reason: format!(
                "{code}: {}",
                reason(status.canonical_reason().unwrap_or(""))
            ),
            after: wait_asked(headers, now),
            // A 5xx may come after the work was done (Bluesky answers a duplicate key so).
            ambiguous: code >= 500,
        },
        _ => NetError::Rejected(format!("{code}: {}", reason("refused"))),
    }
}

/// `Retry-After` (seconds or an HTTP date is not parsed: seconds is what both networks send),
/// else the rate-limit reset when nothing remains.
pub fn wait_asked(headers: &HeaderMap, now: Millis) -> Option<Duration> {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(s) = get("retry-after").and_then(|v| v.trim().parse::<u64>().ok()) {
        return Some(Duration::from_secs(s));
    }
    rate_limit_wait(
        get("x-ratelimit-remaining"),
        get("x-ratelimit-reset").or_else(|| get("ratelimit-reset")),
        now,
    )
}

/// When the budget is spent, wait for the reset (an RFC 3339 time or epoch seconds).
pub fn rate_limit_wait(
    remaining: Option<&str>,
    reset: Option<&str>,
    now: Millis,
) -> Option<Duration> {
    let remaining: i64 = remaining?.trim().parse().ok()?;
    if remaining > 0 {
        return None;
    }
    let reset = reset?.trim();
    let at = parse_time(reset).or_else(|| reset.parse::<i64>().ok().map(|s| s * 1000))?;
    Some(Duration::from_millis((at - now).max(0) as u64))
}

/// RFC 3339 (`2022-08-30T23:09:54.070Z`, `+02:00` offsets) to epoch milliseconds.
pub fn parse_time(s: &str) -> Option<Millis> {
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut rest = &s[19..];
    let mut ms = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        let first3: String = frac[..digits]
            .chars()
            .chain("000".chars())
            .take(3)
            .collect();
        ms = first3.parse::<i64>().ok()?;
        rest = &frac[digits..];
    }
    let offset_min = match rest {
        "Z" | "z" | "" => 0,
        o if o.len() == 6 && (o.starts_with('+') || o.starts_with('-')) => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            sign * (o[1..3].parse::<i64>().ok()? * 60 + o[4..6].parse::<i64>().ok()?)
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    Some(((days * 86_400 + h * 3600 + mi * 60 + se - offset_min * 60) * 1000) + ms)
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Epoch milliseconds as RFC 3339 UTC, for records we write (Bluesky `createdAt`).
pub fn format_time(t: Millis) -> String {
    let days = t.div_euclid(86_400_000);
    let ms_of_day = t.rem_euclid(86_400_000);
    // Inverse of days_from_civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let (h, mi, s, ms) = (
        ms_of_day / 3_600_000,
        ms_of_day / 60_000 % 60,
        ms_of_day / 1000 % 60,
        ms_of_day % 1000,
    );
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
}

/// A token or password. Never printed: `Debug` hides it, and the header it goes into is
/// marked sensitive so HTTP logging leaves it out.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl Secret {
    pub fn bearer(&self) -> reqwest::header::HeaderValue {
        let mut v = reqwest::header::HeaderValue::from_str(&format!("Bearer {}", self.0.trim()))
            .unwrap_or_else(|_| reqwest::header::HeaderValue::from_static("Bearer invalid"));
        v.set_sensitive(true);
        v
    }
}

/// One HTTP client per account that remembers when the server said to slow down
/// (rate-limit reset), so the next request waits instead of being refused.
#[derive(Debug)]
pub struct Http {
    pub client: reqwest::Client,
    pause_until: std::sync::Mutex<Option<tokio::time::Instant>>,
}

impl Http {
    pub fn new(timeout: Duration) -> Self {
        let client = reqwest::Client::builder()
            .user_agent(concat!("modq/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .read_timeout(timeout)
            .build()
            .unwrap_or_default();
        Self {
            client,
            pause_until: std::sync::Mutex::new(None),
        }
    }

    /// Sends and reads the body as JSON. Failures are classified; an unreadable success body
    /// is ambiguous (a POST may have worked).
    pub async fn json<T: serde::de::DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<(T, HeaderMap), NetError> {
        let (body, headers) = self.text(req).await?;
        serde_json::from_str(&body)
            .map(|t| (t, headers))
            .map_err(|e| NetError::Retry {
                reason: format!("unreadable answer from the server: {e}"),
                after: None,
                ambiguous: true,
            })
    }

    /// Sends; a success gives the body text.
    pub async fn text(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<(String, HeaderMap), NetError> {
        let wait = *self.pause_until.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(until) = wait {
            tokio::time::sleep_until(until).await;
        }
        let resp = req.send().await.map_err(|e| NetError::transport(&e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.text().await.map_err(|e| NetError::transport(&e))?;
        let now = crate::model::now_millis();
        let pause = if status.is_success() {
            let get = |n: &str| headers.get(n).and_then(|v| v.to_str().ok());
            rate_limit_wait(get("x-ratelimit-remaining"), get("x-ratelimit-reset"), now)
        } else if status == StatusCode::TOO_MANY_REQUESTS {
            // Every caller on this account waits, not only the one that was told.
            wait_asked(&headers, now)
        } else {
            None
        };
        *self.pause_until.lock().unwrap_or_else(|e| e.into_inner()) =
            pause.map(|d| tokio::time::Instant::now() + d.min(Duration::from_secs(900)));
        if status.is_success() {
            Ok((body, headers))
        } else {
            Err(classify(status, &headers, &body, now))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip() {
        let t = parse_time("2022-08-30T23:09:54.070Z").unwrap();
        assert_eq!(t, 1_661_900_994_070);
        assert_eq!(format_time(t), "2022-08-30T23:09:54.070Z");
        assert_eq!(parse_time("1970-01-01T00:00:00.000Z"), Some(0));
        assert_eq!(
            parse_time("2023-08-07T05:49:40.501974Z"),
            parse_time("2023-08-07T07:49:40.501+02:00")
        );
        assert_eq!(parse_time("2024-02-29T00:00:00Z"), Some(1_709_164_800_000));
        for bad in [
            "",
            "yesterday",
            "2022-13-01T00:00:00Z",
            "2022-08-30T23:09:54.070Q",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn classifies_answers() {
        let mut h = HeaderMap::new();
        let e = classify(
            StatusCode::UNPROCESSABLE_ENTITY,
            &h,
            r#"{"error": "Validation failed: Text can't be blank"}"#,
            0,
        );
        assert_eq!(
            e,
            NetError::Rejected("422: Validation failed: Text can't be blank".into())
        );
        assert!(matches!(
            classify(StatusCode::UNAUTHORIZED, &h, r#"{"error":"The access token is invalid"}"#, 0),
            NetError::Auth(m) if m.contains("The access token is invalid")
        ));
        h.insert("retry-after", "7".parse().unwrap());
        assert!(matches!(
            classify(StatusCode::TOO_MANY_REQUESTS, &h, "not json", 0),
            NetError::Retry { after: Some(d), ambiguous: false, .. } if d == Duration::from_secs(7)
        ));
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-remaining", "0".parse().unwrap());
        h.insert(
            "x-ratelimit-reset",
            "1970-01-01T00:01:00.000Z".parse().unwrap(),
        );
        assert_eq!(wait_asked(&h, 30_000), Some(Duration::from_secs(30)));
        h.insert("x-ratelimit-remaining", "12".parse().unwrap());
        assert_eq!(wait_asked(&h, 30_000), None);
    }

    #[test]
    fn hostile_reasons_are_cleaned() {
        let r = server_reason("{\"error\":\"bad\\u001b[2J\\u202e thing\"}").unwrap();
        assert!(crate::sanitize::is_display_safe(&r), "{r:?}");
    }
}
