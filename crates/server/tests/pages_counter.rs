//! 窗口收费 on the pages, without JavaScript, in zh and en, on both
//! backends: the clerk's counter form on a case page (the applicant has
//! none), a wrong method refused naming the field, the payment recorded and
//! the case's fees paid, and a counter refund handed back from the
//! payment's page.

mod support;

use support::TestApp;
use support::pages::{pairs, sign_in};
use support::payments::{mortgage_case, payments};
use support::withdraw;

both!(counter_payment_on_the_pages, |app: TestApp| async move {
    let (token, id) = mortgage_case(&app).await;
    let clerk = sign_in(&app, "clerk").await;
    let zhang = sign_in(&app, "applicant").await;

    let page = clerk.get(&app, &format!("/cases/{id}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("id=\"counter-payment\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("登记窗口收费 ¥80.00"), "{}", page.body);
    assert!(page.body.contains("<option value=\"cash\">现金</option>"));
    let en = clerk.get(&app, &format!("/cases/{id}?lang=en")).await;
    assert!(
        en.body.contains("Record counter payment ¥80.00"),
        "{}",
        en.body
    );
    let own = zhang.get(&app, &format!("/cases/{id}")).await;
    assert!(!own.body.contains("counter-payment"), "{}", own.body);

    let uri = format!("/cases/{id}/payments/counter");
    let wrong = clerk
        .post(&app, &uri, &pairs(&[("method", "cheque")]))
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(wrong.body.contains("method"), "{}", wrong.body);
    let done = clerk
        .post(
            &app,
            &uri,
            &pairs(&[("method", "cash"), ("reference", "POS-9")]),
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.header("location"), format!("/cases/{id}#fees"));
    let page = clerk.get(&app, &format!("/cases/{id}")).await;
    assert!(page.body.contains("state-paid"), "{}", page.body);
    assert!(
        !page.body.contains("id=\"counter-payment\""),
        "{}",
        page.body
    );
    let order = page
        .body
        .split("data-payment=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a payment listed")
        .to_owned();

    // Withdrawn: the refund waits for the counter, which hands it back.
    withdraw(&app, &token, &id).await;
    payments(&app).await;
    let one = clerk.get(&app, &format!("/my/payments/{order}")).await;
    assert_eq!(one.status, 200, "{}", one.body);
    assert!(
        one.body.contains("id=\"counter-hand-back\""),
        "{}",
        one.body
    );
    let mine = zhang.get(&app, &format!("/my/payments/{order}")).await;
    assert!(!mine.body.contains("counter-hand-back"), "{}", mine.body);
    let back = clerk
        .post(&app, &format!("/payments/{order}/refund/counter"), &[])
        .await;
    assert_eq!(back.status, 303, "{}", back.body);
    let one = clerk
        .get(&app, &format!("/my/payments/{order}?lang=en"))
        .await;
    assert!(one.body.contains("data-state=\"refunded\""), "{}", one.body);
    assert!(!one.body.contains("counter-hand-back"), "{}", one.body);
});
