//! Where a path sits in the delivery tree
//! `[extra/]<project>/science_goal.uid___…/group.uid___…/member.uid___…/<role>/<file>`.
//!
//! Partial trees (no project or science-goal folder) and extra leading folders (a doubled
//! project folder made by download scripts) are normal; only the member folder is required.

use crate::naming::split_uid;

/// The member OUS a path belongs to, with the enclosing levels that are present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Place {
    pub uid: String,
    pub member_path: String,
    pub group: Option<String>,
    pub science_goal: Option<String>,
    pub project: Option<String>,
}

/// The place of a path, or `None` when it is not inside a `member.uid___…` folder.
pub(super) fn locate(path: &str) -> Option<Place> {
    let folders: Vec<&str> = path.split('/').collect();
    let (file, folders) = folders.split_last()?;
    if file.is_empty() {
        return None;
    }
    let member_at = folders.iter().rposition(|f| level_uid(f, "member.").is_some())?;
    let uid = level_uid(folders.get(member_at)?, "member.")?;
    let above = folders.get(..member_at)?;
    let group = above.last().and_then(|f| level_uid(f, "group."));
    let science_goal = above.iter().rev().find_map(|f| level_uid(f, "science_goal."));
    let project = above.iter().rev().copied().find(|f| is_project_code(f));
    Some(Place {
        uid: uid.to_string(),
        member_path: folders.get(..=member_at)?.join("/"),
        group: group.map(str::to_string),
        science_goal: science_goal.map(str::to_string),
        project: project.map(str::to_string),
    })
}

/// `member.uid___A001_X1_X2` → `uid___A001_X1_X2` (the whole folder name must be the uid).
fn level_uid<'a>(folder: &'a str, level: &str) -> Option<&'a str> {
    let (uid, rest) = split_uid(folder.strip_prefix(level)?)?;
    rest.is_empty().then_some(uid)
}

/// `2019.1.01234.S`: year, cycle digit, five digits, a letter code (S, L, T, V, A, E...).
fn is_project_code(folder: &str) -> bool {
    let parts: Vec<&str> = folder.split('.').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [year, call, number, code] => {
            digits(year, 4)
                && digits(call, 1)
                && digits(number, 5)
                && !code.is_empty()
                && code.bytes().all(|b| b.is_ascii_uppercase())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_and_partial_trees() {
        let p = "rawdata/2021.1.00172.L/science_goal.uid___A001_X1590_X30a8/group.uid___A001_X1590_X30a9/member.uid___A001_X15a0_Xee/product/x.fits";
        let place = locate(p).unwrap_or_else(|| panic!("no place"));
        assert_eq!(place.uid, "uid___A001_X15a0_Xee");
        assert_eq!(place.project.as_deref(), Some("2021.1.00172.L"));
        assert_eq!(place.group.as_deref(), Some("uid___A001_X1590_X30a9"));
        assert_eq!(place.science_goal.as_deref(), Some("uid___A001_X1590_X30a8"));
        assert!(place.member_path.ends_with("member.uid___A001_X15a0_Xee"));
        let partial = locate("member.uid___A001_X1_X2/qa/w.weblog.tgz");
        assert_eq!(partial.map(|p| p.project), Some(None));
        assert_eq!(locate("member.uid___A001_X1_X2.README.txt"), None);
        assert_eq!(locate("x/member.uid___A001_X1_X2/"), None);
    }
}
