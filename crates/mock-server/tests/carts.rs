//! Remote carts through the API and the pay page against a real server (M9, C4): a cart
//! created once per client id for a customer of the caller's store, lines priced from the
//! catalog with discounts and tax whose lines add up, shared by a pay link; the pay page
//! showing the cart and taking the test cards; a paid cart becoming an order with a
//! receipt in the conversation, all through the feed; and paying twice, an expired link
//! (on the injected server clock), a replaced link and a tampered link each getting a clear
//! page with nothing charged twice.

mod support;

use clienteling_domain::api::{ChangeData, Conversation};
use clienteling_domain::cart::{
    CartDiscountRequest, CartLineRequest, CartStatus, CartView, CreateCartRequest, Discount,
};
use clienteling_domain::catalog::{Currency, Product};
use clienteling_domain::order::Order;
use clienteling_domain::time::DAY_MS;
use clienteling_domain::{ApiError, CartId, Channel, Direction, ErrorCode};
use clienteling_mock_server::carts::store::payments_of;
use clienteling_mock_server::demo::STORE_LON;
use support::{Backend, AVA, NOAH};

/// The test card that is charged.
const CHARGED: &str = "4242 4242 4242 4242";
/// The test card the bank declines.
const DECLINED: &str = "4000 0000 0000 0002";

fn new_cart_id() -> CartId {
    CartId(uuid::Uuid::new_v4().to_string())
}

async fn create(backend: &Backend, token: &str, request: &CreateCartRequest) -> reqwest::Response {
    backend
        .http
        .post(backend.api("/carts"))
        .bearer_auth(token)
        .json(request)
        .send()
        .await
        .expect("the backend answers")
}

async fn put_line(
    backend: &Backend,
    token: &str,
    cart: &CartId,
    variant: &str,
    request: &CartLineRequest,
) -> reqwest::Response {
    backend
        .http
        .put(backend.api(&format!("/carts/{cart}/lines/{variant}")))
        .bearer_auth(token)
        .json(request)
        .send()
        .await
        .expect("the backend answers")
}

