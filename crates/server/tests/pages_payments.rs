//! Paying on the pages, without JavaScript, in zh and en, on both
//! backends: the case page's fees and its pay button, the sandbox's
//! checkout, back to the payment page once the provider's notice came, the
//! receipt to print and verify, the applicant's and the window's lists;
//! nobody else's payment.

mod support;

use support::TestApp;
use support::pages::sign_in;
use support::payments::{deliver_notices, mortgage_case};
use time::OffsetDateTime;
use time::macros::datetime;
use yici_service::Clock;

const MONDAY: OffsetDateTime = datetime!(2026-09-28 09:10 +08:00);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    pay_on_the_pages(TestApp::sqlite(Clock::fixed(MONDAY)).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    pay_on_the_pages(TestApp::postgres(Clock::fixed(MONDAY)).await).await;
}

fn location(r: &support::Reply) -> String {
    assert_eq!(r.status, 303, "{}", r.body);
    r.header("location").to_owned()
}

/// The path of a URL on this app (`http://127.0.0.1:PORT/x` → `/x`).
fn path(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/')
        .map_or("/".to_owned(), |i| rest[i..].to_owned())
}

async fn pay_on_the_pages(app: TestApp) {
    // The guide says what the one-thing costs before anything is filled in.
    let guide = app
        .get_with("/one-things/ot-second-hand-home", "accept-language", "zh")
        .await;
    assert_eq!(guide.status, 200);
    assert!(
        guide.body.contains("id=\"plan-fees-total\">¥80.00"),
        "{}",
        guide.body
    );
    let free = app
        .get_with("/one-things/ot-karaoke", "accept-language", "zh")
        .await;
    assert!(free.body.contains("不收费"), "{}", free.body);

    let (_, id) = mortgage_case(&app).await;
    let zhang = sign_in(&app, "applicant").await;

    // The case page shows the fee and the button, in both languages.
    let page = zhang.get(&app, &format!("/cases/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("不动产登记费（住宅）"), "{}", page.body);
    assert!(page.body.contains("出件前缴纳"));
    assert!(page.body.contains("id=\"pay-online\""));
    assert!(page.body.contains("¥80.00"));
    let en = zhang.get(&app, &format!("/cases/{id}?lang=en")).await;
    assert!(en.body.contains("Real-estate registration fee (housing)"));
    assert!(en.body.contains("Before the result is issued"));
    assert!(en.body.contains("Pay online"));

    // Without the CSRF token nothing is opened.
    let forged =
        support::pages::post(&app, &format!("/cases/{id}/pay"), Some(&zhang.cookie), &[]).await;
    assert_eq!(forged.status, 403, "{}", forged.body);

    // Pay: to the sandbox's checkout, confirm, back to the payment page.
    let checkout = path(&location(
        &zhang.post(&app, &format!("/cases/{id}/pay"), &[]).await,
    ));
    assert!(checkout.starts_with("/sandbox/pay/"), "{checkout}");
    let sandbox = app.get_with(&checkout, "accept-language", "zh").await;
    assert_eq!(sandbox.status, 200);
    assert!(sandbox.body.contains("支付沙箱"), "{}", sandbox.body);
    assert!(sandbox.body.contains("¥80.00"));
    let back = path(&location(
        &support::pages::post(&app, &checkout, None, &[]).await,
    ));
    assert!(back.starts_with("/my/payments/"), "{back}");
    let waiting = zhang.get(&app, &back).await;
    assert!(
        waiting.body.contains("data-state=\"pending\""),
        "{}",
        waiting.body
    );
    assert!(waiting.body.contains("id=\"payment-waiting\""));
    // Paying the same order twice at the checkout is refused.
    let again = support::pages::post(&app, &checkout, None, &[]).await;
    assert_eq!(again.status, 409, "{}", again.body);

    // The provider's notice arrives: paid, with its receipt.
    assert_eq!(deliver_notices(&app).await, 1);
    let paid = zhang.get(&app, &back).await;
    assert!(paid.body.contains("data-state=\"paid\""), "{}", paid.body);
    assert!(paid.body.contains("id=\"receipt-verify\""));
    assert!(paid.body.contains("/verify?presentation="));
    let printable = zhang.get(&app, &format!("{back}/receipt")).await;
    assert_eq!(printable.status, 200);
    assert!(printable.body.contains("电子缴款凭证"));
    assert!(!printable.body.contains("id=\"receipt-print\""));
    let case = zhang.get(&app, &format!("/cases/{id}")).await;
    assert!(
        !case.body.contains("id=\"pay-online\""),
        "nothing left to pay"
    );
    assert!(case.body.contains("id=\"case-payments\""));
    let mine = zhang.get(&app, "/my/payments").await;
    assert!(mine.body.contains(&back), "{}", mine.body);
    let mine_en = zhang.get(&app, "/my/payments?lang=en").await;
    assert!(mine_en.body.contains("My payments"));
    assert!(mine_en.body.contains("Paid"));

    // The message centre: the acceptance and the fee, in both languages;
    // marking one read.
    let inbox = zhang.get(&app, "/my/messages").await;
    assert_eq!(inbox.status, 200);
    assert!(inbox.body.contains("已受理"), "{}", inbox.body);
    assert!(inbox.body.contains("待缴费：¥80.00"));
    assert!(inbox.body.contains("data-unread=\"2\""), "{}", inbox.body);
    let en = zhang.get(&app, "/my/messages?lang=en").await;
    assert!(en.body.contains("Fee due: ¥80.00"), "{}", en.body);
    let first = inbox
        .body
        .split("data-message=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a message id")
        .to_owned();
    let r = zhang
        .post(&app, &format!("/my/messages/{first}/read"), &[])
        .await;
    assert_eq!(location(&r), "/my/messages");
    let inbox = zhang.get(&app, "/my/messages").await;
    assert!(inbox.body.contains("data-unread=\"1\""), "{}", inbox.body);

    // The clerk sees the city's payments; another applicant not this one.
    let clerk = sign_in(&app, "clerk").await;
    let window = clerk.get(&app, "/work/payments").await;
    assert_eq!(window.status, 200);
    assert!(
        window.body.contains("不动产登记费（住宅）"),
        "{}",
        window.body
    );
    let li = sign_in(&app, "applicant2").await;
    let theirs = li.get(&app, &back).await;
    assert_eq!(theirs.status, 404, "{}", theirs.body);
    let reviewer = sign_in(&app, "reviewer-zrzy").await;
    assert_eq!(reviewer.get(&app, "/work/payments").await.status, 403);
}
