use super::*;

const VALID: &str = "91350100M000100Y43";

/// A code with valid organisation and final checks for the given
/// first 16 characters.
fn with_checks(first16: &str) -> String {
    let org = organization_code_check_char(&first16[8..16]).expect("8 chars");
    let first17 = format!("{first16}{org}");
    let check = uscc_check_char(&first17).expect("17 chars");
    format!("{first17}{check}")
}

fn rule(s: &str) -> Result<String, &'static str> {
    Uscc::parse(s)
        .map(|c| c.as_str().to_owned())
        .map_err(|e| e.rule())
}

#[test]
fn known_valid_code_parses() {
    assert_eq!(rule(VALID), Ok(VALID.into()));
}

#[test]
fn lowercase_is_normalised_to_uppercase() {
    assert_eq!(rule("91350100m000100y43"), Ok(VALID.into()));
}

#[test]
fn length_other_than_eighteen_is_rejected() {
    assert_eq!(
        Uscc::parse("91350100M000100Y4"),
        Err(UsccError::Length { found: 17 })
    );
}

#[test]
fn letters_i_o_z_s_v_are_outside_the_charset() {
    for bad in ['I', 'O', 'Z', 'S', 'V', '-', '中'] {
        let s = format!("91350100M{bad}00100Y43");
        assert_eq!(
            Uscc::parse(&s),
            Err(UsccError::Charset {
                position: 10,
                ch: bad
            }),
            "{bad}"
        );
    }
}

#[test]
fn registration_authority_must_be_in_the_table() {
    assert_eq!(
        Uscc::parse("B1350100M000100Y43"),
        Err(UsccError::RegistrationAuthority { found: 'B' })
    );
    assert_eq!(rule("01350100M000100Y43"), Err("registration_authority"));
}

#[test]
fn category_must_belong_to_its_registration_authority() {
    assert_eq!(
        Uscc::parse("94350100M000100Y43"),
        Err(UsccError::Category {
            authority: '9',
            found: '4'
        })
    );
    assert_eq!(rule("Y2350100M000100Y43"), Err("category"));
    assert_eq!(
        rule(&with_checks("34350100M000100Y")),
        Ok(with_checks("34350100M000100Y"))
    );
    assert_eq!(
        rule(&with_checks("N3350100M000100Y")),
        Ok(with_checks("N3350100M000100Y"))
    );
}

#[test]
fn region_must_be_digits_with_province_prefix() {
    assert_eq!(
        Uscc::parse("91990100M000100Y43"),
        Err(UsccError::Region {
            code: "990100".into()
        })
    );
    assert_eq!(rule("9135A100M000100Y43"), Err("region"));
}

/// Codes registries issued at national level, as published: ICBC's (its
/// listed-company profile), Bank of China's (the serialNumber in its
/// website's EV certificate), and three national social organisations
/// registered with the Ministry of Civil Affairs (authority 5, category 1),
/// as their invoice tax numbers and organisation identifiers.
const CENTRAL_CODES: [&str; 5] = [
    "91100000100003962T",
    "911000001000013428",
    "51100000500002862F",
    "51100000500009247D",
    "51100000500012681T",
];

#[test]
fn central_registration_codes_are_accepted() {
    for code in CENTRAL_CODES {
        assert_eq!(rule(code), Ok(code.into()), "{code}");
        let parsed = Uscc::parse(code).expect("valid");
        assert_eq!(parsed.region(), None, "{code} names no region");
        assert_eq!(parsed.organization_code_mismatch(), None, "{code}");
    }
}

#[test]
fn only_100000_stands_for_the_central_registration_region() {
    for region in ["100001", "101000", "110000"] {
        let code = with_checks(&format!("91{region}10000396"));
        let expected = if region == "110000" {
            Ok(code.clone())
        } else {
            Err("region")
        };
        assert_eq!(rule(&code), expected, "{region}");
    }
}

#[test]
fn central_registration_codes_keep_the_mod_31_check() {
    assert_eq!(
        Uscc::parse("91100000100003962A"),
        Err(UsccError::CheckDigit {
            expected: 'T',
            found: 'A'
        })
    );
}

#[test]
fn organization_code_check_failure_is_a_warning_not_an_error() {
    // A listed bank's code: the GB 11714 check of 63129500 is 1, the code
    // carries 2, and the MOD 31 check over all 17 characters holds.
    let code = Uscc::parse("91310000631295002H").expect("a code the registry issued");
    assert_eq!(
        code.organization_code_mismatch(),
        Some(OrganizationCodeMismatch {
            expected: '1',
            found: '2'
        })
    );
    assert_eq!(
        code.organization_code_mismatch().map(|w| w.to_string()),
        Some(
            "the embedded organisation code's GB 11714 check character (position 17) should be 1, found 2"
                .into()
        )
    );
    let valid = Uscc::parse(VALID).expect("valid");
    assert_eq!(valid.organization_code_mismatch(), None);
}

#[test]
fn any_organization_code_check_passes_when_the_mod_31_check_holds() {
    // Position 17 should be 4; with 5 and a matching final check the code
    // parses, with the mismatch as its warning.
    let check = uscc_check_char("91350100M000100Y5").expect("17 chars");
    let code = Uscc::parse(&format!("91350100M000100Y5{check}")).expect("valid");
    assert_eq!(
        code.organization_code_mismatch(),
        Some(OrganizationCodeMismatch {
            expected: '4',
            found: '5'
        })
    );
    assert_eq!(rule("91350100M000100Y53"), Err("check_digit"));
}

#[test]
fn final_check_character_is_validated() {
    assert_eq!(
        Uscc::parse("91350100M000100Y44"),
        Err(UsccError::CheckDigit {
            expected: '3',
            found: '4'
        })
    );
}

#[test]
fn check_char_helpers_build_valid_codes() {
    let built = with_checks("92330106ABCDEFGH");
    assert_eq!(rule(&built), Ok(built.clone()));
}

#[test]
fn accessors_read_the_segments() {
    let code = Uscc::parse(VALID).expect("valid");
    assert_eq!(code.registration_authority(), '9');
    assert_eq!(code.category(), '1');
    assert_eq!(code.region().map(|r| r.to_string()), Some("350100".into()));
    assert_eq!(code.organization_code(), "M000100Y4");
}

#[test]
fn display_and_serde_use_the_normalised_string() {
    let code = Uscc::parse("91350100m000100y43").expect("valid");
    assert_eq!(code.to_string(), VALID);
    let json = serde_json::to_string(&code).expect("serialize");
    assert_eq!(json, format!("\"{VALID}\""));
    assert_eq!(
        serde_json::from_str::<Uscc>(&json).expect("deserialize"),
        code
    );
    assert!(serde_json::from_str::<Uscc>("\"91350100M000100Y44\"").is_err());
    assert_eq!(VALID.parse::<Uscc>(), Ok(code));
}
