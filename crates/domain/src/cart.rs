//! Remote carts (M9, C4): lines, discounts, the store's tax rule, totals in integer minor
//! units, and the life of a cart from draft to paid.
//!
//! # Totals and rounding
//! Every amount is an integer of minor units; [`Cart::totals`] computes them in this order:
//! 1. each line's gross is unit price × quantity;
//! 2. a line discount takes a percent of that gross (rounded half up) or an amount, never
//!    more than the gross;
//! 3. the cart discount takes a percent of the sum of the lines after their discounts
//!    (rounded half up) or an amount, never more than that sum, and is shared across the
//!    lines in proportion to their amounts by the largest-remainder method;
//! 4. tax is computed once on the cart (rounded half up) and shared across the lines the
//!    same way: US sales tax at the store's rate is *added* to the total; UK VAT is
//!    *included* in the prices, and only the VAT part (`amount × rate / (1 + rate)`) is
//!    shown.
//!
//! Because each shared amount is allocated by largest remainder, the shares are whole minor
//! units that add up exactly: every line's total plus the others' is the cart's total, to
//! the penny. No amount is ever negative and no discount exceeds what it applies to.
//!
//! # States
//! `draft` → `shared` (a pay link valid [`PAY_LINK_TTL_MS`], 24 hours) → `paid`; a shared
//! cart whose link ran out reads as `expired` ([`Cart::status_at`], time passed in), and
//! sharing it again makes a new link. A draft, shared or expired cart can be cancelled;
//! editing a shared or expired cart takes it back to draft (its link no longer pays).
//! `paid` and `cancelled` are final ([`CartStatus::allows`]).

use serde::{Deserialize, Serialize};

use crate::catalog::{variant_label, Currency, Money};
use crate::time::DAY_MS;
use crate::{
    CartId, ConversationId, CustomerId, OrderId, ProductId, StoreId, Timestamp, VariantId,
};

/// How long a pay link can be paid after it was shared: 24 hours.
pub const PAY_LINK_TTL_MS: i64 = DAY_MS;

/// The most of one variant a cart line holds.
pub const MAX_QUANTITY: u32 = 99;

/// The most lines a cart holds.
pub const MAX_LINES: usize = 50;

/// One million: tax rates are parts per million (8.875 % is 88 750).
const PPM: i128 = 1_000_000;

/// A price reduction: a whole percent of what it applies to, or an amount of the cart's
/// currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Discount {
    /// `percent` % off (1 to 100).
    Percent {
        /// Whole percent, 1 to 100.
        percent: u32,
    },
    /// `minor` minor units off (never more than what it applies to).
    Amount {
        /// Minor units, at least 1.
        minor: i64,
    },
}

impl Discount {
    /// Whether the discount is one a cart accepts: 1 to 100 percent, or a positive amount.
    pub fn check(self) -> Result<Discount, CartError> {
        match self {
            Discount::Percent { percent } if (1..=100).contains(&percent) => Ok(self),
            Discount::Amount { minor } if minor > 0 => Ok(self),
            _ => Err(CartError::Discount),
        }
    }

    /// What it takes off `amount` (non-negative): the percent rounded half up, or the
    /// amount; never more than `amount`.
    pub fn off(self, amount: i64) -> i64 {
        let amount = amount.max(0);
        let off = match self {
            Discount::Percent { percent } => {
                round_half_up(i128::from(amount) * i128::from(percent.min(100)), 100)
            }
            Discount::Amount { minor } => i128::from(minor.max(0)),
        };
        clamp_i64(off.min(i128::from(amount)))
    }

    /// "10% off" or "$5.00 off".
    pub fn label(self, currency: Currency) -> String {
        match self {
            Discount::Percent { percent } => format!("{percent}% off"),
            Discount::Amount { minor } => format!("{} off", Money::new(minor, currency)),
        }
    }
}

/// How a store's prices meet tax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TaxRule {
    /// US sales tax: prices are before tax; tax at the rate is added at checkout.
    SalesTax {
        /// The rate in parts per million (New York City: 88 750, i.e. 8.875 %).
        rate_ppm: u32,
    },
    /// UK VAT: prices include it; the receipt shows the VAT part.
    VatIncluded {
        /// The rate in parts per million (standard rate: 200 000, i.e. 20 %).
        rate_ppm: u32,
    },
}

impl TaxRule {
    /// New York City's combined sales tax, 8.875 %.
    pub const NEW_YORK_CITY: TaxRule = TaxRule::SalesTax { rate_ppm: 88_750 };
    /// The UK's standard VAT rate, 20 %.
    pub const UK_STANDARD_VAT: TaxRule = TaxRule::VatIncluded { rate_ppm: 200_000 };

