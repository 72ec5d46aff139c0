//! The profile's orders (C6): the latest first with date, status, channel and total in the
//! order's currency; each opens to its lines (product, size and colour, quantity, price,
//! picture).

use clienteling_domain::order::Order;
use clienteling_domain::{OrderId, Timestamp};
use yew::prelude::*;

use crate::state::share::image_url;

/// Props of [`OrdersSection`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct OrdersSectionProps {
    /// The latest orders, most recent first.
    pub orders: Vec<Order>,
    /// How many orders the customer has in all.
    pub count: u32,
    /// The backend the pictures load from.
    pub backend_url: String,
    /// The time now, for the dates.
    pub now: Timestamp,
}

/// The orders section.
#[component]
pub fn OrdersSection(props: &OrdersSectionProps) -> Html {
    let open = use_state(|| None::<OrderId>);
    let shown = props.orders.len();
    html! {
        <section class="profile__section" aria-label="Orders">
            <h2 class="profile__section-title">{ "Orders" }</h2>
            if props.orders.is_empty() {
                <p class="muted">{ "No orders yet." }</p>
            } else {
                <ul class="orders">
                    { for props.orders.iter().map(|order| {
                        let expanded = open.as_ref() == Some(&order.id);
                        let toggle = {
                            let open = open.clone();
                            let id = order.id.clone();
                            Callback::from(move |_: MouseEvent| {
                                open.set(if open.as_ref() == Some(&id) { None } else { Some(id.clone()) });
                            })
                        };
                        html! {
                            <li class="order" data-test="order" data-order-id={order.id.to_string()}>
                                <button type="button" class="order__summary" onclick={toggle}
                                    aria-expanded={expanded.to_string()}>
                                    <span class="order__date">{ order.placed_at.relative_label(props.now) }</span>
                                    <span class={classes!("tag", format!("order-status--{}", order.status.as_str()))}
                                        data-test="order-status">{ order.status.label() }</span>
                                    <span class="muted order__channel">{ order.channel.label() }</span>
                                    <span class="order__total" data-test="order-total">{ order.total.to_string() }</span>
                                </button>
                                if expanded {
                                    <ul class="order__lines">
                                        { for order.lines.iter().map(|line| html! {
                                            <li class="product-row" data-test="order-line">
                                                <img class="product-row__image" alt="" loading="lazy"
                                                    src={image_url(&props.backend_url, &line.image_url)} />
                                                <span class="product-row__main">
                                                    <span class="product-row__name">{ line.product_name.clone() }</span>
                                                    <span class="muted">{ format!("{} · × {}", line.variant_label(), line.quantity) }</span>
                                                </span>
                                                <span class="product-row__price">{ line.unit_price.to_string() }</span>
                                            </li>
                                        }) }
                                    </ul>
                                }
                            </li>
                        }
                    }) }
                </ul>
                if props.count as usize > shown {
                    <p class="muted">{ format!("The latest {shown} of {} orders.", props.count) }</p>
                }
            }
        </section>
    }
}
