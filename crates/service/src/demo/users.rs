//! The demo's accounts: every one with the password `demo`, listed in the
//! README and printed at start; and the demo persons' identifiers, with
//! valid check characters.

use yici_core::identifier::{
    organization_code_check_char, resident_id_check_char, uscc_check_char,
};
use yici_store::{StoreError, User};

use crate::context::Service;
use crate::error::Result;
use crate::session::hash_password;

/// The demo password.
pub const PASSWORD: &str = "demo";

/// A resident ID with its check character computed.
pub fn resident_id(first17: &str) -> String {
    let check = resident_id_check_char(first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// A USCC of a company (registration authority 9, category 1) in `region`
/// with the organisation code `org8`, both check characters computed.
pub fn uscc(region: &str, org8: &str) -> String {
    let org = organization_code_check_char(org8).unwrap_or('0');
    let first17 = format!("91{region}{org8}{org}");
    let check = uscc_check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

fn user(username: &str, role: &str, display_name: &str, hash: &str) -> User {
    User {
        id: format!("u-{username}"),
        username: username.to_owned(),
        password_hash: hash.to_owned(),
        role: role.to_owned(),
        display_name: display_name.to_owned(),
        subject: None,
        window: None,
        department: None,
        region: None,
    }
}

/// The demo accounts for this catalog.
pub fn users(service: &Service, hash: &str) -> Vec<User> {
    let mut out = Vec::new();
    let mut person = |name: &str, display: &str, region: &str, id17: &str| {
        let mut u = user(name, "applicant", display, hash);
        u.subject = Some(resident_id(id17));
        u.region = Some(region.to_owned());
        out.push(u);
    };
    person("applicant", "张三", "330212", "33021219900307001");
    person("applicant2", "李梅", "330203", "33020319881115002");
    let mut company = user("enterprise", "applicant", "宁波三味餐饮有限公司", hash);
    company.subject = Some(uscc("330212", "MA2H7K3L"));
    company.region = Some("330212".into());
    out.push(company);
    let mut clerk = user("clerk", "clerk", "王芳（商事登记综合窗口）", hash);
    clerk.window = Some("w-commerce".into());
    clerk.region = Some("330200".into());
    out.push(clerk);
    out.push(user("supervisor", "supervisor", "效能监督员", hash));
    out.push(user("admin", "admin", "系统管理员", hash));
    for d in service.catalog().departments.values() {
        let mut r = user(
            &format!("reviewer-{}", d.code),
            "reviewer",
            &format!("{}审批员", d.name.zh),
            hash,
        );
        r.department = Some(d.code.to_string());
        r.region = Some(d.region.to_string());
        out.push(r);
    }
    out
}

/// The demo applicants' e-mail addresses and mobile numbers.
pub const CONTACTS: [(&str, &str, &str); 3] = [
    ("u-applicant", "zhangsan@example.com", "13800000001"),
    ("u-applicant2", "limei@example.com", "13800000002"),
    ("u-enterprise", "office@sanwei.example.com", "13800000003"),
];

/// Creates the demo accounts that do not exist yet; returns their names.
/// The password is hashed once for all of them: they share it anyway.
pub(super) async fn seed(service: &Service) -> Result<Vec<String>> {
    let hash = hash_password(PASSWORD)?;
    let now = service.clock().now_ms();
    let mut names = Vec::new();
    for u in users(service, &hash) {
        match service.store().create_user(&u, now).await {
            Ok(()) | Err(StoreError::Duplicate { .. }) => names.push(u.username),
            Err(e) => return Err(e.into()),
        }
    }
    // Where the applicants' notifications go (RFC 2606 addresses; the SMS
    // sandbox only logs).
    for (id, email, phone) in CONTACTS {
        service
            .store()
            .set_contact(id, Some(email), Some(phone))
            .await?;
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_identifiers_are_valid() {
        assert!(
            yici_core::identifier::ResidentId::parse(&resident_id("33021219900307001")).is_ok()
        );
        assert!(yici_core::identifier::Uscc::parse(&uscc("330212", "MA2H7K3L")).is_ok());
    }
}
