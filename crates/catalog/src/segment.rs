//! Chinese word segmentation for the search index: jieba behind an `Arc`.
//!
//! `tantivy-jieba` holds its dictionary by value, and tantivy clones an
//! analyzer for every token stream it opens, so every query copied the
//! whole dictionary (93 % of search time in bench/RESULTS.md). These thirty
//! lines share one dictionary instead.

use std::sync::Arc;

use jieba_rs::{Jieba, TokenizeMode};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// A tantivy tokenizer over a shared jieba dictionary, in search mode (long
/// words are also cut into their shorter words, so 二手房 finds 二手).
#[derive(Clone)]
pub(crate) struct JiebaShared(pub Arc<Jieba>);

/// The tokens of one text.
pub(crate) struct Tokens {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for JiebaShared {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        let tokens = self
            .0
            .tokenize(text, TokenizeMode::Search, true)
            .into_iter()
            .filter(|t| !t.word.trim().is_empty())
            .enumerate()
            .map(|(position, t)| Token {
                offset_from: t.byte_start,
                offset_to: t.byte_end,
                position,
                text: t.word.to_owned(),
                position_length: 1,
            })
            .collect();
        Tokens { tokens, next: 0 }
    }
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}
