//! The profile's wishlist (C8) and recommendations (C7): product cards with picture, name,
//! variant and price, the recommendation's reason, and a Share action putting the product's
//! link into the customer's chat composer.

use clienteling_domain::catalog::Money;
use clienteling_domain::order::{Recommendation, WishlistItem};
use clienteling_domain::ProductId;
use yew::prelude::*;

use crate::state::share::image_url;

/// Shares a product: its id and name.
pub type Share = Option<Callback<(ProductId, String)>>;

/// One product card.
struct Card<'a> {
    test: &'static str,
    product_id: &'a ProductId,
    name: &'a str,
    variant: Option<&'a str>,
    price: Money,
    image: &'a str,
    reason: Option<String>,
}

fn card(card: Card<'_>, backend_url: &str, share: &Share) -> Html {
    let share_button = match share {
        Some(share) => {
            let share = share.clone();
            let id = card.product_id.clone();
            let name = card.name.to_owned();
            let onclick =
                Callback::from(move |_: MouseEvent| share.emit((id.clone(), name.clone())));
            html! {
                <button type="button" class="button button--quiet" data-test="share-product" {onclick}>{ "Share" }</button>
            }
        }
        None => html! {
            <button type="button" class="button button--quiet" data-test="share-product" disabled=true
                title="No conversation with this customer in this store yet">{ "Share" }</button>
        },
    };
    html! {
        <li class="product-row" data-test={card.test} data-product-id={card.product_id.to_string()}>
            <img class="product-row__image" alt="" loading="lazy" src={image_url(backend_url, card.image)} />
            <span class="product-row__main">
                <span class="product-row__name">{ card.name.to_owned() }</span>
                if let Some(variant) = card.variant {
                    <span class="muted">{ variant.to_owned() }</span>
                }
                if let Some(reason) = card.reason {
                    <span class="product-row__reason" data-test="recommendation-reason">{ reason }</span>
                }
            </span>
            <span class="product-row__price">{ card.price.to_string() }</span>
            { share_button }
        </li>
    }
}

/// The wishlist section.
pub fn wishlist_section(items: &[WishlistItem], backend_url: &str, share: &Share) -> Html {
    html! {
        <section class="profile__section" aria-label="Wishlist">
            <h2 class="profile__section-title">{ "Wishlist" }</h2>
            if items.is_empty() {
                <p class="muted">{ "Nothing on the wishlist yet." }</p>
            } else {
                <ul class="products">
                    { for items.iter().map(|item| card(Card {
                        test: "wishlist-item",
                        product_id: &item.product_id,
                        name: &item.product_name,
                        variant: item.variant_label.as_deref(),
                        price: item.price,
                        image: &item.image_url,
                        reason: None,
                    }, backend_url, share)) }
                </ul>
            }
        </section>
    }
}

/// The recommendations section.
pub fn recommendations_section(
    recommendations: &[Recommendation],
    backend_url: &str,
    share: &Share,
) -> Html {
    html! {
        <section class="profile__section" aria-label="Recommended">
            <h2 class="profile__section-title">{ "Recommended" }</h2>
            if recommendations.is_empty() {
                <p class="muted">{ "No recommendations yet." }</p>
            } else {
                <ul class="products">
                    { for recommendations.iter().map(|r| card(Card {
                        test: "recommendation",
                        product_id: &r.product_id,
                        name: &r.product_name,
                        variant: r.variant_label.as_deref(),
                        price: r.price,
                        image: &r.image_url,
                        reason: Some(r.reason.sentence()),
                    }, backend_url, share)) }
                </ul>
            }
        </section>
    }
}
