//! Payment and two-way delivery added to the case load (issue 18 §8): a
//! catalog whose karaoke licence charges a fee before issue; per case the
//! applicant pays online (order, the sandbox's checkout, the provider's
//! signed notice) and has the result sent to an address of the book; the
//! window sends it and the carrier's three signed callbacks deliver the
//! case. The bench signs the notices and callbacks itself with the
//! sandbox's keys from the server's data directory, as a provider and a
//! carrier would send them at once; the server's own sandbox workers send
//! theirs too, later, and are answered "already".

use std::io;
use std::net::SocketAddr;
use std::path::Path;

use ed25519_dalek::SigningKey;
use serde_json::{Value, json};

use crate::client::Client;
use crate::timer::{Kind, Timer};

/// The karaoke matter given a fee in the benchmark's catalog.
pub const KARAOKE_LICENCE: &str = "330200-WGLJ-001";

const FEE: &str = r#"
[[matter.fee]]
code = "licence_bench"
name = { zh = "娱乐经营许可证工本费（基准测试）", en = "Entertainment licence fee (benchmark)" }
amount_fen = 1000
basis = "基准测试用收费项目，非真实收费"
due = "before_issue"
"#;

/// What the two-way steps need: the applicant's address, and the keys the
/// sandbox provider and carrier sign with.
pub struct TwoWay {
    /// An address of the applicant's book.
    pub address_id: String,
    pay: SigningKey,
    carrier: SigningKey,
}

impl std::fmt::Debug for TwoWay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwoWay")
            .field("address_id", &self.address_id)
            .finish_non_exhaustive()
    }
}

fn copy_dir(src: &Path, dst: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dst)?;
    for entry in std::fs::read_dir(src)? {
        let entry = entry?;
        let to = dst.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &to)?;
        } else {
            std::fs::copy(entry.path(), to)?;
        }
    }
    Ok(())
}

/// Copies the catalog at `src` to `dst` with a ¥10 fee before issue on
/// the karaoke licence (the first matter of `matters/wglj.toml`).
pub fn fee_catalog(src: &Path, dst: &Path) -> io::Result<()> {
    copy_dir(src, dst)?;
    let path = dst.join("matters/wglj.toml");
    let text = std::fs::read_to_string(&path)?;
    let first = text
        .find(KARAOKE_LICENCE)
        .ok_or_else(|| io::Error::other(format!("{} has no {KARAOKE_LICENCE}", path.display())))?;
    // A fee belongs to the [[matter]] above it: put it before the next one.
    let next = text[first..]
        .find("\n[[matter]]")
        .map_or(text.len(), |i| first + i);
    let patched = format!("{}{FEE}{}", &text[..next], &text[next..]);
    std::fs::write(path, patched)
}

