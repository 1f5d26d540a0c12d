//! Full-text search over matters and one-things, with Chinese word
//! segmentation (jieba) and the catalog's synonyms.
//!
//! The index lives in memory: a city catalog of a few thousand matters is a
//! few megabytes, and rebuilding it at start costs less than a second.

use jieba_rs::Jieba;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer, TokenStream};
use tantivy::{Index, IndexReader, TantivyDocument, Term, doc};

use crate::segment::JiebaShared;
use yici_core::catalog::{Catalog, Text};

/// Why the index could not be built or queried.
#[derive(Debug, thiserror::Error)]
#[error("search index: {0}")]
pub struct SearchError(#[from] tantivy::TantivyError);

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    /// A one-thing.
    OneThing,
    /// A matter.
    Matter,
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// One-thing or matter.
    pub kind: HitKind,
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: Text,
    /// Relevance; higher is better.
    pub score: f32,
}

/// A one-thing answers a life event as a whole, so when it matches as well
/// as one of its matters it should come first.
const ONE_THING_BOOST: f32 = 1.5;
const TITLE_BOOST: f32 = 3.0;

/// Longest query accepted, in characters: what a person types into a
/// search box, not a document.
pub const MAX_QUERY_LEN: usize = 200;

/// The search index of one catalog.
pub struct SearchIndex {
    reader: IndexReader,
    zh: TextAnalyzer,
    en: TextAnalyzer,
    fields: Fields,
    /// Each synonym group, analysed into its words' tokens.
    synonyms: Vec<Vec<String>>,
}

#[derive(Clone, Copy)]
struct Fields {
    kind: Field,
    code: Field,
    name_zh: Field,
    name_en: Field,
    title: Field,
    body: Field,
    title_en: Field,
    body_en: Field,
}

fn analysers(catalog: &Catalog) -> (TextAnalyzer, TextAnalyzer) {
    // Teach jieba the catalog's own words, so that 二手房 or 歌舞厅 stay
    // one token instead of being split into characters.
    let mut jieba = Jieba::new();
    let words = catalog
        .synonyms
        .iter()
        .flat_map(|g| g.words.iter())
        .chain(catalog.matters.values().flat_map(|m| m.keywords.iter()))
        .chain(catalog.one_things.values().flat_map(|o| o.keywords.iter()));
    for w in words {
        if w.chars().count() > 1 {
            jieba.add_word(w, None, None);
        }
    }
    let zh = TextAnalyzer::builder(JiebaShared(std::sync::Arc::new(jieba)))
        .filter(LowerCaser)
        .build();
    let en = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .build();
    (zh, en)
}

fn tokens(analyser: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyser.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token().text.trim();
        if !t.is_empty() && !out.iter().any(|o: &String| o == t) {
            out.push(t.to_owned());
        }
    }
    out
}

