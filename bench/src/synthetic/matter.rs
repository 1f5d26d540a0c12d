//! Synthetic matters and their TOML.

use std::fmt::Write as _;

use super::pools::{FIELDS, MATERIALS};
use super::vocab::{ACTIONS, DEPARTMENTS, LAWS, OBJECTS, SCOPES};
use super::{Grants, Rng, array, quote, text};

/// Prerequisites are drawn from the matters written just before, so that
/// the graph is a DAG (edges only point to earlier matters) with chains of
/// realistic depth rather than one catalog-long line.
const PREREQUISITE_WINDOW: usize = 400;

/// One generated matter.
pub(crate) struct Matter {
    pub code: String,
    pub dept: usize,
    pub name_zh: String,
    pub name_en: String,
    pub keywords: Vec<&'static str>,
    kind: &'static str,
    level: &'static str,
    law: (usize, usize),
    statutory: usize,
    promised: usize,
    online: bool,
    pub trips: u8,
    delivery: &'static [&'static str],
    result: String,
    /// Indices of earlier matters.
    pub prereqs: Vec<usize>,
    materials: Vec<Material>,
    /// Indices into [`FIELDS`].
    fields: Vec<usize>,
    fee: Option<u64>,
}

struct Material {
    key: String,
    zh: String,
    en: String,
    source: &'static str,
    original: bool,
    deficiency: bool,
    result_of: Option<usize>,
}

const REMOTE: &[&[&str]] = &[
    &["electronic"],
    &["electronic", "express"],
    &["electronic", "express", "window"],
    &["express", "window"],
];
const ANY: &[&[&str]] = &[
    &["window"],
    &["express", "window"],
    &["electronic", "window"],
];
const LIMITS: &[usize] = &[1, 3, 5, 7, 10, 15, 20, 30, 45, 60];
const FEES: &[u64] = &[1000, 2000, 5000, 8000, 12000];

/// Generates `n` matters, recording the read grants their exchange sources
/// and pre-fills need.
pub(crate) fn generate(rng: &mut Rng, n: usize, grants: &mut Grants) -> Vec<Matter> {
    let mut seq = vec![0usize; DEPARTMENTS.len()];
    let mut out: Vec<Matter> = Vec::with_capacity(n);
    for i in 0..n {
        // Skewed towards the first departments, as real lists are.
        let dept = rng
            .below(DEPARTMENTS.len())
            .min(rng.below(DEPARTMENTS.len()));
        seq[dept] += 1;
        let code = format!(
            "330200-{}-{:04}",
            DEPARTMENTS[dept].0.to_uppercase(),
            seq[dept]
        );
        let (obj_zh, obj_en, keywords) = *rng.pick(OBJECTS);
        let (act_zh, act_en, kind) = *rng.pick(ACTIONS);
        let (scope_zh, scope_en) = *rng.pick(SCOPES);
        let trips = match rng.below(100) {
            0..85 => 0,
            85..97 => 1,
            _ => rng.range(2, 3) as u8,
        };
        let online = trips == 0 || rng.chance(60);
        let delivery = if trips == 0 {
            *rng.pick(REMOTE)
        } else {
            *rng.pick(ANY)
        };
        let level = match rng.below(10) {
            0..7 => "city",
            7..9 => "county",
            _ => "province",
        };
        let statutory = *rng.pick(LIMITS);
        let promised = (statutory * rng.range(20, 100) / 100).max(1);
        let result = match (kind, rng.below(2)) {
            ("licence", _) | ("confirmation", 0) => format!(
                "{{ kind = \"certificate\", certificate_type = \"{}-{}\" }}",
                DEPARTMENTS[dept].0,
                obj_en.replace(' ', "-")
            ),
            ("confirmation" | "public_service", _) => "{ kind = \"paper\" }".to_owned(),
            _ => "{ kind = \"none\" }".to_owned(),
        };
        let mut prereqs = Vec::new();
        if i > 0 && rng.chance(30) {
            for _ in 0..rng.range(1, 2) {
                let p = rng.range(i.saturating_sub(PREREQUISITE_WINDOW), i - 1);
                if !prereqs.contains(&p) {
                    prereqs.push(p);
                }
            }
        }
        let mut m = Matter {
            code,
            dept,
            name_zh: format!("{obj_zh}{act_zh}{scope_zh}"),
            name_en: capitalized(&format!("{obj_en} {act_en}{scope_en}")),
            keywords: keywords.to_vec(),
            kind,
            level,
            law: (rng.below(LAWS.len()), rng.range(2, 80)),
            statutory,
            promised,
            online,
            trips,
            delivery,
            result,
            prereqs,
            materials: Vec::new(),
            fields: Vec::new(),
            fee: rng.chance(15).then(|| *rng.pick(FEES)),
        };
        m.materials = materials(rng, &m, &out);
        let field_count = rng.range(3, 12);
        m.fields = distinct(rng, field_count, FIELDS.len());
        record_grants(&m, grants);
        out.push(m);
    }
    out
}

