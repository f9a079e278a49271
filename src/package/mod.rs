//! The package model: the files of one or more dropped tars (and loose files) arranged into
//! projects and member OUSs, with each file classified and the FITS products grouped.
//!
//! Every outer tar repeats the full tree
//! `<project>/science_goal.uid___…/group.uid___…/member.uid___…/<role>/<file>`, so the
//! product tars and the auxiliary tar of one delivery merge into one tree here. Only
//! [`FileRef`]s are needed: this module knows nothing about tar.

mod products;
mod tree;

use serde::Serialize;

use crate::naming::{classify, Classification, Kind};

pub use products::Product;

/// One file of the dropped input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRef {
    /// The path inside its container (or the file name of a loose file).
    pub path: String,
    pub size: u64,
    /// Which dropped file holds it (index into `container_names`).
    pub container: usize,
    /// Its index in that container, or 0 for a loose file.
    pub entry: usize,
}

/// A file with its classification.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct ClassifiedFile {
    pub path: String,
    pub size: u64,
    pub container: usize,
    pub entry: usize,
    #[serde(flatten)]
    pub classification: Classification,
}

/// Totals of one member OUS.
#[derive(Serialize, Clone, Debug, PartialEq, Default)]
pub struct Summary {
    /// Every source with a product (science targets and calibrators), sorted.
    pub sources: Vec<String>,
    /// How many, kept apart: the head of the model the page gets first holds only the first
    /// sources (a synthetic member can have thousands).
    pub source_count: usize,
    /// Every spw in a product name, sorted.
    pub spws: Vec<u32>,
    pub product_count: usize,
    pub total_bytes: u64,
    /// ALMA cycle from the project code, when known.
    pub cycle: Option<u32>,
}

/// One member OUS (the QA2 delivery unit).
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Mous {
    pub uid: String,
    pub project: Option<String>,
    pub science_goal: Option<String>,
    pub group: Option<String>,
    /// The member folder path (`…/member.uid___…`).
    pub path: String,
    pub readme: Option<String>,
    pub weblogs: Vec<String>,
    /// cont.dat files visible in the tree (those inside auxproducts.tgz are only known
    /// once it is opened).
    pub cont_dat: Vec<String>,
    pub casa_commands: Vec<String>,
    /// The auxproducts archives, which hold the cont.dat the page reads in the background.
    pub auxproducts: Vec<String>,
    pub products: Vec<Product>,
    /// Every file of the member, classified. Not serialised: the page learns what it shows
    /// from the products, shortcuts and summary, and the file list repeated every path with
    /// its whole classification (over half of the model kept and passed on each re-open).
    #[serde(skip)]
    pub files: Vec<ClassifiedFile>,
    pub summary: Summary,
}

/// Everything that was dropped.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Package {
    /// Project codes, sorted.
    pub projects: Vec<String>,
    pub members: Vec<Mous>,
    /// Files outside any member folder.
    pub loose: Vec<ClassifiedFile>,
    /// The classification of each dropped file, in `container_names` order.
    pub containers: Vec<Classification>,
}

/// Build the package model from a flat list of files.
pub fn build(files: &[FileRef], container_names: &[String]) -> Package {
    let mut members: Vec<Mous> = Vec::new();
    let mut loose = Vec::new();
    for file in files.iter().filter(|f| !is_directory(&f.path)) {
        let classified = classify_file(file);
        match tree::locate(&file.path) {
            Some(place) => member_for(&mut members, place).files.push(classified),
            None => loose.push(classified),
        }
    }
    members.iter_mut().for_each(finish_member);
    members.sort_by(|a, b| a.path.cmp(&b.path));
    let mut projects: Vec<String> = members.iter().filter_map(|m| m.project.clone()).collect();
    projects.sort();
    projects.dedup();
    Package { projects, members, loose, containers: container_names.iter().map(|n| classify(n)).collect() }
}

