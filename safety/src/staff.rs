//! "Is this handle really your staff?": exact handles of agents per channel, and impostors —
//! handles that only look like one (confusable letters, invisible characters, one letter off).

use super::text::{is_invisible, within_one_edit};
use unicode_normalization::UnicodeNormalization;
use unicode_security::confusable_detection::skeleton;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffHandle {
    pub agent_name: String,
    /// The channel it is used on (`telegram`, `discord`, …).
    pub channel: String,
    pub handle: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Staff(StaffHandle),
    /// Looks like `of`, is not it.
    Impostor {
        of: StaffHandle,
    },
    Unknown,
}

/// The handle as platforms compare it: without `@`, case-folded.
pub fn canonical(handle: &str) -> String {
    handle.trim().trim_start_matches('@').nfc().flat_map(char::to_lowercase).collect()
}

fn visible_skeleton(handle: &str) -> String {
    let visible: String = canonical(handle).chars().filter(|c| !is_invisible(*c)).collect();
    skeleton(&visible).flat_map(char::to_lowercase).collect()
}

pub fn verify(staff: &[StaffHandle], handle: &str) -> Verdict {
    let asked = canonical(handle);
    if asked.is_empty() {
        return Verdict::Unknown;
    }
    if let Some(real) = staff.iter().find(|s| canonical(&s.handle) == asked) {
        return Verdict::Staff(real.clone());
    }
    let asked_skeleton = visible_skeleton(handle);
    let asked_chars: Vec<char> = asked_skeleton.chars().collect();
    let lookalike = staff.iter().find(|s| {
        let real = visible_skeleton(&s.handle);
        real == asked_skeleton
            || (real.chars().count() >= 4 && within_one_edit(&asked_chars, &real.chars().collect::<Vec<_>>()))
    });
    match lookalike {
        Some(real) => Verdict::Impostor { of: real.clone() },
        None => Verdict::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff() -> Vec<StaffHandle> {
        vec![StaffHandle { agent_name: "Ann".into(), channel: "telegram".into(), handle: "@Support_Ann".into() }]
    }

    #[test]
    fn the_real_handle_is_staff_in_any_case() {
        assert!(matches!(verify(&staff(), "@support_ann"), Verdict::Staff(_)));
        assert!(matches!(verify(&staff(), "Support_Ann"), Verdict::Staff(_)));
    }

    #[test]
    fn lookalikes_are_named_impostors() {
        for fake in
            ["@Support_Аnn", "@Support\u{200B}_Ann", "@Supp0rt_Ann", "@Support_Annn", "@Suport_Ann", "@SupportAnn"]
        {
            assert!(matches!(verify(&staff(), fake), Verdict::Impostor { .. }), "{fake:?}");
        }
    }

    #[test]
    fn strangers_are_unknown() {
        assert_eq!(verify(&staff(), "@crypto_helper"), Verdict::Unknown);
        assert_eq!(verify(&staff(), ""), Verdict::Unknown);
    }
}
