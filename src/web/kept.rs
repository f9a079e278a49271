//! What is kept in the browser between visits and passed to the page, in the forms that
//! make re-opening a package fast: each tar's index as a [`CompactIndex`] (a JS object of
//! typed arrays, which IndexedDB and `postMessage` copy at memory speed), and the
//! package model in two parts: a head (members, summaries, each member's first products:
//! what the first screen shows) and the full product lists, read once the package is shown.

use super::json_text;
use crate::naming::{explain_kind, explain_token};
use crate::package::{self, FileRef, Package};
use crate::tar_index::{CompactIndex, EntryType, TarEntry};
use serde::Serialize;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Products (and sources) of each member in the model's head: more rows than any screen
/// shows at first.
const HEAD_PRODUCTS: usize = 64;

/// A tar's entries: read from its headers now, or kept from an earlier visit (the JS object
/// of [`compact_to_js`], read back only if the package model has to be built, which a kept
/// model makes unnecessary).
pub(crate) enum Entries {
    Read(Vec<TarEntry>),
    Kept(JsValue),
}

impl Entries {
    /// The files (not folders) of container `container`, for the package model.
    pub(crate) fn files(&self, container: usize) -> Result<Vec<FileRef>, JsError> {
        let file = |entry, path: &str, size| FileRef { path: path.to_string(), size, container, entry };
        Ok(match self {
            Entries::Read(entries) => entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind != EntryType::Dir)
                .map(|(i, e)| file(i, &e.path, e.size))
                .collect(),
            Entries::Kept(value) => compact_from_js(value)
                .and_then(|c| c.entries())
                .map_err(|e| JsError::new(&format!("the index kept from an earlier visit is damaged ({e}): close the package and drop the file again")))?
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind != EntryType::Dir)
                .map(|(i, e)| file(i, &e.path, e.size))
                .collect(),
        })
    }
}

/// `index` as a plain JS object: `paths`, `kinds` (Uint8Array), `sizes`, `offsets`
/// (Float64Array) and `links` ([entry, target] pairs).
pub(crate) fn compact_to_js(index: &CompactIndex) -> Result<JsValue, JsError> {
    let out = js_sys::Object::new();
    let links = js_sys::Array::new();
    for (at, target) in &index.links {
        links.push(&js_sys::Array::of2(&JsValue::from(*at), &JsValue::from_str(target)));
    }
    let fields: [(&str, JsValue); 5] = [
        ("paths", js_sys::Uint8Array::from(&index.paths[..]).into()),
        ("kinds", js_sys::Uint8Array::from(&index.kinds[..]).into()),
        ("sizes", js_sys::Float64Array::from(&index.sizes[..]).into()),
        ("offsets", js_sys::Float64Array::from(&index.offsets[..]).into()),
        ("links", links.into()),
    ];
    for (key, value) in fields {
        js_sys::Reflect::set(&out, &JsValue::from_str(key), &value)
            .map_err(|_| JsError::new("could not pass the index"))?;
    }
    Ok(out.into())
}

/// Whether `value` looks like an index of [`compact_to_js`]: the right fields, columns of
/// one length. Not so for a record of an older version of the app: the tar is then indexed
/// again. Checked without copying anything out of it (this is on the way of every re-open);
/// the page checks the paths as it splits them, the model as it reads them back.
pub(crate) fn is_kept_index(value: &JsValue) -> bool {
    let length = |key: &str| {
        let field = js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
        js_sys::Reflect::get(&field, &JsValue::from_str("length")).ok().and_then(|l| l.as_f64())
    };
    is_compact(value) && ["sizes", "offsets"].iter().all(|key| length(key) == length("kinds"))
}

/// Whether `value` has the shape of [`compact_to_js`]'s objects.
fn is_compact(value: &JsValue) -> bool {
    let field = |key: &str| js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    value.is_object()
        && field("paths").is_instance_of::<js_sys::Uint8Array>()
        && field("kinds").is_instance_of::<js_sys::Uint8Array>()
        && field("sizes").is_instance_of::<js_sys::Float64Array>()
        && field("offsets").is_instance_of::<js_sys::Float64Array>()
}

/// Reads back an object made by [`compact_to_js`] (links aside: the model needs none).
fn compact_from_js(value: &JsValue) -> Result<CompactIndex, String> {
    if !is_compact(value) {
        return Err("not an index".into());
    }
    let field = |key: &str| js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    Ok(CompactIndex {
        paths: field("paths").unchecked_into::<js_sys::Uint8Array>().to_vec(),
        kinds: field("kinds").unchecked_into::<js_sys::Uint8Array>().to_vec(),
        sizes: field("sizes").unchecked_into::<js_sys::Float64Array>().to_vec(),
        offsets: field("offsets").unchecked_into::<js_sys::Float64Array>().to_vec(),
        links: Vec::new(),
    })
}

#[derive(Serialize)]
struct PackageView<'a> {
    #[serde(flatten)]
    package: &'a Package,
    explanations: BTreeMap<String, &'static str>,
}

/// The package model of `files`, with the explanations the page shows on hover, as
/// `{ head, products }`: two JSON texts, the head with at most [`HEAD_PRODUCTS`] products and
/// sources per member, `products` every member's full product list (an array per member, in
/// member order).
pub(crate) fn package_view(files: &[FileRef], container_names: &[String]) -> Result<JsValue, JsError> {
    let mut package = package::build(files, container_names);
    let explanations = explanations(&package);
    let products = json_text(&package.members.iter().map(|m| &m.products).collect::<Vec<_>>())?;
    for member in &mut package.members {
        member.products.truncate(HEAD_PRODUCTS);
        member.summary.sources.truncate(HEAD_PRODUCTS);
    }
    let head = json_text(&PackageView { package: &package, explanations })?;
    let out = js_sys::Object::new();
    for (key, value) in [("head", head), ("products", products)] {
        js_sys::Reflect::set(&out, &JsValue::from_str(key), &value)
            .map_err(|_| JsError::new("could not pass the model"))?;
    }
    Ok(out.into())
}

/// Hover texts for every token value and file kind in the package.
fn explanations(package: &Package) -> BTreeMap<String, &'static str> {
    let mut out = BTreeMap::new();
    let all = package.members.iter().flat_map(|m| &m.files).chain(&package.loose);
    for file in all {
        let c = &file.classification;
        if let Ok(serde_json::Value::String(kind)) = serde_json::to_value(c.kind) {
            out.insert(format!("kind:{kind}"), explain_kind(c.kind));
        }
        let Some(p) = &c.image else { continue };
        let tokens = [&p.intent, &p.specmode, &p.stokes, &p.taylor, &p.datatype, &Some(p.imagetype.clone())];
        for token in tokens.into_iter().flatten().chain(p.manual.then(|| "manual".to_string()).as_ref()) {
            if let Some(text) = explain_token(token) {
                out.insert(token.clone(), text);
            }
        }
    }
    out
}