    /// The rule of a store in `country` (ISO 3166-1 alpha-2): VAT included in the UK,
    /// New York City's sales tax added elsewhere (the demo's US store).
    pub fn of_country(country: &str) -> TaxRule {
        if country.eq_ignore_ascii_case("GB") {
            TaxRule::UK_STANDARD_VAT
        } else {
            TaxRule::NEW_YORK_CITY
        }
    }

    /// Whether prices already include the tax.
    pub fn included(self) -> bool {
        matches!(self, TaxRule::VatIncluded { .. })
    }

    /// "Sales tax (8.875%)" or "VAT (20%) included".
    pub fn label(self) -> String {
        match self {
            TaxRule::SalesTax { rate_ppm } => format!("Sales tax ({})", percent_label(rate_ppm)),
            TaxRule::VatIncluded { rate_ppm } => {
                format!("VAT ({}) included", percent_label(rate_ppm))
            }
        }
    }

    /// The tax on `amount` minor units, rounded half up: the rate of it when added, the
    /// part `rate / (1 + rate)` of it when included.
    pub fn tax_on(self, amount: i64) -> i64 {
        let amount = i128::from(amount.max(0));
        clamp_i64(match self {
            TaxRule::SalesTax { rate_ppm } => round_half_up(amount * i128::from(rate_ppm), PPM),
            TaxRule::VatIncluded { rate_ppm } => {
                round_half_up(amount * i128::from(rate_ppm), PPM + i128::from(rate_ppm))
            }
        })
    }
}

/// "8.875%", "20%": a rate in parts per million as a percent with no trailing zeros.
fn percent_label(rate_ppm: u32) -> String {
    let whole = rate_ppm / 10_000;
    let fraction = rate_ppm % 10_000;
    if fraction == 0 {
        format!("{whole}%")
    } else {
        let digits = format!("{fraction:04}");
        format!("{whole}.{}%", digits.trim_end_matches('0'))
    }
}

/// `numerator / denominator` rounded half up, for a non-negative numerator and a positive
/// denominator.
fn round_half_up(numerator: i128, denominator: i128) -> i128 {
    (2 * numerator + denominator) / (2 * denominator)
}

fn clamp_i64(value: i128) -> i64 {
    i64::try_from(value.clamp(0, i128::from(i64::MAX))).unwrap_or(i64::MAX)
}

/// Shares `total` across `weights` (non-negative) in proportion, by the largest-remainder
/// method: each share is the floor of its exact part, and the units left over go one each
/// to the largest remainders (the earlier line first on a tie). The shares add up to
/// `total`, and none exceeds its weight when `total` does not exceed their sum.
fn allocate(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|w| i128::from((*w).max(0))).sum();
    if sum == 0 || total <= 0 {
        return vec![0; weights.len()];
    }
    let total = i128::from(total);
    let mut shares: Vec<i128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
    for (index, weight) in weights.iter().enumerate() {
        let exact = total * i128::from((*weight).max(0));
        shares.push(exact / sum);
        remainders.push((exact % sum, index));
    }
    let left = total - shares.iter().sum::<i128>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, index) in remainders
        .into_iter()
        .take(usize::try_from(left).unwrap_or(0))
    {
        shares[index] += 1;
    }
    shares.into_iter().map(clamp_i64).collect()
}

/// Where a cart stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CartStatus {
    /// Being put together by the associate.
    Draft,
    /// Sent to the customer with a pay link that still pays.
    Shared,
    /// Paid by the customer: it is an order now.
    Paid,
    /// Shared, but the pay link ran out (24 hours); share it again for a new link.
    Expired,
    /// Given up.
    Cancelled,
}

impl CartStatus {
    /// Every status.
    pub const ALL: [CartStatus; 5] = [
        CartStatus::Draft,
        CartStatus::Shared,
        CartStatus::Paid,
        CartStatus::Expired,
        CartStatus::Cancelled,
    ];

