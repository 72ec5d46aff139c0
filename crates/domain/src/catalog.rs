//! The product catalog (C6–C8, and the commerce work after them): products in categories
//! and collections, their variants by size and colour with a GTIN each, prices in integer
//! minor units per currency, and stock per store.
//!
//! A [`Gtin`] is any GS1 trade item number (GTIN-8, -12, -13 or -14) checked against its
//! check digit and normalised to 14 digits, so a scanned EAN-13 and a typed UPC-A of the
//! same item compare equal. [`Money`] never holds floating point: amounts are minor units
//! (cents, pence) of a [`Currency`], formatted for display as "$1,234.50" or "£89.00".

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{ProductId, StoreId, VariantId};

/// Digits of a GTIN once normalised.
pub const GTIN_DIGITS: usize = 14;

/// A GS1 Global Trade Item Number, validated and normalised to 14 digits (GTIN-14).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Gtin(String);

/// Why a code is not a GTIN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GtinError {
    /// A character other than a digit (spaces and hyphens are allowed and ignored).
    #[error("a barcode holds digits only; {0:?} is not one")]
    NotADigit(char),
    /// Not 8, 12, 13 or 14 digits.
    #[error("a barcode has 8, 12, 13 or 14 digits, this one {0}")]
    Length(usize),
    /// The last digit does not match the others: a misread, scan again.
    #[error("the check digit is wrong (expected {expected}, read {found}): scan again")]
    CheckDigit {
        /// The check digit the other digits call for.
        expected: u8,
        /// The one read.
        found: u8,
    },
}

/// The GS1 check digit of `digits` (the code without its check digit): weights 3 and 1
/// alternating from the rightmost digit, and the digit that brings the sum to a multiple
/// of ten.
pub fn gs1_check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(position, digit)| u32::from(*digit) * if position.is_multiple_of(2) { 3 } else { 1 })
        .sum();
    u8::try_from((10 - sum % 10) % 10).unwrap_or(0)
}

impl Gtin {
    /// Parses a GTIN-8, -12, -13 or -14 (spaces and hyphens ignored), checks its check
    /// digit and pads it with leading zeros to 14 digits.
    pub fn parse(code: &str) -> Result<Gtin, GtinError> {
        let mut digits = Vec::with_capacity(GTIN_DIGITS);
        for c in code.chars().filter(|c| !matches!(c, ' ' | '-')) {
            let digit = c.to_digit(10).ok_or(GtinError::NotADigit(c))?;
            if digits.len() > GTIN_DIGITS {
                break;
            }
            digits.push(u8::try_from(digit).unwrap_or(0));
        }
        if !matches!(digits.len(), 8 | 12 | 13 | 14) {
            let counted = code.chars().filter(char::is_ascii_digit).count();
            return Err(GtinError::Length(counted));
        }
        let (body, check) = digits.split_at(digits.len() - 1);
        let expected = gs1_check_digit(body);
        if check[0] != expected {
            return Err(GtinError::CheckDigit {
                expected,
                found: check[0],
            });
        }
        let mut normalised = "0".repeat(GTIN_DIGITS - digits.len());
        normalised.extend(digits.iter().map(|d| char::from(b'0' + d)));
        Ok(Gtin(normalised))
    }

    /// A GTIN-13 (EAN-13) made of twelve digits and their check digit; `None` unless
    /// `first_twelve` is twelve digits.
    pub fn from_ean13_body(first_twelve: &str) -> Option<Gtin> {
        let body: Vec<u8> = first_twelve
            .chars()
            .map(|c| c.to_digit(10).and_then(|d| u8::try_from(d).ok()))
            .collect::<Option<_>>()?;
        if body.len() != 12 {
            return None;
        }
        let check = gs1_check_digit(&body);
        Gtin::parse(&format!("{first_twelve}{check}")).ok()
    }

    /// The 14 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code as an EAN-13 (the 13 digits printed under the bars), when it is one.
    pub fn ean13(&self) -> Option<&str> {
        self.0.strip_prefix('0')
    }
}

