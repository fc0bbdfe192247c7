//! Out of hours: the expected-answer sentence from the account's hours, holidays and open
//! backlog, on a set clock, in the five languages.

use modq::escalate::ooh::{expected, sentence, Expected};
use modq::model::Millis;
use modq::sla::{hours::Hours, HoursConfig};

const WARSAW: &str = "Europe/Warsaw";

fn hours(days: &[&str], open: &str, close: &str, holidays: &[&str]) -> Hours {
    HoursConfig {
        time_zone: WARSAW.into(),
        days: days.iter().map(|d| d.to_string()).collect(),
        open: open.into(),
        close: close.into(),
        holidays: holidays.iter().map(|d| d.to_string()).collect(),
    }
    .resolve()
    .unwrap()
}

fn weekdays(open: &str, close: &str, holidays: &[&str]) -> Hours {
    hours(&["mon", "tue", "wed", "thu", "fri"], open, close, holidays)
}

/// A local wall time in Warsaw as an instant.
fn at(s: &str) -> Millis {
    let dt: jiff::civil::DateTime = s.parse().unwrap();
    jiff::tz::TimeZone::get(WARSAW)
        .unwrap()
        .to_timestamp(dt)
        .unwrap()
        .as_millisecond()
}

fn said(h: &Hours, now: &str, backlog: usize, lang: &str) -> String {
    let now = at(now);
    let e = expected(h, now, backlog).expect("out of hours");
    sentence(h, now, e, lang)
}

#[test]
fn in_hours_there_is_nothing_to_say() {
    let h = weekdays("08:00", "16:00", &[]);
    // 2026-12-09 is a Wednesday.
    assert_eq!(expected(&h, at("2026-12-09T10:00"), 50), None);
    assert_eq!(
        expected(&h, at("2026-12-09T08:00"), 0),
        None,
        "opening time is in hours"
    );
    assert!(
        expected(&h, at("2026-12-09T16:00"), 0).is_some(),
        "closing time is not"
    );
}

#[test]
fn across_midnight_the_same_day_and_the_next() {
    let h = weekdays("08:00", "16:00", &[]);
    assert_eq!(
        said(&h, "2026-12-08T23:30", 15, "en"),
        "we are back tomorrow at 8:00 and usually answer within 40 minutes of opening."
    );
    assert_eq!(
        said(&h, "2026-12-09T00:10", 15, "en"),
        "we are back at 8:00 and usually answer within 40 minutes of opening."
    );
    let e = expected(&h, at("2026-12-09T00:10"), 0).unwrap();
    assert_eq!(
        e,
        Expected {
            back_at: at("2026-12-09T08:00"),
            within_min: 10
        }
    );
}

#[test]
fn a_night_shift_past_midnight_belongs_to_its_start_day() {
    // Monday to Saturday nights, 20:00 to 04:00.
    let h = hours(
        &["mon", "tue", "wed", "thu", "fri", "sat"],
        "20:00",
        "04:00",
        &[],
    );
    // Sunday 03:00 is still Saturday's shift.
    assert_eq!(expected(&h, at("2026-12-13T03:00"), 0), None);
    // Sunday 05:00: no shift starts on Sunday, so back on Monday evening.
    assert_eq!(
        said(&h, "2026-12-13T05:00", 3, "en"),
        "we are back tomorrow at 20:00 and usually answer within 20 minutes of opening."
    );
}

#[test]
fn week_ends_and_holidays_push_the_opening_back() {
    let h = weekdays(
        "08:00",
        "16:00",
        &[
            "2026-12-24",
            "2026-12-25",
            "2026-12-28",
            "2026-12-29",
            "2026-12-30",
            "2026-12-31",
            "2027-01-01",
        ],
    );
    // Friday evening: Monday.
    assert_eq!(
        said(&h, "2026-12-11T17:00", 0, "en"),
        "we are back on Monday at 8:00 and usually answer within 10 minutes of opening."
    );
    // Before Christmas: the holidays and two week-ends, so a date.
    assert_eq!(
        said(&h, "2026-12-23T18:00", 0, "en"),
        "we are back on 4 January 2027 at 8:00 and usually answer within 10 minutes of opening."
    );
    assert_eq!(
        said(&h, "2026-12-23T18:00", 0, "pl"),
        "wracamy dnia 04.01.2027 o 8:00 i zwykle odpowiadamy w ciągu 10 minut od otwarcia."
    );
}