    /// Stable name, as in the API and the databases.
    pub fn as_str(self) -> &'static str {
        match self {
            CartStatus::Draft => "draft",
            CartStatus::Shared => "shared",
            CartStatus::Paid => "paid",
            CartStatus::Expired => "expired",
            CartStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the stable name back.
    pub fn parse(value: &str) -> Option<CartStatus> {
        CartStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether `action` may be taken in this status, and if not, why.
    pub fn allows(self, action: CartAction) -> Result<(), CartError> {
        match (self, action) {
            (CartStatus::Paid, _) => Err(CartError::AlreadyPaid),
            (CartStatus::Cancelled, _) => Err(CartError::Cancelled),
            (CartStatus::Draft, CartAction::Pay) => Err(CartError::NotShared),
            (CartStatus::Expired, CartAction::Pay) => Err(CartError::LinkExpired),
            _ => Ok(()),
        }
    }

    /// The status after `action` is taken (when [`CartStatus::allows`] it).
    pub fn after(self, action: CartAction) -> CartStatus {
        match action {
            CartAction::Edit => CartStatus::Draft,
            CartAction::Share => CartStatus::Shared,
            CartAction::Pay => CartStatus::Paid,
            CartAction::Cancel => CartStatus::Cancelled,
        }
    }
}

/// What can be done to a cart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CartAction {
    /// Add, change or remove a line, or set a discount.
    Edit,
    /// Send it with a (new) pay link.
    Share,
    /// The customer pays through the link.
    Pay,
    /// Give it up.
    Cancel,
}

/// Why a cart refuses something.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CartError {
    /// It was paid: it is an order now and cannot change.
    #[error("this cart has been paid; it is an order now")]
    AlreadyPaid,
    /// It was cancelled.
    #[error("this cart was cancelled")]
    Cancelled,
    /// Nobody has been sent a link to pay it yet.
    #[error("this cart has not been shared yet")]
    NotShared,
    /// The pay link ran out.
    #[error("this pay link has expired; ask your associate for a new one")]
    LinkExpired,
    /// Sharing a cart with no line.
    #[error("add a product before sharing the cart")]
    Empty,
    /// A quantity outside 1 to [`MAX_QUANTITY`].
    #[error("a quantity is between 1 and {MAX_QUANTITY}")]
    Quantity,
    /// More than [`MAX_LINES`] lines.
    #[error("a cart holds at most {MAX_LINES} lines")]
    TooManyLines,
    /// A price in another currency than the cart's, or below zero.
    #[error("the price is not in the cart's currency")]
    Price,
    /// A discount of 0 or over 100 percent, or of no amount.
    #[error("a discount is 1 to 100 percent, or an amount above zero")]
    Discount,
    /// No line of that variant.
    #[error("the cart has no line of that variant")]
    NoSuchLine,
}

/// A pay link's secret part and how long it pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayLink {
    /// The link, e.g. `http://127.0.0.1:8080/pay/<token>`.
    pub url: String,
    /// When it was shared (ms since the epoch).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub shared_at: Timestamp,
    /// When it stops paying (ms since the epoch): 24 hours after it was shared.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub expires_at: Timestamp,
}

impl PayLink {
    /// When a link shared at `shared_at` stops paying.
    pub fn expiry(shared_at: Timestamp) -> Timestamp {
        shared_at.plus_ms(PAY_LINK_TTL_MS)
    }

    /// Milliseconds it still pays at `now` (0 once expired).
    pub fn time_left_ms(&self, now: Timestamp) -> i64 {
        self.expires_at.since(now).max(0)
    }

    /// Whether it has run out at `now`.
    pub fn expired(&self, now: Timestamp) -> bool {
        now >= self.expires_at
    }
}

/// One variant in a cart, with what the customer sees of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartLine {
    /// The product.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub product_id: ProductId,
    /// Its variant: a cart has at most one line per variant.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub variant_id: VariantId,
    /// The product's name.
    pub product_name: String,
    /// The variant's size.
    pub size: String,
    /// The variant's colour.
    pub colour: String,
    /// The product's image (a path under the API, public).
    pub image_url: String,
    /// The price of one, in the cart's currency (VAT included in the UK).
    pub unit_price: Money,
    /// How many, 1 to 99.
    pub quantity: u32,
    /// A discount on this line only.
    pub discount: Option<Discount>,
}

impl CartLine {
    /// "M · Navy".
    pub fn variant_label(&self) -> String {
        variant_label(&self.size, &self.colour)
    }
}

/// A cart put together for a customer in a store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cart {
    /// Identifier, generated by the client (the idempotency key of its creation).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: CartId,
    /// For whom.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub customer_id: CustomerId,
    /// The store selling.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub store_id: StoreId,
    /// The chat it was put together from (M9), if any; the receipt goes there when paid.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub conversation_id: Option<ConversationId>,
    /// The store's currency.
    pub currency: Currency,
    /// The store's tax rule.
    pub tax_rule: TaxRule,
    /// Its lines, in the order they were added.
    pub lines: Vec<CartLine>,
    /// A discount on the whole cart.
    pub discount: Option<Discount>,
    /// Where it stands (as stored; [`Cart::status_at`] reads a run-out link as expired).
    pub status: CartStatus,
    /// The latest pay link, once shared.
    pub pay_link: Option<PayLink>,
    /// The order it became, once paid.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub order_id: Option<OrderId>,
    /// When it was created (ms since the epoch).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub created_at: Timestamp,
    /// When it last changed (ms since the epoch).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub updated_at: Timestamp,
}

