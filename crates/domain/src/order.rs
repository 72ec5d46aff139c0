//! A customer's purchases (C6), wishlist (C8) and the products recommended to them (C7).
//!
//! An order's lines carry what a receipt shows (product name, size, colour, unit price,
//! image) as it was when bought, so later catalog changes do not rewrite history; its
//! total is the sum of its lines ([`lines_total`]), except for an order paid from a remote
//! cart, whose total is what the cart charged after discounts and tax (M9).

use serde::{Deserialize, Serialize};

use crate::catalog::{variant_label, Currency, Money};
use crate::{CustomerId, OrderId, ProductId, StoreId, Timestamp, VariantId, WishlistItemId};

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Paid, not sent yet.
    Placed,
    /// On its way.
    Shipped,
    /// With the customer.
    Delivered,
    /// Sent back and refunded.
    Returned,
    /// Sent back for another size or colour.
    Exchanged,
    /// Cancelled before it shipped.
    Cancelled,
}

impl OrderStatus {
    /// Every status.
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::Placed,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Returned,
        OrderStatus::Exchanged,
        OrderStatus::Cancelled,
    ];

    /// Stable name, as in the API and the databases.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Placed => "placed",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Returned => "returned",
            OrderStatus::Exchanged => "exchanged",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the stable name back.
    pub fn parse(value: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Display name, e.g. "Delivered".
    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::Placed => "Placed",
            OrderStatus::Shipped => "Shipped",
            OrderStatus::Delivered => "Delivered",
            OrderStatus::Returned => "Returned",
            OrderStatus::Exchanged => "Exchanged",
            OrderStatus::Cancelled => "Cancelled",
        }
    }

    /// Whether the customer kept what they bought (it counts as owned: not recommended
    /// again).
    pub fn kept(self) -> bool {
        matches!(
            self,
            OrderStatus::Placed
                | OrderStatus::Shipped
                | OrderStatus::Delivered
                | OrderStatus::Exchanged
        )
    }
}

/// Where an order was placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderChannel {
    /// At the till of a store.
    Store,
    /// On the web shop.
    Online,
}

impl OrderChannel {
    /// Stable name, as in the API and the databases.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderChannel::Store => "store",
            OrderChannel::Online => "online",
        }
    }

    /// Parses the stable name back.
    pub fn parse(value: &str) -> Option<OrderChannel> {
        [OrderChannel::Store, OrderChannel::Online]
            .into_iter()
            .find(|c| c.as_str() == value)
    }

    /// Display name.
    pub fn label(self) -> &'static str {
        match self {
            OrderChannel::Store => "In store",
            OrderChannel::Online => "Online",
        }
    }
}

/// One line of an order, as the receipt shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderLine {
    /// The product bought.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub product_id: ProductId,
    /// Its variant.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub variant_id: VariantId,
    /// The product's name when bought.
    pub product_name: String,
    /// The variant's size.
    pub size: String,
    /// The variant's colour.
    pub colour: String,
    /// How many.
    pub quantity: u32,
    /// The price of one, in the order's currency.
    pub unit_price: Money,
    /// The product's image (a path under the API, public).
    pub image_url: String,
}

impl OrderLine {
    /// `quantity` × `unit_price`.
    pub fn total(&self) -> Money {
        self.unit_price.times(self.quantity)
    }

    /// "M · Navy".
    pub fn variant_label(&self) -> String {
        variant_label(&self.size, &self.colour)
    }
}

/// The sum of `lines` in `currency`; `None` when a line is in another currency.
pub fn lines_total(currency: Currency, lines: &[OrderLine]) -> Option<Money> {
    lines
        .iter()
        .try_fold(Money::zero(currency), |sum, line| sum.plus(line.total()))
}

/// A customer's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Order {
    /// Identifier (the order number on the receipt).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: OrderId,
    /// Who bought.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub customer_id: CustomerId,
    /// The store it belongs to (its till, or the store the web order was credited to).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub store_id: StoreId,
    /// In store or online.
    pub channel: OrderChannel,
    /// Where it stands.
    pub status: OrderStatus,
    /// When it was placed (ms since the epoch).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub placed_at: Timestamp,
    /// When its status last changed (ms since the epoch).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub updated_at: Timestamp,
    /// Its lines, in receipt order.
    pub lines: Vec<OrderLine>,
    /// What was charged, in the order's currency: the sum of its lines, or for an order
    /// paid from a remote cart (M9) the cart's total after its discounts and with its tax.
    pub total: Money,
}

impl Order {
    /// Whether `total` is the sum of the lines, in one currency (not so for an order paid
    /// from a cart with discounts or added tax).
    pub fn adds_up(&self) -> bool {
        lines_total(self.total.currency, &self.lines) == Some(self.total)
    }
}

