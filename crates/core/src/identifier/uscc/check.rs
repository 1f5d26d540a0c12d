//! The two check characters of a USCC: the GB 11714 organisation code
//! check (position 17), which only warns (see `Uscc`), and the GB 32100
//! MOD 31 check (position 18), which is enforced.

use super::UsccError;

/// The 31 characters a USCC may use (GB 32100-2015): digits and capital
/// letters without I, O, Z, S and V. A character's value is its index.
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1-17 for the final check (GB 32100-2015: 3^(i-1) mod 31).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Weights of the eight body characters of an organisation code (GB 11714).
const ORGANIZATION_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// Uppercases `s` and checks that its first `n` characters are in the
/// charset; returns those `n` bytes.
pub(super) fn normalised_prefix(s: &str, n: usize) -> Result<Vec<u8>, UsccError> {
    let mut out = Vec::with_capacity(n);
    for (i, ch) in s.chars().take(n).enumerate() {
        let up = ch.to_ascii_uppercase();
        if !up.is_ascii() || !CHARSET.contains(&(up as u8)) {
            return Err(UsccError::Charset {
                position: i + 1,
                ch,
            });
        }
        out.push(up as u8);
    }
    Ok(out)
}

fn charset_value(c: u8) -> u32 {
    CHARSET.iter().position(|x| *x == c).unwrap_or_default() as u32
}

/// `body` holds 17 charset bytes.
pub(super) fn check_char(body: &[u8]) -> char {
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| charset_value(*c) * w)
        .sum();
    char::from(CHARSET[((31 - sum % 31) % 31) as usize])
}

/// `body` holds 8 uppercase ASCII alphanumerics; letters count A=10 … Z=35.
pub(super) fn organization_check(body: &[u8]) -> char {
    let value = |c: u8| {
        if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A') + 10
        }
    };
    let sum: u32 = body
        .iter()
        .zip(ORGANIZATION_WEIGHTS)
        .map(|(c, w)| value(*c) * w)
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from_digit(d, 10).unwrap_or('0'),
    }
}

/// Computes the final check character (position 18) for the first 17
/// characters of a USCC, per GB 32100-2015 (MOD 31).
///
/// Meant for test fixtures and tools; it checks only length and charset.
pub fn uscc_check_char(first17: &str) -> Result<char, UsccError> {
    let found = first17.chars().count();
    if found != 17 {
        return Err(UsccError::Length { found });
    }
    Ok(check_char(&normalised_prefix(first17, 17)?))
}

/// Computes the GB 11714 check character (position 17 of a USCC, or the
/// 9th character of an organisation code) for eight characters from the
/// USCC charset.
///
/// Meant for test fixtures and tools; it checks only length and charset.
pub fn organization_code_check_char(first8: &str) -> Result<char, UsccError> {
    let found = first8.chars().count();
    if found != 8 {
        return Err(UsccError::Length { found });
    }
    Ok(organization_check(&normalised_prefix(first8, 8)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organization_check_maps_ten_to_x_and_eleven_to_zero() {
        // Weighted sums 2, 0 and 12: 11 - sum mod 11 gives 9, 11 and 10.
        assert_eq!(organization_code_check_char("00000001"), Ok('9'));
        assert_eq!(organization_code_check_char("00000000"), Ok('0'));
        assert_eq!(organization_code_check_char("00000030"), Ok('X'));
    }

    #[test]
    fn final_check_of_the_known_valid_code_is_3() {
        assert_eq!(uscc_check_char("91350100M000100Y4"), Ok('3'));
        assert_eq!(uscc_check_char("91350100m000100y4"), Ok('3'));
    }

    #[test]
    fn helpers_reject_wrong_length_and_charset() {
        assert_eq!(uscc_check_char("9135"), Err(UsccError::Length { found: 4 }));
        assert_eq!(
            organization_code_check_char("M000100I"),
            Err(UsccError::Charset {
                position: 8,
                ch: 'I'
            })
        );
    }
}
