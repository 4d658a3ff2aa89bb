//! The columns of a 12345 export, read without configuration: each field with the headers that mean
//! it in the exports of the platforms in use (福建 12345 and the like). Other layouts add a saved
//! mapping (列名=字段).

/// (field, the headers that mean it). The first header is the one our own export writes.
pub const FIELDS: &[(&str, &[&str])] = &[
    ("external_id", &["工单编号", "工单号", "受理编号", "编号", "external_id"]),
    ("received_at", &["来电时间", "受理时间", "登记时间", "诉求时间", "received_at"]),
    ("content", &["诉求内容", "来电内容", "内容", "问题描述", "content"]),
    ("address", &["诉求地址", "事发地址", "地址", "address"]),
    ("region", &["所属区域", "所属区县", "区域", "行政区划", "region"]),
    ("category", &["诉求分类", "问题分类", "分类", "业务类别", "category"]),
    ("unit", &["承办单位", "办理单位", "主办单位", "unit"]),
    ("status", &["办理状态", "工单状态", "状态", "status"]),
    ("satisfaction", &["满意度", "回访满意度", "评价结果", "satisfaction"]),
    ("channel", &["来源", "诉求渠道", "渠道", "channel"]),
    ("caller_name", &["来电人", "诉求人", "姓名", "caller_name"]),
    ("caller_phone", &["联系电话", "来电号码", "电话", "caller_phone"]),
    ("answer", &["办理结果", "答复内容", "回复内容", "answer"]),
];

/// The field a header means, by the built-in names or a saved mapping (header → field).
pub fn field_of<'a>(header: &str, mapping: &'a [(String, String)]) -> Option<&'a str>
where
    'static: 'a,
{
    let header = header.trim().trim_start_matches('\u{feff}');
    if let Some((_, field)) = mapping.iter().find(|(h, _)| h.trim() == header) {
        return FIELDS.iter().find(|(f, _)| f == field).map(|(f, _)| *f);
    }
    FIELDS.iter().find(|(_, names)| names.contains(&header)).map(|(f, _)| *f)
}

/// The fields every row needs.
pub const REQUIRED: &[&str] = &["external_id", "received_at", "content"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_export_reads_as_is_and_a_mapping_adds_a_layout() {
        let none: Vec<(String, String)> = vec![];
        for (header, field) in [
            ("工单编号", "external_id"),
            ("\u{feff}来电时间", "received_at"),
            ("所属区域", "region"),
            ("联系电话", "caller_phone"),
        ] {
            assert_eq!(field_of(header, &none), Some(field), "{header}");
        }
        assert_eq!(field_of("反映事项", &none), None);
        let mapping =
            vec![("反映事项".to_string(), "content".to_string()), ("乱写".to_string(), "nothing".to_string())];
        assert_eq!(field_of("反映事项", &mapping), Some("content"));
        assert_eq!(field_of("乱写", &mapping), None, "a mapping to an unknown field means nothing");
        // Each header means one field.
        let mut all: Vec<&str> = FIELDS.iter().flat_map(|(_, names)| names.iter().copied()).collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n, "a header listed for two fields");
    }
}