/// A product a customer wished for (C8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WishlistItem {
    /// Identifier.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: WishlistItemId,
    /// Whose wishlist.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub customer_id: CustomerId,
    /// The product.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub product_id: ProductId,
    /// The variant wished for, when they chose one.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub variant_id: Option<VariantId>,
    /// The product's name.
    pub product_name: String,
    /// "M · Navy" when a variant was chosen.
    pub variant_label: Option<String>,
    /// Its price in the currency of the customer's store.
    pub price: Money,
    /// The product's image (a path under the API, public).
    pub image_url: String,
    /// When it was added (ms since the epoch).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub added_at: Timestamp,
}

/// Why a product is recommended to a customer (C7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecommendationReason {
    /// Other customers of the store who bought a product the customer owns bought this.
    BoughtTogether {
        /// The product the customer owns.
        owned_product_name: String,
        /// How many customers bought both.
        customers: u32,
    },
    /// It comes in the size the customer buys, in a category they buy from.
    SizeInCategory {
        /// Their size.
        size: String,
        /// The category's display name.
        category: String,
    },
}

impl RecommendationReason {
    /// The reason as the profile shows it, e.g. "Customers who bought the Merino Crew also
    /// bought this" or "Matches their size M in Knitwear".
    pub fn sentence(&self) -> String {
        match self {
            RecommendationReason::BoughtTogether {
                owned_product_name, ..
            } => format!("Customers who bought the {owned_product_name} also bought this"),
            RecommendationReason::SizeInCategory { size, category } => {
                format!("Matches their size {size} in {category}")
            }
        }
    }
}

/// A product recommended to a customer, with its reason (C7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recommendation {
    /// The product.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub product_id: ProductId,
    /// The variant suggested (their size), when there is one.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub variant_id: Option<VariantId>,
    /// The product's name.
    pub product_name: String,
    /// "M · Navy" when a variant is suggested.
    pub variant_label: Option<String>,
    /// Its price in the currency of the customer's store.
    pub price: Money,
    /// The product's image (a path under the API, public).
    pub image_url: String,
    /// Why.
    pub reason: RecommendationReason,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(quantity: u32, minor: i64, currency: Currency) -> OrderLine {
        OrderLine {
            product_id: "prod-0001".into(),
            variant_id: "prod-0001-m-navy".into(),
            product_name: "Merino Crew".into(),
            size: "M".into(),
            colour: "Navy".into(),
            quantity,
            unit_price: Money::new(minor, currency),
            image_url: "/api/v1/products/prod-0001/image".into(),
        }
    }

    #[test]
    fn c6_an_order_total_is_the_sum_of_its_lines() {
        let lines = vec![
            line(2, 12_950, Currency::Usd),
            line(1, 98_550, Currency::Usd),
        ];
        let total = lines_total(Currency::Usd, &lines).expect("one currency");
        assert_eq!(
            total,
            Money::new(124_450, Currency::Usd),
            "2 × $129.50 + $985.50"
        );
        assert_eq!(total.to_string(), "$1,244.50", "shown in dollars");
        let order = Order {
            id: "ord-1".into(),
            customer_id: "cust-0001".into(),
            store_id: "store-nyc".into(),
            channel: OrderChannel::Store,
            status: OrderStatus::Delivered,
            placed_at: Timestamp(1),
            updated_at: Timestamp(2),
            lines,
            total,
        };
        assert!(order.adds_up(), "the order adds up");
        assert!(
            !Order {
                total: Money::new(1, Currency::Usd),
                ..order
            }
            .adds_up(),
            "a total that is not the sum is caught"
        );
        assert_eq!(
            lines_total(
                Currency::Usd,
                &[line(1, 100, Currency::Usd), line(1, 100, Currency::Gbp)]
            ),
            None,
            "lines in another currency do not add up"
        );
    }

    #[test]
    fn c7_each_reason_reads_as_a_sentence() {
        assert_eq!(
            RecommendationReason::BoughtTogether {
                owned_product_name: "Merino Crew".into(),
                customers: 3
            }
            .sentence(),
            "Customers who bought the Merino Crew also bought this",
            "the co-purchase reason names what they own"
        );
        assert_eq!(
            RecommendationReason::SizeInCategory {
                size: "M".into(),
                category: "Knitwear".into()
            }
            .sentence(),
            "Matches their size M in Knitwear",
            "the affinity reason names size and category"
        );
    }

    #[test]
    fn c6_statuses_round_trip_and_returns_are_not_kept() {
        for status in OrderStatus::ALL {
            assert_eq!(
                OrderStatus::parse(status.as_str()),
                Some(status),
                "{} parses back",
                status.as_str()
            );
        }
        assert!(
            !OrderStatus::Returned.kept() && !OrderStatus::Cancelled.kept(),
            "returned and cancelled orders are not owned"
        );
        assert!(OrderStatus::Delivered.kept(), "delivered orders are owned");
    }
}
