//! Checking user fields as typed.

use bangdu_domain::field_error::{FieldError, optional_text, required_text};

/// 3–32 characters: lower-case letters, digits, `_`, `.`, `-`; stored lower-case.
pub fn username(text: &str) -> Result<String, FieldError> {
    let name = text.trim().to_lowercase();
    let ok_chars = name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-'));
    if !(3..=32).contains(&name.len()) || !ok_chars {
        return Err(FieldError::new("username", "用户名须为 3–32 位字母、数字或 _ . -"));
    }
    Ok(name)
}

pub fn display_name(text: &str) -> Result<String, FieldError> {
    required_text("display_name", "姓名", text, 50)
}

/// An optional e-mail address for notices: one `@` with a name before it and a domain with a dot
/// after it, no spaces, at most 254 characters. (Whether mail arrives is the SMTP server's say.)
pub fn email(text: &str) -> Result<Option<String>, FieldError> {
    let Some(email) = optional_text("email", "电子邮箱", text, 254)? else {
        return Ok(None);
    };
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
                && !email.contains(['<', '>', ',', ';', '"'])
        }
        None => false,
    };
    if !valid {
        return Err(FieldError::new("email", "电子邮箱格式不对，应如 name@example.gov.cn"));
    }
    Ok(Some(email))
}

/// An optional phone number: digits with an optional leading `+` and `-` separators.
pub fn phone(text: &str) -> Result<Option<String>, FieldError> {
    let Some(phone) = optional_text("phone", "电话", text, 20)? else {
        return Ok(None);
    };
    let digits = phone.trim_start_matches('+').replace('-', "");
    if digits.len() < 5 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::new("phone", "电话号码只能包含数字、开头的 + 和 -"));
    }
    Ok(Some(phone))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_and_phones() {
        assert_eq!(username(" Office.JJ ").unwrap(), "office.jj");
        assert!(username("ab").is_err());
        assert!(username("张三").is_err());
        assert!(username("a b c").is_err());
        assert_eq!(phone("").unwrap(), None);
        assert_eq!(phone("0595-12345").unwrap().as_deref(), Some("0595-12345"));
        assert!(phone("call me").is_err());
        assert_eq!(email(" li@jj.gov.cn ").unwrap().as_deref(), Some("li@jj.gov.cn"));
        assert_eq!(email("").unwrap(), None);
        for bad in
            ["li", "li@", "@jj.gov.cn", "li@jj", "li@@jj.gov.cn", "li @jj.gov.cn", "a@b.cn, c@d.cn", "li@jj.gov.cn."]
        {
            assert_eq!(email(bad).unwrap_err().field, "email", "{bad}");
        }
    }
}
