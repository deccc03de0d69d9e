//! Whole-API type checks: recursive fields get boxed, and cycles a Rust type cannot hold are refused.

use std::collections::{HashMap, HashSet};

use crate::lower::cx::Cx;
use crate::model::{Ty, TypeDef, TypeKind};

/// Types a struct holds by value (not through Vec or Map).
fn direct_deps(def: &TypeDef) -> Vec<&str> {
    let mut out = Vec::new();
    match &def.kind {
        TypeKind::Struct { fields, .. } => {
            for f in fields.iter().filter(|f| !f.boxed) {
                if let Ty::Named(n) = &f.ty {
                    out.push(n.as_str());
                }
            }
        }
        TypeKind::OneOf { variants, .. } => {
            for v in variants.iter().filter(|v| !v.boxed) {
                if let Ty::Named(n) = &v.ty {
                    out.push(n.as_str());
                }
            }
        }
        TypeKind::Alias(Ty::Named(n)) => out.push(n.as_str()),
        _ => {}
    }
    out
}

/// The types' positions by name.
fn name_index(types: &[TypeDef]) -> HashMap<&str, usize> {
    types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect()
}

/// The by-value edges of the types as indices: `graph[i]` lists the types `types[i]` holds
/// directly (see [`direct_deps`]); names without a definition (not in `index`) are left out.
fn by_value_graph(types: &[TypeDef], index: &HashMap<&str, usize>) -> Vec<Vec<usize>> {
    types
        .iter()
        .map(|t| {
            direct_deps(t)
                .into_iter()
                .filter_map(|d| index.get(d).copied())
                .collect()
        })
        .collect()
}

/// The strongly connected components of `graph` (Tarjan's algorithm, without recursion so a
/// chain of 100,000 schemas does not overflow the stack): the component of each node. Two
/// nodes share a component exactly when each reaches the other; linear in nodes and edges,
/// where asking "does A reach B" for every edge was quadratic on long `$ref` chains.
fn components(graph: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = graph.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, position in its edge list)
        let mut work = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut pos)) = work.last_mut() {
            if let Some(&w) = graph[v].get(*pos) {
                *pos += 1;
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}

/// A type that contains itself by value (a tree, a linked list) holds the recursive fields
/// and variants in a `Box`; cycles through aliases alone cannot be a Rust type and are
/// reported by `check_cycles`. A field of `T` of type `N` is recursive when `N` reaches `T`
/// back, that is when both are in one strongly connected component.
pub(in crate::lower) fn box_recursive(cx: &mut Cx<'_>) {
    let index = name_index(&cx.types);
    let graph = by_value_graph(&cx.types, &index);
    let comp = components(&graph);
    let mut boxes: Vec<(usize, usize)> = Vec::new();
    for (ti, t) in cx.types.iter().enumerate() {
        let deps: Vec<&Ty> = match &t.kind {
            TypeKind::Struct { fields, .. } => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::OneOf { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
            _ => continue,
        };
        for (i, ty) in deps.into_iter().enumerate() {
            if let Ty::Named(n) = ty {
                if index
                    .get(n.as_str())
                    .is_some_and(|&ni| comp[ni] == comp[ti])
                {
                    boxes.push((ti, i));
                }
            }
        }
    }
    for (ti, i) in boxes {
        match &mut cx.types[ti].kind {
            TypeKind::Struct { fields, .. } => fields[i].boxed = true,
            TypeKind::OneOf { variants, .. } => variants[i].boxed = true,
            _ => {}
        }
    }
}

/// A type that contains itself by value cannot be a Rust type: one error per cycle (per
/// strongly connected component left after boxing), at its first type in the document, naming
/// the chain that leads back.
pub(in crate::lower) fn check_cycles(cx: &mut Cx<'_>) {
    let graph = by_value_graph(&cx.types, &name_index(&cx.types));
    let comp = components(&graph);
    let mut reported = HashSet::new();
    let mut found = Vec::new();
    for (ti, t) in cx.types.iter().enumerate() {
        let cyclic = graph[ti].iter().any(|&d| comp[d] == comp[ti]);
        if !cyclic || !reported.insert(comp[ti]) {
            continue;
        }
        let chain = cycle_from(&graph, &comp, ti);
        let aliases = chain
            .iter()
            .all(|&c| matches!(cx.types[c].kind, TypeKind::Alias(_)));
        let names: Vec<&str> = chain
            .iter()
            .chain(std::iter::once(&ti))
            .map(|&c| cx.types[c].name.as_str())
            .collect();
        found.push((
            t.pointer.clone(),
            t.name.clone(),
            names.join(" -> "),
            aliases,
        ));
    }
    for (p, n, chain, aliases) in found {
        if aliases {
            cx.err_help(&p, format!("`{n}` is only a `$ref` that leads back to itself ({chain}), so it never gets a definition"), "point one of these schemas at a real definition");
        } else {
            cx.err_help(&p, format!("`{n}` contains itself ({chain}) without an array or map in between, which a Rust type cannot hold"), "put the recursive property inside an array, or break the cycle");
        }
    }
}

/// A path from `start` back to it inside its component, as the types on it from `start` (a
/// breadth-first search, so the shortest such chain).
fn cycle_from(graph: &[Vec<usize>], comp: &[usize], start: usize) -> Vec<usize> {
    let mut via: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in &graph[v] {
            if comp[w] != comp[start] {
                continue;
            }
            if w == start {
                let mut chain = vec![v];
                while let Some(&prev) = via.get(chain.last().unwrap_or(&start)) {
                    chain.push(prev);
                }
                chain.reverse();
                return chain;
            }
            if w != start && !via.contains_key(&w) {
                via.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    vec![start]
}

/// Aliases that hold themselves through a list or map (`A` an array of `A`, or `A` a map of `B`
/// and `B` an array of `A`) become [`TypeKind::Newtype`]s: `type A = Vec<A>` is a cycle rustc
/// refuses, `struct A(Vec<A>)` is a type, and with `#[serde(transparent)]` the same JSON. An
/// alias is converted when it is on a cycle of aliases (a strongly connected component of the
/// graph of aliases and the aliases their types name); cycles with no list or map in them were
/// already refused by [`check_cycles`].
pub(in crate::lower) fn wrap_recursive_aliases(cx: &mut Cx<'_>) {
    let index: HashMap<&str, usize> = cx
        .types
        .iter()
        .enumerate()
        .filter(|(_, t)| alias_of(t).is_some())
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    if index.is_empty() {
        return;
    }
    let graph: Vec<Vec<usize>> = cx
        .types
        .iter()
        .map(|t| {
            let mut names = Vec::new();
            if let Some(ty) = alias_of(t) {
                ty.named_types(&mut names);
            }
            names
                .into_iter()
                .filter_map(|n| index.get(n).copied())
                .collect()
        })
        .collect();
    let comp = components(&graph);
    // A component is cyclic when one of its aliases names another of it (or itself).
    let cyclic_comps: HashSet<usize> = (0..graph.len())
        .filter(|&i| graph[i].iter().any(|&d| comp[d] == comp[i]))
        .map(|i| comp[i])
        .collect();
    for (i, t) in cx.types.iter_mut().enumerate() {
        if !cyclic_comps.contains(&comp[i]) {
            continue;
        }
        if let TypeKind::Alias(ty) = &t.kind {
            t.kind = TypeKind::Newtype(ty.clone());
        }
    }
}

fn alias_of(t: &TypeDef) -> Option<&Ty> {
    match &t.kind {
        TypeKind::Alias(ty) => Some(ty),
        _ => None,
    }
}
