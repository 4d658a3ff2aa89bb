//! Amounts of money in 元, kept as whole 分 (fen) so that sums are exact in SQL and in Rust.

use crate::FieldError;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Parses "4056.5", "1,200.00" or "3520万" into fen. Negative amounts, more than two decimals of a
/// 元 and absurd sizes (over a trillion 元) are refused with the field named.
pub fn parse_yuan(field: &str, text: &str) -> Result<i64, FieldError> {
    let cleaned: String = text.trim().chars().filter(|c| *c != ',' && *c != '，' && *c != ' ').collect();
    let cleaned = cleaned.trim_end_matches('元');
    let (number, scale) = if let Some(n) = cleaned.strip_suffix("亿") {
        (n, Decimal::from(100_000_000))
    } else if let Some(n) = cleaned.strip_suffix('万') {
        (n, Decimal::from(10_000))
    } else {
        (cleaned, Decimal::ONE)
    };
    let amount = Decimal::from_str(number)
        .map_err(|_| FieldError::new(field, format!("金额“{}”不是数字", text.trim())))?
        * scale;
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(FieldError::new(field, "金额不能为负数"));
    }
    if amount.normalize().scale() > 2 {
        return Err(FieldError::new(field, "金额最多精确到分（两位小数）"));
    }
    if amount > Decimal::from(1_000_000_000_000i64) {
        return Err(FieldError::new(field, "金额过大"));
    }
    let fen = (amount * Decimal::ONE_HUNDRED).trunc();
    i64::try_from(fen).map_err(|_| FieldError::new(field, "金额过大"))
}

/// Fen back to 元 as an exact decimal (2 places).
pub fn yuan(fen: i64) -> Decimal {
    Decimal::new(fen, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_yuan_become_exact_fen() {
        assert_eq!(parse_yuan("f", "4056.5").unwrap(), 405_650);
        assert_eq!(parse_yuan("f", "1,200.00").unwrap(), 120_000);
        assert_eq!(parse_yuan("f", "3520万").unwrap(), 3_520_000_000); // 35,200,000 元
        assert_eq!(parse_yuan("f", "4.06亿元").unwrap(), 40_600_000_000);
        assert_eq!(parse_yuan("f", "0").unwrap(), 0);
        assert_eq!(yuan(405_650).to_string(), "4056.50");
    }

    #[test]
    fn bad_amounts_name_the_field() {
        assert_eq!(parse_yuan("funds_planned", "-1").unwrap_err().message, "金额不能为负数");
        assert_eq!(parse_yuan("funds_planned", "1.005").unwrap_err().field, "funds_planned");
        assert!(parse_yuan("f", "abc").unwrap_err().message.contains("不是数字"));
        assert!(parse_yuan("f", "99999999999999").is_err());
    }
}