fn key(data: &Path, file: &str) -> io::Result<SigningKey> {
    let text = std::fs::read_to_string(data.join(file))?;
    let seed = hex::decode(text.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(|| io::Error::other(format!("{file} is not a 32-byte hex key")))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Adds an address to the applicant's book and reads the sandboxes' keys.
pub fn setup(addr: SocketAddr, applicant: &str, data: &Path) -> io::Result<TwoWay> {
    let mut client = Client::connect(addr)?;
    let address = json!({
        "recipient": "张三", "phone": "13800000001",
        "region": "浙江省宁波市海曙区", "line": "中山西路 1 号 101 室", "postcode": "315000",
    })
    .to_string();
    let v: Value = client.parsed(
        "POST",
        "/api/v1/me/addresses",
        Some(applicant),
        &[],
        Some(&address),
        201,
    )?;
    Ok(TwoWay {
        address_id: v["id"].as_str().unwrap_or_default().to_owned(),
        pay: key(data, "sandbox-pay.key")?,
        carrier: key(data, "sandbox-carrier.key")?,
    })
}

/// A signed callback's headers under `prefix` (`yici-pay`, `yici-carrier`).
pub fn signed_headers(key: &SigningKey, prefix: &str, body: &str) -> Vec<(String, String)> {
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let ts = i64::try_from(ts).unwrap_or(0);
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let signature = yici_callback::sign(key, ts, &nonce, body.as_bytes());
    vec![
        (format!("{prefix}-timestamp"), ts.to_string()),
        (format!("{prefix}-nonce"), nonce),
        (format!("{prefix}-signature"), signature),
    ]
}

impl TwoWay {
    /// The provider's notice that an order is paid.
    pub fn paid(&self, order: &Value, transaction: &str) -> (String, Vec<(String, String)>) {
        let body = json!({
            "order": order["id"], "transaction": transaction, "state": "paid",
            "amount_fen": order["amount_fen"], "paid_ms": null, "refund": null,
        })
        .to_string();
        let headers = signed_headers(&self.pay, "yici-pay", &body);
        (body, headers)
    }

    /// The carrier's callback that `waybill` reached `state`.
    pub fn moved(&self, waybill: &str, state: &str) -> (String, Vec<(String, String)>) {
        let at_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let body = json!({"waybill": waybill, "state": state, "at_ms": at_ms as i64}).to_string();
        let headers = signed_headers(&self.carrier, "yici-carrier", &body);
        (body, headers)
    }
}

fn headers(h: &[(String, String)]) -> Vec<(&str, &str)> {
    h.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// The applicant pays what case `id` owes (an order, the sandbox's
/// checkout, the provider's notice) and has its result sent to the book's
/// address.
pub(crate) fn pay_and_choose(
    timer: &mut Timer<'_>,
    client: &mut Client,
    applicant: &str,
    tw: &TwoWay,
    id: &str,
) -> io::Result<()> {
    let opened: Value = timer.send(
        Kind::Pay,
        client,
        "POST",
        &format!("/api/v1/cases/{id}/payments"),
        applicant,
        &[],
        Some("{}"),
    )?;
    let url = opened["checkout_url"].as_str().unwrap_or_default();
    let transaction = url.rsplit('/').next().unwrap_or_default().to_owned();
    timer.status(
        Kind::Checkout,
        client,
        "POST",
        &format!("/sandbox/pay/{transaction}"),
        None,
        303,
    )?;
    let (body, signed) = tw.paid(&opened["payment"], &transaction);
    let heard: Value = timer.send(
        Kind::PayNotice,
        client,
        "POST",
        "/api/v1/payments/notify",
        "",
        &headers(&signed),
        Some(&body),
    )?;
    if heard["state"] != "paid" {
        return Err(io::Error::other(format!("case {id}: payment {heard}")));
    }
    let choice = json!({"address_id": tw.address_id}).to_string();
    timer.send::<serde::de::IgnoredAny>(
        Kind::Address,
        client,
        "PUT",
        &format!("/api/v1/cases/{id}/delivery"),
        applicant,
        &[],
        Some(&choice),
    )?;
    Ok(())
}

/// The window sends case `id`'s result and the carrier reports it picked
/// up, in transit and delivered; the case's status (from the last answer).
pub(crate) fn ship(
    timer: &mut Timer<'_>,
    client: &mut Client,
    clerk: &str,
    tw: &TwoWay,
    id: &str,
) -> io::Result<String> {
    let parcel: Value = timer.send(
        Kind::Ship,
        client,
        "POST",
        &format!("/api/v1/cases/{id}/parcels"),
        clerk,
        &[],
        Some("{}"),
    )?;
    let waybill = parcel["waybill"].as_str().unwrap_or_default().to_owned();
    let mut last = Value::Null;
    for state in ["picked_up", "in_transit", "delivered"] {
        let (body, signed) = tw.moved(&waybill, state);
        last = timer.send(
            Kind::CarrierNotice,
            client,
            "POST",
            "/api/v1/parcels/notify",
            "",
            &headers(&signed),
            Some(&body),
        )?;
    }
    // The delivered callback delivered the case in its transaction.
    Ok(if last["state"] == "delivered" && last["changed"] == true {
        "delivered".to_owned()
    } else {
        format!("not delivered ({last})")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fee_goes_to_the_karaoke_licence_and_the_catalog_loads() {
        let dir = tempfile::tempdir().expect("temp");
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog");
        fee_catalog(&src, dir.path()).expect("copied");
        let catalog = yici_catalog::load_dir(dir.path()).expect("loads");
        let with_fee: Vec<&str> = catalog
            .matters
            .values()
            .filter(|m| m.fees.iter().any(|f| f.code.as_str() == "licence_bench"))
            .map(|m| m.code.as_str())
            .collect();
        assert_eq!(with_fee, [KARAOKE_LICENCE]);
    }
}
