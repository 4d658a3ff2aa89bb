//! `Choice`: one option of a `<select>` on a page, with whether it is the selected one.

pub struct Choice {
    pub code: &'static str,
    pub label: &'static str,
    pub selected: bool,
}
