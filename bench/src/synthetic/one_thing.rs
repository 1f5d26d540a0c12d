//! Synthetic one-things and their TOML.

use std::fmt::Write as _;

use super::matter::{Matter, render_field};
use super::pools::FIELDS;
use super::vocab::{DISTRICTS, EVENTS};
use super::{Rng, Shape, array, quote, text};

/// Code of the largest one-thing, the planner benchmark's subject.
pub const LARGEST_CODE: &str = "ot-major-project";

/// Members of an ordinary one-thing are drawn near an anchor matter, the
/// way a life event gathers the matters of a few related departments.
const NEIGHBOURHOOD: usize = 300;

/// One generated one-thing.
pub(crate) struct OneThing {
    pub code: String,
    name_zh: String,
    name_en: String,
    keywords: Vec<&'static str>,
    /// Indices of matters.
    members: Vec<usize>,
    /// (before, after), indices of matters; before is always the earlier
    /// matter, so orderings and prerequisites together stay acyclic.
    orders: Vec<(usize, usize)>,
    joint: Vec<Vec<usize>>,
    /// Indices into [`FIELDS`].
    fields: Vec<usize>,
}

/// Generates `shape.one_things` one-things, the largest among them.
pub(crate) fn generate(rng: &mut Rng, shape: &Shape, matters: &[Matter]) -> Vec<OneThing> {
    let mut out = Vec::with_capacity(shape.one_things);
    for i in 0..shape.one_things.saturating_sub(1) {
        out.push(ordinary(rng, i, matters));
    }
    if shape.one_things > 0 {
        out.push(largest(rng, shape, matters.len()));
    }
    out
}

fn ordinary(rng: &mut Rng, i: usize, matters: &[Matter]) -> OneThing {
    let n = matters.len();
    let (event_zh, event_en, keywords) = EVENTS[i % EVENTS.len()];
    let variant = (i / EVENTS.len()) % (DISTRICTS.len() + 1);
    let (name_zh, name_en) = match variant.checked_sub(1).map(|d| DISTRICTS[d]) {
        None => (format!("{event_zh}一件事"), event_en.to_owned()),
        Some((_, zh, en)) => (
            format!("{event_zh}一件事（{zh}）"),
            format!("{event_en} ({en})"),
        ),
    };
    // Skewed towards small bundles, up to 30 matters.
    let size = 2 + rng.below(29) * rng.below(29) / 28;
    let anchor = rng.below(n);
    let lo = anchor.saturating_sub(NEIGHBOURHOOD);
    let hi = (anchor + NEIGHBOURHOOD).min(n - 1);
    let size = size.min(hi - lo + 1);
    let mut members: Vec<usize> = Vec::with_capacity(size);
    while members.len() < size {
        let m = rng.range(lo, hi);
        if members.contains(&m) {
            continue;
        }
        members.push(m);
        // Often the bundle also holds what a member needs first.
        if let Some(&p) = matters[m].prereqs.first()
            && members.len() < size
            && !members.contains(&p)
            && rng.chance(50)
        {
            members.push(p);
        }
    }
    let mut orders = Vec::new();
    if members.len() >= 3 && rng.chance(40) {
        for _ in 0..rng.range(1, 3) {
            let a = *rng.pick(&members);
            let b = *rng.pick(&members);
            let pair = (a.min(b), a.max(b));
            if a != b && !orders.contains(&pair) {
                orders.push(pair);
            }
        }
    }
    let mut joint = Vec::new();
    if members.len() >= 3 && rng.chance(30) {
        let k = rng.range(2, 3);
        joint.push(pick_distinct(rng, &members, k));
    }
    let fields = if rng.chance(30) {
        let k = rng.range(1, 2);
        pick_distinct(rng, &(0..FIELDS.len()).collect::<Vec<_>>(), k)
    } else {
        Vec::new()
    };
    OneThing {
        code: format!("ot-{:04}", i + 1),
        name_zh,
        name_en,
        keywords: keywords.to_vec(),
        members,
        orders,
        joint,
        fields,
    }
}

/// The clearly largest one-thing: `shape.largest` matters from all over
/// the catalog in `shape.largest_stages` stages, each matter of a stage
/// ordered after one or two matters of the stage before.
fn largest(rng: &mut Rng, shape: &Shape, n: usize) -> OneThing {
    let all: Vec<usize> = (0..n).collect();
    let mut members = pick_distinct(rng, &all, shape.largest.min(n));
    members.sort_unstable();
    let stages = shape.largest_stages.max(1);
    let stage_of = |pos: usize| pos * stages / members.len();
    let mut orders = Vec::new();
    for (pos, &after) in members.iter().enumerate() {
        let s = stage_of(pos);
        if s == 0 {
            continue;
        }
        let previous: Vec<usize> = (0..pos)
            .filter(|&p| stage_of(p) == s - 1)
            .map(|p| members[p])
            .collect();
        let k = rng.range(1, 2);
        for before in pick_distinct(rng, &previous, k) {
            orders.push((before, after));
        }
    }
    let joint = vec![
        pick_distinct(rng, &members, 4),
        pick_distinct(rng, &members, 3),
    ];
    let fields = (0..FIELDS.len())
        .filter(|&f| FIELDS[f].key.starts_with("project."))
        .collect();
    OneThing {
        code: LARGEST_CODE.to_owned(),
        name_zh: "重大产业项目落地一件事".to_owned(),
        name_en: "Land a major industrial project".to_owned(),
        keywords: vec!["重大项目", "项目落地", "招商引资", "开工"],
        members,
        orders,
        joint,
        fields,
    }
}

/// `k` distinct elements of `items` (all of them when there are fewer).
fn pick_distinct(rng: &mut Rng, items: &[usize], k: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(k);
    while out.len() < k.min(items.len()) {
        let x = *rng.pick(items);
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

impl OneThing {
    /// The one-thing's file.
    pub(crate) fn render(&self, matters: &[Matter]) -> String {
        let code = |i: usize| matters[i].code.as_str();
        let mut departments: Vec<usize> = self.members.iter().map(|&m| matters[m].dept).collect();
        departments.sort_unstable();
        departments.dedup();
        let mut s = format!(
            "[one_thing]\ncode = {}\nname = {}\ndescription = {}\nmatters = [\n",
            quote(&self.code),
            text(&self.name_zh, &self.name_en),
            text(
                &format!(
                    "{}：一次告知、一表申请、一窗受理，{}个部门并联审批，材料共享、结果互认。",
                    self.name_zh,
                    departments.len()
                ),
                &format!(
                    "{}: told once, one form, one window; {} departments review in parallel and share materials and results.",
                    self.name_en,
                    departments.len()
                )
            )
        );
        for &m in &self.members {
            let _ = writeln!(s, "  {},", quote(code(m)));
        }
        let _ = writeln!(s, "]\nkeywords = {}", array(&self.keywords));
        for &(before, after) in &self.orders {
            let _ = write!(
                s,
                "\n[[one_thing.order]]\nbefore = {}\nafter = {}\n",
                quote(code(before)),
                quote(code(after))
            );
        }
        for group in &self.joint {
            let codes: Vec<&str> = group.iter().map(|&m| code(m)).collect();
            let _ = write!(
                s,
                "\n[[one_thing.joint_inspection]]\nname = {}\nmatters = {}\n",
                text("联合踏勘", "Joint site inspection"),
                array(&codes)
            );
        }
        for &f in &self.fields {
            render_field(&mut s, "one_thing", f);
        }
        s
    }
}
