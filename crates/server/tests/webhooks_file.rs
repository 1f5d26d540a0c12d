//! The webhooks file of `yici serve --webhooks`: secrets from the
//! environment or from files, never from the file itself.

use yici_core::catalog::DepartmentCode;
use yici_service::workers::{WebhookFileError, parse_webhooks};

fn demo_catalog() -> yici_core::catalog::Catalog {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    yici_catalog::load_dir(&dir).expect("demo catalog loads")
}

fn env(name: &str) -> Option<String> {
    (name == "YICI_WEBHOOK_XF_SECRET").then(|| "from-env\n".to_owned())
}

#[test]
fn webhooks_file_reads_secrets_from_the_environment_and_from_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let secret_file = dir.path().join("sthj");
    std::fs::write(&secret_file, "from-file\n").expect("write");
    let text = format!(
        r#"
[[webhook]]
department = "xf"
url = "https://xf.example.gov.cn/yici/events"
secret_env = "YICI_WEBHOOK_XF_SECRET"

[[webhook]]
department = "sthj"
url = "http://127.0.0.1:9000/hook"
secret_file = "{}"
"#,
        secret_file.display()
    );
    let hooks = parse_webhooks(&text, &demo_catalog(), env).expect("valid");
    let xf = &hooks[&DepartmentCode::parse("xf").expect("code")];
    assert_eq!(xf.url, "https://xf.example.gov.cn/yici/events");
    assert_eq!(xf.secret, "from-env");
    let sthj = &hooks[&DepartmentCode::parse("sthj").expect("code")];
    assert_eq!(sthj.secret, "from-file");
}

fn refused(text: &str) -> WebhookFileError {
    match parse_webhooks(text, &demo_catalog(), env) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => e,
    }
}

#[test]
fn webhooks_file_refuses_a_secret_written_into_it() {
    let e =
        refused("[[webhook]]\ndepartment = \"xf\"\nurl = \"https://x.cn/\"\nsecret = \"hunter2\"");
    assert!(matches!(e, WebhookFileError::InlineSecret { .. }), "{e}");
    assert!(!e.to_string().contains("hunter2"));
}

#[test]
fn webhooks_file_refuses_unknown_departments_bad_urls_and_missing_secrets() {
    let e = refused(
        "[[webhook]]\ndepartment = \"nope\"\nurl = \"https://x.cn/\"\nsecret_env = \"YICI_WEBHOOK_XF_SECRET\"",
    );
    assert!(
        matches!(e, WebhookFileError::UnknownDepartment { .. }),
        "{e}"
    );
    let e = refused(
        "[[webhook]]\ndepartment = \"xf\"\nurl = \"ftp://x.cn/\"\nsecret_env = \"YICI_WEBHOOK_XF_SECRET\"",
    );
    assert!(matches!(e, WebhookFileError::BadUrl { .. }), "{e}");
    let e = refused(
        "[[webhook]]\ndepartment = \"xf\"\nurl = \"https://x.cn/\"\nsecret_env = \"UNSET\"",
    );
    assert!(matches!(e, WebhookFileError::NoSecret { .. }), "{e}");
    let e = refused("[[webhook]]\ndepartment = \"xf\"\nurl = \"https://x.cn/\"");
    assert!(matches!(e, WebhookFileError::SecretSource { .. }), "{e}");
    let e = refused(
        "[[webhook]]\ndepartment = \"xf\"\nurl = \"https://x.cn/\"\nsecret_env = \"YICI_WEBHOOK_XF_SECRET\"\n\
         [[webhook]]\ndepartment = \"xf\"\nurl = \"https://y.cn/\"\nsecret_env = \"YICI_WEBHOOK_XF_SECRET\"",
    );
    assert!(matches!(e, WebhookFileError::Duplicate { .. }), "{e}");
}
