//! Password policy for a 等保 level-3 review: at least 8 characters with 3 of the 4 character
//! classes, at most 128 characters, and not containing the user name.

use crate::field_error::FieldError;

pub const MIN_LENGTH: usize = 8;
pub const MAX_LENGTH: usize = 128;

/// Checks a new password against the policy. `username` may be empty when unknown.
pub fn check_policy(password: &str, username: &str) -> Result<(), FieldError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(FieldError::new("password", format!("密码至少 {MIN_LENGTH} 位")));
    }
    if length > MAX_LENGTH {
        return Err(FieldError::new("password", format!("密码不能超过 {MAX_LENGTH} 位")));
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|present| **present).count() < 3 {
        return Err(FieldError::new("password", "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类"));
    }
    let name = username.trim().to_lowercase();
    if name.chars().count() >= 3 && password.to_lowercase().contains(&name) {
        return Err(FieldError::new("password", "密码不能包含用户名"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_three_of_four_classes() {
        assert!(check_policy("Abcdefg1", "").is_ok());
        assert!(check_policy("abcdef1!", "").is_ok());
        assert!(check_policy("ABCDEF1!", "").is_ok());
        assert!(check_policy("Abcdefg!", "").is_ok());
        assert!(check_policy("帮督帮督Ab1x", "").is_ok());
    }

    #[test]
    fn rejects_short_two_classes_long_and_username() {
        assert!(check_policy("Ab1!", "").is_err());
        assert!(check_policy("abcdefgh1", "").is_err());
        assert!(check_policy("ABCDEFGHI", "").is_err());
        assert!(check_policy(&format!("Aa1!{}", "x".repeat(125)), "").is_err());
        assert_eq!(check_policy("Zhangsan@2025", "zhangsan").unwrap_err().message, "密码不能包含用户名");
    }
}
