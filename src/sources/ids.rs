//! Ids as the networks send them: strings, or numbers from a feed that writes them bare.
//! A number is kept as its exact digits: read as a float, `18446744073709551617` and
//! `18446744073709551616` would become one id and one mention would hide the other.

use serde::de::Error;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

/// A JSON string, or an integer written bare (its digits, exactly as sent).
pub fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let raw = Box::<RawValue>::deserialize(d)?;
    from_raw(raw.get()).map_err(D::Error::custom)
}

/// As `string_or_number`, with `null` or a missing field as None.
pub fn opt_string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let raw = Option::<Box<RawValue>>::deserialize(d)?;
    match raw {
        None => Ok(None),
        Some(r) if r.get().trim() == "null" => Ok(None),
        Some(r) => from_raw(r.get()).map(Some).map_err(D::Error::custom),
    }
}

fn from_raw(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.starts_with('"') {
        return serde_json::from_str::<String>(t).map_err(|e| e.to_string());
    }
    let digits = t.strip_prefix('-').unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(t.to_string());
    }
    Err(format!(
        "an id must be a string or a whole number, not {}",
        t.chars().take(40).collect::<String>()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Has {
        #[serde(deserialize_with = "string_or_number")]
        id: String,
        #[serde(default, deserialize_with = "opt_string_or_number")]
        parent: Option<String>,
    }

    #[test]
    fn big_numbers_keep_their_digits() {
        let a: Has = serde_json::from_str(r#"{"id": 18446744073709551617}"#).unwrap();
        let b: Has = serde_json::from_str(r#"{"id": 18446744073709551616}"#).unwrap();
        assert_eq!(a.id, "18446744073709551617");
        assert_eq!(b.id, "18446744073709551616");
        let c: Has =
            serde_json::from_str(r#"{"id": "109", "parent": 123456789012345678901234}"#).unwrap();
        assert_eq!(c.id, "109");
        assert_eq!(c.parent.as_deref(), Some("123456789012345678901234"));
        let d: Has = serde_json::from_str(r#"{"id": -3, "parent": null}"#).unwrap();
        assert_eq!((d.id.as_str(), d.parent), ("-3", None));
        // A value read into a tree first goes through the same path.
        let v: serde_json::Value = serde_json::from_str(r#"{"id": "x\"y"}"#).unwrap();
        assert_eq!(serde_json::from_value::<Has>(v).unwrap().id, "x\"y");
        for bad in [
            r#"{"id": 1.5}"#,
            r#"{"id": 1e30}"#,
            r#"{"id": [1]}"#,
            r#"{"id": true}"#,
        ] {
            assert!(serde_json::from_str::<Has>(bad).is_err(), "{bad}");
        }
    }
}
