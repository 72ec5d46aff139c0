//! The customer profile's layout as the backend configures it (C2, C15): its sections in
//! order, each a standard section named by a key (notes, orders…, built by the app) or a
//! custom one, and the attributes each shows. An app meeting a standard key it does not
//! know yet skips that section.

use serde::{Deserialize, Serialize};

/// The standard sections the layout may name, by key.
pub mod standard {
    /// The customer's notes (C4).
    pub const NOTES: &str = "notes";
    /// Their orders (C6).
    pub const ORDERS: &str = "orders";
    /// Their wishlist (C8).
    pub const WISHLIST: &str = "wishlist";
    /// Product recommendations (C7).
    pub const RECOMMENDATIONS: &str = "recommendations";
    /// Their conversations with my stores (C10, M14).
    pub const CONVERSATIONS: &str = "conversations";
}

/// One section of the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LayoutSection {
    /// Stable key: a standard section's ([`standard`]) or a custom section's slug.
    pub key: String,
    /// Heading shown.
    pub title: String,
    /// Made by an admin rather than built into the app: it shows attributes only.
    pub custom: bool,
    /// The keys of the attributes it shows, in order.
    #[serde(default)]
    pub attributes: Vec<String>,
}

/// `GET /api/v1/config/customer-layout`: the profile's sections, in the order shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerLayout {
    /// The sections, top to bottom.
    pub sections: Vec<LayoutSection>,
}

impl CustomerLayout {
    /// The sections an app knowing the standard sections `known` shows, in order: every
    /// section with attributes, and the standard ones it knows (the others are skipped).
    pub fn shown<'a>(&'a self, known: &'a [&str]) -> impl Iterator<Item = &'a LayoutSection> {
        self.sections
            .iter()
            .filter(|s| !s.attributes.is_empty() || (!s.custom && known.contains(&s.key.as_str())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(key: &str, custom: bool, attributes: &[&str]) -> LayoutSection {
        LayoutSection {
            key: key.into(),
            title: key.into(),
            custom,
            attributes: attributes.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    #[test]
    fn c15_the_profile_shows_sections_in_layout_order_skipping_unknown_standard_ones() {
        let layout = CustomerLayout {
            sections: vec![
                section("profile", false, &["birthday"]),
                section(standard::ORDERS, false, &[]),
                section(standard::CONVERSATIONS, false, &[]),
                section("style_notes", true, &["fit"]),
                section("empty_custom", true, &[]),
            ],
        };
        let shown: Vec<&str> = layout
            .shown(&[standard::CONVERSATIONS])
            .map(|s| s.key.as_str())
            .collect();
        assert_eq!(
            shown,
            ["profile", "conversations", "style_notes"],
            "orders is not known yet and a custom section without attributes has nothing to show"
        );
    }
}
