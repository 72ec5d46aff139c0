//! The demo's attribute configuration and values (C15): definitions of every type (the
//! tier shown on each clientbook row, C1), a
//! profile layout with standard and custom sections, and values for every demo customer
//! (drawn from their id and the seed, so a seed gives the same clientbook), each logged in
//! the feed of the customer's stores. Written with multi-row inserts inside the seeding's
//! transaction.

use clienteling_domain::attribute::{AttributeDefinition, AttributeType, AttributeValue, Date};
use clienteling_domain::layout::{standard, CustomerLayout, LayoutSection};
use clienteling_domain::time::DAY_MS;
use clienteling_domain::Timestamp;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use crate::attributes::store;
use crate::random::SplitMix64;

/// Rows per multi-row insert (five bound values each).
const ROWS_PER_INSERT: usize = 1_000;

const SIZES: [&str; 5] = ["XS", "S", "M", "L", "XL"];
const TIERS: [&str; 3] = ["Silver", "Gold", "Platinum"];
const CATEGORIES: [&str; 5] = ["Ready-to-wear", "Shoes", "Bags", "Jewellery", "Accessories"];
const COLOURS: [&str; 6] = ["Black", "Navy", "Camel", "Ivory", "Red", "Green"];
const DESIGNERS: [&str; 5] = ["Dior", "Loewe", "The Row", "Bottega Veneta", "Khaite"];
const FIT_NOTES: [&str; 4] = [
    "Prefers a relaxed fit; shortens trousers by 2 cm",
    "Tailored shoulders, never cropped",
    "Sizes up in knitwear",
    "Likes high waists and long hems",
];

fn choice(options: &[&str], multiple: bool) -> AttributeType {
    AttributeType::Choice {
        options: options.iter().map(|o| (*o).to_owned()).collect(),
        multiple,
    }
}

fn define(
    key: &str,
    label: &str,
    kind: AttributeType,
    filterable: bool,
    editable: bool,
) -> AttributeDefinition {
    AttributeDefinition {
        key: key.into(),
        label: label.into(),
        kind,
        filterable,
        editable,
        listed: false,
    }
}

/// The demo's attribute definitions, in the order an admin would list them.
pub fn definitions() -> Vec<AttributeDefinition> {
    vec![
        define("birthday", "Birthday", AttributeType::Date, true, true),
        define(
            "preferred_size",
            "Preferred size",
            choice(&SIZES, false),
            true,
            true,
        ),
        define("shoe_size", "Shoe size", AttributeType::Number, false, true),
        AttributeDefinition {
            listed: true,
            ..define("tier", "Tier", choice(&TIERS, false), true, false)
        },
        define(
            "favourite_category",
            "Favourite category",
            choice(&CATEGORIES, false),
            true,
            true,
        ),
        define("colours", "Colours", choice(&COLOURS, true), true, true),
        define(
            "newsletter",
            "Newsletter",
            AttributeType::Boolean,
            true,
            true,
        ),
        define("fit_notes", "Fit notes", AttributeType::Text, true, true),
        define(
            "favourite_designer",
            "Favourite designer",
            AttributeType::Text,
            true,
            true,
        ),
        define("last_visit", "Last visit", AttributeType::Date, true, true),
        define(
            "visits",
            "Visits this year",
            AttributeType::Number,
            true,
            true,
        ),
    ]
}

fn section(key: &str, title: &str, custom: bool, attributes: &[&str]) -> LayoutSection {
    LayoutSection {
        key: key.into(),
        title: title.into(),
        custom,
        attributes: attributes.iter().map(|a| (*a).to_owned()).collect(),
    }
}

/// The demo's profile layout: attribute sections among the standard ones, and a custom
/// "Style notes" section.
pub fn layout() -> CustomerLayout {
    CustomerLayout {
        sections: vec![
            section(
                "profile",
                "Profile",
                false,
                &["birthday", "preferred_size", "shoe_size", "tier"],
            ),
            section(standard::CONVERSATIONS, "Conversations", false, &[]),
            section(
                "preferences",
                "Preferences",
                false,
                &["favourite_category", "colours", "newsletter"],
            ),
            section(standard::NOTES, "Notes", false, &[]),
            section(
                "style_notes",
                "Style notes",
                true,
                &["fit_notes", "favourite_designer"],
            ),
            section(standard::ORDERS, "Orders", false, &[]),
            section(standard::WISHLIST, "Wishlist", false, &[]),
            section(standard::RECOMMENDATIONS, "Recommendations", false, &[]),
            section("activity", "Activity", true, &["last_visit", "visits"]),
        ],
    }
}

