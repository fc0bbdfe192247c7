//! `--since 24h`, `--from … --to …`: the window the figures cover. Pure: the clock and the
//! time zone are given.

use super::Window;
use crate::model::Millis;

/// `since` ("24h", "90m", "7d"); or `from` and `to` (RFC 3339, or `YYYY-MM-DD[ HH:MM]` on
/// the given clock; `to` defaults to now). Neither: the last 24 hours.
pub fn parse(
    since: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    now: Millis,
    tz: &jiff::tz::TimeZone,
) -> Result<Window, String> {
    if since.is_some() && (from.is_some() || to.is_some()) {
        return Err("give --since, or --from and --to, not both".into());
    }
    let w = match (since, from) {
        (Some(s), _) => {
            let d = crate::app::queue::parse_duration(s)
                .ok_or_else(|| format!("--since {s}: not a duration (24h, 90m, 7d)"))?;
            Window {
                from: now - d,
                to: now,
            }
        }
        (None, Some(f)) => Window {
            from: instant(f, tz).map_err(|e| format!("--from {f}: {e}"))?,
            to: match to {
                Some(t) => instant(t, tz).map_err(|e| format!("--to {t}: {e}"))?,
                None => now,
            },
        },
        (None, None) if to.is_some() => return Err("--to needs --from".into()),
        (None, None) => Window {
            from: now - 24 * 3_600_000,
            to: now,
        },
    };
    if w.from >= w.to {
        return Err("the window ends before it starts".into());
    }
    Ok(w)
}

/// RFC 3339 (`2026-12-07T22:00:00Z`), or a date and time on `tz` (`2026-12-07 22:00`,
/// `2026-12-07T22:00`, `2026-12-07`: its midnight).
pub fn instant(s: &str, tz: &jiff::tz::TimeZone) -> Result<Millis, String> {
    let s = s.trim();
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Ok(t.as_millisecond());
    }
    let civil = s
        .replacen(' ', "T", 1)
        .parse::<jiff::civil::DateTime>()
        .or_else(|_| {
            s.parse::<jiff::civil::Date>()
                .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
        })
        .map_err(|_| "not a time (2026-12-07 22:00, or RFC 3339)".to_string())?;
    tz.to_timestamp(civil)
        .map(|t| t.as_millisecond())
        .map_err(|e| e.to_string())
}

/// `2026-12-07 22:00` on `tz`.
pub fn format(at: Millis, tz: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::from_millisecond(at)
        .map(|t| tz.to_datetime(t).strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| at.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_from_the_command_line() {
        let utc = jiff::tz::TimeZone::UTC;
        let now = instant("2026-12-08T02:00:00Z", &utc).unwrap();
        let w = parse(Some("8h"), None, None, now, &utc).unwrap();
        assert_eq!(w.to - w.from, 8 * 3_600_000);
        let w = parse(
            None,
            Some("2026-12-07 22:00"),
            Some("2026-12-08"),
            now,
            &utc,
        )
        .unwrap();
        assert_eq!(format(w.from, &utc), "2026-12-07 22:00");
        assert_eq!(format(w.to, &utc), "2026-12-08 00:00");
        assert_eq!(
            parse(None, None, None, now, &utc).unwrap().from,
            now - 86_400_000
        );
        assert!(parse(Some("soon"), None, None, now, &utc).is_err());
        assert!(parse(Some("1h"), Some("2026-12-07"), None, now, &utc).is_err());
        assert!(parse(None, Some("2026-12-09"), None, now, &utc).is_err());
    }
}
