//! Out of hours: when the team is back and how soon it usually answers after opening, in the
//! customer's language. Pure: the clock, the hours and the backlog are given.

use jiff::Timestamp;

use crate::model::Millis;
use crate::sla::Hours;

/// Minutes from opening to the first answer with nothing waiting.
const BASE_MIN: i64 = 10;
/// Minutes each mention already open adds: the team answers them first.
const PER_OPEN_MIN: i64 = 2;

/// When the team is back and within how many minutes of opening it usually answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    /// The next shift's opening (a real instant).
    pub back_at: Millis,
    pub within_min: i64,
}

/// None while the account is working (in a shift at `now`).
pub fn expected(hours: &Hours, now: Millis, open_backlog: usize) -> Option<Expected> {
    let (start, end) = hours.shifts_from(now).next()?;
    if start <= now {
        return None;
    }
    let raw = BASE_MIN + PER_OPEN_MIN * open_backlog as i64;
    // Rounded up to five minutes, and never past the end of that shift.
    let shift_min = ((end - start) / 60_000).max(5);
    let within = (((raw + 4) / 5) * 5).min(shift_min);
    Some(Expected {
        back_at: start,
        within_min: within,
    })
}

/// The languages the sentence is written in; others get English.
pub const LANGS: &[&str] = &["en", "pl", "ru", "tr", "bg"];

/// "we are back tomorrow at 8:00 and usually answer within 40 minutes of opening." in
/// `lang`, with the day said relative to `now` in the account's time zone.
pub fn sentence(hours: &Hours, now: Millis, e: Expected, lang: &str) -> String {
    let at = |ms: Millis| {
        Timestamp::from_millisecond(ms)
            .map(|t| hours.tz.to_datetime(t))
            .unwrap_or_default()
    };
    let (today, back) = (at(now).date(), at(e.back_at));
    let days = (back.date() - today).get_days();
    let time = format!("{}:{:02}", back.hour(), back.minute());
    let weekday = back.date().weekday().to_monday_zero_offset() as usize;
    let date = format!("{:02}.{:02}.{}", back.day(), back.month(), back.year());
    let n = e.within_min;
    match lang {
        "pl" => {
            const DAYS: [&str; 7] = [
                "w poniedziałek",
                "we wtorek",
                "w środę",
                "w czwartek",
                "w piątek",
                "w sobotę",
                "w niedzielę",
            ];
            let day = relative(days, "jutro ", DAYS[weekday], &format!("dnia {date}"));
            let minutes = if n == 1 { "minuty" } else { "minut" };
            format!("wracamy {day}o {time} i zwykle odpowiadamy w ciągu {n} {minutes} od otwarcia.")
        }
        "ru" => {
            const DAYS: [&str; 7] = [
                "в понедельник",
                "во вторник",
                "в среду",
                "в четверг",
                "в пятницу",
                "в субботу",
                "в воскресенье",
            ];
            let day = relative(days, "завтра ", DAYS[weekday], &date);
            let minutes = if n % 10 == 1 && n % 100 != 11 {
                "минуты"
            } else {
                "минут"
            };
            format!(
                "мы вернёмся {day}в {time} и обычно отвечаем в течение {n} {minutes} после начала работы."
            )
        }
        "tr" => {
            const DAYS: [&str; 7] = [
                "pazartesi",
                "salı",
                "çarşamba",
                "perşembe",
                "cuma",
                "cumartesi",
                "pazar",
            ];
            let day = relative(days, "yarın ", DAYS[weekday], &format!("{date} tarihinde"));
            format!(
                "{day}saat {time} itibarıyla yeniden buradayız ve genellikle açılıştan sonraki {n} dakika içinde yanıt veriyoruz."
            )
        }
        "bg" => {
            const DAYS: [&str; 7] = [
                "в понеделник",
                "във вторник",
                "в сряда",
                "в четвъртък",
                "в петък",
                "в събота",
                "в неделя",
            ];
            let day = relative(days, "утре ", DAYS[weekday], &format!("на {date}"));
            let minutes = if n == 1 {
                "минута"
            } else {
                "минути"
            };
            format!(
                "връщаме се {day}в {time} ч. и обикновено отговаряме до {n} {minutes} след началото на работния ден."
            )
        }
        _ => {
            const DAYS: [&str; 7] = [
                "on Monday",
                "on Tuesday",
                "on Wednesday",
                "on Thursday",
                "on Friday",
                "on Saturday",
                "on Sunday",
            ];
            let on_date = format!(
                "on {} {} {}",
                back.day(),
                MONTHS[back.month() as usize - 1],
                back.year()
            );
            let day = relative(days, "tomorrow ", DAYS[weekday], &on_date);
            let minutes = if n == 1 { "minute" } else { "minutes" };
            format!(
                "we are back {day}at {time} and usually answer within {n} {minutes} of opening."
            )
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Nothing today, `tomorrow` the next day, the weekday within a week, else the date; each
/// but the first followed by a space.
fn relative(days: i32, tomorrow: &str, weekday: &str, date: &str) -> String {
    match days {
        i32::MIN..=0 => String::new(),
        1 => tomorrow.to_string(),
        2..=6 => format!("{weekday} "),
        _ => format!("{date} "),
    }
}
