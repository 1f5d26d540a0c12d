//! Text of the catalog, in the two languages of its pages.

use serde::Serialize;

/// Text in Chinese and English. Chinese is authoritative; English is for
/// foreign investors and visitors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Text {
    /// Chinese text. Shared, because plans copy names a great deal.
    pub zh: std::sync::Arc<str>,
    /// English text.
    pub en: std::sync::Arc<str>,
}

impl Text {
    /// The text in the language `lang` ("en" gives English, anything else Chinese).
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" { &self.en } else { &self.zh }
    }
}
