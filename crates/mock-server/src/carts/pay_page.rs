//! The pay page a customer opens from a shared cart's link (`/pay/{token}`, M9): the lines,
//! discounts, tax and total, and a card form. Paying with the success test card turns the
//! cart into an order on the customer's profile and writes a receipt into their
//! conversation, in one transaction, both reaching the apps through the feed. A link that
//! is unknown (mistyped or tampered with), replaced, expired on the server clock, cancelled
//! or already paid gets a page saying so, and nothing is charged.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use clienteling_domain::cart::{Cart, CartStatus, CartTotals};
use clienteling_domain::catalog::Money;
use clienteling_domain::order::{Order, OrderChannel, OrderLine, OrderStatus};
use clienteling_domain::time::{HOUR_MS, MINUTE_MS};
use clienteling_domain::{ConversationId, OrderId, Timestamp};
use serde::Deserialize;
use sqlx::SqliteConnection;

use super::card::{self, CardOutcome};
use super::store;
use crate::changes::{self, Entity};
use crate::conversation::Thread;
use crate::error::RequestError;
use crate::html::{escape, page};
use crate::state::AppState;
use crate::{messaging, orders};

/// The card form's fields.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PayForm {
    /// The card number.
    #[serde(default)]
    pub card_number: String,
    /// Its expiry, `MM/YY`.
    #[serde(default)]
    pub expiry: String,
    /// Its security code.
    #[serde(default)]
    pub cvc: String,
    /// The name on the card.
    #[serde(default)]
    pub name: String,
}

/// Whether the page is being looked at or paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Visit {
    Look,
    Pay,
}

/// Why a link pays nothing: the page saying so.
#[derive(Debug, Clone)]
struct Refusal {
    status: StatusCode,
    title: &'static str,
    /// The explanation, HTML.
    text: String,
}

impl Refusal {
    fn new(status: StatusCode, title: &'static str, text: &str) -> Refusal {
        Refusal {
            status,
            title,
            text: text.to_owned(),
        }
    }

    fn page(&self) -> Response {
        page(
            self.status,
            self.title,
            &format!("<p class=\"notice\">{}</p>", self.text),
        )
    }
}

/// The cart a link pays for at `now`, or why it pays nothing.
async fn payable_cart(
    conn: &mut SqliteConnection,
    token: &str,
    now: Timestamp,
    visit: Visit,
) -> Result<Result<Cart, Refusal>, sqlx::Error> {
    let unknown = || {
        Refusal::new(
            StatusCode::NOT_FOUND,
            "This link is not valid",
            "This pay link is not one we gave out: check that you opened the whole link, or \
             ask your associate to send it again. Nothing was charged.",
        )
    };
    let Some(cart_id) = store::cart_of_link(&mut *conn, token).await? else {
        return Ok(Err(unknown()));
    };
    let Some(cart) = store::get(conn, &cart_id).await? else {
        return Ok(Err(unknown()));
    };
    let current = cart
        .pay_link
        .as_ref()
        .is_some_and(|link| link.url.rsplit('/').next() == Some(token));
    Ok(match cart.status_at(now) {
        CartStatus::Paid => {
            let order = cart.order_id.as_ref().map_or(String::new(), |id| {
                format!(" as order {}", escape(id.as_str()))
            });
            let status = match visit {
                Visit::Look => StatusCode::OK,
                Visit::Pay => StatusCode::CONFLICT,
            };
            Err(Refusal::new(
                status,
                "This cart is paid",
                &format!(
                    "This cart has been paid{order}. Thank you! Nothing more will be charged."
                ),
            ))
        }
        CartStatus::Cancelled => Err(Refusal::new(
            StatusCode::GONE,
            "This cart was cancelled",
            "Your associate cancelled this cart. Nothing was charged.",
        )),
        CartStatus::Expired if current => Err(Refusal::new(
            StatusCode::GONE,
            "This pay link has expired",
            "Pay links last 24 hours. Ask your associate to share the cart again for a new \
             link. Nothing was charged.",
        )),
        CartStatus::Shared if current => Ok(cart),
        CartStatus::Draft | CartStatus::Shared | CartStatus::Expired => Err(Refusal::new(
            StatusCode::GONE,
            "This link was replaced",
            "Your associate changed this cart since sending this link: open the latest link \
             they sent. Nothing was charged.",
        )),
    })
}

