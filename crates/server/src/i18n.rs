//! Chinese and English text of the pages.
//!
//! The catalog carries its own bilingual text; this module holds only the
//! words of the pages themselves, in `i18n/zh.toml` and `i18n/en.toml`.
//! Two flat files of a few dozen strings do not need a message-format
//! engine; a missing key shows the key itself, and a test keeps both
//! files in step.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A language of the pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// 中文 (the default).
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Reads a language code: `en…` is English, anything else Chinese.
    pub fn from_code(code: &str) -> Self {
        if code.trim().to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// The code used in URLs, cookies and `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The words of the pages in this language.
    pub fn words(self) -> &'static Words {
        static ZH: OnceLock<Words> = OnceLock::new();
        static EN: OnceLock<Words> = OnceLock::new();
        match self {
            Lang::Zh => ZH.get_or_init(|| Words::parse(include_str!("../i18n/zh.toml"))),
            Lang::En => EN.get_or_init(|| Words::parse(include_str!("../i18n/en.toml"))),
        }
    }
}

/// The translated words of one language.
#[derive(Debug)]
pub struct Words(BTreeMap<String, String>);

impl Words {
    fn parse(text: &str) -> Self {
        // The files are compiled in and checked by a test; an unreadable one
        // degrades to showing keys rather than stopping the server.
        Words(toml::from_str(text).unwrap_or_default())
    }

    /// The text for `key`, or the key itself when it is missing.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.0.get(key).map_or(key, String::as_str)
    }

    /// The keys defined.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.keys()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_define_the_same_keys() {
        let zh: Vec<_> = Lang::Zh.words().keys().collect();
        let en: Vec<_> = Lang::En.words().keys().collect();
        assert!(!zh.is_empty(), "zh.toml parsed to nothing");
        assert_eq!(zh, en);
    }

    #[test]
    fn english_is_chosen_by_its_code_prefix() {
        assert_eq!(Lang::from_code("en-US"), Lang::En);
        assert_eq!(Lang::from_code("zh-CN"), Lang::Zh);
        assert_eq!(Lang::from_code(""), Lang::Zh);
    }
}