#[test]
fn a_dst_change_opens_at_the_real_time() {
    // Sundays only, opening at 02:30: on 2027-03-28 Warsaw's clocks jump from 02:00 to 03:00.
    let h = hours(&["sun"], "02:30", "10:00", &[]);
    let now = at("2027-03-27T23:00");
    let e = expected(&h, now, 0).unwrap();
    assert_eq!(e.back_at, at("2027-03-28T03:00"));
    assert_eq!(
        sentence(&h, now, e, "en"),
        "we are back tomorrow at 3:00 and usually answer within 10 minutes of opening."
    );
    // Clocks back on 2026-10-25: an opening at 08:00 is still 08:00 local.
    let h = hours(&["sun"], "08:00", "10:00", &[]);
    let now = at("2026-10-24T23:00");
    let e = expected(&h, now, 0).unwrap();
    // 9 h of wall time, 10 h of real time (the 02:00–03:00 hour is lived twice).
    assert_eq!(e.back_at - now, 9 * 3_600_000 + 3_600_000);
    assert_eq!(
        sentence(&h, now, e, "en"),
        "we are back tomorrow at 8:00 and usually answer within 10 minutes of opening."
    );
}

#[test]
fn the_backlog_lengthens_the_answer_time_up_to_the_shift() {
    let h = weekdays("08:00", "08:30", &[]);
    let now = at("2026-12-09T00:00");
    assert_eq!(expected(&h, now, 0).unwrap().within_min, 10);
    assert_eq!(
        expected(&h, now, 3).unwrap().within_min,
        20,
        "16 rounds up to 20"
    );
    assert_eq!(
        expected(&h, now, 100).unwrap().within_min,
        30,
        "never past the shift"
    );
}

#[test]
fn the_sentence_in_five_languages() {
    let h = weekdays("08:00", "16:00", &[]);
    // Friday night to Monday, with 15 open mentions: 40 minutes.
    let now = "2026-12-11T22:15";
    let all: Vec<(String, String)> = ["en", "pl", "ru", "tr", "bg", "xx"]
        .iter()
        .map(|l| (l.to_string(), said(&h, now, 15, l)))
        .collect();
    let want = [
        "we are back on Monday at 8:00 and usually answer within 40 minutes of opening.",
        "wracamy w poniedziałek o 8:00 i zwykle odpowiadamy w ciągu 40 minut od otwarcia.",
        "мы вернёмся в понедельник в 8:00 и обычно отвечаем в течение 40 минут после начала работы.",
        "pazartesi saat 8:00 itibarıyla yeniden buradayız ve genellikle açılıştan sonraki 40 dakika içinde yanıt veriyoruz.",
        "връщаме се в понеделник в 8:00 ч. и обикновено отговаряме до 40 минути след началото на работния ден.",
        "we are back on Monday at 8:00 and usually answer within 40 minutes of opening.",
    ];
    for ((lang, got), want) in all.iter().zip(want) {
        assert_eq!(got, want, "{lang}");
    }
    // Tomorrow, in each language.
    let now = "2026-12-08T20:00";
    assert!(said(&h, now, 0, "pl").starts_with("wracamy jutro o 8:00"));
    assert!(said(&h, now, 0, "ru").starts_with("мы вернёмся завтра в 8:00"));
    assert!(said(&h, now, 0, "tr").starts_with("yarın saat 8:00"));
    assert!(said(&h, now, 0, "bg").starts_with("връщаме се утре в 8:00"));
}
