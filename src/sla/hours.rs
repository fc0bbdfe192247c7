//! An account's business hours and how much working time lies between two instants.
//! Shifts are computed in the account's own time zone and turned into real instants, so a
//! shift across a DST change is as long as it really was (23 h on a spring-forward day).

use jiff::civil::{Date, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::Timestamp;

use crate::model::Millis;

/// The working shifts of an account. A shift belongs to the day it starts on: `days` and
/// `holidays` name start days, and a shift whose close is not after its open runs past
/// midnight (`22:00`–`06:00`; `00:00`–`00:00` is the whole day).
#[derive(Debug, Clone, PartialEq)]
pub struct Hours {
    pub tz: TimeZone,
    /// Monday first.
    pub days: [bool; 7],
    pub open: Time,
    pub close: Time,
    /// Sorted, for a binary search.
    pub holidays: Vec<Date>,
}

/// A stretch of real time, `[start, end)` in ms since the epoch.
pub type Span = (Millis, Millis);

/// Looking further than this for the next shift means there is none (no working days).
const MAX_DAYS: i32 = 3 * 366;

impl Hours {
    fn works_on(&self, d: Date) -> bool {
        self.days[d.weekday().to_monday_zero_offset() as usize]
            && self.holidays.binary_search(&d).is_err()
    }

    /// The shift starting on `d`, as real instants. A wall time that a DST gap skips is
    /// read as the end of the gap (the clocks jump from 02:00 to 03:00: an opening at 02:30
    /// opens at 03:00, as the team already is at work); a repeated one as its first time.
    fn shift(&self, d: Date) -> Option<Span> {
        let end_day = if self.close <= self.open {
            d.tomorrow().ok()?
        } else {
            d
        };
        let at = |day: Date, t: Time| {
            let amb = self.tz.to_ambiguous_timestamp(day.to_datetime(t));
            let gap = matches!(amb.offset(), AmbiguousOffset::Gap { .. });
            let ts = amb.compatible().ok()?;
            let ts = if gap {
                self.tz.preceding(ts).next()?.timestamp()
            } else {
                ts
            };
            Some(ts.as_millisecond())
        };
        Some((at(d, self.open)?, at(end_day, self.close)?))
    }

    fn date_of(&self, ms: Millis) -> Option<Date> {
        let ts = Timestamp::from_millisecond(ms).ok()?;
        Some(self.tz.to_datetime(ts).date())
    }

    /// Shifts that end after `from`, in order, clipped to start no earlier than `from`.
    pub fn shifts_from(&self, from: Millis) -> impl Iterator<Item = Span> + '_ {
        // Yesterday's shift may still be running past midnight.
        let first = self.date_of(from).and_then(|d| d.yesterday().ok());
        let mut day = first;
        let mut seen = 0;
        std::iter::from_fn(move || loop {
            let d = day?;
            if seen > MAX_DAYS {
                return None;
            }
            seen += 1;
            day = d.tomorrow().ok();
            if !self.works_on(d) {
                continue;
            }
            match self.shift(d) {
                Some((s, e)) if e > from => return Some((s.max(from), e)),
                _ => continue,
            }
        })
    }
}

/// Working stretches from `from` on: the account's shifts, or all time when it has none.
pub fn working_from(hours: Option<&Hours>, from: Millis) -> Box<dyn Iterator<Item = Span> + '_> {
    match hours {
        Some(h) => Box::new(h.shifts_from(from)),
        None => Box::new(std::iter::once((from, Millis::MAX))),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn ms(s: &str, tz: &str) -> Millis {
        let dt: jiff::civil::DateTime = s.parse().unwrap();
        TimeZone::get(tz)
            .unwrap()
            .to_timestamp(dt)
            .unwrap()
            .as_millisecond()
    }

    pub fn hours(tz: &str, days: &str, open: &str, close: &str, holidays: &[&str]) -> Hours {
        let mut d = [false; 7];
        for c in days.split(',') {
            d[["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
                .iter()
                .position(|x| *x == c)
                .unwrap()] = true;
        }
        let mut holidays: Vec<Date> = holidays.iter().map(|h| h.parse().unwrap()).collect();
        holidays.sort();
        Hours {
            tz: TimeZone::get(tz).unwrap(),
            days: d,
            open: open.parse().unwrap(),
            close: close.parse().unwrap(),
            holidays,
        }
    }

    #[test]
    fn a_night_shift_runs_past_midnight_and_belongs_to_its_start_day() {
        let tz = "Europe/Warsaw";
        // Mon–Fri nights; Friday's shift ends Saturday 06:00, none starts on Saturday.
        let h = hours(tz, "mon,tue,wed,thu,fri", "22:00", "06:00", &[]);
        // 2026-12-05 is a Saturday, 03:00: inside Friday's shift.
        let from = ms("2026-12-05T03:00", tz);
        let mut it = h.shifts_from(from);
        assert_eq!(it.next(), Some((from, ms("2026-12-05T06:00", tz))));
        // Next is Monday 22:00 (no shift starts on Saturday or Sunday).
        assert_eq!(
            it.next(),
            Some((ms("2026-12-07T22:00", tz), ms("2026-12-08T06:00", tz)))
        );
    }
}