/// The ALMA cycle of a project code, from its year: `2011.0` → 0, `2012.1` → 1,
/// `2013.1` → 2, `2015.1`…`2019.1` → 3…7. There was no 2014 or 2020 call (Cycle 2 and
/// Cycle 7 were extended), so from 2021 on the cycle is year − 2013 (`2021.1` → 8,
/// `2025.1` → 12).
pub fn cycle_of(project: &str) -> Option<u32> {
    let year: u32 = project.get(..4)?.parse().ok()?;
    match year {
        2011 => Some(0),
        2012 => Some(1),
        2013 => Some(2),
        2015..=2019 => Some(year - 2012),
        2021.. => Some(year - 2013),
        _ => None,
    }
}

fn is_directory(path: &str) -> bool {
    path.is_empty() || path.ends_with('/')
}

fn classify_file(file: &FileRef) -> ClassifiedFile {
    ClassifiedFile {
        path: file.path.clone(),
        size: file.size,
        container: file.container,
        entry: file.entry,
        classification: classify(&file.path),
    }
}

/// The member for this place in the tree, created on first sight. Several tars of one
/// delivery give the same member path, so they merge here.
fn member_for<'m>(members: &'m mut Vec<Mous>, place: tree::Place<'_>) -> &'m mut Mous {
    let index = match members.iter().position(|m| m.path == place.member_path) {
        Some(index) => index,
        None => {
            members.push(new_member(place));
            members.len() - 1
        }
    };
    &mut members[index]
}

fn new_member(place: tree::Place<'_>) -> Mous {
    Mous {
        uid: place.uid.to_string(),
        project: place.project.map(str::to_string),
        science_goal: place.science_goal.map(str::to_string),
        group: place.group.map(str::to_string),
        path: place.member_path.to_string(),
        readme: None,
        weblogs: Vec::new(),
        cont_dat: Vec::new(),
        casa_commands: Vec::new(),
        auxproducts: Vec::new(),
        products: Vec::new(),
        files: Vec::new(),
        summary: Summary::default(),
    }
}

/// Fill the per-kind lists, the products and the summary from the member's files.
fn finish_member(member: &mut Mous) {
    let paths_of = |kind: Kind| -> Vec<String> {
        let files = member.files.iter().filter(|f| f.classification.kind == kind);
        files.map(|f| f.path.clone()).collect()
    };
    member.readme = paths_of(Kind::Readme).into_iter().next();
    member.weblogs = paths_of(Kind::Weblog);
    member.cont_dat = paths_of(Kind::ContDat);
    member.casa_commands = paths_of(Kind::CasaCommands);
    member.auxproducts = paths_of(Kind::Auxproducts);
    member.products = products::group(&member.files);
    member.summary = summarise(member);
}

fn summarise(member: &Mous) -> Summary {
    let mut sources: Vec<String> = member.products.iter().map(|p| p.name.source.clone()).collect();
    sources.sort();
    sources.dedup();
    let mut spws: Vec<u32> = member.products.iter().flat_map(|p| p.name.spws.iter().copied()).collect();
    spws.sort_unstable();
    spws.dedup();
    Summary {
        source_count: sources.len(),
        sources,
        spws,
        product_count: member.products.len(),
        total_bytes: member.files.iter().fold(0u64, |sum, f| sum.saturating_add(f.size)),
        cycle: member.project.as_deref().and_then(cycle_of),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles() {
        assert_eq!(cycle_of("2011.0.00121.S"), Some(0));
        assert_eq!(cycle_of("2012.1.00001.S"), Some(1));
        assert_eq!(cycle_of("2013.1.01014.S"), Some(2));
        assert_eq!(cycle_of("2016.1.01435.S"), Some(4));
        assert_eq!(cycle_of("2019.1.01234.S"), Some(7));
        assert_eq!(cycle_of("2021.1.00172.L"), Some(8));
        assert_eq!(cycle_of("2025.1.00021.S"), Some(12));
        assert_eq!(cycle_of("2020.1.00001.S"), None);
        assert_eq!(cycle_of("abc"), None);
        assert_eq!(cycle_of("20"), None);
    }
}