impl Cart {
    /// An empty draft for `customer_id` in `store_id`.
    pub fn new(
        id: CartId,
        customer_id: CustomerId,
        store_id: StoreId,
        currency: Currency,
        tax_rule: TaxRule,
        now: Timestamp,
    ) -> Cart {
        Cart {
            id,
            customer_id,
            store_id,
            conversation_id: None,
            currency,
            tax_rule,
            lines: Vec::new(),
            discount: None,
            status: CartStatus::Draft,
            pay_link: None,
            order_id: None,
            created_at: now,
            updated_at: now,
        }
    }

    /// Its status at `now`: a shared cart whose link has run out is expired.
    pub fn status_at(&self, now: Timestamp) -> CartStatus {
        match (&self.status, &self.pay_link) {
            (CartStatus::Shared, Some(link)) if link.expired(now) => CartStatus::Expired,
            (status, _) => *status,
        }
    }

    fn edit(&mut self, now: Timestamp) -> Result<(), CartError> {
        let status = self.status_at(now);
        status.allows(CartAction::Edit)?;
        self.status = status.after(CartAction::Edit);
        self.updated_at = now;
        Ok(())
    }

    /// Sets the quantity of `line`'s variant: adds the line when the cart has none of it,
    /// replaces its price, quantity and discount otherwise.
    pub fn put_line(&mut self, line: CartLine, now: Timestamp) -> Result<(), CartError> {
        if !(1..=MAX_QUANTITY).contains(&line.quantity) {
            return Err(CartError::Quantity);
        }
        if line.unit_price.currency != self.currency || line.unit_price.minor < 0 {
            return Err(CartError::Price);
        }
        if let Some(discount) = line.discount {
            discount.check()?;
        }
        let existing = self
            .lines
            .iter()
            .position(|l| l.variant_id == line.variant_id);
        if existing.is_none() && self.lines.len() >= MAX_LINES {
            return Err(CartError::TooManyLines);
        }
        self.edit(now)?;
        match existing {
            Some(index) => self.lines[index] = line,
            None => self.lines.push(line),
        }
        Ok(())
    }

    /// Takes the line of `variant_id` out.
    pub fn remove_line(&mut self, variant_id: &VariantId, now: Timestamp) -> Result<(), CartError> {
        let index = self
            .lines
            .iter()
            .position(|l| &l.variant_id == variant_id)
            .ok_or(CartError::NoSuchLine)?;
        self.edit(now)?;
        self.lines.remove(index);
        Ok(())
    }

    /// Sets (or with `None` removes) the discount on the whole cart.
    pub fn set_discount(
        &mut self,
        discount: Option<Discount>,
        now: Timestamp,
    ) -> Result<(), CartError> {
        if let Some(discount) = discount {
            discount.check()?;
        }
        self.edit(now)?;
        self.discount = discount;
        Ok(())
    }

    /// Shares it with a new pay link at `url`, valid 24 hours from `now`; a link shared
    /// before no longer pays.
    pub fn share(&mut self, url: String, now: Timestamp) -> Result<&PayLink, CartError> {
        let status = self.status_at(now);
        status.allows(CartAction::Share)?;
        if self.lines.is_empty() {
            return Err(CartError::Empty);
        }
        self.status = status.after(CartAction::Share);
        self.updated_at = now;
        Ok(self.pay_link.insert(PayLink {
            url,
            shared_at: now,
            expires_at: PayLink::expiry(now),
        }))
    }

    /// Whether the customer can pay it at `now`.
    pub fn payable(&self, now: Timestamp) -> Result<(), CartError> {
        self.status_at(now).allows(CartAction::Pay)
    }

    /// Marks it paid at `now`, as `order_id`.
    pub fn pay(&mut self, order_id: OrderId, now: Timestamp) -> Result<(), CartError> {
        self.payable(now)?;
        self.status = CartStatus::Paid;
        self.order_id = Some(order_id);
        self.updated_at = now;
        Ok(())
    }

    /// Gives it up.
    pub fn cancel(&mut self, now: Timestamp) -> Result<(), CartError> {
        let status = self.status_at(now);
        status.allows(CartAction::Cancel)?;
        self.status = status.after(CartAction::Cancel);
        self.updated_at = now;
        Ok(())
    }

