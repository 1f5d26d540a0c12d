//! Two-way delivery on the pages, without JavaScript, in zh and en, on
//! both backends: the address book with its errors beside the fields, the
//! one-thing guide's comparison with two-way delivery, the case page's
//! parcels block (where the result goes, posting an original), the window
//! receiving and returning a posted original and sending the result, the
//! track on the case page and the window's list.

mod support;

use support::TestApp;
use support::pages::{pairs, sign_in};
use support::parcels::{OLD_CERTIFICATE, carrier_step, transfer_case};
use support::payments::{approve, deliver_notices, issue, open_payment, pay_at_sandbox};
use time::OffsetDateTime;
use time::macros::datetime;
use yici_service::Clock;

const MONDAY: OffsetDateTime = datetime!(2026-09-28 09:10 +08:00);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    let clock = Clock::fixed(MONDAY);
    parcels_on_the_pages(TestApp::sqlite(clock.clone()).await, clock).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    let clock = Clock::fixed(MONDAY);
    parcels_on_the_pages(TestApp::postgres(clock.clone()).await, clock).await;
}

fn address(line: &str) -> Vec<(String, String)> {
    pairs(&[
        ("recipient", "张三"),
        ("phone", "13800000001"),
        ("region", "浙江省宁波市海曙区"),
        ("line", line),
        ("postcode", ""),
    ])
}

async fn parcels_on_the_pages(app: TestApp, clock: Clock) {
    // The guide compares with two-way delivery.
    let guide = app
        .get_with("/one-things/ot-second-hand-home", "accept-language", "zh")
        .await;
    assert!(guide.body.contains("双向寄递后"), "{}", guide.body);
    assert!(
        guide.body.contains("id=\"two-way-trips\">0<"),
        "{}",
        guide.body
    );
    assert!(guide.body.contains("id=\"two-way-spared\""));
    let home = app.get_with("/?lang=en", "accept-language", "en").await;
    assert!(
        home.body.contains("zero trips with two-way delivery"),
        "{}",
        home.body
    );

    let (_, id) = transfer_case(&app).await;
    let zhang = sign_in(&app, "applicant").await;

    // The address book: a wrong phone is named beside its field.
    let mut wrong = address("中山西路 1 号");
    wrong[1].1 = "123".into();
    let r = zhang.post(&app, "/my/addresses", &wrong).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"address-phone-error\""), "{}", r.body);
    assert!(r.body.contains("11 位手机号码"), "{}", r.body);
    assert!(
        r.body.contains("value=\"中山西路 1 号\""),
        "what was typed stays"
    );
    let r = zhang.post(&app, "/my/addresses?lang=en", &wrong).await;
    assert!(r.body.contains("11-digit mobile number"), "{}", r.body);
    let r = zhang
        .post(&app, "/my/addresses", &address("中山西路 1 号"))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let book = zhang.get(&app, "/my/addresses").await;
    assert!(book.body.contains("中山西路 1 号"), "{}", book.body);
    let address_id = book
        .body
        .split("data-address=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an address")
        .to_owned();

    // Correcting and removing a second address.
    let r = zhang
        .post(&app, "/my/addresses", &address("药行街 9 号"))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let book = zhang.get(&app, "/my/addresses").await;
    let second = book
        .body
        .split("data-address=\"")
        .nth(2)
        .and_then(|s| s.split('"').next())
        .expect("a second address")
        .to_owned();
    let edit = zhang
        .get(&app, &format!("/my/addresses?edit={second}"))
        .await;
    assert!(edit.body.contains("value=\"药行街 9 号\""), "{}", edit.body);
    let corrected = [pairs(&[("id", &second)]), address("药行街 10 号")].concat();
    let r = zhang.post(&app, "/my/addresses", &corrected).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        zhang
            .get(&app, "/my/addresses")
            .await
            .body
            .contains("药行街 10 号")
    );
    let r = zhang
        .post(
            &app,
            "/my/addresses",
            &pairs(&[("id", &second), ("action", "remove")]),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        !zhang
            .get(&app, "/my/addresses")
            .await
            .body
            .contains("药行街")
    );

    // The case page offers where the result goes and the original by post.
    let page = zhang.get(&app, &format!("/cases/{id}")).await;
    assert!(page.body.contains("id=\"parcels\""), "{}", page.body);
    assert!(page.body.contains("id=\"choose-delivery\""));
    assert!(page.body.contains("id=\"post-original\""));
    let en = zhang.get(&app, &format!("/cases/{id}?lang=en")).await;
    assert!(en.body.contains("Two-way delivery"));
    assert!(en.body.contains("Book the pickup"));
    let r = zhang
        .post(
            &app,
            &format!("/cases/{id}/express/delivery"),
            &pairs(&[("address", &address_id)]),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = zhang
        .post(
            &app,
            &format!("/cases/{id}/express/originals"),
            &pairs(&[
                ("material", "house_sale_contract"),
                ("address", &address_id),
            ]),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("id=\"original-material-error\""),
        "{}",
        r.body
    );
    let r = zhang
        .post(
            &app,
            &format!("/cases/{id}/express/originals"),
            &pairs(&[("material", OLD_CERTIFICATE), ("address", &address_id)]),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = zhang.get(&app, &format!("/cases/{id}")).await;
    assert!(page.body.contains("寄往窗口的原件"), "{}", page.body);
    assert!(page.body.contains("中山西路 1 号"));

    // The courier brings it; the window receives it and sends it back.
    for _ in 0..3 {
        carrier_step(&app, &clock).await;
    }
    let clerk = sign_in(&app, "clerk").await;
    let list = clerk.get(&app, "/work/parcels").await;
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("class=\"receive-original\""),
        "{}",
        list.body
    );
    let parcel = list
        .body
        .split("data-parcel=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a parcel")
        .to_owned();
    let r = clerk
        .post(&app, &format!("/parcels/{parcel}/receive"), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = clerk.get(&app, &format!("/cases/{id}")).await;
    assert!(
        page.body.contains("class=\"return-original\""),
        "{}",
        page.body
    );
    let r = clerk
        .post(&app, &format!("/parcels/{parcel}/return"), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // Receiving twice is refused with the rule.
    let r = clerk
        .post(&app, &format!("/parcels/{parcel}/receive"), &[])
        .await;
    assert!(r.status.is_client_error(), "{}", r.body);

    // The result: issued, then sent from the case page.
    approve(&app, &id).await;
    let token = app.login("applicant").await;
    let (_, url) = open_payment(&app, &token, &id).await;
    pay_at_sandbox(&app, &url).await;
    deliver_notices(&app).await;
    assert_eq!(issue(&app, &id).await.status, 200);
    let page = clerk.get(&app, &format!("/cases/{id}")).await;
    assert!(
        page.body.contains("id=\"ship-result-button\""),
        "{}",
        page.body
    );
    let r = clerk
        .post(&app, &format!("/cases/{id}/express/ship"), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    for _ in 0..3 {
        carrier_step(&app, &clock).await;
    }
    let page = zhang.get(&app, &format!("/cases/{id}")).await;
    assert!(
        page.body.contains("data-state=\"delivered\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("已签收"));
    assert!(
        page.body.contains("data-actual=\"0\""),
        "no trip: {}",
        page.body
    );
    // Someone else cannot post on this case.
    let li = sign_in(&app, "applicant2").await;
    let r = li
        .post(
            &app,
            &format!("/cases/{id}/express/delivery"),
            &pairs(&[("address", &address_id)]),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.body);
}
