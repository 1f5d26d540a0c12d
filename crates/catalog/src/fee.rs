//! Checking a matter's fees: each item's code once, an amount, a rule
//! that counts units only from a number field of the matter's own form.

use yici_core::catalog::{Fee, Field, FieldKey, FieldType, Text};

use crate::file::RawMatter;
use crate::load::Reader;
use crate::problem::At;

/// The largest fee item a catalog may declare: 10 million yuan, far above
/// any administrative fee, so a typo in fen (one zero too many) stands out.
const MAX_FEE_FEN: u64 = 1_000_000_000;

impl Reader {
    /// The matter's fees, or `None` after reporting what is wrong.
    pub(crate) fn fees(
        &mut self,
        fid: usize,
        raw: &RawMatter,
        fields: Option<&[Field]>,
    ) -> Option<Vec<Fee>> {
        let mut out = Vec::new();
        let mut ok = true;
        let mut seen = std::collections::BTreeSet::new();
        for f in &raw.fee {
            let f = f.get_ref();
            let code = f.code.get_ref();
            let code_at = At::new(fid, f.code.span());
            if !is_fee_code(code) {
                self.problems.report(
                    code_at,
                    "malformed_code",
                    format!("fee code {code:?}: use 1 to 32 lowercase letters, digits, '-' or '_'"),
                );
                ok = false;
            } else if !seen.insert(code.clone()) {
                self.problems.report(
                    code_at,
                    "duplicate_code",
                    format!("fee {code:?} is defined twice in this matter"),
                );
                ok = false;
            }
            let amount = *f.amount_fen.get_ref();
            if amount == 0 || amount > MAX_FEE_FEN {
                self.problems.report(
                    At::new(fid, f.amount_fen.span()),
                    "out_of_range",
                    format!("fee {code:?}: amount_fen must be 1 to {MAX_FEE_FEN}, not {amount}"),
                );
                ok = false;
            }
            let per = match &f.per {
                None => None,
                Some(p) => match per_field(p.get_ref(), fields) {
                    Ok(key) => Some(key),
                    Err(msg) => {
                        self.problems
                            .report(At::new(fid, p.span()), "malformed_fee_rule", msg);
                        ok = false;
                        None
                    }
                },
            };
            out.push(Fee {
                code: code.clone(),
                name: f.name.clone(),
                amount_fen: amount,
                per,
                basis: f.basis.clone(),
                payer: f.payer.clone().unwrap_or_else(|| Text {
                    zh: "申请人".into(),
                    en: "The applicant".into(),
                }),
                due: f.due,
            });
        }
        ok.then_some(out)
    }
}

fn is_fee_code(code: &str) -> bool {
    (1..=32).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// The number field a per-unit fee counts; its count must be at least 0.
fn per_field(key: &str, fields: Option<&[Field]>) -> Result<FieldKey, String> {
    let Some(fields) = fields else {
        // The fields have problems of their own, already reported.
        return FieldKey::parse(key).map_err(|e| e.to_string());
    };
    let field = fields
        .iter()
        .find(|f| f.key.as_str() == key)
        .ok_or_else(|| {
            format!("fee counts units of {key:?}, which is not a field of this matter")
        })?;
    match field.field_type {
        FieldType::Number { min: Some(min), .. } if min >= 0 && field.required => {
            Ok(field.key.clone())
        }
        _ => Err(format!(
            "fee counts units of {key:?}, which must be a required number field with min >= 0"
        )),
    }
}
