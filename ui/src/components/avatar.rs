//! A round avatar with a person's initials, in one of a few calm tones picked from the name.

use yew::prelude::*;

/// How many tones avatars cycle through (`avatar--tone-0` … in the stylesheet).
const TONES: u32 = 6;

/// Props of [`Avatar`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct AvatarProps {
    /// The person's display name.
    pub name: AttrValue,
}

/// Initials in a circle.
#[component]
pub fn Avatar(props: &AvatarProps) -> Html {
    let tone = format!("avatar--tone-{}", tone_of(&props.name));
    html! {
        <span class={classes!("avatar", tone)} aria-hidden="true">{ initials(&props.name) }</span>
    }
}

/// Up to two initials: of the first and the last word ("Olivia de la Cruz" → "OC").
pub fn initials(name: &str) -> String {
    let mut words = name.split_whitespace();
    let first = words.next().and_then(|w| w.chars().next());
    let last = words.last().and_then(|w| w.chars().next());
    first
        .into_iter()
        .chain(last)
        .flat_map(char::to_uppercase)
        .collect()
}

/// A stable tone for a name, so a customer keeps their colour everywhere.
fn tone_of(name: &str) -> u32 {
    name.chars().fold(0_u32, |hash, c| {
        hash.wrapping_mul(31).wrapping_add(c as u32)
    }) % TONES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_take_the_first_and_last_word_m11() {
        assert_eq!(initials("Olivia Martin"), "OM", "first and last name");
        assert_eq!(
            initials("Olivia de la Cruz"),
            "OC",
            "middle words are skipped"
        );
        assert_eq!(initials("  élodie "), "É", "one word gives one initial");
        assert_eq!(initials(""), "", "no name, no initials");
    }

    #[test]
    fn known_names_keep_their_tone_m11() {
        // Fixed by the hash: a change of it would recolour every customer the associate
        // has learnt to recognise.
        let tones = [
            ("Olivia Martin", 3),
            ("Ava Johnson", 1),
            ("Noah Williams", 2),
            ("Liam Smith", 4),
        ];
        for (name, tone) in tones {
            assert_eq!(
                tone_of(name),
                tone,
                "{name} has the same colour in every row and every run"
            );
        }
    }

    #[test]
    fn different_names_spread_over_several_tones_m11() {
        let names = [
            "Olivia Martin",
            "Ava Johnson",
            "Noah Williams",
            "Emma Brown",
            "Liam Smith",
            "Sophia Garcia",
            "Mia Jones",
            "Lucas Miller",
            "élodie",
            "Olivia Davis",
        ];
        let used: std::collections::BTreeSet<u32> = names.iter().map(|n| tone_of(n)).collect();
        assert!(
            used.len() >= 4,
            "ten customers share at least four colours, got {used:?}"
        );
        assert!(
            used.iter().all(|tone| *tone < TONES),
            "every tone exists in the stylesheet: {used:?}"
        );
    }
}
