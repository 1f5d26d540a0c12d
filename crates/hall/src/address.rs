//! A postal address in the applicant's address book (地址簿): where a
//! result is sent, or where a courier picks an original up. Checked field
//! by field so that a form can show each message beside its field.

use serde::{Deserialize, Serialize};

/// An address as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Who receives it (收件人).
    pub recipient: String,
    /// A mainland mobile number (11 digits starting with 1) or a landline
    /// with its area code (`0571-87654321`).
    pub phone: String,
    /// Province, city and district (省市区).
    pub region: String,
    /// Street, number, building and room (详细地址).
    pub line: String,
    /// Six-digit postcode; may be left empty.
    #[serde(default)]
    pub postcode: String,
}

/// A field that breaks its rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct AddressError {
    /// The field.
    pub field: &'static str,
    /// The rule's name.
    pub rule: &'static str,
    /// What is wrong, for the applicant.
    pub message: String,
}

fn length(field: &'static str, value: &str, max: usize) -> Result<(), AddressError> {
    let n = value.chars().count();
    if n == 0 {
        return Err(AddressError {
            field,
            rule: "required",
            message: "must not be empty".into(),
        });
    }
    if n > max || value.chars().any(char::is_control) {
        return Err(AddressError {
            field,
            rule: "too_long",
            message: format!("at most {max} characters, no control characters"),
        });
    }
    Ok(())
}

fn phone_ok(p: &str) -> bool {
    let mobile = p.len() == 11 && p.starts_with('1') && p.bytes().all(|b| b.is_ascii_digit());
    let landline = p.split_once('-').is_some_and(|(area, number)| {
        (3..=4).contains(&area.len())
            && area.starts_with('0')
            && (7..=8).contains(&number.len())
            && area
                .bytes()
                .chain(number.bytes())
                .all(|b| b.is_ascii_digit())
    });
    mobile || landline
}

impl Address {
    /// Trims every field and checks it; every field that is wrong.
    pub fn checked(self) -> Result<Address, Vec<AddressError>> {
        let a = Address {
            recipient: self.recipient.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
            region: self.region.trim().to_owned(),
            line: self.line.trim().to_owned(),
            postcode: self.postcode.trim().to_owned(),
        };
        let mut errors: Vec<AddressError> = [
            length("recipient", &a.recipient, 50),
            length("region", &a.region, 60),
            length("line", &a.line, 200),
        ]
        .into_iter()
        .filter_map(Result::err)
        .collect();
        if !phone_ok(&a.phone) {
            errors.push(AddressError {
                field: "phone",
                rule: "malformed_phone",
                message: "an 11-digit mobile number or a landline such as 0571-87654321".into(),
            });
        }
        if !a.postcode.is_empty()
            && (a.postcode.len() != 6 || !a.postcode.bytes().all(|b| b.is_ascii_digit()))
        {
            errors.push(AddressError {
                field: "postcode",
                rule: "malformed_postcode",
                message: "six digits, or empty".into(),
            });
        }
        if errors.is_empty() {
            Ok(a)
        } else {
            Err(errors)
        }
    }

    /// One line for a label and a page: region, street, recipient.
    pub fn one_line(&self) -> String {
        format!("{} {} ({})", self.region, self.line, self.recipient)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address() -> Address {
        Address {
            recipient: " 张三 ".into(),
            phone: "13800000001".into(),
            region: "浙江省杭州市西湖区".into(),
            line: "文三路 100 号 2 幢 301 室".into(),
            postcode: "310012".into(),
        }
    }

    #[test]
    fn a_good_address_is_trimmed() {
        let a = address().checked().expect("valid");
        assert_eq!(a.recipient, "张三");
    }

    #[test]
    fn landlines_and_an_empty_postcode_pass() {
        let a = Address {
            phone: "0571-87654321".into(),
            postcode: String::new(),
            ..address()
        };
        assert!(a.checked().is_ok());
    }

    #[test]
    fn each_wrong_field_is_named_with_its_rule() {
        let a = Address {
            recipient: "  ".into(),
            phone: "12345".into(),
            region: "省".repeat(61),
            line: "x".into(),
            postcode: "31001".into(),
        };
        let errors = a.checked().expect_err("invalid");
        let got: Vec<(&str, &str)> = errors.iter().map(|e| (e.field, e.rule)).collect();
        assert_eq!(
            got,
            [
                ("recipient", "required"),
                ("region", "too_long"),
                ("phone", "malformed_phone"),
                ("postcode", "malformed_postcode")
            ]
        );
    }
}
