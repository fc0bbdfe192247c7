//! Escalation to departments: `[[departments]]` in config.toml, `e` / `:escalate`, and the
//! webhook outbox against a local server on 127.0.0.1.

use modq::config::Config;
use modq::escalate::department::Style;

#[test]
fn departments_are_read_entry_by_entry_and_bad_ones_reported_at_their_line() {
    let src = r#"sla_minutes = 20

[[departments]]
name = "billing"
key = "b"
webhook = "https://hooks.example.com/billing"
headers = { Authorization = "BILLING_TOKEN" }
style = "slack"

[[departments]]
name = "legal"
key = "l"
webhook = "http://legal.example.com/hook"

[[departments]]
name = "safety"
key = "s"
webhook = "http://127.0.0.1:9/hook"
headers = { "X-Token" = "Bearer s3cr3t-value" }

[[departments]]
name = "eng"
key = "b"
webhook = "http://127.0.0.1:9/eng"
colour = "red"

[[departments]]
name = "ops"
key = "b"
webhook = "http://localhost:9/ops"
insecure = false
"#;
    let (c, errors) = Config::parse("config.toml", src);
    assert_eq!(c.sla_minutes, 20, "the rest of the file applies");
    let names: Vec<&str> = c.departments.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["billing", "ops"]);
    let billing = &c.departments[0];
    assert_eq!(billing.style, Style::Slack);
    assert_eq!(billing.key_char(), Some('b'));
    assert_eq!(billing.headers["Authorization"], "BILLING_TOKEN");
    assert_eq!(c.departments[1].style, Style::Json);
    assert_eq!(c.departments[1].key, "", "a key already taken is dropped");
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 4, "{shown:#?}");
    assert!(
        shown[0].starts_with(
            "config.toml:13:1: departments: refusing plain http:// to legal.example.com"
        ) && shown[0].contains("insecure = true"),
        "{}",
        shown[0]
    );
    assert!(
        shown[1].starts_with("config.toml:19:1: departments: header X-Token: give the name of an environment variable"),
        "{}",
        shown[1]
    );
    // The value that looked like a secret is never repeated.
    assert!(!shown.iter().any(|s| s.contains("s3cr3t")), "{shown:#?}");
    assert!(
        shown[2].starts_with("config.toml:25:1: departments: unknown field `colour`"),
        "{}",
        shown[2]
    );
    assert!(
        shown[3].starts_with("config.toml:29:1: departments: key \"b\" is already billing's"),
        "{}",
        shown[3]
    );
}

#[test]
fn plain_http_elsewhere_is_allowed_only_with_insecure() {
    let src = "[[departments]]\nname = \"legal\"\nwebhook = \"http://legal.example.com/hook\"\ninsecure = true\n";
    let (c, errors) = Config::parse("c.toml", src);
    assert_eq!(errors, []);
    assert_eq!(c.departments[0].webhook, "http://legal.example.com/hook");
    let (c, errors) = Config::parse("c.toml", "departments = 3\n");
    assert!(c.departments.is_empty());
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].to_string().contains("[[departments]]"),
        "{}",
        errors[0]
    );
}

#[test]
fn header_values_come_from_the_environment_and_a_missing_one_names_the_variable() {
    let src = "[[departments]]\nname = \"billing\"\nwebhook = \"http://127.0.0.1:1/h\"\nheaders = { Authorization = \"MODQ_TEST_ESC_UNSET\" }\n";
    let (c, _) = Config::parse("c.toml", src);
    let e = c.departments[0].header_values().unwrap_err();
    assert!(e.contains("MODQ_TEST_ESC_UNSET"), "{e}");
}