    /// Its totals (see the module's rounding rule).
    pub fn totals(&self) -> CartTotals {
        let currency = self.currency;
        let money = |minor| Money::new(minor, currency);
        let gross: Vec<i64> = self
            .lines
            .iter()
            .map(|l| l.unit_price.times(l.quantity).minor.max(0))
            .collect();
        let line_discounts: Vec<i64> = self
            .lines
            .iter()
            .zip(&gross)
            .map(|(l, g)| l.discount.map_or(0, |d| d.off(*g)))
            .collect();
        let net: Vec<i64> = gross
            .iter()
            .zip(&line_discounts)
            .map(|(g, d)| g - d)
            .collect();
        let net_sum = sum(&net);
        let cart_discount = self.discount.map_or(0, |d| d.off(net_sum));
        let cart_discount_shares = allocate(cart_discount, &net);
        let taxable: Vec<i64> = net
            .iter()
            .zip(&cart_discount_shares)
            .map(|(n, s)| n - s)
            .collect();
        let taxable_sum = sum(&taxable);
        let tax = self.tax_rule.tax_on(taxable_sum);
        let tax_shares = allocate(tax, &taxable);
        let included = self.tax_rule.included();
        let lines = self
            .lines
            .iter()
            .enumerate()
            .map(|(i, line)| LineTotals {
                variant_id: line.variant_id.clone(),
                gross: money(gross[i]),
                line_discount: money(line_discounts[i]),
                cart_discount: money(cart_discount_shares[i]),
                tax: money(tax_shares[i]),
                total: money(if included {
                    taxable[i]
                } else {
                    taxable[i].saturating_add(tax_shares[i])
                }),
            })
            .collect();
        let line_discount_sum = sum(&line_discounts);
        CartTotals {
            subtotal: money(sum(&gross)),
            line_discounts: money(line_discount_sum),
            cart_discount: money(cart_discount),
            discount_total: money(line_discount_sum.saturating_add(cart_discount)),
            tax_label: self.tax_rule.label(),
            tax: money(tax),
            tax_included: included,
            total: money(if included {
                taxable_sum
            } else {
                taxable_sum.saturating_add(tax)
            }),
            lines,
        }
    }
}

fn sum(amounts: &[i64]) -> i64 {
    amounts.iter().fold(0i64, |s, a| s.saturating_add(*a))
}

/// A line's share of the cart's amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineTotals {
    /// The line's variant.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub variant_id: VariantId,
    /// Unit price × quantity.
    pub gross: Money,
    /// Its own discount.
    pub line_discount: Money,
    /// Its share of the cart discount.
    pub cart_discount: Money,
    /// Its share of the tax (added in the US, included in the UK).
    pub tax: Money,
    /// What it costs: gross less both discounts, plus its tax when tax is added.
    pub total: Money,
}

/// A cart's amounts: the lines' amounts always add up to these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartTotals {
    /// The lines' gross amounts (before any discount).
    pub subtotal: Money,
    /// The lines' own discounts together.
    pub line_discounts: Money,
    /// The discount on the whole cart.
    pub cart_discount: Money,
    /// Both kinds of discount together.
    pub discount_total: Money,
    /// "Sales tax (8.875%)" or "VAT (20%) included".
    pub tax_label: String,
    /// The tax: added to the total in the US, the VAT part of it in the UK.
    pub tax: Money,
    /// Whether `tax` is included in the total rather than added to it.
    pub tax_included: bool,
    /// What the customer pays.
    pub total: Money,
    /// Each line's share, in the cart's line order.
    pub lines: Vec<LineTotals>,
}

/// A cart as the API returns it: the cart with its status at the time asked, its totals
/// and how long its pay link still pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartView {
    /// The cart (its `status` read at the time asked: a run-out link reads as expired).
    pub cart: Cart,
    /// Its amounts.
    pub totals: CartTotals,
    /// Milliseconds its pay link still pays, when shared and not expired.
    pub link_time_left_ms: Option<i64>,
}

impl CartView {
    /// `cart` as seen at `now`.
    pub fn at(mut cart: Cart, now: Timestamp) -> CartView {
        cart.status = cart.status_at(now);
        let totals = cart.totals();
        let link_time_left_ms = match (cart.status, &cart.pay_link) {
            (CartStatus::Shared, Some(link)) => Some(link.time_left_ms(now)),
            _ => None,
        };
        CartView {
            cart,
            totals,
            link_time_left_ms,
        }
    }
}

/// `POST /api/v1/carts`: a new cart for a customer in a store (M9 from a chat, C4 from the
/// profile).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateCartRequest {
    /// The cart's id, generated by the client (a UUID): creating it again with the same id
    /// answers the cart already made.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: CartId,
    /// For whom.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub customer_id: CustomerId,
    /// The store selling (one of the caller's).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub store_id: StoreId,
    /// The chat it is put together from, if any (the receipt goes there).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[serde(default)]
    pub conversation_id: Option<ConversationId>,
}

/// `PUT /api/v1/carts/{id}/lines/{variant_id}`: how many of the variant, at the catalog's
/// price in the store's currency, and a discount on the line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartLineRequest {
    /// How many, 1 to 99.
    pub quantity: u32,
    /// A discount on this line only.
    #[serde(default)]
    pub discount: Option<Discount>,
}

