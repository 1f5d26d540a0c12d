//! Checking one one-thing, and the catalog-wide prerequisite graph.

use std::collections::BTreeMap;

use toml::Spanned;
use yici_core::catalog::{
    Field, JointInspection, MatterCode, OneThing, OneThingCode, Ordering, Text,
};

use crate::file::RawOneThing;
use crate::load::Reader;
use crate::order::OrderGraph;
use crate::problem::At;

impl Reader {
    pub(crate) fn one_thing(&mut self, fid: usize, raw: &Spanned<RawOneThing>) {
        let raw = raw.get_ref();
        let code = self.code(fid, &raw.code, "one-thing", OneThingCode::parse);
        let members_at = At::new(fid, raw.matters.span());
        let mut matters: Vec<MatterCode> = Vec::new();
        let mut ok = true;
        for m in raw.matters.get_ref() {
            match self.matter_ref(fid, m) {
                Some(code) if matters.contains(&code) => {
                    self.problems.report(
                        At::new(fid, m.span()),
                        "duplicate_code",
                        format!("matter {code} is listed twice"),
                    );
                }
                Some(code) => matters.push(code),
                None => ok = false,
            }
        }
        if raw.matters.get_ref().len() < 2 {
            self.problems.report(
                members_at,
                "empty_one_thing",
                "a one-thing bundles at least two matters",
            );
            ok = false;
        }
        let mut order = Vec::new();
        for o in &raw.order {
            let o = o.get_ref();
            let before = self.member_ref(fid, &o.before, &matters);
            let after = self.member_ref(fid, &o.after, &matters);
            match (before, after) {
                (Some(before), Some(after)) => order.push(Ordering { before, after }),
                _ => ok = false,
            }
        }
        let mut joint_inspections = Vec::new();
        for j in &raw.joint_inspection {
            let j = j.get_ref();
            let mut members = Vec::new();
            for m in &j.matters {
                match self.member_ref(fid, m, &matters) {
                    Some(code) => members.push(code),
                    None => ok = false,
                }
            }
            joint_inspections.push(JointInspection {
                name: j.name.clone(),
                matters: members,
            });
        }
        let fields = self.fields(fid, None, &raw.field);
        let graph = OrderGraph::new(&self.catalog, &matters, &order);
        if let Some(cycle) = graph.cycle() {
            self.problems.report(
                members_at,
                "order_cycle",
                format!("the ordering of its matters is a cycle: {}", join(&cycle)),
            );
            ok = false;
        }
        let Some(fields) = fields else { return };
        if !self.form_consistent(members_at, &matters, &fields) {
            ok = false;
        }
        let Some(code) = code else { return };
        if self.catalog.one_things.contains_key(&code) {
            self.problems.report(
                At::new(fid, raw.code.span()),
                "duplicate_code",
                format!("one-thing {code} is defined twice"),
            );
            return;
        }
        if !ok
            || matters
                .iter()
                .any(|m| !self.catalog.matters.contains_key(m))
        {
            return;
        }
        let one_thing = OneThing {
            code: code.clone(),
            name: raw.name.clone(),
            description: raw.description.clone().unwrap_or_else(|| Text {
                zh: "".into(),
                en: "".into(),
            }),
            matters,
            order,
            joint_inspections,
            fields,
            keywords: raw.keywords.clone(),
        };
        self.catalog.one_things.insert(code, one_thing);
    }

    /// Resolves a reference that must name one of the one-thing's matters.
    fn member_ref(
        &mut self,
        fid: usize,
        raw: &Spanned<String>,
        members: &[MatterCode],
    ) -> Option<MatterCode> {
        let code = self.matter_ref(fid, raw)?;
        if members.contains(&code) {
            Some(code)
        } else {
            self.problems.report(
                At::new(fid, raw.span()),
                "unknown_matter",
                format!("matter {code} is not one of this one-thing's matters"),
            );
            None
        }
    }

    /// The merged form asks each key once, so every definition of a key in
    /// the bundle must agree on its type and validation.
    fn form_consistent(&mut self, at: At, matters: &[MatterCode], extra: &[Field]) -> bool {
        let mut first: BTreeMap<&str, (&Field, String)> = BTreeMap::new();
        let mut conflicts = Vec::new();
        let sources = matters
            .iter()
            .filter_map(|m| self.catalog.matters.get(m))
            .flat_map(|m| {
                m.fields
                    .iter()
                    .map(move |f| (f, format!("matter {}", m.code)))
            })
            .chain(extra.iter().map(|f| (f, "the one-thing".to_owned())));
        for (field, owner) in sources {
            match first.get(field.key.as_str()) {
                None => {
                    first.insert(field.key.as_str(), (field, owner));
                }
                Some((seen, seen_owner)) => {
                    if crate::merge::incompatible(seen, field)
                        && let Some(diff) = crate::merge::field_difference(seen, field)
                    {
                        conflicts.push(format!(
                            "field {} is defined differently by {seen_owner} and {owner} ({diff})",
                            field.key
                        ));
                    }
                }
            }
        }
        let clean = conflicts.is_empty();
        for c in conflicts {
            self.problems.report(at, "form_conflict", c);
        }
        clean
    }

    /// Prerequisites across the whole catalog must not loop.
    pub(crate) fn prerequisite_cycles(&mut self) {
        let all: Vec<MatterCode> = self.catalog.matters.keys().cloned().collect();
        let graph = OrderGraph::new(&self.catalog, &all, &[]);
        if let Some(cycle) = graph.cycle() {
            let at = self.matter_codes.get(cycle[0].as_str()).copied();
            let message = format!("prerequisites form a cycle: {}", join(&cycle));
            match at {
                Some(at) => self.problems.report(at, "order_cycle", message),
                None => self
                    .problems
                    .report_file("matters/".into(), "order_cycle", message),
            }
        }
    }
}

fn join(codes: &[MatterCode]) -> String {
    codes
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(" → ")
}