impl TryFrom<String> for Gtin {
    type Error = GtinError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Gtin::parse(&value)
    }
}

impl From<Gtin> for String {
    fn from(value: Gtin) -> Self {
        value.0
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A currency the stores sell in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Currency {
    /// US dollars (the New York store).
    #[serde(rename = "USD")]
    Usd,
    /// Pounds sterling (the London store).
    #[serde(rename = "GBP")]
    Gbp,
}

impl Currency {
    /// Every currency.
    pub const ALL: [Currency; 2] = [Currency::Usd, Currency::Gbp];

    /// The ISO 4217 code, e.g. "USD".
    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Gbp => "GBP",
        }
    }

    /// Parses the ISO 4217 code back.
    pub fn parse(code: &str) -> Option<Currency> {
        Currency::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The symbol written before amounts.
    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Usd => "$",
            Currency::Gbp => "£",
        }
    }

    /// The currency of a store in `country` (ISO 3166-1 alpha-2): pounds in the UK,
    /// dollars elsewhere.
    pub fn of_country(country: &str) -> Currency {
        if country.eq_ignore_ascii_case("GB") {
            Currency::Gbp
        } else {
            Currency::Usd
        }
    }
}

/// An amount of money: integer minor units (cents, pence) of a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    /// The amount in minor units, e.g. 123450 for $1,234.50.
    pub minor: i64,
    /// The currency.
    pub currency: Currency,
}

impl Money {
    /// `minor` units of `currency`.
    pub fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// Nothing, in `currency`.
    pub fn zero(currency: Currency) -> Money {
        Money::new(0, currency)
    }

    /// This amount `quantity` times (saturating, never wrapping).
    pub fn times(self, quantity: u32) -> Money {
        Money::new(
            self.minor.saturating_mul(i64::from(quantity)),
            self.currency,
        )
    }

    /// The sum of two amounts of the same currency; `None` for different currencies.
    pub fn plus(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| Money::new(self.minor.saturating_add(other.minor), self.currency))
    }
}

impl fmt::Display for Money {
    /// "$1,234.50", "£89.00", "-$5.00": the symbol, thousands grouped by commas, always
    /// two decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let magnitude = self.minor.unsigned_abs();
        let whole = (magnitude / 100).to_string();
        let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
        for (position, digit) in whole.chars().enumerate() {
            if position > 0 && (whole.len() - position).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        write!(
            f,
            "{sign}{}{grouped}.{:02}",
            self.currency.symbol(),
            magnitude % 100
        )
    }
}

/// The departments of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Sweaters and cardigans.
    Knitwear,
    /// Coats and jackets.
    Coats,
    /// Shirts.
    Shirts,
    /// Trousers and jeans.
    Trousers,
    /// Dresses.
    Dresses,
    /// Shoes and boots.
    Shoes,
    /// Bags, scarves, belts, hats.
    Accessories,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 7] = [
        Category::Knitwear,
        Category::Coats,
        Category::Shirts,
        Category::Trousers,
        Category::Dresses,
        Category::Shoes,
        Category::Accessories,
    ];

    /// Stable name, as in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Knitwear => "knitwear",
            Category::Coats => "coats",
            Category::Shirts => "shirts",
            Category::Trousers => "trousers",
            Category::Dresses => "dresses",
            Category::Shoes => "shoes",
            Category::Accessories => "accessories",
        }
    }

    /// Parses the stable name back.
    pub fn parse(value: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == value)
    }

    /// Display name, e.g. "Knitwear".
    pub fn label(self) -> &'static str {
        match self {
            Category::Knitwear => "Knitwear",
            Category::Coats => "Coats",
            Category::Shirts => "Shirts",
            Category::Trousers => "Trousers",
            Category::Dresses => "Dresses",
            Category::Shoes => "Shoes",
            Category::Accessories => "Accessories",
        }
    }
}