/// A demo customer's values, drawn from `random`.
fn values_for(random: &mut SplitMix64, now: Timestamp) -> Vec<(&'static str, AttributeValue)> {
    let pick = |random: &mut SplitMix64, options: &[&str]| random.pick(options).to_string();
    let year = u16::try_from(random.between(1950, 2004)).unwrap_or(1990);
    let month = u8::try_from(random.between(1, 12)).unwrap_or(1);
    let day = u8::try_from(random.between(1, 28)).unwrap_or(1);
    let mut values = Vec::with_capacity(11);
    if let Ok(birthday) = Date::new(year, month, day) {
        values.push(("birthday", AttributeValue::Date(birthday)));
    }
    values.push((
        "preferred_size",
        AttributeValue::Choices(vec![pick(random, &SIZES)]),
    ));
    values.push((
        "shoe_size",
        AttributeValue::Number(random.between(70, 100) as f64 / 2.0),
    ));
    values.push(("tier", AttributeValue::Choices(vec![pick(random, &TIERS)])));
    values.push((
        "favourite_category",
        AttributeValue::Choices(vec![pick(random, &CATEGORIES)]),
    ));
    let mut colours: Vec<String> = COLOURS
        .iter()
        .filter(|_| random.chance(0.3))
        .map(|c| (*c).to_owned())
        .collect();
    if colours.is_empty() {
        colours.push(pick(random, &COLOURS));
    }
    values.push(("colours", AttributeValue::Choices(colours)));
    values.push(("newsletter", AttributeValue::Boolean(random.chance(0.6))));
    if random.chance(0.5) {
        values.push(("fit_notes", AttributeValue::Text(pick(random, &FIT_NOTES))));
    }
    values.push((
        "favourite_designer",
        AttributeValue::Text(pick(random, &DESIGNERS)),
    ));
    let (y, m, d) = civil_from_days(now.millis().div_euclid(DAY_MS) - random.between(0, 400));
    if let Ok(visit) = Date::new(y, m, d) {
        values.push(("last_visit", AttributeValue::Date(visit)));
    }
    values.push((
        "visits",
        AttributeValue::Number(random.between(0, 24) as f64),
    ));
    values
}

/// The calendar day `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (u16, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        u16::try_from(year).unwrap_or(1970),
        u8::try_from(month).unwrap_or(1),
        u8::try_from(day).unwrap_or(1),
    )
}

/// Seeds the demo configuration into a database without one and, then, values for every
/// customer, each customer's values logged once in the feed of each of their stores.
pub async fn seed(
    conn: &mut SqliteConnection,
    seed: u64,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    let configured: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attribute_definitions")
        .fetch_one(&mut *conn)
        .await?;
    if configured > 0 {
        return Ok(());
    }
    let started = std::time::Instant::now();
    store::save_configuration(conn, &definitions(), &layout()).await?;
    let customers: Vec<(String, i64)> =
        sqlx::query_as("SELECT id, updated_at FROM customers ORDER BY id")
            .fetch_all(&mut *conn)
            .await?;
    let mut rows: Vec<(String, &'static str, String, i64)> = Vec::new();
    for (id, updated_at) in &customers {
        let mut random = SplitMix64::new(seed ^ fingerprint(id));
        for (key, value) in values_for(&mut random, now) {
            let json =
                serde_json::to_string(&value).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
            rows.push((id.clone(), key, json, *updated_at));
        }
    }
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO customer_attributes (customer_id, key, value, modified_by, modified_at) ",
        );
        insert.push_values(chunk, |mut row, (id, key, value, at)| {
            row.push_bind(id)
                .push_bind(*key)
                .push_bind(value)
                .push_bind(None::<String>)
                .push_bind(*at);
        });
        insert.build().execute(&mut *conn).await?;
    }
    sqlx::query(
        "INSERT INTO changes (store_id, staff_id, entity, entity_id)
         SELECT store_id, NULL, 'customer_attributes', customer_id FROM customer_stores
         WHERE customer_id IN (SELECT customer_id FROM customer_attributes)
         ORDER BY customer_id, store_id",
    )
    .execute(conn)
    .await?;
    tracing::info!(
        customers = customers.len(),
        values = rows.len(),
        ms = started.elapsed().as_millis(),
        "demo attribute values seeded"
    );
    Ok(())
}

/// A stable number from a customer id (FNV-1a), so each customer draws their own values.
fn fingerprint(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clienteling_domain::attribute::check_value;

    #[test]
    fn c15_every_demo_value_passes_its_definition_and_every_layout_attribute_exists() {
        let definitions = definitions();
        let mut random = SplitMix64::new(7);
        for _ in 0..200 {
            for (key, value) in values_for(&mut random, Timestamp(1_764_547_200_000)) {
                let definition = definitions
                    .iter()
                    .find(|d| d.key == key)
                    .unwrap_or_else(|| panic!("{key} is defined"));
                assert_eq!(
                    check_value(definition, &value).as_ref(),
                    Ok(&value),
                    "the demo value of {key} is valid as it is"
                );
            }
        }
        for section in layout().sections {
            for key in &section.attributes {
                assert!(
                    definitions.iter().any(|d| &d.key == key),
                    "{} shows the defined attribute {key}",
                    section.key
                );
            }
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1), "the epoch");
        assert_eq!(
            civil_from_days(19_723),
            (2024, 1, 1),
            "a leap year's first day"
        );
    }
}
