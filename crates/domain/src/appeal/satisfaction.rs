//! 好差评: the national five levels of satisfaction, read from what exports and people write.

coded_enum!(
    /// 非常满意 … 非常不满意.
    Satisfaction {
        VerySatisfied = "very_satisfied" / "非常满意",
        Satisfied = "satisfied" / "满意",
        Basic = "basic" / "基本满意",
        Dissatisfied = "dissatisfied" / "不满意",
        VeryDissatisfied = "very_dissatisfied" / "非常不满意",
    }
);

impl Satisfaction {
    /// The level as exports write it: the five labels, their usual variants (很满意, 比较满意, 一般,
    /// 很不满意), or a score 1–5 (5 best). A blank cell is no rating; anything else is the field's error.
    pub fn from_export(field: &str, text: &str) -> Result<Option<Satisfaction>, crate::field_error::FieldError> {
        let t = text.trim();
        Ok(Some(match t {
            "" | "未评价" | "未回访" | "-" | "—" => return Ok(None),
            "5" | "很满意" => Satisfaction::VerySatisfied,
            "4" | "比较满意" => Satisfaction::Satisfied,
            "3" | "一般" => Satisfaction::Basic,
            "2" => Satisfaction::Dissatisfied,
            "1" | "很不满意" => Satisfaction::VeryDissatisfied,
            other => {
                return Satisfaction::parse(other).map(Some).ok_or_else(|| {
                    let labels: Vec<&str> = Satisfaction::ALL.iter().map(|s| s.label()).collect();
                    crate::field_error::FieldError::new(
                        field,
                        format!("满意度“{other}”应为{}或 1–5 分", labels.join("、")),
                    )
                });
            }
        }))
    }

    /// A rating that sends the item back for a look (回头看).
    pub fn is_bad(self) -> bool {
        matches!(self, Satisfaction::Dissatisfied | Satisfaction::VeryDissatisfied)
    }

    /// Counts as satisfied in the satisfaction rate (非常满意, 满意, 基本满意).
    pub fn counts_as_satisfied(self) -> bool {
        !self.is_bad()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_cells_read_as_levels() {
        let read = |text: &str| Satisfaction::from_export("satisfaction", text);
        assert_eq!(read("非常满意"), Ok(Some(Satisfaction::VerySatisfied)));
        assert_eq!(read(" 基本满意 "), Ok(Some(Satisfaction::Basic)));
        assert_eq!(read("2"), Ok(Some(Satisfaction::Dissatisfied)));
        assert_eq!(read("很不满意"), Ok(Some(Satisfaction::VeryDissatisfied)));
        assert_eq!(read(""), Ok(None));
        let e = read("还行吧").unwrap_err();
        assert_eq!(e.field, "satisfaction");
        assert!(e.message.starts_with("满意度“还行吧”应为非常满意、满意"), "{}", e.message);
        assert!(Satisfaction::Dissatisfied.is_bad() && !Satisfaction::Basic.is_bad());
    }
}
