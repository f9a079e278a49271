//! Where a path sits in the delivery tree
//! `[extra/]<project>/science_goal.uid___…/group.uid___…/member.uid___…/<role>/<file>`.
//!
//! Partial trees (no project or science-goal folder) and extra leading folders (a doubled
//! project folder made by download scripts) are normal; only the member folder is required.

use crate::naming::split_uid;

/// The member OUS a path belongs to, with the enclosing levels that are present: parts of
/// the path, borrowed (a package of thousands of files has a handful of members).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Place<'a> {
    pub uid: &'a str,
    pub member_path: &'a str,
    pub group: Option<&'a str>,
    pub science_goal: Option<&'a str>,
    pub project: Option<&'a str>,
}

/// The place of a path, or `None` when it is not inside a `member.uid___…` folder.
pub(super) fn locate(path: &str) -> Option<Place<'_>> {
    let (folders, file) = path.rsplit_once('/')?;
    if file.is_empty() {
        return None;
    }
    // The innermost member folder: folders[start..end].
    let mut end = folders.len();
    let (uid, start) = loop {
        let start = folders.get(..end)?.rfind('/').map_or(0, |i| i + 1);
        if let Some(uid) = level_uid(folders.get(start..end)?, "member.") {
            break (uid, start);
        }
        end = start.checked_sub(1)?;
    };
    let above = folders.get(..start.saturating_sub(1)).unwrap_or("");
    Some(Place {
        uid,
        member_path: folders.get(..end)?,
        group: above.rsplit('/').next().and_then(|f| level_uid(f, "group.")),
        science_goal: above.rsplit('/').find_map(|f| level_uid(f, "science_goal.")),
        project: above.rsplit('/').find(|f| is_project_code(f)),
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
        assert_eq!(place.project, Some("2021.1.00172.L"));
        assert_eq!(place.group, Some("uid___A001_X1590_X30a9"));
        assert_eq!(place.science_goal, Some("uid___A001_X1590_X30a8"));
        assert_eq!(place.member_path, p.strip_suffix("/product/x.fits").unwrap_or_default());
        let partial = locate("member.uid___A001_X1_X2/qa/w.weblog.tgz");
        assert_eq!(partial.map(|p| p.project), Some(None));
        assert_eq!(locate("member.uid___A001_X1_X2.README.txt"), None);
        assert_eq!(locate("x/member.uid___A001_X1_X2/"), None);
        assert_eq!(locate("member.uid___A001_X1_X2/"), None);
        assert_eq!(locate("no/member/here.fits"), None);
    }

    #[test]
    fn the_innermost_member_and_odd_slashes() {
        let nested = locate("2019.1.00123.S/member.uid___A001_X1_X2/x/member.uid___A001_X3_X4/f.fits");
        let nested = nested.unwrap_or_else(|| panic!("no place"));
        assert_eq!(
            (nested.uid, nested.member_path),
            ("uid___A001_X3_X4", "2019.1.00123.S/member.uid___A001_X1_X2/x/member.uid___A001_X3_X4")
        );
        assert_eq!((nested.project, nested.group), (Some("2019.1.00123.S"), None));
        let doubled =
            locate("a//group.uid___A001_X1_X9/member.uid___A001_X1_X2//f").unwrap_or_else(|| panic!("no place"));
        assert_eq!((doubled.uid, doubled.group), ("uid___A001_X1_X2", Some("uid___A001_X1_X9")));
        assert_eq!(doubled.member_path, "a//group.uid___A001_X1_X9/member.uid___A001_X1_X2");
        let top = locate("/member.uid___A001_X1_X2/f").unwrap_or_else(|| panic!("no place"));
        assert_eq!((top.member_path, top.group), ("/member.uid___A001_X1_X2", None));
    }
}