/// `count` distinct indices below `n`, in drawing order.
fn distinct(rng: &mut Rng, count: usize, n: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(count);
    while out.len() < count.min(n) {
        let i = rng.below(n);
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

fn materials(rng: &mut Rng, m: &Matter, earlier: &[Matter]) -> Vec<Material> {
    let total = rng.range(3, 10);
    let mut out: Vec<Material> = m
        .prereqs
        .iter()
        .map(|&p| Material {
            key: format!("result.{}", earlier[p].code.to_lowercase()),
            zh: format!("{}结果文书", earlier[p].name_zh),
            en: format!("Result of {}", earlier[p].name_en),
            source: "exchange:ecert.certificate_no",
            original: false,
            deficiency: false,
            result_of: Some(p),
        })
        .collect();
    let from_pool = total.saturating_sub(out.len()).max(1);
    let mut original_left = m.trips > 0 && rng.chance(50);
    for i in distinct(rng, from_pool, MATERIALS.len()) {
        let (key, zh, en, source) = MATERIALS[i];
        let original = original_left && source == "applicant";
        original_left &= !original;
        out.push(Material {
            key: key.to_owned(),
            zh: zh.to_owned(),
            en: en.to_owned(),
            source,
            original,
            deficiency: source == "applicant" && rng.chance(15),
            result_of: None,
        });
    }
    out
}

fn record_grants(m: &Matter, grants: &mut Grants) {
    let exchange = m
        .materials
        .iter()
        .filter_map(|x| x.source.strip_prefix("exchange:"));
    let prefill = m.fields.iter().filter_map(|&f| FIELDS[f].prefill);
    for path in exchange.chain(prefill) {
        if let Some((dataset, field)) = path.split_once('.') {
            grants
                .entry(dataset)
                .or_default()
                .entry(m.code.clone())
                .or_default()
                .insert(field);
        }
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Whether the field at `index` of [`FIELDS`] is required: fixed per key, so
/// that every matter defines the key identically.
fn required(index: usize) -> bool {
    index % 3 != 2
}

/// The matters grouped into one file per department, in department order.
pub(crate) fn render_by_department(matters: &[Matter]) -> Vec<(&'static str, String)> {
    DEPARTMENTS
        .iter()
        .enumerate()
        .filter_map(|(d, (code, zh, _))| {
            let mut s = format!("# Matters of {zh} ({code}).\n");
            let mut any = false;
            for m in matters.iter().filter(|m| m.dept == d) {
                render(&mut s, m, matters);
                any = true;
            }
            any.then_some((*code, s))
        })
        .collect()
}

fn render(s: &mut String, m: &Matter, all: &[Matter]) {
    let (dept, dept_zh, dept_en) = DEPARTMENTS[m.dept];
    let (law_zh, law_en) = LAWS[m.law.0];
    let prereqs: Vec<&str> = m.prereqs.iter().map(|&p| all[p].code.as_str()).collect();
    let _ = write!(
        s,
        "\n[[matter]]\ncode = {}\nname = {}\ndepartment = {}\nlevel = \"{}\"\nkind = \"{}\"\n",
        quote(&m.code),
        text(&m.name_zh, &m.name_en),
        quote(dept),
        m.level,
        m.kind
    );
    let _ = write!(
        s,
        "legal_basis = {}\ndescription = {}\n",
        text(
            &format!("{law_zh}第{}条", m.law.1),
            &format!("{law_en}, art. {}", m.law.1)
        ),
        text(
            &format!(
                "{}：申请材料齐全、符合法定形式的，{dept_zh}予以受理，{}个工作日内办结（法定时限{}个工作日）。相关证照信息通过公共数据平台共享获取，无需申请人重复提交。",
                m.name_zh, m.promised, m.statutory
            ),
            &format!(
                "{}: accepted by the {dept_en} when the materials are complete, decided within {} working days (statutory {}). Certificates held by the government are fetched from the public data platform.",
                m.name_en, m.promised, m.statutory
            )
        )
    );
    let _ = write!(
        s,
        "statutory_limit = {}\npromised_limit = {}\nonline = {}\nresult = {}\ndelivery = {}\nprerequisites = {}\ntrips = {}\n",
        m.statutory,
        m.promised,
        m.online,
        m.result,
        array(m.delivery),
        array(&prereqs),
        m.trips
    );
    if m.trips >= 2 {
        let _ = writeln!(
            s,
            "negative_list_reason = {}",
            text(
                "法律规定须本人到场，现场考核或采集人像指纹",
                "The law requires the applicant in person for an examination or biometrics"
            )
        );
    }
    let _ = writeln!(s, "keywords = {}", array(&m.keywords));
    if let Some(fen) = m.fee {
        let _ = write!(
            s,
            "\n[[matter.fee]]\ncode = \"production\"\nname = {}\namount_fen = {fen}\nbasis = \"财政部、国家发展改革委收费标准\"\ndue = \"before_issue\"\n",
            text("工本费", "Certificate fee")
        );
    }
    for x in &m.materials {
        let _ = write!(
            s,
            "\n[[matter.material]]\nkey = {}\nname = {}\nsource = {}\noriginal_required = {}\ndeficiency_allowed = {}\n",
            quote(&x.key),
            text(&x.zh, &x.en),
            quote(x.source),
            x.original,
            x.deficiency
        );
        if let Some(p) = x.result_of {
            let _ = writeln!(s, "result_of = {}", quote(&all[p].code));
        }
    }
    for &f in &m.fields {
        render_field(s, "matter", f);
    }
}

/// Writes the field at `index` of [`FIELDS`] as a `[[TABLE.field]]`.
pub(crate) fn render_field(s: &mut String, table: &str, index: usize) {
    let f = &FIELDS[index];
    let _ = write!(
        s,
        "\n[[{table}.field]]\nkey = {}\nlabel = {}\ntype = {}\nrequired = {}\n",
        quote(f.key),
        text(f.zh, f.en),
        quote(f.ty),
        required(index)
    );
    for (name, value) in f.options {
        let _ = writeln!(s, "{name} = {value}");
    }
    if let Some(p) = f.prefill {
        let _ = writeln!(s, "prefill = {}", quote(p));
    }
}
