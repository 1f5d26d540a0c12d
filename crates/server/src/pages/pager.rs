//! Where a list's page is among its pages, with links to its neighbours:
//! what every paged list of the pages shows under it (`_pager.html`).

use crate::params::Page;

/// A page of a list and its neighbours' links.
pub struct Pager {
    /// This page, from 1.
    pub page: u32,
    /// Pages in all (at least 1).
    pub pages: u64,
    /// The previous page's link.
    pub prev: Option<String>,
    /// The next page's link.
    pub next: Option<String>,
}

impl Pager {
    /// `page` of a list of `total` rows at `base` (a path without query).
    pub fn new(page: Page, total: u64, base: &str) -> Self {
        let pages = total.div_ceil(u64::from(page.per_page)).max(1);
        let link = |p: u32| format!("{base}?page={p}&per_page={}", page.per_page);
        Pager {
            page: page.page,
            pages,
            prev: (page.page > 1).then(|| link(page.page - 1)),
            next: (u64::from(page.page) < pages).then(|| link(page.page + 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_go_to_the_neighbours_that_exist() {
        let p = Pager::new(
            Page {
                page: 2,
                per_page: 20,
            },
            45,
            "/my/x",
        );
        assert_eq!(p.pages, 3);
        assert_eq!(p.prev.as_deref(), Some("/my/x?page=1&per_page=20"));
        assert_eq!(p.next.as_deref(), Some("/my/x?page=3&per_page=20"));
        let empty = Pager::new(
            Page {
                page: 1,
                per_page: 20,
            },
            0,
            "/my/x",
        );
        assert_eq!(empty.pages, 1);
        assert!(empty.prev.is_none() && empty.next.is_none());
        let last = Pager::new(
            Page {
                page: 3,
                per_page: 20,
            },
            60,
            "/my/x",
        );
        assert!(last.next.is_none() && last.prev.is_some());
    }
}
