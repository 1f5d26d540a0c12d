//! A synthetic catalog at the scale of a province-wide list: 10,000 matters
//! and 1,000 one-things by default, written in the documented format
//! (`catalog/README.md`) so that `yici_catalog::load_dir` reads it like any
//! government's directory.
//!
//! The shape follows real lists: 3–10 materials per matter (from the
//! applicant, from the exchange under a grant, produced by the department),
//! 3–12 form fields from shared semantic keys with one definition each,
//! prerequisites that form a DAG, one-things of 2–30 matters with some
//! orderings, and one clearly largest one-thing of 60 matters in stages.
//!
//! The output depends only on [`Shape`]: a seeded SplitMix64 drives every
//! choice, so two runs write byte-identical directories.

mod matter;
mod one_thing;
mod pools;
mod queries;
mod vocab;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

pub use one_thing::LARGEST_CODE;
pub use queries::search_queries;

/// How big a catalog to write.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Matters.
    pub matters: usize,
    /// One-things, the largest included.
    pub one_things: usize,
    /// Matters of the largest one-thing.
    pub largest: usize,
    /// Parallel stages of the largest one-thing.
    pub largest_stages: usize,
    /// PRNG seed.
    pub seed: u64,
}

impl Default for Shape {
    fn default() -> Self {
        Shape {
            matters: 10_000,
            one_things: 1_000,
            largest: 60,
            largest_stages: 6,
            seed: 0x5EED_2016_0001,
        }
    }
}

/// What was written.
#[derive(Debug, Clone)]
pub struct Written {
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Matters.
    pub matters: usize,
    /// One-things.
    pub one_things: usize,
    /// Departments.
    pub departments: usize,
    /// Data sets.
    pub datasets: usize,
    /// (matter, data set) read grants.
    pub grants: usize,
}

/// SplitMix64: tiny, fast, and good enough to pick words.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Read grants being collected: data set → matter code → fields.
pub(crate) type Grants = BTreeMap<&'static str, BTreeMap<String, BTreeSet<&'static str>>>;

/// Writes a catalog of `shape` into `dir` (created if missing; existing
/// catalog files of the same names are overwritten).
pub fn write(dir: &Path, shape: &Shape) -> io::Result<Written> {
    let mut rng = Rng::new(shape.seed);
    let mut grants = Grants::new();
    let matters = matter::generate(&mut rng, shape.matters, &mut grants);
    let one_things = one_thing::generate(&mut rng, shape, &matters);
    let mut out = Output::new(dir)?;
    out.file("regions.toml", &regions())?;
    out.file("departments.toml", &departments())?;
    out.file("windows.toml", &windows())?;
    out.file("synonyms.toml", &synonyms())?;
    for (code, text) in datasets(&grants) {
        out.file(&format!("datasets/{code}.toml"), &text)?;
    }
    for (dept, text) in matter::render_by_department(&matters) {
        out.file(&format!("matters/{dept}.toml"), &text)?;
    }
    for o in &one_things {
        out.file(&format!("one-things/{}.toml", o.code), &o.render(&matters))?;
    }
    Ok(Written {
        files: out.files,
        bytes: out.bytes,
        matters: matters.len(),
        one_things: one_things.len(),
        departments: vocab::DEPARTMENTS.len(),
        datasets: pools::DATASETS.len(),
        grants: grants.values().map(BTreeMap::len).sum(),
    })
}

struct Output<'a> {
    dir: &'a Path,
    files: usize,
    bytes: u64,
}

impl<'a> Output<'a> {
    fn new(dir: &'a Path) -> io::Result<Self> {
        for sub in ["datasets", "matters", "one-things"] {
            fs::create_dir_all(dir.join(sub))?;
        }
        Ok(Output {
            dir,
            files: 0,
            bytes: 0,
        })
    }

    fn file(&mut self, name: &str, text: &str) -> io::Result<()> {
        fs::write(self.dir.join(name), text)?;
        self.files += 1;
        self.bytes += text.len() as u64;
        Ok(())
    }
}

/// A TOML basic string.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A bilingual text inline table.
pub(crate) fn text(zh: &str, en: &str) -> String {
    format!("{{ zh = {}, en = {} }}", quote(zh), quote(en))
}

/// A TOML array of strings.
pub(crate) fn array<S: AsRef<str>>(items: &[S]) -> String {
    let inner: Vec<String> = items.iter().map(|s| quote(s.as_ref())).collect();
    format!("[{}]", inner.join(", "))
}

fn regions() -> String {
    let mut s = String::from("# Zhejiang, Ningbo and its districts and counties (GB/T 2260).\n");
    let mut region = |code: &str, zh: &str, en: &str| {
        let _ = write!(
            s,
            "\n[[region]]\ncode = {}\nname = {}\n",
            quote(code),
            text(zh, en)
        );
    };
    region("330000", "浙江省", "Zhejiang");
    region("330200", "宁波市", "Ningbo");
    for (code, zh, en) in vocab::DISTRICTS {
        region(code, zh, en);
    }
    s
}

fn departments() -> String {
    let mut s = String::from("# Departments of the synthetic city government.\n");
    for (code, zh, en) in vocab::DEPARTMENTS {
        let _ = write!(
            s,
            "\n[[department]]\ncode = {}\nname = {}\nregion = \"330200\"\n",
            quote(code),
            text(zh, &format!("Ningbo {en}"))
        );
    }
    s
}

fn windows() -> String {
    let mut s = String::from("# Comprehensive window areas of the service centre.\n");
    for (i, (code, zh, en)) in vocab::WINDOWS.iter().enumerate() {
        let _ = write!(
            s,
            "\n[[window]]\ncode = {}\nname = {}\nregion = \"330200\"\naddress = {}\n",
            quote(code),
            text(zh, en),
            text(
                &format!("宁波市行政服务中心{}楼", i / 3 + 1),
                &format!("Floor {}, Ningbo Administrative Service Center", i / 3 + 1)
            )
        );
    }
    s
}

fn synonyms() -> String {
    let mut s = String::from("# Search synonyms.\n");
    for words in vocab::SYNONYMS {
        let _ = write!(s, "\n[[synonyms]]\nwords = {}\n", array(words));
    }
    s
}

fn datasets(grants: &Grants) -> Vec<(&'static str, String)> {
    pools::DATASETS
        .iter()
        .map(|(code, zh, en, owner, personal, fields)| {
            let mut s = format!(
                "[dataset]\ncode = {}\nname = {}\nowner = {}\npersonal = {personal}\n",
                quote(code),
                text(zh, en),
                quote(owner)
            );
            for (key, zh, en) in *fields {
                let _ = write!(
                    s,
                    "\n[[dataset.field]]\nkey = {}\nname = {}\n",
                    quote(key),
                    text(zh, en)
                );
            }
            s.push_str("\n[dataset.grants]\n");
            for (matter, fields) in grants.get(code).into_iter().flatten() {
                let fields: Vec<&str> = fields.iter().copied().collect();
                let _ = writeln!(s, "{} = {}", quote(matter), array(&fields));
            }
            (*code, s)
        })
        .collect()
}
