//! Where a mention stands against its first-response target: working time used, what is
//! left, the deadline, breached or not. Pure: the clock and the pauses are given.

use super::hours::{Hours, Span};
use crate::model::Millis;

/// A stretch in which the clock stops (snoozed, waiting for the customer). `end` is
/// `Millis::MAX` while it has no known end.
pub type Pause = Span;

/// A mention against its target. A mention is breached once the working time it has
/// waited reaches the target: at exactly the target it is breached, as any answer sent
/// from that instant on arrives late.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub target: Millis,
    /// Working time waited so far (pauses and closed hours left out).
    pub used: Millis,
    /// Working time left; negative when overdue, by that much working time.
    pub left: Millis,
    /// The instant the target is reached if no new pause comes; `None` when no working
    /// time lies ahead (paused without end).
    pub deadline: Option<Millis>,
    pub breached: bool,
}

/// Sorted, merged pauses that end after `from`.
fn merged(pauses: &[Pause], from: Millis) -> Vec<Pause> {
    let mut p: Vec<Pause> = pauses
        .iter()
        .copied()
        .filter(|&(s, e)| e > from && e > s)
        .collect();
    p.sort_unstable();
    let mut out: Vec<Pause> = Vec::with_capacity(p.len());
    for (s, e) in p {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Calls `visit` with each working stretch from `from` on, the pauses cut out, in order,
/// until it returns false. A loop rather than an iterator chain: the counters ask this of
/// every mention, so it allocates nothing.
fn counted(
    hours: Option<&Hours>,
    pauses: &[Pause],
    from: Millis,
    mut visit: impl FnMut(Span) -> bool,
) {
    // Nothing counts after a pause without end: stop looking there.
    let stop = pauses
        .iter()
        .find(|p| p.1 == Millis::MAX)
        .map_or(Millis::MAX, |p| p.0);
    let mut cut = |(mut s, e): Span| -> bool {
        for &(ps, pe) in pauses {
            if pe <= s || ps >= e {
                continue;
            }
            if ps > s && !visit((s, ps)) {
                return false;
            }
            s = s.max(pe);
        }
        s >= e || visit((s, e))
    };
    match hours {
        // Every minute counts: one stretch, no shift calendar to walk.
        None => {
            if from < stop {
                cut((from, Millis::MAX));
            }
        }
        Some(h) => {
            for span in h.shifts_from(from).take_while(|&(s, _)| s < stop) {
                if !cut(span) {
                    return;
                }
            }
        }
    }
}

/// `created` is when the mention was posted, `target` its working-time target, `hours` the
/// account's business hours (`None`: every minute counts).
pub fn clock(
    created: Millis,
    target: Millis,
    hours: Option<&Hours>,
    pauses: &[Pause],
    now: Millis,
) -> Clock {
    let mut used: Millis = 0;
    let mut need = target;
    let mut deadline = None;
    let mut visit = |(s, e): Span| {
        if s < now {
            used += e.min(now) - s;
        }
        if deadline.is_none() {
            let len = e.saturating_sub(s);
            if len >= need {
                deadline = Some(s + need);
            } else {
                need -= len;
            }
        }
        !(deadline.is_some() && e >= now)
    };
    if pauses.is_empty() {
        counted(hours, &[], created, &mut visit);
    } else {
        counted(hours, &merged(pauses, created), created, &mut visit);
    }
    Clock {
        target,
        used,
        left: target - used,
        deadline,
        breached: used >= target,
    }
}

#[cfg(test)]
mod tests {
    use super::super::hours::tests::{hours, ms};
    use super::*;

    const MIN: Millis = 60_000;

    #[test]
    fn without_hours_every_minute_counts_and_exactly_the_target_is_a_breach() {
        let t0 = 1_000_000;
        let c = clock(t0, 15 * MIN, None, &[], t0 + 15 * MIN - 1);
        assert!(!c.breached);
        assert_eq!(c.left, 1);
        assert_eq!(c.deadline, Some(t0 + 15 * MIN));
        let c = clock(t0, 15 * MIN, None, &[], t0 + 15 * MIN);
        assert!(c.breached, "at exactly the target");
        assert_eq!(c.left, 0);
        let c = clock(t0, 15 * MIN, None, &[], t0 + 20 * MIN);
        assert_eq!(c.left, -5 * MIN);
    }

    #[test]
    fn a_target_pauses_while_snoozed_and_while_waiting() {
        let t0 = 0;
        // 5 min open, snoozed 10 min, 5 min open, waiting for the customer 1 h, open again.
        let pauses = [(5 * MIN, 15 * MIN), (20 * MIN, 80 * MIN)];
        let c = clock(t0, 15 * MIN, None, &pauses, 85 * MIN);
        assert_eq!(c.used, 15 * MIN);
        assert!(c.breached);
        assert_eq!(c.deadline, Some(85 * MIN));
        let c = clock(t0, 15 * MIN, None, &pauses, 84 * MIN);
        assert!(!c.breached);
        assert_eq!(c.left, MIN);
        // Still waiting, no end known: no deadline, the clock stands still.
        let open = [(5 * MIN, Millis::MAX)];
        let c = clock(t0, 15 * MIN, None, &open, 500 * MIN);
        assert_eq!((c.used, c.deadline, c.breached), (5 * MIN, None, false));
    }

    #[test]
    fn overlapping_pauses_count_once() {
        let pauses = [(10 * MIN, 30 * MIN), (20 * MIN, 40 * MIN), (0, 0)];
        let c = clock(0, 30 * MIN, None, &pauses, 45 * MIN);
        assert_eq!(c.used, 15 * MIN);
        assert_eq!(c.deadline, Some(60 * MIN));
    }

    #[test]
    fn only_working_minutes_count_across_midnight_and_the_week_end() {
        let tz = "America/New_York";
        let h = hours(tz, "mon,tue,wed,thu,fri", "20:00", "02:00", &[]);
        // Friday 2026-12-04 01:50, inside Thursday's night shift: 10 min left of it,
        // then nothing until Monday 20:00 (no shift starts on the week-end).
        let created = ms("2026-12-04T01:50", tz);
        let c = clock(created, 30 * MIN, Some(&h), &[], ms("2026-12-04T02:00", tz));
        assert_eq!(c.used, 10 * MIN);
        assert_eq!(c.deadline, Some(ms("2026-12-04T20:20", tz)));
        // Saturday noon: Friday night's shift (20:00–02:00) came and went.
        let c = clock(created, 30 * MIN, Some(&h), &[], ms("2026-12-05T12:00", tz));
        assert!(c.breached);
        assert_eq!(c.used, 6 * 60 * MIN + 10 * MIN);
        // A mention posted Saturday waits for Monday 20:00.
        let sat = ms("2026-12-05T09:00", tz);
        let c = clock(sat, 30 * MIN, Some(&h), &[], ms("2026-12-07T19:59", tz));
        assert_eq!((c.used, c.breached), (0, false));
        assert_eq!(c.deadline, Some(ms("2026-12-07T20:30", tz)));
    }

    #[test]
    fn holidays_do_not_count() {
        let tz = "Europe/Warsaw";
        let h = hours(
            tz,
            "mon,tue,wed,thu,fri",
            "08:00",
            "16:00",
            &["2026-12-24", "2026-12-25"],
        );
        // Wednesday 23 Dec 15:50: 10 min today, then Monday 28th from 08:00.
        let created = ms("2026-12-23T15:50", tz);
        let c = clock(created, 30 * MIN, Some(&h), &[], ms("2026-12-25T12:00", tz));
        assert_eq!((c.used, c.breached), (10 * MIN, false));
        assert_eq!(c.deadline, Some(ms("2026-12-28T08:20", tz)));
    }

    #[test]
    fn spring_forward_counts_the_real_minutes_in_warsaw_and_new_york() {
        // Warsaw: 2026-03-29 02:00 → 03:00. A night shift 00:00–06:00 is 5 real hours.
        let tz = "Europe/Warsaw";
        let h = hours(tz, "sun", "00:00", "06:00", &[]);
        let created = ms("2026-03-29T01:30", tz);
        let c = clock(created, 60 * MIN, Some(&h), &[], ms("2026-03-29T03:15", tz));
        // 01:30–02:00 then 03:00–03:15 on the clock: 45 real minutes.
        assert_eq!(c.used, 45 * MIN);
        assert_eq!(c.deadline, Some(ms("2026-03-29T03:30", tz)));
        // New York: 2026-03-08 02:00 → 03:00; a shift opening in the gap opens at 03:00.
        let tz = "America/New_York";
        let h = hours(tz, "sun", "02:30", "08:00", &[]);
        let created = ms("2026-03-08T01:00", tz);
        let c = clock(created, 30 * MIN, Some(&h), &[], ms("2026-03-08T03:29", tz));
        assert_eq!((c.used, c.breached), (29 * MIN, false));
        let c = clock(created, 30 * MIN, Some(&h), &[], ms("2026-03-08T03:30", tz));
        assert!(c.breached);
    }

    #[test]
    fn fall_back_counts_the_repeated_hour_in_warsaw_and_new_york() {
        for (tz, day) in [
            ("Europe/Warsaw", "2026-10-25"),
            ("America/New_York", "2026-11-01"),
        ] {
            let h = hours(tz, "sun", "00:00", "06:00", &[]);
            // 00:00–06:00 on the day clocks go back is 7 real hours.
            let open = ms(&format!("{day}T00:00"), tz);
            let close = ms(&format!("{day}T06:00"), tz);
            assert_eq!(close - open, 7 * 60 * MIN, "{tz}");
            let c = clock(open, 8 * 60 * MIN, Some(&h), &[], close);
            assert_eq!((c.used, c.breached), (7 * 60 * MIN, false), "{tz}");
            let c = clock(open, 7 * 60 * MIN, Some(&h), &[], close);
            assert!(c.breached, "{tz}");
            assert_eq!(c.deadline, Some(close), "{tz}");
        }
    }

    #[test]
    fn pauses_and_business_hours_together() {
        let tz = "Europe/Warsaw";
        let h = hours(tz, "mon,tue,wed,thu,fri", "08:00", "16:00", &[]);
        let created = ms("2026-12-07T09:00", tz);
        // Snoozed 09:10–11:00: the 30-min target is reached at 11:20.
        let snooze = [(ms("2026-12-07T09:10", tz), ms("2026-12-07T11:00", tz))];
        let c = clock(
            created,
            30 * MIN,
            Some(&h),
            &snooze,
            ms("2026-12-07T11:19", tz),
        );
        assert_eq!(c.left, MIN);
        assert_eq!(c.deadline, Some(ms("2026-12-07T11:20", tz)));
    }
}
