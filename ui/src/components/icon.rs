//! Small inline SVG icons drawn on a 24×24 grid, so they render the same on every machine,
//! with or without an emoji font. Line icons take the text colour; the broken heart — the
//! sign of an opted-out customer (M3) — is always red.

use yew::prelude::*;

/// The red of the broken heart, whatever the surrounding text colour.
const HEART_RED: &str = "#d1435b";

/// Which icon to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IconKind {
    /// A speech bubble: conversations.
    Chat,
    /// A heart split by a crack: the customer opted out (M3).
    BrokenHeart,
    /// An envelope: an opt-in request, an empty inbox.
    Envelope,
    /// A clock face: the consent history.
    Clock,
    /// A lightning bolt: quick replies.
    Bolt,
    /// An hourglass: the WhatsApp window has closed.
    Hourglass,
    /// Two heads: the customers.
    People,
    /// A magnifying glass: search.
    Search,
    /// A bell: reminders and the Tasks section (B3).
    Bell,
    /// A tick: a task done.
    Check,
}

impl IconKind {
    /// Its stylesheet modifier, `icon--<name>`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Chat => "chat",
            Self::BrokenHeart => "broken-heart",
            Self::Envelope => "envelope",
            Self::Clock => "clock",
            Self::Bolt => "bolt",
            Self::Hourglass => "hourglass",
            Self::People => "people",
            Self::Search => "search",
            Self::Bell => "bell",
            Self::Check => "check",
        }
    }

    /// The shapes inside the `<svg>`.
    fn shapes(self) -> Html {
        match self {
            Self::Chat => html! {
                <>
                    <path d="M6.5 4h11A2.5 2.5 0 0 1 20 6.5v7a2.5 2.5 0 0 1-2.5 2.5H11l-4.5 3.8V16A2.5 2.5 0 0 1 4 13.5v-7A2.5 2.5 0 0 1 6.5 4z" />
                    <path d="M8 8.5h8M8 12h5" />
                </>
            },
            Self::BrokenHeart => html! {
                <g fill={HEART_RED} stroke="none">
                    <path transform="translate(-0.9 0)"
                        d="M12 6.6C11 4.8 9.2 3.75 7.4 3.75 4.7 3.75 2.5 5.9 2.5 8.75 2.5 13 6 16.5 12 20.5L11.2 17 13.2 13.6 10.4 11z" />
                    <path transform="translate(0.9 0)"
                        d="M12 6.6C13 4.8 14.8 3.75 16.6 3.75 19.3 3.75 21.5 5.9 21.5 8.75 21.5 13 18 16.5 12 20.5L11.2 17 13.2 13.6 10.4 11z" />
                </g>
            },
            Self::Envelope => html! {
                <>
                    <rect x="3" y="5.5" width="18" height="13" rx="2" />
                    <path d="M3.8 7l8.2 6.2L20.2 7" />
                </>
            },
            Self::Clock => html! {
                <>
                    <circle cx="12" cy="12" r="8.5" />
                    <path d="M12 7.5V12l3 2" />
                </>
            },
            Self::Bolt => html! {
                <path d="M13.5 2.5L5 13.5h6.5l-1 8 8.5-11h-6.5z" />
            },
            Self::Hourglass => html! {
                <path d="M6.5 3h11M6.5 21h11M8 3v3.2c0 1.3.6 2.5 1.7 3.3L12 12l2.3-2.5c1.1-.8 1.7-2 1.7-3.3V3M8 21v-3.2c0-1.3.6-2.5 1.7-3.3L12 12l2.3 2.5c1.1.8 1.7 2 1.7 3.3V21" />
            },
            Self::People => html! {
                <>
                    <circle cx="9" cy="8.5" r="3.5" />
                    <path d="M2.5 19.5c.6-3.4 3.2-5.5 6.5-5.5s5.9 2.1 6.5 5.5" />
                    <path d="M15.5 5.3a3.5 3.5 0 0 1 0 6.4M17.5 14.4c2.1.7 3.6 2.5 4 5.1" />
                </>
            },
            Self::Search => html! {
                <>
                    <circle cx="10.5" cy="10.5" r="6" />
                    <path d="M15 15l5.5 5.5" />
                </>
            },
            Self::Bell => html! {
                <>
                    <path d="M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 2h-15z" />
                    <path d="M10 20.5a2 2 0 0 0 4 0" />
                </>
            },
            Self::Check => html! {
                <path d="M5 12.5l4.5 4.5L19 7.5" />
            },
        }
    }
}

/// Props of [`Icon`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct IconProps {
    /// Which icon.
    pub kind: IconKind,
    /// Extra classes on the `<svg>`.
    #[prop_or_default]
    pub class: Classes,
}

/// One icon, 1em square by default; decorative, so a wrapper carries any accessible name.
#[component]
pub fn Icon(props: &IconProps) -> Html {
    let kind = props.kind;
    html! {
        <svg class={classes!("icon", format!("icon--{}", kind.name()), props.class.clone())}
            viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8"
            stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">
            { kind.shapes() }
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [IconKind; 10] = [
        IconKind::Chat,
        IconKind::BrokenHeart,
        IconKind::Envelope,
        IconKind::Clock,
        IconKind::Bolt,
        IconKind::Hourglass,
        IconKind::People,
        IconKind::Search,
        IconKind::Bell,
        IconKind::Check,
    ];

    #[test]
    fn each_icon_has_its_own_stylesheet_modifier_m3() {
        for (i, a) in ALL.iter().enumerate() {
            for b in &ALL[i + 1..] {
                assert_ne!(
                    a.name(),
                    b.name(),
                    "two icons sharing a modifier could not be sized or coloured apart"
                );
            }
        }
    }
}
