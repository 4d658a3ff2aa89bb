//! Pagination links for list pages, keeping the current filters in the links.

use bangdu_store::paging::Paged;

pub struct PageLink {
    pub label: String,
    pub href: Option<String>,
    pub current: bool,
}

pub struct Pager {
    pub total: i64,
    pub page: u64,
    pub pages: u64,
    pub links: Vec<PageLink>,
}

impl Pager {
    /// `params` are the current filters (without `page`), kept in every link.
    pub fn new<T>(paged: &Paged<T>, path: &str, params: &[(&str, String)]) -> Pager {
        let pages = paged.pages();
        let href = |page: u64| {
            let mut query = form_urlencoded::Serializer::new(String::new());
            for (key, value) in params.iter().filter(|(_, v)| !v.is_empty()) {
                query.append_pair(key, value);
            }
            query.append_pair("page", &page.to_string());
            format!("{path}?{}", query.finish())
        };
        let mut links = Vec::new();
        if paged.page > 1 {
            links.push(PageLink { label: "上一页".into(), href: Some(href(paged.page - 1)), current: false });
        }
        let first = paged.page.saturating_sub(3).max(1);
        let last = (paged.page + 3).min(pages);
        for p in first..=last {
            links.push(PageLink { label: p.to_string(), href: Some(href(p)), current: p == paged.page });
        }
        if paged.page < pages {
            links.push(PageLink { label: "下一页".into(), href: Some(href(paged.page + 1)), current: false });
        }
        Pager { total: paged.total, page: paged.page, pages, links }
    }
}
