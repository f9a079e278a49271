//! Grouping FITS files into products: a primary image (the pbcor, tt0 for multi-term
//! images) with its companions (pb, mask, tt1, alpha, alpha.error, sd.weight...).
//!
//! Files belong together when their names agree on everything but the image type, the
//! Taylor term and the gzip flag.

use serde::Serialize;
use std::collections::HashMap;

use super::ClassifiedFile;
use crate::naming::ProductName;

/// A primary image and its companions. The name fields (source, intent, spws, specmode,
/// imagetype...) are those of the primary, flattened into the same JSON object.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Product {
    #[serde(flatten)]
    pub name: ProductName,
    /// Path of the primary image.
    pub primary: String,
    pub companions: Vec<Companion>,
}

/// A companion file of a product.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Companion {
    /// `pb`, `mask`, `tt1` (the tt1 pbcor), `pb.tt1`, `alpha`, `alpha.error`, `sd.weight`...
    pub role: String,
    pub path: String,
}

/// Group the FITS images among `files` into products, sorted by source, intent, spw and
/// specmode.
pub(super) fn group(files: &[ClassifiedFile]) -> Vec<Product> {
    // Groups in order of first sight, found by key in a map: thousands of products stay linear.
    let mut groups: Vec<Vec<(&ProductName, &str)>> = Vec::new();
    let mut by_key: HashMap<ProductKey, usize> = HashMap::new();
    for file in files {
        let Some(name) = file.classification.image.as_ref() else {
            continue;
        };
        let at = *by_key.entry(ProductKey::of(name)).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        if let Some(members) = groups.get_mut(at) {
            members.push((name, &file.path));
        }
    }
    let mut products: Vec<Product> = groups.into_iter().filter_map(product_of).collect();
    products.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    products
}

/// Source, intent, spws, specmode, Stokes, data type, path: the order products are listed in.
type OrderKey<'a> =
    (&'a str, &'a Option<String>, &'a [u32], &'a Option<String>, &'a Option<String>, &'a Option<String>, &'a str);

fn order_key(p: &Product) -> OrderKey<'_> {
    let n = &p.name;
    (&n.source, &n.intent, &n.spws, &n.specmode, &n.stokes, &n.datatype, &p.primary)
}

/// Everything in a product name but the image type, Taylor term and gzip flag, borrowed
/// (a copy of each name cost more than the rest of the grouping).
#[derive(PartialEq, Eq, Hash)]
struct ProductKey<'a> {
    mous: Option<&'a str>,
    source: &'a str,
    intent: Option<&'a str>,
    spws: &'a [u32],
    specmode: Option<&'a str>,
    stokes: Option<&'a str>,
    datatype: Option<&'a str>,
    manual: bool,
    tokens: &'a [String],
}

impl<'a> ProductKey<'a> {
    fn of(name: &'a ProductName) -> Self {
        let ProductName { mous, source, intent, spws, specmode, stokes, datatype, manual, tokens, .. } = name;
        ProductKey {
            mous: mous.as_deref(),
            source,
            intent: intent.as_deref(),
            spws,
            specmode: specmode.as_deref(),
            stokes: stokes.as_deref(),
            datatype: datatype.as_deref(),
            manual: *manual,
            tokens,
        }
    }
}

/// The primary is the best-ranked member; the others are its companions.
fn product_of(mut members: Vec<(&ProductName, &str)>) -> Option<Product> {
    members.sort_by_key(|(name, path)| (rank(name), *path));
    let (&(primary, primary_path), rest) = members.split_first()?;
    Some(Product {
        name: primary.clone(),
        primary: primary_path.to_string(),
        companions: rest
            .iter()
            .map(|(name, path)| Companion { role: companion_role(name), path: path.to_string() })
            .collect(),
    })
}

/// Lower is more primary: the pbcor (tt0 or single-term), then a TP image, then a plain
/// image, then anything else; companions last.
fn rank(name: &ProductName) -> u8 {
    let tt1 = name.taylor.as_deref().is_some_and(|t| t != "tt0");
    match name.imagetype.as_str() {
        "pbcor" if !tt1 => 0,
        "sd" => 1,
        "image" if !tt1 => 2,
        "pb" | "mask" | "alpha" | "alpha.error" | "sd.weight" | "pbcor" | "image" => 4,
        _ => 3,
    }
}

/// `pb`, `mask`, `alpha`...; a higher Taylor term is named by it (`tt1`, `pb.tt1`).
fn companion_role(name: &ProductName) -> String {
    match name.taylor.as_deref() {
        Some(t) if t != "tt0" && name.imagetype == "pbcor" => t.to_string(),
        Some(t) if t != "tt0" => format!("{}.{t}", name.imagetype),
        _ => name.imagetype.clone(),
    }
}
