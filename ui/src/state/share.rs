//! Sharing a product into a customer's chat (C7, C8): the profile opens the customer's
//! latest conversation in this store with the product's link in the composer, carried in
//! the chat route's query (`?draft=…`) so the composer starts from it, ready to edit.

use clienteling_domain::catalog::product_link;
use clienteling_domain::ProductId;
use serde::{Deserialize, Serialize};

/// The chat route's query carrying a draft to start the composer with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedDraft {
    /// The text to put in the composer.
    #[serde(default)]
    pub draft: Option<String>,
}

/// The draft sharing `product_name`: its name and its link on the backend at `base_url`.
pub fn share_draft(base_url: &str, product_id: &ProductId, product_name: &str) -> SharedDraft {
    SharedDraft {
        draft: Some(format!(
            "{product_name}: {}",
            product_link(base_url, product_id)
        )),
    }
}

/// An image path of the API as a URL of the backend at `base_url`.
pub fn image_url(base_url: &str, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_owned()
    } else {
        format!("{}{path}", base_url.trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c7_c8_sharing_a_product_drafts_its_name_and_link() {
        let shared = share_draft(
            "http://127.0.0.1:8787/",
            &ProductId::from("prod-0042"),
            "Merino Crew",
        );
        assert_eq!(
            shared.draft.as_deref(),
            Some("Merino Crew: http://127.0.0.1:8787/shop/products/prod-0042"),
            "the name and the product's link"
        );
    }

    #[test]
    fn c6_product_images_load_from_the_backend() {
        assert_eq!(
            image_url("http://127.0.0.1:8787", "/api/v1/products/prod-0001/image"),
            "http://127.0.0.1:8787/api/v1/products/prod-0001/image",
            "a path becomes a URL of the backend"
        );
        assert_eq!(
            image_url("http://127.0.0.1:8787", "https://cdn.example.com/a.svg"),
            "https://cdn.example.com/a.svg",
            "a full URL stays as it is"
        );
    }
}