/// How many of a variant a store holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockLevel {
    /// The store.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub store_id: StoreId,
    /// Units on hand.
    pub quantity: u32,
}

/// One size × colour of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Variant {
    /// Identifier.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: VariantId,
    /// The stock-keeping unit printed on the tag, e.g. "KN-0042-M-NAV".
    pub sku: String,
    /// Size, e.g. "M", "32", "9", or "One size".
    pub size: String,
    /// Colour, e.g. "Navy".
    pub colour: String,
    /// Its barcode, normalised to 14 digits (a GTIN with a valid GS1 check digit).
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, pattern = "^[0-9]{14}$", example = "04006381333931")
    )]
    pub gtin: Gtin,
    /// Units per store.
    pub stock: Vec<StockLevel>,
}

impl Variant {
    /// "M · Navy", as a receipt or a card shows the variant.
    pub fn label(&self) -> String {
        variant_label(&self.size, &self.colour)
    }
}

/// "M · Navy": a variant's size and colour for display.
pub fn variant_label(size: &str, colour: &str) -> String {
    format!("{size} · {colour}")
}

/// A product with its variants and prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Product {
    /// Identifier.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: ProductId,
    /// Name, e.g. "Merino Crew".
    pub name: String,
    /// One line about it.
    pub description: String,
    /// Its department.
    pub category: Category,
    /// The collections it is in, e.g. "Autumn 2026", "Gifts under $100".
    pub collections: Vec<String>,
    /// Its price in each currency the stores sell in.
    pub prices: Vec<Money>,
    /// Where its image is served (a path under the API, public: a catalog picture).
    pub image_url: String,
    /// Its sizes × colours.
    pub variants: Vec<Variant>,
}

impl Product {
    /// Its price in `currency`, if it is sold there.
    pub fn price_in(&self, currency: Currency) -> Option<Money> {
        self.prices.iter().copied().find(|p| p.currency == currency)
    }
}

/// A product a catalog search found (M7, M9): the product, its price in the currency of
/// the store the app shows, and the variant whose barcode was scanned, if one was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductMatch {
    /// The product with its variants and stock per store.
    pub product: Product,
    /// Its price in the current store's currency; `None` when not sold there.
    pub price: Option<Money>,
    /// The variant a scanned barcode names; `None` for a text search.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub scanned_variant: Option<VariantId>,
}

/// The API path serving a product's image (`GET`, public).
pub fn image_path(product_id: &ProductId) -> String {
    format!("{}/products/{product_id}/image", crate::api::API_PREFIX)
}

