//! Privacy: a public reply must not ask for a phone number, an address, an e-mail, a card or
//! an order number. Pointing the customer to a private message is the fix, so a reply that
//! does that passes; otherwise the moderator can turn the reply private with one key.

use super::lexicon::{entries, findings, Folded};
use super::{Finding, Kind};

const PERSONAL: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "phone number",
            "your phone",
            "your address",
            "home address",
            "e-mail address",
            "email address",
            "your email",
            "your e-mail",
            "card number",
            "card details",
            "order number",
            "account number",
            "date of birth",
        ],
    ),
    (
        "pl",
        &[
            "numer telefonu",
            "adres",
            "adresu",
            "e-mail",
            "e-maila",
            "numer karty",
            "numeru karty",
            "numer zamówienia",
            "numeru zamówienia",
            "pesel",
        ],
    ),
    (
        "ru",
        &[
            "номер телефона",
            "адрес",
            "почту",
            "номер карты",
            "номер заказа",
            "данные карты",
        ],
    ),
    (
        "tr",
        &[
            "telefon numara*",
            "adresiniz*",
            "e-posta adres*",
            "kart numara*",
            "sipariş numara*",
            "tc kimlik",
        ],
    ),
    (
        "bg",
        &[
            "телефонен номер",
            "телефонния си номер",
            "адрес",
            "адреса си",
            "имейл",
            "номер на карта*",
            "номера на поръчката",
            "номер на поръчка",
        ],
    ),
];

/// Phrases that take the conversation out of public view.
const PRIVATE_CHANNEL: &[(&str, &[&str])] = &[
    (
        "en",
        &["private message", "privately", "direct message", "dm"],
    ),
    ("pl", &["prywatn*", "wiadomość prywatną", "na priv"]),
    ("ru", &["личн*"]),
    ("tr", &["özel mesaj*", "dm"]),
    ("bg", &["лично съобщение", "лични съобщения"]),
];

pub fn check(text: &str, lang: &str) -> Vec<Finding> {
    let f = Folded::new(text);
    let redirected = entries(PRIVATE_CHANNEL, lang)
        .into_iter()
        .any(|e| !f.find(e).is_empty());
    if redirected {
        return Vec::new();
    }
    findings(text, PERSONAL, lang, Kind::Privacy, |p| {
        format!("\"{p}\" in a public reply: ask in a private message (make it private)")
    })
}