async fn post(backend: &Backend, token: &str, path: &str) -> reqwest::Response {
    backend
        .http
        .post(backend.api(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("the backend answers")
}

async fn view(response: reqwest::Response, status: u16, what: &str) -> CartView {
    assert_eq!(response.status().as_u16(), status, "{what}: status");
    response.json().await.expect("a cart")
}

async fn error(response: reqwest::Response, status: u16, what: &str) -> ApiError {
    assert_eq!(response.status().as_u16(), status, "{what}: status");
    response.json().await.expect("an error body")
}

/// What a test needs: a backend, Ava's token, a reachable SMS conversation of hers and a
/// product with two variants.
struct Shop {
    backend: Backend,
    token: String,
    conversation: Conversation,
    product: Product,
}

async fn shop() -> Shop {
    let backend = Backend::start().await;
    let token = backend.sign_in(AVA).await.token;
    let conversation = backend.pick_conversation(&token, Channel::Sms, true).await;
    let product: Product = backend.get(&token, "/products/prod-0001").await;
    assert!(product.variants.len() >= 2, "the demo product has variants");
    Shop {
        backend,
        token,
        conversation,
        product,
    }
}

impl Shop {
    fn request(&self, id: &CartId) -> CreateCartRequest {
        CreateCartRequest {
            id: id.clone(),
            customer_id: self.conversation.customer_id.clone(),
            store_id: self.conversation.store_id.clone(),
            conversation_id: Some(self.conversation.id.clone()),
        }
    }

    /// A cart with two of the first variant (10 % off the line) and one of the second,
    /// shared; answers it and its pay link.
    async fn shared_cart(&self) -> (CartView, String) {
        let id = new_cart_id();
        view(
            create(&self.backend, &self.token, &self.request(&id)).await,
            201,
            "a new cart",
        )
        .await;
        let lines = [
            (0, 2, Some(Discount::Percent { percent: 10 })),
            (1, 1, None),
        ];
        for (variant, quantity, discount) in lines {
            let request = CartLineRequest { quantity, discount };
            let variant = self.product.variants[variant].id.as_str();
            view(
                put_line(&self.backend, &self.token, &id, variant, &request).await,
                200,
                "a line is put",
            )
            .await;
        }
        let shared = view(
            post(&self.backend, &self.token, &format!("/carts/{id}/share")).await,
            200,
            "sharing",
        )
        .await;
        let link = shared
            .cart
            .pay_link
            .as_ref()
            .expect("a shared cart has a pay link")
            .url
            .clone();
        (shared, link)
    }

    async fn pay(&self, link: &str, card: &str) -> (u16, String) {
        let response = self
            .backend
            .http
            .post(link)
            .form(&[
                ("card_number", card),
                ("expiry", "12/30"),
                ("cvc", "123"),
                ("name", "Grace Hughes"),
            ])
            .send()
            .await
            .expect("the backend answers");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a page"))
    }

    async fn open(&self, link: &str) -> (u16, String) {
        let response = self
            .backend
            .http
            .get(link)
            .send()
            .await
            .expect("the backend answers");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a page"))
    }

    async fn cart(&self, id: &CartId) -> CartView {
        self.backend.get(&self.token, &format!("/carts/{id}")).await
    }

    async fn payments(&self, id: &CartId) -> i64 {
        let mut conn = self
            .backend
            .server
            .state()
            .pool()
            .acquire()
            .await
            .expect("a connection");
        payments_of(&mut conn, id).await.expect("the payments")
    }
}

#[tokio::test]
async fn m9_c4_a_cart_is_created_once_per_client_id_for_a_customer_of_the_callers_store() {
    let shop = shop().await;
    let id = new_cart_id();
    let created = view(
        create(&shop.backend, &shop.token, &shop.request(&id)).await,
        201,
        "a new cart",
    )
    .await;
    assert_eq!(
        created.cart.status,
        CartStatus::Draft,
        "a new cart is a draft"
    );
    assert_eq!(
        created.cart.currency,
        Currency::Usd,
        "New York sells in dollars"
    );
    assert!(created.cart.lines.is_empty(), "and holds nothing yet");
    let again = view(
        create(&shop.backend, &shop.token, &shop.request(&id)).await,
        200,
        "the same request again",
    )
    .await;
    assert_eq!(again.cart, created.cart, "answers the cart already made");

    let mut other = shop.request(&id);
    other.conversation_id = None;
    other.customer_id = "cust-0001".into();
    let conflict = error(
        create(&shop.backend, &shop.token, &other).await,
        409,
        "another cart under the same id",
    )
    .await;
    assert_eq!(conflict.code, ErrorCode::Conflict, "the id is taken");

    let mut london = shop.request(&new_cart_id());
    london.store_id = STORE_LON.into();
    london.conversation_id = None;
    error(
        create(&shop.backend, &shop.token, &london).await,
        404,
        "a store that is not Ava's",
    )
    .await;
    let mut stranger = shop.request(&new_cart_id());
    stranger.customer_id = "cust-nobody".into();
    stranger.conversation_id = None;
    error(
        create(&shop.backend, &shop.token, &stranger).await,
        404,
        "a customer the store does not know",
    )
    .await;
    let mut not_uuid = shop.request(&id);
    not_uuid.id = "cart-1".into();
    let refused = error(
        create(&shop.backend, &shop.token, &not_uuid).await,
        400,
        "an id that is not a UUID",
    )
    .await;
    assert!(
        refused.message.contains("cart id"),
        "the refusal names the cart id: {}",
        refused.message
    );
}

#[tokio::test]
async fn m9_lines_are_priced_from_the_catalog_with_discounts_and_tax_and_add_up() {
    let shop = shop().await;
    let (shared, _) = shop.shared_cart().await;
    let id = shared.cart.id.clone();
    let price = shop
        .product
        .price_in(Currency::Usd)
        .expect("priced in dollars")
        .minor;
    assert_eq!(
        shared.cart.lines[0].unit_price.minor, price,
        "the line takes the catalog's dollar price"
    );
    assert_eq!(
        shared.totals.subtotal.minor,
        3 * price,
        "three of the product before discounts"
    );
    let discounted = view(
        shop.backend
            .http
            .put(shop.backend.api(&format!("/carts/{id}/discount")))
            .bearer_auth(&shop.token)
            .json(&CartDiscountRequest {
                discount: Some(Discount::Amount { minor: 1_000 }),
            })
            .send()
            .await
            .expect("the backend answers"),
        200,
        "a cart discount",
    )
    .await;
    let totals = &discounted.totals;
    let line_discount = (2 * price * 10 + 50) / 100;
    assert_eq!(
        totals.line_discounts.minor, line_discount,
        "10 % off the first line, rounded half up"
    );
    assert_eq!(totals.cart_discount.minor, 1_000, "$10 off the cart");
    let taxable = 3 * price - line_discount - 1_000;
    assert_eq!(
        totals.tax.minor,
        (taxable * 88_750 + 500_000) / 1_000_000,
        "New York's 8.875 % on what is left, rounded half up"
    );
    assert_eq!(
        totals.total.minor,
        taxable + totals.tax.minor,
        "sales tax is added to the total"
    );
    assert_eq!(
        totals.lines.iter().map(|l| l.total.minor).sum::<i64>(),
        totals.total.minor,
        "the lines add up to the total"
    );
    assert_eq!(
        discounted.cart.status,
        CartStatus::Draft,
        "editing a shared cart takes it back to draft"
    );

    let zero = CartLineRequest {
        quantity: 0,
        discount: None,
    };
    let variant = shop.product.variants[0].id.as_str();
    error(
        put_line(&shop.backend, &shop.token, &id, variant, &zero).await,
        400,
        "a quantity of 0",
    )
    .await;
    let one = CartLineRequest {
        quantity: 1,
        discount: None,
    };
    error(
        put_line(&shop.backend, &shop.token, &id, "prod-0001-no-such", &one).await,
        404,
        "a variant the catalog does not have",
    )
    .await;
    let removed = view(
        shop.backend
            .http
            .delete(shop.backend.api(&format!("/carts/{id}/lines/{variant}")))
            .bearer_auth(&shop.token)
            .send()
            .await
            .expect("the backend answers"),
        200,
        "removing a line",
    )
    .await;
    assert_eq!(removed.cart.lines.len(), 1, "one line is left");
    let noah = shop.backend.sign_in(NOAH).await;
    error(
        shop.backend
            .http
            .get(shop.backend.api(&format!("/carts/{id}")))
            .bearer_auth(&noah.token)
            .send()
            .await
            .expect("the backend answers"),
        404,
        "a London associate does not see a New York cart",
    )
    .await;
}

#[tokio::test]
async fn m9_paying_with_the_test_card_makes_an_order_and_sends_a_receipt_through_the_feed() {
    let shop = shop().await;
    let (_, cursor) = shop.backend.changes(&shop.token, 0).await;
    let (shared, link) = shop.shared_cart().await;
    let id = shared.cart.id.clone();
    assert!(
        link.starts_with(&format!("{}/pay/", shop.backend.url)),
        "the pay link is this server's pay page: {link}"
    );
    assert_eq!(
        shared.link_time_left_ms,
        Some(DAY_MS),
        "the link pays for 24 hours"
    );

    let (status, page) = shop.open(&link).await;
    assert_eq!(status, 200, "the pay page opens");
    let total = shared.totals.total.to_string();
    for (shown, what) in [
        (shop.product.name.as_str(), "the product"),
        ("Discount: 10% off", "the line discount"),
        ("Sales tax (8.875%)", "the tax"),
        (total.as_str(), "the total"),
        ("card_number", "the card form"),
        ("4000 0000 0000 0002", "the test cards"),
    ] {
        assert!(page.contains(shown), "the page shows {what} ({shown})");
    }

    let (status, page) = shop.pay(&link, CHARGED).await;
    assert_eq!(status, 200, "the success card pays: {page}");
    let order_id = format!("ord-{id}");
    assert!(
        page.contains(&order_id) && page.contains("4242"),
        "the page names the order and the card"
    );
    let paid = shop.cart(&id).await;
    assert_eq!(paid.cart.status, CartStatus::Paid, "the cart is paid");
    assert_eq!(
        paid.cart.order_id.as_ref().map(|o| o.as_str()),
        Some(order_id.as_str()),
        "and names its order"
    );
    let orders: Vec<Order> = shop
        .backend
        .get(
            &shop.token,
            &format!("/customers/{}/orders", shop.conversation.customer_id),
        )
        .await;
    let order = orders
        .iter()
        .find(|o| o.id.as_str() == order_id)
        .expect("the order is on the customer's profile");
    assert_eq!(
        order.total, shared.totals.total,
        "it charged the cart's total"
    );
    assert_eq!(order.lines.len(), 2, "with the cart's lines");
    assert_eq!(shop.payments(&id).await, 1, "one payment was taken");

    let (changes, _) = shop.backend.changes(&shop.token, cursor).await;
    assert!(
        changes.iter().any(|c| matches!(&c.data,
            ChangeData::Cart(v) if v.cart.id == id && v.cart.status == CartStatus::Paid)),
        "the paid cart reaches the feed"
    );
    assert!(
        changes
            .iter()
            .any(|c| matches!(&c.data, ChangeData::Order(o) if o.id.as_str() == order_id)),
        "the order reaches the feed"
    );
    let receipt = changes
        .iter()
        .find_map(|c| match &c.data {
            ChangeData::Message(m)
                if m.conversation_id == shop.conversation.id
                    && m.direction == Direction::Automated =>
            {
                Some(m.clone())
            }
            _ => None,
        })
        .expect("a receipt goes into the conversation through the feed");
    assert!(
        receipt.body.contains(&order_id) && receipt.body.contains(&total),
        "the receipt names the order and the amount: {}",
        receipt.body
    );
}

#[tokio::test]
async fn m9_paying_twice_charges_once_and_says_the_cart_is_paid() {
    let shop = shop().await;
    let (shared, link) = shop.shared_cart().await;
    let (status, _) = shop.pay(&link, CHARGED).await;
    assert_eq!(status, 200, "the first payment goes through");
    let (status, page) = shop.pay(&link, CHARGED).await;
    assert_eq!(status, 409, "the second is refused");
    assert!(
        page.contains("has been paid") && page.contains("Nothing more will be charged"),
        "the page says the cart is paid already"
    );
    assert_eq!(
        shop.payments(&shared.cart.id).await,
        1,
        "nothing is charged twice"
    );
    let (status, page) = shop.open(&link).await;
    assert_eq!(status, 200, "opening the link again shows the paid cart");
    assert!(!page.contains("card_number"), "without a card form");
}

#[tokio::test]
async fn m9_a_declined_card_charges_nothing_and_says_why() {
    let shop = shop().await;
    let (shared, link) = shop.shared_cart().await;
    let (status, page) = shop.pay(&link, DECLINED).await;
    assert_eq!(status, 402, "the decline card is declined");
    assert!(
        page.contains("declined by your bank") && page.contains("card_number"),
        "the page says why and offers the form again"
    );
    assert_eq!(
        shop.payments(&shared.cart.id).await,
        0,
        "nothing was charged"
    );
    assert_eq!(
        shop.cart(&shared.cart.id).await.cart.status,
        CartStatus::Shared,
        "the cart still waits to be paid"
    );
    let (status, _) = shop.pay(&link, CHARGED).await;
    assert_eq!(status, 200, "another card then pays");
}

#[tokio::test]
async fn m9_an_expired_link_is_refused_and_sharing_again_makes_a_new_one() {
    let shop = shop().await;
    let (shared, link) = shop.shared_cart().await;
    let id = shared.cart.id.clone();
    shop.backend.advance_clock(DAY_MS + 1).await;
    let expired = shop.cart(&id).await;
    assert_eq!(
        expired.cart.status,
        CartStatus::Expired,
        "the cart reads as expired"
    );
    assert_eq!(expired.link_time_left_ms, None, "its link has no time left");
    let (status, page) = shop.open(&link).await;
    assert_eq!(status, 410, "the expired link is gone");
    assert!(page.contains("expired"), "the page says it expired");
    let (status, _) = shop.pay(&link, CHARGED).await;
    assert_eq!(status, 410, "and takes no payment");
    assert_eq!(shop.payments(&id).await, 0, "nothing was charged");

    let again = view(
        post(&shop.backend, &shop.token, &format!("/carts/{id}/share")).await,
        200,
        "sharing the expired cart again",
    )
    .await;
    let new_link = again.cart.pay_link.expect("a new link").url;
    assert_ne!(new_link, link, "sharing again makes a new link");
    assert_eq!(
        again.cart.status,
        CartStatus::Shared,
        "the cart is shared again"
    );
    let (status, page) = shop.open(&link).await;
    assert_eq!(status, 410, "the old link stays refused");
    assert!(page.contains("replaced"), "the page says it was replaced");
    let (status, _) = shop.pay(&new_link, CHARGED).await;
    assert_eq!(status, 200, "the new link pays");
}

#[tokio::test]
async fn m9_a_tampered_link_is_refused_and_charges_nothing() {
    let shop = shop().await;
    let (shared, link) = shop.shared_cart().await;
    let last = link.chars().last().expect("a token");
    let changed = if last == '0' { '1' } else { '0' };
    let tampered = format!("{}{changed}", &link[..link.len() - 1]);
    for (url, what) in [
        (tampered.as_str(), "one character changed"),
        (&link[..link.len() - 8], "a cut-off link"),
    ] {
        let (status, page) = shop.open(url).await;
        assert_eq!(status, 404, "{what}: no such link");
        assert!(page.contains("not valid"), "{what}: the page says so");
        let (status, _) = shop.pay(url, CHARGED).await;
        assert_eq!(status, 404, "{what}: no payment taken");
    }
    assert_eq!(
        shop.payments(&shared.cart.id).await,
        0,
        "nothing was charged"
    );
}

#[tokio::test]
async fn m9_cancelling_a_cart_reaches_the_feed_and_its_link_pays_nothing() {
    let shop = shop().await;
    let (_, cursor) = shop.backend.changes(&shop.token, 0).await;
    let (shared, link) = shop.shared_cart().await;
    let id = shared.cart.id.clone();
    let cancelled = view(
        post(&shop.backend, &shop.token, &format!("/carts/{id}/cancel")).await,
        200,
        "cancelling",
    )
    .await;
    assert_eq!(cancelled.cart.status, CartStatus::Cancelled, "cancelled");
    let (status, page) = shop.open(&link).await;
    assert_eq!(status, 410, "a cancelled cart's link is gone");
    assert!(page.contains("cancelled"), "the page says so");
    let refused = error(
        post(&shop.backend, &shop.token, &format!("/carts/{id}/share")).await,
        422,
        "sharing a cancelled cart",
    )
    .await;
    assert_eq!(
        refused.code,
        ErrorCode::Unprocessable,
        "a cancelled cart is final"
    );
    let (changes, _) = shop.backend.changes(&shop.token, cursor).await;
    let statuses: Vec<CartStatus> = changes
        .iter()
        .filter_map(|c| match &c.data {
            ChangeData::Cart(v) if v.cart.id == id => Some(v.cart.status),
            _ => None,
        })
        .collect();
    assert_eq!(
        statuses,
        [CartStatus::Cancelled],
        "the feed carries the cart once, as it is now"
    );
    let noah = shop.backend.sign_in(NOAH).await;
    let (london, _) = shop.backend.changes(&noah.token, 0).await;
    assert!(
        !london
            .iter()
            .any(|c| matches!(&c.data, ChangeData::Cart(v) if v.cart.id == id)),
        "London's staff do not get New York's carts"
    );
}