/// The link to a product a customer can open, as shared into a chat: the backend's
/// product page at `base_url` (the backend the app talks to).
pub fn product_link(base_url: &str, product_id: &ProductId) -> String {
    format!(
        "{}/shop/products/{product_id}",
        base_url.trim_end_matches('/')
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn c6_known_barcodes_of_every_length_normalise_to_gtin14() {
        for (code, normalised, how) in [
            ("96385074", "00000096385074", "a GTIN-8 (EAN-8)"),
            ("036000291452", "00036000291452", "a GTIN-12 (UPC-A)"),
            ("4006381333931", "04006381333931", "a GTIN-13 (EAN-13)"),
            ("10012345000017", "10012345000017", "a GTIN-14"),
            (
                "400-638 133393-1",
                "04006381333931",
                "spaces and hyphens ignored",
            ),
        ] {
            assert_eq!(
                Gtin::parse(code).map(|g| g.as_str().to_owned()),
                Ok(normalised.to_owned()),
                "{how} normalises to 14 digits"
            );
        }
        assert_eq!(
            Gtin::parse("036000291452"),
            Gtin::parse("0036000291452"),
            "a UPC-A and the EAN-13 of the same item are the same GTIN"
        );
    }

    #[test]
    fn c6_wrong_barcodes_say_why() {
        assert_eq!(
            Gtin::parse("4006381333932"),
            Err(GtinError::CheckDigit {
                expected: 1,
                found: 2
            }),
            "a wrong check digit says which was expected"
        );
        assert_eq!(
            Gtin::parse("12345"),
            Err(GtinError::Length(5)),
            "five digits are no GTIN"
        );
        assert_eq!(
            Gtin::parse("40063813339a1"),
            Err(GtinError::NotADigit('a')),
            "a letter is refused"
        );
        assert_eq!(
            Gtin::parse(&"1".repeat(10_000)),
            Err(GtinError::Length(10_000)),
            "a huge code is refused without reading it all into digits"
        );
        assert!(
            GtinError::CheckDigit {
                expected: 1,
                found: 2
            }
            .to_string()
            .contains("scan again"),
            "the message asks for another scan"
        );
    }

    #[test]
    fn c6_a_gtin_travels_as_its_14_digits_and_is_checked_when_read() {
        let gtin = Gtin::parse("4006381333931").expect("a valid EAN-13");
        assert_eq!(
            serde_json::to_string(&gtin).expect("serializes"),
            "\"04006381333931\"",
            "serialized as the normalised string"
        );
        assert!(
            serde_json::from_str::<Gtin>("\"4006381333932\"").is_err(),
            "a wrong check digit does not deserialize"
        );
        assert_eq!(gtin.ean13(), Some("4006381333931"), "read back as EAN-13");
    }

    proptest! {
        #[test]
        fn c6_every_twelve_digits_make_a_valid_ean13(body in "[0-9]{12}") {
            let gtin = Gtin::from_ean13_body(&body).expect("twelve digits make an EAN-13");
            prop_assert_eq!(gtin.as_str().len(), GTIN_DIGITS, "normalised to 14 digits");
            prop_assert_eq!(Gtin::parse(gtin.ean13().unwrap_or_default()), Ok(gtin.clone()), "its EAN-13 parses back");
        }

        #[test]
        fn c6_changing_one_digit_breaks_the_check(body in "[0-9]{12}", at in 0usize..13, by in 1u8..10) {
            let gtin = Gtin::from_ean13_body(&body).expect("twelve digits make an EAN-13");
            let mut digits: Vec<u8> = gtin.ean13().unwrap_or_default().bytes().map(|b| b - b'0').collect();
            digits[at] = (digits[at] + by) % 10;
            let changed: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
            prop_assert!(Gtin::parse(&changed).is_err(), "a single changed digit is caught: {}", changed);
        }

        #[test]
        fn c6_money_displays_its_minor_units_exactly(minor in -10_000_000_000i64..10_000_000_000) {
            let shown = Money::new(minor, Currency::Usd).to_string();
            let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
            prop_assert_eq!(digits.parse::<i64>().ok(), Some(minor.abs()), "the digits are the amount: {}", shown);
            prop_assert_eq!(shown.starts_with('-'), minor < 0, "the sign leads: {}", shown);
        }
    }

    #[test]
    fn c6_money_is_formatted_with_symbol_grouping_and_two_decimals() {
        for (minor, currency, shown) in [
            (123_450, Currency::Usd, "$1,234.50"),
            (8_900, Currency::Gbp, "£89.00"),
            (5, Currency::Usd, "$0.05"),
            (100_000_000, Currency::Gbp, "£1,000,000.00"),
            (-500, Currency::Usd, "-$5.00"),
        ] {
            assert_eq!(
                Money::new(minor, currency).to_string(),
                shown,
                "{minor} minor units of {}",
                currency.code()
            );
        }
    }

    #[test]
    fn c6_money_adds_only_within_a_currency() {
        let dollars = Money::new(1_000, Currency::Usd);
        assert_eq!(
            dollars.times(3).plus(dollars),
            Some(Money::new(4_000, Currency::Usd)),
            "three and one make four"
        );
        assert_eq!(
            dollars.plus(Money::new(1_000, Currency::Gbp)),
            None,
            "dollars and pounds do not add"
        );
    }
}
