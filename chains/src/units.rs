//! Amounts as people read them: whole units from an integer of base units (wei, satoshi, sun,
//! lamports, token units) of any size, with the token's decimals.

/// The decimal digits of a big-endian hex number (`0x` optional), or None when it is not hex.
pub fn hex_to_decimal(hex: &str) -> Option<String> {
    let hex = hex.strip_prefix("0x").unwrap_or(hex);
    if hex.is_empty() {
        return Some("0".into());
    }
    // Little-endian base-10^9 limbs: each hex digit multiplies by 16 and adds.
    let mut limbs: Vec<u64> = vec![0];
    for c in hex.chars() {
        let mut carry = u64::from(c.to_digit(16)?);
        for limb in &mut limbs {
            let value = *limb * 16 + carry;
            *limb = value % 1_000_000_000;
            carry = value / 1_000_000_000;
        }
        if carry > 0 {
            limbs.push(carry);
        }
    }
    let mut digits = limbs.last().copied().unwrap_or(0).to_string();
    for limb in limbs.iter().rev().skip(1) {
        digits.push_str(&format!("{limb:09}"));
    }
    Some(digits)
}

/// `digits` base units shown with `decimals` places, trailing zeros dropped: `12500000`, 6 →
/// `12.5`.
pub fn with_decimals(digits: &str, decimals: u32) -> String {
    let digits = digits.trim_start_matches('0');
    let decimals = decimals as usize;
    if digits.is_empty() {
        return "0".into();
    }
    let padded = format!("{digits:0>width$}", width = decimals + 1);
    let (whole, fraction) = padded.split_at(padded.len() - decimals);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() { whole.to_owned() } else { format!("{whole}.{fraction}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_beyond_u128_converts_exactly() {
        assert_eq!(hex_to_decimal("0x0").as_deref(), Some("0"));
        assert_eq!(hex_to_decimal("0xde0b6b3a7640000").as_deref(), Some("1000000000000000000"));
        let max = format!("0x{}", "f".repeat(64));
        assert_eq!(
            hex_to_decimal(&max).as_deref(),
            Some("115792089237316195423570985008687907853269984665640564039457584007913129639935")
        );
        assert_eq!(hex_to_decimal("0xzz"), None);
    }

    #[test]
    fn decimals_place_the_point_and_drop_trailing_zeros() {
        assert_eq!(with_decimals("12500000", 6), "12.5");
        assert_eq!(with_decimals("1000000000000000000", 18), "1");
        assert_eq!(with_decimals("1", 18), "0.000000000000000001");
        assert_eq!(with_decimals("0", 6), "0");
        assert_eq!(with_decimals("150000", 8), "0.0015");
        assert_eq!(with_decimals("42", 0), "42");
    }
}
