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
    /// 每页 20 / 50 / 100 / 200: the same list from its first page with that many rows.
    pub sizes: Vec<PageLink>,
}

/// The page sizes a list offers.
pub const SIZES: [u64; 4] = [20, 50, 100, 200];

/// The page size asked for (`per_page`), if it is one the lists offer; else the list's own.
pub fn size(asked: &Option<String>, default: &str) -> Option<String> {
    let asked = asked.as_deref().and_then(|s| s.trim().parse::<u64>().ok()).filter(|n| SIZES.contains(n));
    Some(asked.map_or_else(|| default.to_string(), |n| n.to_string()))
}

impl Pager {
    /// `params` are the current filters (without `page`), kept in every link.
    pub fn new<T>(paged: &Paged<T>, path: &str, params: &[(&str, String)]) -> Pager {
        let pages = paged.pages();
        let link = |page: u64, per_page: u64| {
            let mut query = form_urlencoded::Serializer::new(String::new());
            for (key, value) in params.iter().filter(|(k, v)| !v.is_empty() && *k != "per_page") {
                query.append_pair(key, value);
            }
            query.append_pair("page", &page.to_string());
            query.append_pair("per_page", &per_page.to_string());
            format!("{path}?{}", query.finish())
        };
        let href = |page: u64| link(page, paged.per_page);
        let sizes = SIZES
            .iter()
            .map(|n| PageLink {
                label: n.to_string(),
                href: (*n != paged.per_page).then(|| link(1, *n)),
                current: *n == paged.per_page,
            })
            .collect();
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
        Pager { total: paged.total, page: paged.page, pages, links, sizes }
    }
}