/// "3h 05m".
fn time_left(ms: i64) -> String {
    format!("{}h {:02}m", ms / HOUR_MS, (ms % HOUR_MS) / MINUTE_MS)
}

fn row(label: &str, amount: Money) -> String {
    format!(
        "<tr><td colspan=\"3\">{}</td><td class=\"amount\">{}</td></tr>",
        escape(label),
        escape(&amount.to_string())
    )
}

/// The cart's lines and amounts as the customer reads them.
fn cart_table(cart: &Cart, totals: &CartTotals) -> String {
    let mut html = String::from(
        "<table><tr><th>Item</th><th>Qty</th><th class=\"amount\">Price</th><th class=\"amount\">Amount</th></tr>",
    );
    for (line, amounts) in cart.lines.iter().zip(&totals.lines) {
        html.push_str(&format!(
            "<tr><td>{} <small>{}</small></td><td>{}</td><td class=\"amount\">{}</td><td class=\"amount\">{}</td></tr>",
            escape(&line.product_name),
            escape(&line.variant_label()),
            line.quantity,
            escape(&line.unit_price.to_string()),
            escape(&amounts.gross.to_string()),
        ));
        if let Some(discount) = line.discount {
            html.push_str(&row(
                &format!("Discount: {}", discount.label(cart.currency)),
                Money::new(-amounts.line_discount.minor, cart.currency),
            ));
        }
    }
    html.push_str(&row("Subtotal", totals.subtotal));
    if let Some(discount) = cart.discount {
        html.push_str(&row(
            &format!("Cart discount: {}", discount.label(cart.currency)),
            Money::new(-totals.cart_discount.minor, cart.currency),
        ));
    }
    html.push_str(&row(&totals.tax_label, totals.tax));
    html.push_str(&format!(
        "<tr><th colspan=\"3\">Total</th><th class=\"amount\">{}</th></tr></table>",
        escape(&totals.total.to_string())
    ));
    html
}

/// The form paying `total`.
fn card_form(total: Money, form: &PayForm) -> String {
    format!(
        "<form method=\"post\">\
         <label>Card number <input name=\"card_number\" inputmode=\"numeric\" autocomplete=\"cc-number\" value=\"{}\" required></label>\
         <label>Expiry (MM/YY) <input name=\"expiry\" autocomplete=\"cc-exp\" value=\"{}\" required></label>\
         <label>CVC <input name=\"cvc\" inputmode=\"numeric\" autocomplete=\"cc-csc\" required></label>\
         <label>Name on card <input name=\"name\" autocomplete=\"cc-name\" value=\"{}\"></label>\
         <button type=\"submit\">Pay {}</button></form>\
         <p><small>Test cards: 4242 4242 4242 4242 is charged, 4000 0000 0000 0002 is declined; \
         any future expiry and any 3 digits.</small></p>",
        escape(&form.card_number),
        escape(&form.expiry),
        escape(&form.name),
        escape(&total.to_string()),
    )
}

/// The page of a payable cart, with `notice` (HTML) above it when a payment was refused.
fn checkout(
    status: StatusCode,
    cart: &Cart,
    now: Timestamp,
    notice: &str,
    form: &PayForm,
) -> Response {
    let totals = cart.totals();
    let left = cart
        .pay_link
        .as_ref()
        .map_or(0, |link| link.time_left_ms(now));
    let body = format!(
        "{notice}{}<p>This link pays for {} more.</p>{}",
        cart_table(cart, &totals),
        time_left(left),
        card_form(totals.total, form),
    );
    page(status, "Your cart", &body)
}

/// `GET /pay/{token}`: the cart to pay, or why the link pays nothing.
pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, RequestError> {
    let mut conn = state.pool().acquire().await?;
    let now = state.now();
    Ok(
        match payable_cart(&mut conn, &token, now, Visit::Look).await? {
            Ok(cart) => checkout(StatusCode::OK, &cart, now, "", &PayForm::default()),
            Err(refusal) => refusal.page(),
        },
    )
}

/// The conversation a cart's receipt goes to: the one it was put together from, or the
/// customer's most recently active one in the cart's store; none when they have none.
async fn receipt_thread(
    conn: &mut SqliteConnection,
    cart: &Cart,
) -> Result<Option<Thread>, sqlx::Error> {
    let conversation_id = match &cart.conversation_id {
        Some(id) => Some(id.clone()),
        None => sqlx::query_scalar(
            "SELECT id FROM conversations WHERE customer_id = ? AND store_id = ?
             ORDER BY last_activity_at DESC, id LIMIT 1",
        )
        .bind(cart.customer_id.as_str())
        .bind(cart.store_id.as_str())
        .fetch_optional(&mut *conn)
        .await?
        .map(ConversationId),
    };
    match conversation_id {
        Some(id) => Thread::load(conn, &id).await,
        None => Ok(None),
    }
}