/// `PUT /api/v1/carts/{id}/discount`: the discount on the whole cart, or none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartDiscountRequest {
    /// The discount, or `null` to remove it.
    #[serde(default)]
    pub discount: Option<Discount>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NOW: Timestamp = Timestamp(1_800_000_000_000);

    fn line(variant: &str, unit_minor: i64, quantity: u32, currency: Currency) -> CartLine {
        CartLine {
            product_id: ProductId::from("prod-1"),
            variant_id: VariantId::from(variant),
            product_name: "Merino Crew".into(),
            size: "M".into(),
            colour: "Navy".into(),
            image_url: "/api/v1/products/prod-1/image".into(),
            unit_price: Money::new(unit_minor, currency),
            quantity,
            discount: None,
        }
    }

    fn cart(rule: TaxRule, currency: Currency) -> Cart {
        Cart::new(
            CartId::from("cart-1"),
            CustomerId::from("cust-1"),
            StoreId::from("store-nyc"),
            currency,
            rule,
            NOW,
        )
    }

    fn assert_adds_up(totals: &CartTotals) {
        let lines_total: i64 = totals.lines.iter().map(|l| l.total.minor).sum();
        assert_eq!(
            lines_total, totals.total.minor,
            "the lines add up to the total"
        );
        let tax: i64 = totals.lines.iter().map(|l| l.tax.minor).sum();
        assert_eq!(tax, totals.tax.minor, "the lines' tax adds up to the tax");
        let share: i64 = totals.lines.iter().map(|l| l.cart_discount.minor).sum();
        assert_eq!(
            share, totals.cart_discount.minor,
            "the cart discount is shared exactly"
        );
    }

    #[test]
    fn m9_us_sales_tax_is_added_after_discounts_and_the_lines_add_up() {
        let mut cart = cart(TaxRule::NEW_YORK_CITY, Currency::Usd);
        let mut knit = line("v-knit", 12_500, 2, Currency::Usd);
        knit.discount = Some(Discount::Percent { percent: 10 });
        cart.put_line(knit, NOW).expect("a draft takes lines");
        cart.put_line(line("v-scarf", 4_999, 1, Currency::Usd), NOW)
            .expect("a second line");
        cart.set_discount(Some(Discount::Amount { minor: 1_000 }), NOW)
            .expect("a cart discount");
        let totals = cart.totals();
        assert_eq!(totals.subtotal.minor, 29_999, "2 × 125.00 + 49.99");
        assert_eq!(totals.line_discounts.minor, 2_500, "10% of 250.00");
        assert_eq!(totals.cart_discount.minor, 1_000, "10.00 off the cart");
        assert_eq!(totals.discount_total.minor, 3_500, "both discounts");
        assert_eq!(
            totals.tax.minor, 2_352,
            "8.875% of 264.99 after both discounts is 23.5178…, rounded half up to 23.52"
        );
        assert!(!totals.tax_included, "US tax is added");
        assert_eq!(totals.total.minor, 28_851, "264.99 + 23.52");
        assert_eq!(
            totals.tax_label, "Sales tax (8.875%)",
            "the receipt names it"
        );
        assert_adds_up(&totals);
    }

    #[test]
    fn m9_uk_vat_is_included_and_shown_as_its_part() {
        let mut cart = cart(TaxRule::UK_STANDARD_VAT, Currency::Gbp);
        cart.put_line(line("v-coat", 12_000, 1, Currency::Gbp), NOW)
            .expect("a line");
        let totals = cart.totals();
        assert_eq!(totals.total.minor, 12_000, "the price includes VAT");
        assert_eq!(
            totals.tax.minor, 2_000,
            "one sixth of £120.00 is the VAT at 20%"
        );
        assert!(totals.tax_included, "UK VAT is included");
        assert_eq!(
            totals.tax_label, "VAT (20%) included",
            "the receipt says so"
        );
        assert_adds_up(&totals);
    }

    #[test]
    fn m9_a_cart_discount_is_shared_by_largest_remainder() {
        let mut cart = cart(TaxRule::UK_STANDARD_VAT, Currency::Gbp);
        for variant in ["a", "b", "c"] {
            cart.put_line(line(variant, 100, 1, Currency::Gbp), NOW)
                .expect("a line");
        }
        cart.set_discount(Some(Discount::Amount { minor: 100 }), NOW)
            .expect("a discount");
        let shares: Vec<i64> = cart
            .totals()
            .lines
            .iter()
            .map(|l| l.cart_discount.minor)
            .collect();
        assert_eq!(
            shares,
            [34, 33, 33],
            "a pound over three equal lines: the leftover penny goes to the first"
        );
    }

    #[test]
    fn m9_discounts_never_take_more_than_they_apply_to() {
        let mut cart = cart(TaxRule::NEW_YORK_CITY, Currency::Usd);
        let mut cheap = line("v-socks", 500, 1, Currency::Usd);
        cheap.discount = Some(Discount::Amount { minor: 9_999 });
        cart.put_line(cheap, NOW).expect("a line");
        cart.set_discount(Some(Discount::Percent { percent: 100 }), NOW)
            .expect("a discount");
        let totals = cart.totals();
        assert_eq!(
            totals.line_discounts.minor, 500,
            "capped at the line's gross"
        );
        assert_eq!(totals.total.minor, 0, "free, never negative");
        assert_eq!(
            Discount::Percent { percent: 101 }.check(),
            Err(CartError::Discount),
            "over 100 percent is refused"
        );
        assert_eq!(
            Discount::Amount { minor: 0 }.check(),
            Err(CartError::Discount),
            "nothing off is no discount"
        );
    }

    #[test]
    fn m9_lines_are_one_per_variant_with_checked_quantity_and_currency() {
        let mut cart = cart(TaxRule::NEW_YORK_CITY, Currency::Usd);
        cart.put_line(line("v-1", 1_000, 1, Currency::Usd), NOW)
            .expect("a line");
        cart.put_line(line("v-1", 1_000, 3, Currency::Usd), NOW)
            .expect("the same variant again");
        assert_eq!(cart.lines.len(), 1, "one line per variant");
        assert_eq!(cart.lines[0].quantity, 3, "its quantity replaced");
        assert_eq!(
            cart.put_line(line("v-2", 1_000, 0, Currency::Usd), NOW),
            Err(CartError::Quantity),
            "a quantity of 0 is refused (remove the line instead)"
        );
        assert_eq!(
            cart.put_line(line("v-2", 1_000, 1, Currency::Gbp), NOW),
            Err(CartError::Price),
            "pounds in a dollar cart are refused"
        );
        assert_eq!(
            cart.remove_line(&VariantId::from("v-9"), NOW),
            Err(CartError::NoSuchLine),
            "removing a line that is not there says so"
        );
        cart.remove_line(&VariantId::from("v-1"), NOW)
            .expect("the line goes");
        assert!(cart.lines.is_empty(), "no line left");
    }

    #[test]
    fn m9_a_shared_link_pays_for_24_hours_then_the_cart_reads_as_expired() {
        let mut cart = cart(TaxRule::NEW_YORK_CITY, Currency::Usd);
        assert_eq!(
            cart.share("u".into(), NOW).cloned(),
            Err(CartError::Empty),
            "an empty cart is not shared"
        );
        cart.put_line(line("v-1", 1_000, 1, Currency::Usd), NOW)
            .expect("a line");
        assert_eq!(
            cart.payable(NOW),
            Err(CartError::NotShared),
            "a draft cannot be paid"
        );
        let link = cart.share("first".into(), NOW).expect("shared").clone();
        assert_eq!(link.expires_at, NOW.plus_ms(DAY_MS), "24 hours");
        let an_hour_before = link.expires_at.plus_ms(-crate::time::HOUR_MS);
        assert_eq!(
            link.time_left_ms(an_hour_before),
            crate::time::HOUR_MS,
            "an hour left"
        );
        assert_eq!(
            cart.status_at(an_hour_before),
            CartStatus::Shared,
            "still pays"
        );
        assert_eq!(
            cart.payable(an_hour_before),
            Ok(()),
            "payable before expiry"
        );
        let later = link.expires_at;
        assert_eq!(cart.status_at(later), CartStatus::Expired, "ran out");
        assert_eq!(link.time_left_ms(later), 0, "no time left");
        assert_eq!(
            cart.payable(later),
            Err(CartError::LinkExpired),
            "not payable"
        );
        let again = cart
            .share("second".into(), later)
            .expect("re-shared")
            .clone();
        assert_eq!(again.url, "second", "re-sharing makes a new link");
        assert_eq!(again.expires_at, later.plus_ms(DAY_MS), "for 24 more hours");
        assert_eq!(cart.status_at(later), CartStatus::Shared, "shared again");
    }

    #[test]
    fn m9_paid_and_cancelled_carts_are_final_and_editing_a_shared_one_returns_it_to_draft() {
        let mut cart = cart(TaxRule::NEW_YORK_CITY, Currency::Usd);
        cart.put_line(line("v-1", 1_000, 1, Currency::Usd), NOW)
            .expect("a line");
        cart.share("u".into(), NOW).expect("shared");
        cart.put_line(line("v-2", 500, 1, Currency::Usd), NOW)
            .expect("a shared cart can still change");
        assert_eq!(cart.status, CartStatus::Draft, "and is a draft again");
        assert_eq!(
            cart.payable(NOW),
            Err(CartError::NotShared),
            "its old link no longer pays"
        );
        cart.share("u2".into(), NOW).expect("shared again");
        cart.pay(OrderId::from("ord-1"), NOW).expect("paid");
        assert_eq!(cart.status, CartStatus::Paid, "paid");
        assert_eq!(
            cart.pay(OrderId::from("ord-2"), NOW),
            Err(CartError::AlreadyPaid),
            "paying twice is refused"
        );
        assert_eq!(
            cart.cancel(NOW),
            Err(CartError::AlreadyPaid),
            "a paid cart is not cancelled"
        );
        for action in [
            CartAction::Edit,
            CartAction::Share,
            CartAction::Pay,
            CartAction::Cancel,
        ] {
            assert_eq!(
                CartStatus::Cancelled.allows(action),
                Err(CartError::Cancelled),
                "nothing happens to a cancelled cart"
            );
        }
        assert_eq!(
            CartStatus::Draft.allows(CartAction::Cancel),
            Ok(()),
            "a draft can be cancelled"
        );
        assert_eq!(
            CartStatus::Expired.allows(CartAction::Share),
            Ok(()),
            "an expired cart can be shared again"
        );
    }

    #[test]
    fn m9_statuses_travel_by_their_stable_names() {
        for status in CartStatus::ALL {
            assert_eq!(
                CartStatus::parse(status.as_str()),
                Some(status),
                "{status:?} parses back"
            );
            assert_eq!(
                serde_json::to_value(status).expect("serializes"),
                serde_json::json!(status.as_str()),
                "serde uses the stable name"
            );
        }
        assert_eq!(
            serde_json::to_value(Discount::Percent { percent: 10 }).expect("serializes"),
            serde_json::json!({"kind": "percent", "percent": 10}),
            "a discount is tagged by kind"
        );
    }

    fn arb_discount() -> impl Strategy<Value = Option<Discount>> {
        prop_oneof![
            Just(None),
            (1u32..=100).prop_map(|percent| Some(Discount::Percent { percent })),
            (1i64..2_000_000).prop_map(|minor| Some(Discount::Amount { minor })),
        ]
    }

    fn arb_rule() -> impl Strategy<Value = TaxRule> {
        prop_oneof![
            (0u32..300_000).prop_map(|rate_ppm| TaxRule::SalesTax { rate_ppm }),
            (0u32..300_000).prop_map(|rate_ppm| TaxRule::VatIncluded { rate_ppm }),
        ]
    }

    proptest! {
        #[test]
        fn m9_lines_always_add_up_to_the_total_which_is_never_negative(
            rule in arb_rule(),
            lines in proptest::collection::vec((0i64..1_000_000, 1u32..=MAX_QUANTITY, arb_discount()), 1..12),
            discount in arb_discount(),
        ) {
            let mut cart = cart(rule, Currency::Usd);
            for (index, (unit, quantity, line_discount)) in lines.into_iter().enumerate() {
                let mut l = line(&format!("v-{index}"), unit, quantity, Currency::Usd);
                l.discount = line_discount;
                cart.put_line(l, NOW).expect("valid lines are taken");
            }
            cart.set_discount(discount, NOW).expect("valid discounts are taken");
            let totals = cart.totals();
            let lines_total: i64 = totals.lines.iter().map(|l| l.total.minor).sum();
            prop_assert_eq!(lines_total, totals.total.minor, "the lines add up to the total");
            prop_assert_eq!(totals.lines.iter().map(|l| l.tax.minor).sum::<i64>(), totals.tax.minor, "the lines' tax adds up");
            prop_assert_eq!(totals.lines.iter().map(|l| l.cart_discount.minor).sum::<i64>(), totals.cart_discount.minor, "the discount shares add up");
            prop_assert!(totals.total.minor >= 0, "the total is never negative");
            prop_assert!(totals.discount_total.minor <= totals.subtotal.minor, "discounts never exceed the subtotal");
            for l in &totals.lines {
                prop_assert!(l.line_discount.minor + l.cart_discount.minor <= l.gross.minor, "a line's discounts never exceed its gross");
                prop_assert!(l.total.minor >= 0 && l.tax.minor >= 0, "no line amount is negative");
            }
            if rule.included() {
                prop_assert_eq!(totals.total.minor, totals.subtotal.minor - totals.discount_total.minor, "VAT is inside the total");
            } else {
                prop_assert_eq!(totals.total.minor, totals.subtotal.minor - totals.discount_total.minor + totals.tax.minor, "sales tax is added");
            }
        }
    }
}
