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

/// A type that contains itself by value (a tree, a linked list) holds the recursive fields
/// and variants in a `Box`; cycles through aliases alone cannot be a Rust type and are
/// reported by `check_cycles`.
pub(in crate::lower) fn box_recursive(cx: &mut Cx<'_>) {
    // One index for every question below (built per question, it was most of lowering).
    let by_name: HashMap<&str, &TypeDef> = cx.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let reaches = |from: &str, target: &str| -> bool {
        let mut stack = vec![from];
        let mut seen = HashSet::new();
        while let Some(n) = stack.pop() {
            if n == target {
                return true;
            }
            if !seen.insert(n) {
                continue;
            }
            if let Some(def) = by_name.get(n) {
                stack.extend(direct_deps(def));
            }
        }
        false
    };
    let mut boxes: Vec<(usize, usize)> = Vec::new();
    for (ti, t) in cx.types.iter().enumerate() {
        let deps: Vec<Option<&Ty>> = match &t.kind {
            TypeKind::Struct { fields, .. } => fields.iter().map(|f| Some(&f.ty)).collect(),
            TypeKind::OneOf { variants, .. } => variants.iter().map(|v| Some(&v.ty)).collect(),
            _ => continue,
        };
        for (i, ty) in deps.into_iter().enumerate() {
            if let Some(Ty::Named(n)) = ty {
                if reaches(n, &t.name) {
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

/// A struct that contains itself by value cannot be a Rust type.
pub(in crate::lower) fn check_cycles(cx: &mut Cx<'_>) {
    let by_name: HashMap<&str, &TypeDef> = cx.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut found = Vec::new();
    for t in &cx.types {
        let mut stack = vec![t.name.as_str()];
        let mut seen = HashSet::new();
        // How each type was reached, to name the chain that leads back.
        let mut via: HashMap<&str, &str> = HashMap::new();
        while let Some(n) = stack.pop() {
            let Some(def) = by_name.get(n) else { continue };
            for dep in direct_deps(def) {
                if dep == t.name {
                    let mut chain = vec![n];
                    while let Some(prev) = via.get(chain[chain.len() - 1]) {
                        chain.push(*prev);
                    }
                    chain.reverse();
                    if chain[0] != t.name {
                        chain.insert(0, &t.name);
                    }
                    let aliases = chain.iter().all(|c| {
                        matches!(by_name.get(c).map(|d| &d.kind), Some(TypeKind::Alias(_)))
                    });
                    chain.push(&t.name);
                    found.push((
                        t.pointer.clone(),
                        t.name.clone(),
                        chain.join(" -> "),
                        aliases,
                    ));
                    stack.clear();
                    break;
                }
                if seen.insert(dep) {
                    via.insert(dep, n);
                    stack.push(dep);
                }
            }
        }
    }
    for (p, n, chain, aliases) in found {
        if aliases {
            cx.err_help(&p, format!("`{n}` is only a `$ref` that leads back to itself ({chain}), so it never gets a definition"), "point one of these schemas at a real definition");
        } else {
            cx.err_help(&p, format!("`{n}` contains itself ({chain}) without an array or map in between, which a Rust type cannot hold"), "put the recursive property inside an array, or break the cycle");
        }
    }
}