/// The order a paid cart becomes: its lines at their unit prices, its total what was
/// charged (after discounts, with tax).
fn order_of(cart: &Cart, id: OrderId, total: Money, now: Timestamp) -> Order {
    Order {
        id,
        customer_id: cart.customer_id.clone(),
        store_id: cart.store_id.clone(),
        channel: OrderChannel::Online,
        status: OrderStatus::Placed,
        placed_at: now,
        updated_at: now,
        lines: cart
            .lines
            .iter()
            .map(|line| OrderLine {
                product_id: line.product_id.clone(),
                variant_id: line.variant_id.clone(),
                product_name: line.product_name.clone(),
                size: line.size.clone(),
                colour: line.colour.clone(),
                quantity: line.quantity,
                unit_price: line.unit_price,
                image_url: line.image_url.clone(),
            })
            .collect(),
        total,
    }
}

/// `POST /pay/{token}`: pays the cart with the card of the form. Charged: the cart becomes
/// order `ord-{cart id}` on the customer's profile, a receipt goes into their conversation,
/// and the cart, the order and the message reach the feed. Declined: the page again with
/// the reason. A link that pays nothing: the page saying why, nothing charged.
pub async fn pay(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<PayForm>,
) -> Result<Response, RequestError> {
    let mut tx = state.pool().begin().await?;
    let now = state.now();
    let mut cart = match payable_cart(&mut tx, &token, now, Visit::Pay).await? {
        Ok(cart) => cart,
        Err(refusal) => return Ok(refusal.page()),
    };
    let last4 = match card::charge(&form.card_number, &form.expiry, &form.cvc) {
        CardOutcome::Charged { last4 } => last4,
        CardOutcome::Declined(reason) => {
            let notice = format!("<p class=\"notice\">{}</p>", escape(&reason));
            return Ok(checkout(
                StatusCode::PAYMENT_REQUIRED,
                &cart,
                now,
                &notice,
                &form,
            ));
        }
    };
    let total = cart.totals().total;
    let order_id = OrderId(format!("ord-{}", cart.id));
    let order = order_of(&cart, order_id.clone(), total, now);
    orders::store::insert(&mut tx, &order).await?;
    store::insert_payment(
        &mut tx,
        &store::Payment {
            cart: &cart,
            order_id: order_id.as_str(),
            amount_minor: total.minor,
            card_last4: &last4,
            paid_at: now,
        },
    )
    .await?;
    cart.pay(order_id.clone(), now)?;
    store::save(&mut tx, &cart).await?;
    for store_id in orders::store::stores_of_order(&mut tx, &order_id).await? {
        changes::record(&mut tx, &store_id, None, Entity::Order, order_id.as_str()).await?;
    }
    let mut seq = changes::record(
        &mut tx,
        &cart.store_id,
        None,
        Entity::Cart,
        cart.id.as_str(),
    )
    .await?;
    let items: u32 = cart.lines.iter().map(|line| line.quantity).sum();
    let mut receipt = None;
    if let Some(thread) = receipt_thread(&mut tx, &cart).await? {
        let body = format!(
            "Thank you for your order {order_id} from {}: {items} item{}, {total} paid by card ending {last4}.",
            thread.store_name,
            if items == 1 { "" } else { "s" },
        );
        receipt = Some(messaging::write_automated(&mut tx, &thread, &body, now).await?);
        seq = changes::record(
            &mut tx,
            &thread.store_id,
            None,
            Entity::Conversation,
            thread.id.as_str(),
        )
        .await?;
    }
    tx.commit().await?;
    state.feed().publish(seq);
    if let Some(id) = receipt {
        state.simulation().carry(&state, id, 1);
    }
    let body = format!(
        "<p class=\"notice done\">Payment received: {} charged to the card ending {}. \
         Your order number is {}. A receipt is on its way to you.</p>{}",
        escape(&total.to_string()),
        escape(&last4),
        escape(order_id.as_str()),
        cart_table(&cart, &cart.totals()),
    );
    Ok(page(StatusCode::OK, "Thank you for your order", &body))
}
