//! Personal data as lists show it: a phone number keeps its first three and last four digits
//! (138****1234), a landline its area code and last four (0595-****1234), a name its first character
//! (张*, 欧阳**). Only roles that need the caller see the clear value, on the appeal's own page.

/// A phone number masked for lists.
pub fn phone(text: &str) -> String {
    let t = text.trim();
    let digits: Vec<char> = t.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 7 {
        return "*".repeat(digits.len().max(1));
    }
    let last: String = digits[digits.len() - 4..].iter().collect();
    if let Some((area, _)) = t.split_once('-')
        && area.starts_with('0')
        && area.len() <= 4
    {
        return format!("{area}-****{last}");
    }
    let first: String = digits[..3].iter().collect();
    format!("{first}****{last}")
}

/// A name masked for lists: the first character, then one * per further character.
pub fn name(text: &str) -> String {
    let mut chars = text.trim().chars();
    match chars.next() {
        None => String::new(),
        Some(first) => format!("{first}{}", "*".repeat(chars.count())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_names_keep_only_what_identifies_no_one() {
        assert_eq!(phone("13812341234"), "138****1234");
        assert_eq!(phone("+86 138 1234 1234"), "861****1234");
        assert_eq!(phone("0595-22561234"), "0595-****1234");
        assert_eq!(phone("12345"), "*****");
        assert_eq!(phone(""), "*");
        assert_eq!(name("张三"), "张*");
        assert_eq!(name("欧阳娜娜"), "欧***");
        assert_eq!(name(" "), "");
    }
}
