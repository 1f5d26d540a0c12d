//! The ordering graph of a set of matters: which must be decided before
//! which. Used to refuse cycles and to lay a one-thing out in parallel stages.

use std::collections::BTreeMap;

use yici_core::catalog::{Catalog, MatterCode, Ordering};

/// Matters as nodes, "before → after" as edges.
#[derive(Debug, Clone)]
pub(crate) struct OrderGraph {
    pub nodes: Vec<MatterCode>,
    /// `after[i]` lists the nodes that need node `i` first.
    after: Vec<Vec<usize>>,
}

impl OrderGraph {
    /// The graph of `matters` from explicit orderings, the matters' own
    /// prerequisites and materials that are another member's result.
    /// Constraints pointing outside `matters` are ignored: those results
    /// must already exist before the one-thing starts.
    pub fn new(catalog: &Catalog, matters: &[MatterCode], order: &[Ordering]) -> Self {
        let index: BTreeMap<&MatterCode, usize> =
            matters.iter().enumerate().map(|(i, m)| (m, i)).collect();
        let mut after = vec![Vec::new(); matters.len()];
        let mut edge = |before: &MatterCode, then: &MatterCode| {
            if let (Some(&b), Some(&a)) = (index.get(before), index.get(then))
                && b != a
                && !after[b].contains(&a)
            {
                after[b].push(a);
            }
        };
        for o in order {
            edge(&o.before, &o.after);
        }
        for code in matters {
            let Some(matter) = catalog.matters.get(code) else {
                continue;
            };
            for p in &matter.prerequisites {
                edge(p, code);
            }
            for m in &matter.materials {
                if let Some(producer) = &m.result_of {
                    edge(producer, code);
                }
            }
        }
        OrderGraph {
            nodes: matters.to_vec(),
            after,
        }
    }

    /// A cycle, as the matters on it in order, if there is one.
    pub fn cycle(&self) -> Option<Vec<MatterCode>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Open,
            Done,
        }
        let n = self.nodes.len();
        let mut mark = vec![Mark::New; n];
        let mut path: Vec<usize> = Vec::new();
        // Iterative DFS: a deep prerequisite chain must not overflow the stack.
        for start in 0..n {
            if mark[start] != Mark::New {
                continue;
            }
            let mut stack = vec![(start, 0usize)];
            mark[start] = Mark::Open;
            path.push(start);
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if let Some(&succ) = self.after[node].get(*next) {
                    *next += 1;
                    match mark[succ] {
                        Mark::Open => {
                            let from = path.iter().position(|&p| p == succ).unwrap_or(0);
                            let mut cycle: Vec<MatterCode> = path[from..]
                                .iter()
                                .map(|&i| self.nodes[i].clone())
                                .collect();
                            cycle.push(self.nodes[succ].clone());
                            return Some(cycle);
                        }
                        Mark::New => {
                            mark[succ] = Mark::Open;
                            path.push(succ);
                            stack.push((succ, 0));
                        }
                        Mark::Done => {}
                    }
                } else {
                    mark[node] = Mark::Done;
                    path.pop();
                    stack.pop();
                }
            }
        }
        None
    }

    /// The nodes that node `i` needs first (its direct predecessors).
    pub fn before(&self, i: usize) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&b| self.after[b].contains(&i))
            .collect()
    }

    /// Longest-path depth of each node: 0 for nodes nothing must precede.
    /// Nodes of equal depth form one parallel stage. Assumes no cycle.
    pub fn depths(&self) -> Vec<usize> {
        let order = self.topological();
        let mut depth = vec![0; self.nodes.len()];
        for &node in &order {
            for &succ in &self.after[node] {
                depth[succ] = depth[succ].max(depth[node] + 1);
            }
        }
        depth
    }

    /// Length of the critical path when node `i` takes `weight(i)`, and
    /// the nodes on it. Parallel branches cost only their longest one.
    pub fn critical_path(&self, weight: impl Fn(usize) -> u32) -> (u32, Vec<usize>) {
        let order = self.topological();
        let n = self.nodes.len();
        let mut finish = vec![0u32; n];
        let mut via: Vec<Option<usize>> = vec![None; n];
        for &node in &order {
            finish[node] += weight(node);
            for &succ in &self.after[node] {
                if finish[node] > finish[succ] {
                    finish[succ] = finish[node];
                    via[succ] = Some(node);
                }
            }
        }
        let Some(end) = (0..n).max_by_key(|&i| (finish[i], std::cmp::Reverse(i))) else {
            return (0, Vec::new());
        };
        let mut path = vec![end];
        while let Some(prev) = via[*path.last().unwrap_or(&end)] {
            path.push(prev);
        }
        path.reverse();
        (finish[end], path)
    }

    /// Kahn's order; nodes on a cycle are left out.
    fn topological(&self) -> Vec<usize> {
        let n = self.nodes.len();
        let mut indegree = vec![0usize; n];
        for succs in &self.after {
            for &s in succs {
                indegree[s] += 1;
            }
        }
        let mut ready: Vec<usize> = (0..n).filter(|&i| indegree[i] == 0).rev().collect();
        let mut order = Vec::with_capacity(n);
        while let Some(node) = ready.pop() {
            order.push(node);
            for &succ in &self.after[node] {
                indegree[succ] -= 1;
                if indegree[succ] == 0 {
                    ready.push(succ);
                }
            }
        }
        order
    }
}