impl SearchIndex {
    /// Indexes every matter and one-thing of the catalog.
    pub fn build(catalog: &Catalog) -> Result<Self, SearchError> {
        let mut schema = Schema::builder();
        let text = |name: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(name)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let fields = Fields {
            kind: schema.add_text_field("kind", STRING | STORED),
            code: schema.add_text_field("code", STRING | STORED),
            name_zh: schema.add_text_field("name_zh", STORED),
            name_en: schema.add_text_field("name_en", STORED),
            title: schema.add_text_field("title", text("zh")),
            body: schema.add_text_field("body", text("zh")),
            title_en: schema.add_text_field("title_en", text("en")),
            body_en: schema.add_text_field("body_en", text("en")),
        };
        let index = Index::create_in_ram(schema.build());
        let (zh, en) = analysers(catalog);
        index.tokenizers().register("zh", zh.clone());
        index.tokenizers().register("en", en.clone());
        let mut writer = index.writer_with_num_threads(1, 50_000_000)?;
        let dept = |code| {
            catalog
                .departments
                .get(code)
                .map(|d: &yici_core::catalog::Department| d.name.clone())
        };
        for m in catalog.matters.values() {
            let d = dept(&m.department);
            let materials: Vec<&Text> = m.materials.iter().map(|x| &x.name).collect();
            writer.add_document(doc!(
                fields.kind => "matter",
                fields.code => m.code.as_str(),
                fields.name_zh => &*m.name.zh,
                fields.name_en => &*m.name.en,
                fields.title => format!("{} {}", m.name.zh, m.keywords.join(" ")),
                fields.body => body(&m.description, d.as_ref(), &materials, |t| &t.zh),
                fields.title_en => &*m.name.en,
                fields.body_en => body(&m.description, d.as_ref(), &materials, |t| &t.en),
            ))?;
        }
        for o in catalog.one_things.values() {
            let names: Vec<&Text> = o
                .matters
                .iter()
                .filter_map(|c| catalog.matters.get(c))
                .map(|m| &m.name)
                .collect();
            writer.add_document(doc!(
                fields.kind => "one_thing",
                fields.code => o.code.as_str(),
                fields.name_zh => &*o.name.zh,
                fields.name_en => &*o.name.en,
                fields.title => format!("{} {}", o.name.zh, o.keywords.join(" ")),
                fields.body => body(&o.description, None, &names, |t| &t.zh),
                fields.title_en => &*o.name.en,
                fields.body_en => body(&o.description, None, &names, |t| &t.en),
            ))?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        let mut zh_q = zh.clone();
        let synonyms = catalog
            .synonyms
            .iter()
            .map(|g| {
                let mut all = Vec::new();
                for w in &g.words {
                    for t in tokens(&mut zh_q, w) {
                        if !all.contains(&t) {
                            all.push(t);
                        }
                    }
                }
                all
            })
            .collect();
        Ok(SearchIndex {
            reader,
            zh,
            en,
            fields,
            synonyms,
        })
    }

    /// The best `limit` hits for `query`, best first. An empty query finds nothing.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
        let mut zh = self.zh.clone();
        let mut en = self.en.clone();
        let mut words = tokens(&mut zh, query);
        for w in words.clone() {
            for group in self.synonyms.iter().filter(|g| g.contains(&w)) {
                for s in group {
                    if !words.contains(s) {
                        words.push(s.clone());
                    }
                }
            }
        }
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut term = |field: Field, word: &str, boost: f32| {
            let q = TermQuery::new(
                Term::from_field_text(field, word),
                IndexRecordOption::WithFreqs,
            );
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
        };
        for w in &words {
            term(f.title, w, TITLE_BOOST);
            term(f.body, w, 1.0);
        }
        for w in tokens(&mut en, query) {
            term(f.title_en, &w, TITLE_BOOST);
            term(f.body_en, &w, 1.0);
        }
        if clauses.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let query = BooleanQuery::new(clauses);
        let top = searcher.search(&query, &TopDocs::with_limit(limit * 3).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let d: TantivyDocument = searcher.doc(address)?;
            let text = |field| {
                d.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let kind = if text(f.kind) == "one_thing" {
                HitKind::OneThing
            } else {
                HitKind::Matter
            };
            let boost = if kind == HitKind::OneThing {
                ONE_THING_BOOST
            } else {
                1.0
            };
            hits.push(Hit {
                kind,
                code: text(f.code),
                name: Text {
                    zh: text(f.name_zh).into(),
                    en: text(f.name_en).into(),
                },
                score: score * boost,
            });
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.code.cmp(&b.code)));
        hits.truncate(limit);
        Ok(hits)
    }
}

fn body(
    description: &Text,
    department: Option<&Text>,
    names: &[&Text],
    lang: impl Fn(&Text) -> &std::sync::Arc<str>,
) -> String {
    let mut parts: Vec<&str> = vec![lang(description)];
    if let Some(d) = department {
        parts.push(lang(d));
    }
    parts.extend(names.iter().map(|t| &**lang(t)));
    parts.join(" ")
}
