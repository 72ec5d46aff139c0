//! Customer attributes configured by the backend (A4, C15, C1 filters): their definitions,
//! the validation of a value typed on the profile, and the listing filters each type allows.
//!
//! Numbers are `f64`: attributes count and measure (visits, shoe size 9.5), they are not
//! money (carts use integer minor units), and JSON and SQLite `REAL` carry them as they are.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{CustomerId, StaffId, Timestamp};

/// The longest text value, in characters.
pub const TEXT_MAX_CHARS: usize = 500;

/// A calendar date with no time zone (birthday, sign-up day), serialized as "YYYY-MM-DD".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a date was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not written as year-month-day.
    #[error("a date is written year-month-day, e.g. 1990-05-17")]
    Format,
    /// A year outside 1 to 9999.
    #[error("the year must be between 1 and 9999")]
    Year,
    /// A month outside 1 to 12.
    #[error("the month must be between 1 and 12")]
    Month,
    /// A day the month does not have.
    #[error("{year:04}-{month:02} has no day {day}")]
    Day {
        /// Year.
        year: u16,
        /// Month.
        month: u8,
        /// The day asked for.
        day: u8,
    },
}

impl Date {
    /// The date `year`-`month`-`day`, if it exists.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, DateError> {
        if !(1..=9999).contains(&year) {
            return Err(DateError::Year);
        }
        if !(1..=12).contains(&month) {
            return Err(DateError::Month);
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(DateError::Day { year, month, day });
        }
        Ok(Self { year, month, day })
    }

    /// Parses "YYYY-MM-DD" (ISO 8601 calendar date).
    pub fn parse(input: &str) -> Result<Self, DateError> {
        let mut parts = input.trim().split('-');
        let mut next = |width: usize| {
            parts
                .next()
                .filter(|p| p.len() == width && p.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|p| p.parse::<u16>().ok())
                .ok_or(DateError::Format)
        };
        let (year, month, day) = (next(4)?, next(2)?, next(2)?);
        if parts.next().is_some() {
            return Err(DateError::Format);
        }
        let narrow = |n: u16| u8::try_from(n).map_err(|_| DateError::Format);
        Self::new(year, narrow(month)?, narrow(day)?)
    }

    /// Year, 1 to 9999.
    pub fn year(self) -> u16 {
        self.year
    }

    /// Month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// Day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }

    /// The day (UTC) of `at`, clamped to the years 1 to 9999.
    pub fn of_day(at: Timestamp) -> Self {
        // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
        let days = at.millis().div_euclid(86_400_000) + 719_468;
        let era = days.div_euclid(146_097);
        let day_of_era = days - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        match (u16::try_from(year), u8::try_from(month), u8::try_from(day)) {
            (Ok(year @ 1..=9999), Ok(month), Ok(day)) => Self { year, month, day },
            _ if year < 1 => Self {
                year: 1,
                month: 1,
                day: 1,
            },
            _ => Self {
                year: 9999,
                month: 12,
                day: 31,
            },
        }
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<String> for Date {
    type Error = DateError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Date> for String {
    fn from(value: Date) -> Self {
        value.to_string()
    }
}

/// What kind of value an attribute holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AttributeType {
    /// A calendar date.
    Date,
    /// A number.
    Number,
    /// Yes or no.
    Boolean,
    /// Free text.
    Text,
    /// One of a list of options, or several when `multiple`.
    Choice {
        /// The options, as shown.
        options: Vec<String>,
        /// Whether more than one option may be picked.
        multiple: bool,
    },
}

impl AttributeType {
    /// The listing filters this type can be filtered by.
    pub fn filter_kinds(&self) -> &'static [FilterKind] {
        match self {
            AttributeType::Date => &[FilterKind::DateRange],
            AttributeType::Number => &[FilterKind::NumberCompare],
            AttributeType::Boolean => &[FilterKind::Boolean],
            AttributeType::Text => &[FilterKind::TextContains],
            AttributeType::Choice { .. } => &[FilterKind::AnyOf],
        }
    }
}

/// An attribute as an admin configured it (A4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttributeDefinition {
    /// Stable slug, e.g. "preferred_size".
    pub key: String,
    /// Name shown to staff, e.g. "Preferred size".
    pub label: String,
    /// The kind of value.
    pub kind: AttributeType,
    /// Whether the customer listing offers it as a filter (C1).
    pub filterable: bool,
    /// Whether staff may change it on the profile (C15).
    pub editable: bool,
    /// Whether each clientbook row shows the customer's value as a tag (C1: "tier or
    /// tags"); a configuration without the flag lists none.
    #[serde(default)]
    pub listed: bool,
}

/// A customer's value for one attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum AttributeValue {
    /// A date.
    Date(Date),
    /// A finite number.
    Number(f64),
    /// Yes or no.
    Boolean(bool),
    /// Text, trimmed, not empty.
    Text(String),
    /// The options picked, spelled as the definition spells them, without repeats.
    Choices(Vec<String>),
}

/// Why a value or a filter was refused; messages name the attribute as staff know it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttributeError {
    /// Nothing was given.
    #[error("{label} needs a value")]
    Missing {
        /// The attribute's label.
        label: String,
    },
    /// Not a date.
    #[error("{label}: {reason}")]
    NotADate {
        /// The attribute's label.
        label: String,
        /// What is wrong with the date.
        reason: DateError,
    },
    /// Not a finite number.
    #[error("{label} must be a number, e.g. 42 or 9.5")]
    NotANumber {
        /// The attribute's label.
        label: String,
    },
    /// Not yes or no.
    #[error("{label} must be yes or no")]
    NotABoolean {
        /// The attribute's label.
        label: String,
    },
    /// Text longer than [`TEXT_MAX_CHARS`].
    #[error("{label} can be at most {TEXT_MAX_CHARS} characters long")]
    TooLong {
        /// The attribute's label.
        label: String,
    },
    /// A value that is not one of the options.
    #[error("{label} must be one of {options}")]
    NotAnOption {
        /// The attribute's label.
        label: String,
        /// The options, comma-separated.
        options: String,
    },
    /// Several options for an attribute that takes one.
    #[error("{label} takes only one of its options")]
    OneOptionOnly {
        /// The attribute's label.
        label: String,
    },
    /// The attribute is not offered as a filter.
    #[error("{label} is not a filter")]
    NotFilterable {
        /// The attribute's label.
        label: String,
    },
    /// A value of another type than the attribute's.
    #[error("{label} must be text")]
    NotText {
        /// The attribute's label.
        label: String,
    },
    /// No attribute has this key.
    #[error("there is no attribute {key:?}")]
    Unknown {
        /// The key asked for.
        key: String,
    },
    /// The attribute is not changed on the profile.
    #[error("{label} cannot be changed")]
    NotEditable {
        /// The attribute's label.
        label: String,
    },
    /// A filter this attribute's type does not allow.
    #[error("{label} cannot be filtered by {filter}")]
    WrongFilter {
        /// The attribute's label.
        label: String,
        /// The filter asked for.
        filter: FilterKind,
    },
}

/// Checks `raw`, as typed on the profile, against the attribute's type (C15).
///
/// Dates are "YYYY-MM-DD"; booleans yes/no, true/false, on/off or 1/0; choices match
/// their options ignoring case, several separated by commas where `multiple` (use
/// [`validate_choices`] for options that contain a comma).
pub fn validate(
    definition: &AttributeDefinition,
    raw: &str,
) -> Result<AttributeValue, AttributeError> {
    let label = || definition.label.clone();
    let input = raw.trim();
    if input.is_empty() {
        return Err(AttributeError::Missing { label: label() });
    }
    match &definition.kind {
        AttributeType::Date => Date::parse(input)
            .map(AttributeValue::Date)
            .map_err(|reason| AttributeError::NotADate {
                label: label(),
                reason,
            }),
        AttributeType::Number => input
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(AttributeValue::Number)
            .ok_or(AttributeError::NotANumber { label: label() }),
        AttributeType::Boolean => match input.to_ascii_lowercase().as_str() {
            "yes" | "true" | "on" | "1" => Ok(AttributeValue::Boolean(true)),
            "no" | "false" | "off" | "0" => Ok(AttributeValue::Boolean(false)),
            _ => Err(AttributeError::NotABoolean { label: label() }),
        },
        AttributeType::Text if input.chars().count() > TEXT_MAX_CHARS => {
            Err(AttributeError::TooLong { label: label() })
        }
        AttributeType::Text => Ok(AttributeValue::Text(input.to_owned())),
        AttributeType::Choice { .. } => {
            let picked: Vec<&str> = input.split(',').map(str::trim).collect();
            validate_choices(definition, &picked)
        }
    }
}

/// Checks options picked from a list (C15): each must be one of the definition's options
/// (ignoring case and surrounding spaces), at least one, and only one unless `multiple`.
/// Non-choice attributes refuse a list.
pub fn validate_choices<S: AsRef<str>>(
    definition: &AttributeDefinition,
    picked: &[S],
) -> Result<AttributeValue, AttributeError> {
    let label = || definition.label.clone();
    let AttributeType::Choice { options, multiple } = &definition.kind else {
        return match picked {
            [one] => validate(definition, one.as_ref()),
            [] => Err(AttributeError::Missing { label: label() }),
            _ => Err(AttributeError::OneOptionOnly { label: label() }),
        };
    };
    let mut chosen: Vec<String> = Vec::with_capacity(picked.len());
    for pick in picked.iter().map(|p| p.as_ref().trim()) {
        let option = options
            .iter()
            .find(|o| o.trim().to_lowercase() == pick.to_lowercase())
            .ok_or_else(|| AttributeError::NotAnOption {
                label: label(),
                options: options.join(", "),
            })?;
        if !chosen.contains(option) {
            chosen.push(option.clone());
        }
    }
    match chosen.len() {
        0 => Err(AttributeError::Missing { label: label() }),
        1 => Ok(AttributeValue::Choices(chosen)),
        _ if *multiple => Ok(AttributeValue::Choices(chosen)),
        _ => Err(AttributeError::OneOptionOnly { label: label() }),
    }
}

/// How a number is compared with a filter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// Less than.
    Lt,
    /// Less than or equal.
    Le,
    /// Equal.
    Eq,
    /// Greater than or equal.
    Ge,
    /// Greater than.
    Gt,
}

impl Comparison {
    /// Whether `left` compares so with `right`.
    pub fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Comparison::Lt => left < right,
            Comparison::Le => left <= right,
            Comparison::Eq => left == right,
            Comparison::Ge => left >= right,
            Comparison::Gt => left > right,
        }
    }
}

/// A customer-listing filter on one attribute (C1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", content = "value", rename_all = "snake_case")]
pub enum AttributeFilter {
    /// Dates from `from` to `to`, both included; an open end when absent.
    DateRange {
        /// First day included.
        from: Option<Date>,
        /// Last day included.
        to: Option<Date>,
    },
    /// Numbers comparing so with `value`.
    NumberCompare {
        /// The comparison.
        op: Comparison,
        /// The number compared with.
        value: f64,
    },
    /// Yes or no.
    Boolean(bool),
    /// Text containing this, ignoring case.
    TextContains(String),
    /// Choices including at least one of these options, ignoring case.
    AnyOf(Vec<String>),
}

/// The kinds of [`AttributeFilter`], for listing what an attribute type allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterKind {
    /// [`AttributeFilter::DateRange`].
    DateRange,
    /// [`AttributeFilter::NumberCompare`].
    NumberCompare,
    /// [`AttributeFilter::Boolean`].
    Boolean,
    /// [`AttributeFilter::TextContains`].
    TextContains,
    /// [`AttributeFilter::AnyOf`].
    AnyOf,
}

impl fmt::Display for FilterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FilterKind::DateRange => "date range",
            FilterKind::NumberCompare => "number comparison",
            FilterKind::Boolean => "yes or no",
            FilterKind::TextContains => "text",
            FilterKind::AnyOf => "options",
        })
    }
}

impl AttributeFilter {
    /// Which kind of filter this is.
    pub fn kind(&self) -> FilterKind {
        match self {
            AttributeFilter::DateRange { .. } => FilterKind::DateRange,
            AttributeFilter::NumberCompare { .. } => FilterKind::NumberCompare,
            AttributeFilter::Boolean(_) => FilterKind::Boolean,
            AttributeFilter::TextContains(_) => FilterKind::TextContains,
            AttributeFilter::AnyOf(_) => FilterKind::AnyOf,
        }
    }

    /// Whether a customer's value passes the filter; a value of another type never does.
    pub fn matches(&self, value: &AttributeValue) -> bool {
        match (self, value) {
            (AttributeFilter::DateRange { from, to }, AttributeValue::Date(date)) => {
                from.is_none_or(|from| from <= *date) && to.is_none_or(|to| *date <= to)
            }
            (AttributeFilter::NumberCompare { op, value }, AttributeValue::Number(number)) => {
                op.holds(*number, *value)
            }
            (AttributeFilter::Boolean(wanted), AttributeValue::Boolean(actual)) => wanted == actual,
            (AttributeFilter::TextContains(needle), AttributeValue::Text(text)) => {
                text.to_lowercase().contains(&needle.trim().to_lowercase())
            }
            (AttributeFilter::AnyOf(wanted), AttributeValue::Choices(picked)) => {
                picked.iter().any(|p| {
                    wanted
                        .iter()
                        .any(|w| w.trim().to_lowercase() == p.to_lowercase())
                })
            }
            _ => false,
        }
    }

    /// Checks that the attribute is a filter and that its type allows this filter, so the
    /// backend refuses a listing request the UI could not have built.
    pub fn check(&self, definition: &AttributeDefinition) -> Result<(), AttributeError> {
        let label = || definition.label.clone();
        if !definition.filterable {
            return Err(AttributeError::NotFilterable { label: label() });
        }
        if !definition.kind.filter_kinds().contains(&self.kind()) {
            return Err(AttributeError::WrongFilter {
                label: label(),
                filter: self.kind(),
            });
        }
        if let (AttributeFilter::AnyOf(wanted), AttributeType::Choice { options, .. }) =
            (self, &definition.kind)
        {
            if wanted.is_empty() {
                return Err(AttributeError::Missing { label: label() });
            }
            let known = |w: &String| {
                options
                    .iter()
                    .any(|o| o.trim().to_lowercase() == w.trim().to_lowercase())
            };
            if !wanted.iter().all(known) {
                return Err(AttributeError::NotAnOption {
                    label: label(),
                    options: options.join(", "),
                });
            }
        }
        Ok(())
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Date {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .description(Some("A calendar date, YYYY-MM-DD"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Date {}

/// A customer's value for one attribute, with who set it last and when, by the backend's
/// clock (C15).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerAttribute {
    /// The attribute's key.
    pub key: String,
    /// The value.
    pub value: AttributeValue,
    /// The staff member who set it; none for values that came with the customer.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub modified_by: Option<StaffId>,
    /// Their name, as shown on the profile.
    pub modified_by_name: Option<String>,
    /// When it was set, ms since the epoch.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub modified_at: Timestamp,
}

/// Every attribute value of one customer: the answer to a change and the change feed's
/// entry for them (C15).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerAttributes {
    /// The customer.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub customer_id: CustomerId,
    /// Their values, by key.
    pub values: Vec<CustomerAttribute>,
}

impl CustomerAttributes {
    /// The value of `key`, if the customer has one.
    pub fn value(&self, key: &str) -> Option<&AttributeValue> {
        self.values.iter().find(|v| v.key == key).map(|v| &v.value)
    }
}

/// `PUT /api/v1/customers/{id}/attributes` body: sets or clears one value (C15). The
/// backend checks a value with [`check_value`] against the attribute's definition and
/// stamps who and when; sending the same value again, or clearing a value the customer
/// does not have, changes nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetAttributeRequest {
    /// The attribute's key.
    pub key: String,
    /// The new value; `null` (or left out) clears the customer's value.
    #[serde(default)]
    pub value: Option<AttributeValue>,
}

/// Checks a value that arrived already typed (from the API or the outbox) against its
/// definition (C15): the type must be the definition's, text follows the text rule and
/// choices must be options. Answers the value as stored (trimmed, options spelled as
/// configured).
pub fn check_value(
    definition: &AttributeDefinition,
    value: &AttributeValue,
) -> Result<AttributeValue, AttributeError> {
    let label = || definition.label.clone();
    match (&definition.kind, value) {
        (AttributeType::Date, AttributeValue::Date(_)) => Ok(value.clone()),
        (AttributeType::Number, AttributeValue::Number(n)) if n.is_finite() => Ok(value.clone()),
        (AttributeType::Number, _) => Err(AttributeError::NotANumber { label: label() }),
        (AttributeType::Boolean, AttributeValue::Boolean(_)) => Ok(value.clone()),
        (AttributeType::Boolean, _) => Err(AttributeError::NotABoolean { label: label() }),
        (AttributeType::Text, AttributeValue::Text(text)) => validate(definition, text),
        (AttributeType::Choice { .. }, AttributeValue::Choices(picked)) => {
            validate_choices(definition, picked)
        }
        (AttributeType::Date, _) => Err(AttributeError::NotADate {
            label: label(),
            reason: DateError::Format,
        }),
        (AttributeType::Text, _) => Err(AttributeError::NotText { label: label() }),
        (AttributeType::Choice { options, .. }, _) => Err(AttributeError::NotAnOption {
            label: label(),
            options: options.join(", "),
        }),
    }
}

impl AttributeValue {
    /// The value as the profile shows it: dates ISO, yes/no, choices comma-separated.
    pub fn display(&self) -> String {
        match self {
            AttributeValue::Date(date) => date.to_string(),
            AttributeValue::Number(n) => n.to_string(),
            AttributeValue::Boolean(true) => "Yes".to_owned(),
            AttributeValue::Boolean(false) => "No".to_owned(),
            AttributeValue::Text(text) => text.clone(),
            AttributeValue::Choices(picked) => picked.join(", "),
        }
    }
}

/// One filter of the clientbook (C5): an attribute, by key, and what its value must pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeCondition {
    /// The attribute's key.
    pub key: String,
    /// The filter on its value.
    pub filter: AttributeFilter,
}

impl AttributeCondition {
    /// Checks the condition against the configured definitions: the attribute must exist,
    /// be a filter and allow this kind of filter (C5).
    pub fn check(&self, definitions: &[AttributeDefinition]) -> Result<(), AttributeError> {
        let definition = definitions
            .iter()
            .find(|d| d.key == self.key)
            .ok_or_else(|| AttributeError::Unknown {
                key: self.key.clone(),
            })?;
        self.filter.check(definition)
    }

    /// Whether a customer's values pass every condition (several filters combine with AND);
    /// a customer without a value for a filtered attribute does not.
    pub fn all_match(conditions: &[AttributeCondition], values: &CustomerAttributes) -> bool {
        conditions.iter().all(|condition| {
            values
                .value(&condition.key)
                .is_some_and(|value| condition.filter.matches(value))
        })
    }

    /// The condition as its chip reads, e.g. "Tier: any of Gold, Platinum".
    pub fn describe(&self, label: &str) -> String {
        let what = match &self.filter {
            AttributeFilter::DateRange { from, to } => match (from, to) {
                (Some(from), Some(to)) => format!("{from} to {to}"),
                (Some(from), None) => format!("from {from}"),
                (None, Some(to)) => format!("until {to}"),
                (None, None) => "any date".to_owned(),
            },
            AttributeFilter::NumberCompare { op, value } => format!("{} {value}", op.symbol()),
            AttributeFilter::Boolean(true) => "yes".to_owned(),
            AttributeFilter::Boolean(false) => "no".to_owned(),
            AttributeFilter::TextContains(needle) => format!("contains \u{201c}{needle}\u{201d}"),
            AttributeFilter::AnyOf(options) => format!("any of {}", options.join(", ")),
        };
        format!("{label}: {what}")
    }
}

impl Comparison {
    /// Every comparison, in the order a picker lists them.
    pub const ALL: [Comparison; 5] = [
        Comparison::Lt,
        Comparison::Le,
        Comparison::Eq,
        Comparison::Ge,
        Comparison::Gt,
    ];

    /// The comparison as a symbol: "<", "≤", "=", "≥", ">".
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Lt => "<",
            Comparison::Le => "\u{2264}",
            Comparison::Eq => "=",
            Comparison::Ge => "\u{2265}",
            Comparison::Gt => ">",
        }
    }

    /// The stable name ("lt", "le"…), as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::Lt => "lt",
            Comparison::Le => "le",
            Comparison::Eq => "eq",
            Comparison::Ge => "ge",
            Comparison::Gt => "gt",
        }
    }

    /// Parses the stable name back.
    pub fn parse(value: &str) -> Option<Comparison> {
        Comparison::ALL.into_iter().find(|c| c.as_str() == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn definition(label: &str, kind: AttributeType) -> AttributeDefinition {
        AttributeDefinition {
            key: label.to_lowercase().replace(' ', "_"),
            label: label.into(),
            kind,
            filterable: true,
            editable: true,
            listed: false,
        }
    }

    fn sizes(multiple: bool) -> AttributeDefinition {
        let options = ["XS", "S", "M", "L", "XL"].map(String::from).to_vec();
        definition(
            "Preferred size",
            AttributeType::Choice { options, multiple },
        )
    }

    fn date(text: &str) -> Date {
        Date::parse(text).expect("a valid test date")
    }

    #[test]
    fn c15_dates_are_calendar_days_with_leap_years() {
        assert_eq!(
            Date::parse("2024-02-29").map(|d| (d.year(), d.month(), d.day())),
            Ok((2024, 2, 29)),
            "2024 is a leap year"
        );
        assert_eq!(
            Date::parse("2023-02-29"),
            Err(DateError::Day {
                year: 2023,
                month: 2,
                day: 29
            }),
            "2023 is not"
        );
        assert!(Date::parse("2000-02-29").is_ok(), "2000 divides by 400");
        assert!(
            Date::parse("1900-02-29").is_err(),
            "1900 divides by 100 only"
        );
        assert_eq!(Date::parse("2024-13-01"), Err(DateError::Month), "month 13");
        assert_eq!(Date::parse("0000-01-01"), Err(DateError::Year), "year 0");
        for bad in [
            "17/05/1990",
            "1990-5-17",
            "1990-05-17T00:00",
            "",
            "1990-05-17-01",
        ] {
            assert_eq!(
                Date::parse(bad),
                Err(DateError::Format),
                "{bad:?} is not ISO"
            );
        }
        assert_eq!(
            date("1990-05-07").to_string(),
            "1990-05-07",
            "displayed zero-padded"
        );
        assert!(
            date("1989-12-31") < date("1990-01-01"),
            "dates order by calendar"
        );
    }

    #[test]
    fn c15_a_value_is_validated_by_the_attribute_type() {
        assert_eq!(
            validate(&definition("Birthday", AttributeType::Date), " 1990-05-17 "),
            Ok(AttributeValue::Date(date("1990-05-17"))),
            "a date"
        );
        assert_eq!(
            validate(&definition("Shoe size", AttributeType::Number), "9.5"),
            Ok(AttributeValue::Number(9.5)),
            "a number"
        );
        assert_eq!(
            validate(&definition("VIP", AttributeType::Boolean), "Yes"),
            Ok(AttributeValue::Boolean(true)),
            "yes is true"
        );
        assert_eq!(
            validate(&definition("VIP", AttributeType::Boolean), "off"),
            Ok(AttributeValue::Boolean(false)),
            "off is false"
        );
        assert_eq!(
            validate(
                &definition("Favourite designer", AttributeType::Text),
                "  Dior "
            ),
            Ok(AttributeValue::Text("Dior".into())),
            "text is trimmed"
        );
        assert_eq!(
            validate(&sizes(false), "m"),
            Ok(AttributeValue::Choices(vec!["M".into()])),
            "an option, spelled as configured"
        );
    }

    #[test]
    fn c15_invalid_values_are_refused_with_a_message_naming_the_attribute() {
        let message =
            |d: &AttributeDefinition, raw: &str| validate(d, raw).map_err(|e| e.to_string());
        assert_eq!(
            message(&sizes(false), "XXL"),
            Err("Preferred size must be one of XS, S, M, L, XL".into()),
            "an unknown option lists the options"
        );
        assert_eq!(
            message(&sizes(false), "S, M"),
            Err("Preferred size takes only one of its options".into()),
            "two options for a single choice"
        );
        assert_eq!(
            message(&definition("Birthday", AttributeType::Date), "1990-02-30"),
            Err("Birthday: 1990-02 has no day 30".into()),
            "an impossible day"
        );
        assert_eq!(
            message(&definition("Shoe size", AttributeType::Number), "nine"),
            Err("Shoe size must be a number, e.g. 42 or 9.5".into()),
            "words are not numbers"
        );
        assert_eq!(
            message(&definition("Shoe size", AttributeType::Number), "inf"),
            Err("Shoe size must be a number, e.g. 42 or 9.5".into()),
            "infinity is not a value"
        );
        assert_eq!(
            message(&definition("VIP", AttributeType::Boolean), "maybe"),
            Err("VIP must be yes or no".into()),
            "maybe is neither"
        );
        assert_eq!(
            message(&definition("Notes", AttributeType::Text), "   "),
            Err("Notes needs a value".into()),
            "blank input"
        );
        let long = "a".repeat(TEXT_MAX_CHARS + 1);
        assert_eq!(
            message(&definition("Notes", AttributeType::Text), &long),
            Err(format!(
                "Notes can be at most {TEXT_MAX_CHARS} characters long"
            )),
            "too long"
        );
    }

    #[test]
    fn c15_a_multiple_choice_takes_several_options_once_each() {
        assert_eq!(
            validate(&sizes(true), "s, M ,s"),
            Ok(AttributeValue::Choices(vec!["S".into(), "M".into()])),
            "comma-separated, repeats dropped, configured spelling"
        );
        let colours = definition(
            "Colours",
            AttributeType::Choice {
                options: vec!["Red, dark".into(), "Blue".into()],
                multiple: true,
            },
        );
        assert_eq!(
            validate_choices(&colours, &["red, dark", "Blue"]),
            Ok(AttributeValue::Choices(vec![
                "Red, dark".into(),
                "Blue".into()
            ])),
            "a picked list keeps options containing commas whole"
        );
        assert_eq!(
            validate_choices::<&str>(&sizes(true), &[]),
            Err(AttributeError::Missing {
                label: "Preferred size".into()
            }),
            "nothing picked"
        );
    }

    #[test]
    fn c1_each_attribute_type_allows_its_own_filter() {
        assert_eq!(
            AttributeType::Date.filter_kinds(),
            [FilterKind::DateRange],
            "dates"
        );
        assert_eq!(
            AttributeType::Number.filter_kinds(),
            [FilterKind::NumberCompare],
            "numbers"
        );
        assert_eq!(
            AttributeType::Boolean.filter_kinds(),
            [FilterKind::Boolean],
            "booleans"
        );
        assert_eq!(
            AttributeType::Text.filter_kinds(),
            [FilterKind::TextContains],
            "text"
        );
        assert_eq!(
            sizes(true).kind.filter_kinds(),
            [FilterKind::AnyOf],
            "choices"
        );
        assert_eq!(
            AttributeFilter::TextContains("x".into()).check(&sizes(true)),
            Err(AttributeError::WrongFilter {
                label: "Preferred size".into(),
                filter: FilterKind::TextContains
            }),
            "a choice is not filtered by text"
        );
        let hidden = AttributeDefinition {
            filterable: false,
            ..sizes(true)
        };
        assert_eq!(
            AttributeFilter::AnyOf(vec!["M".into()])
                .check(&hidden)
                .map_err(|e| e.to_string()),
            Err("Preferred size is not a filter".into()),
            "only attributes enabled as filters filter the listing (A4)"
        );
        assert_eq!(
            AttributeFilter::AnyOf(vec!["XXL".into()])
                .check(&sizes(true))
                .map_err(|e| e.to_string()),
            Err("Preferred size must be one of XS, S, M, L, XL".into()),
            "options filtered by must exist"
        );
        assert_eq!(
            AttributeFilter::AnyOf(vec!["M".into()]).check(&sizes(false)),
            Ok(()),
            "a valid filter"
        );
        assert_eq!(
            AttributeFilter::AnyOf(vec!["M".into(), "l".into()]).check(&sizes(false)),
            Ok(()),
            "any of several options filters a single choice (C5)"
        );
    }

    #[test]
    fn c1_filters_match_values_of_their_type() {
        let in_may = AttributeFilter::DateRange {
            from: Some(date("1990-05-01")),
            to: Some(date("1990-05-31")),
        };
        assert!(
            in_may.matches(&AttributeValue::Date(date("1990-05-31"))),
            "both ends are included"
        );
        assert!(
            !in_may.matches(&AttributeValue::Date(date("1990-06-01"))),
            "after the range"
        );
        let since = AttributeFilter::DateRange {
            from: Some(date("2020-01-01")),
            to: None,
        };
        assert!(
            since.matches(&AttributeValue::Date(date("2026-12-01"))),
            "an open end"
        );
        let at_least_ten = AttributeFilter::NumberCompare {
            op: Comparison::Ge,
            value: 10.0,
        };
        assert!(
            at_least_ten.matches(&AttributeValue::Number(10.0)),
            "ge includes equal"
        );
        assert!(!at_least_ten.matches(&AttributeValue::Number(9.5)), "below");
        assert!(
            AttributeFilter::Boolean(true).matches(&AttributeValue::Boolean(true)),
            "yes is yes"
        );
        assert!(
            AttributeFilter::TextContains("DIOR".into())
                .matches(&AttributeValue::Text("Loves Dior bags".into())),
            "text ignores case"
        );
        let small = AttributeFilter::AnyOf(vec!["xs".into(), "S".into()]);
        assert!(
            small.matches(&AttributeValue::Choices(vec!["M".into(), "S".into()])),
            "one shared option is enough"
        );
        assert!(
            !small.matches(&AttributeValue::Choices(vec!["L".into()])),
            "no shared option"
        );
        assert!(
            !at_least_ten.matches(&AttributeValue::Text("12".into())),
            "a value of another type never matches"
        );
    }

    #[test]
    fn c15_definitions_values_and_filters_serialize_with_snake_case_tags() {
        assert_eq!(
            serde_json::to_value(sizes(true).kind).expect("serializes"),
            serde_json::json!({"type": "choice", "options": ["XS", "S", "M", "L", "XL"], "multiple": true}),
            "a type"
        );
        assert_eq!(
            serde_json::to_value(AttributeValue::Date(date("1990-05-17"))).expect("serializes"),
            serde_json::json!({"type": "date", "value": "1990-05-17"}),
            "a value"
        );
        let filter = AttributeFilter::NumberCompare {
            op: Comparison::Lt,
            value: 3.0,
        };
        let json = serde_json::to_value(&filter).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({"op": "number_compare", "value": {"op": "lt", "value": 3.0}}),
            "a filter"
        );
        assert_eq!(
            serde_json::from_value::<AttributeFilter>(json).expect("deserializes"),
            filter,
            "round trip"
        );
        assert!(
            serde_json::from_value::<AttributeValue>(
                serde_json::json!({"type": "date", "value": "1990-02-30"})
            )
            .is_err(),
            "an impossible date does not deserialize"
        );
    }

    fn values(pairs: &[(&str, AttributeValue)]) -> CustomerAttributes {
        CustomerAttributes {
            customer_id: CustomerId::from("cust-1"),
            values: pairs
                .iter()
                .map(|(key, value)| CustomerAttribute {
                    key: (*key).to_owned(),
                    value: value.clone(),
                    modified_by: None,
                    modified_by_name: None,
                    modified_at: Timestamp(0),
                })
                .collect(),
        }
    }

    #[test]
    fn c15_a_typed_value_from_the_api_is_checked_against_the_definition() {
        let birthday = definition("Birthday", AttributeType::Date);
        assert_eq!(
            check_value(&birthday, &AttributeValue::Number(3.0)).map_err(|e| e.to_string()),
            Err("Birthday: a date is written year-month-day, e.g. 1990-05-17".into()),
            "a number is not a date"
        );
        assert_eq!(
            check_value(
                &definition("Notes", AttributeType::Text),
                &AttributeValue::Text("  hi ".into())
            ),
            Ok(AttributeValue::Text("hi".into())),
            "text is trimmed as typed text is"
        );
        assert_eq!(
            check_value(&sizes(false), &AttributeValue::Choices(vec!["m".into()])),
            Ok(AttributeValue::Choices(vec!["M".into()])),
            "options are spelled as configured"
        );
        assert_eq!(
            check_value(
                &sizes(false),
                &AttributeValue::Choices(vec!["M".into(), "L".into()])
            )
            .map_err(|e| e.to_string()),
            Err("Preferred size takes only one of its options".into()),
            "a single choice takes one"
        );
        assert_eq!(
            check_value(
                &definition("VIP", AttributeType::Boolean),
                &AttributeValue::Text("yes".into())
            )
            .map_err(|e| e.to_string()),
            Err("VIP must be yes or no".into()),
            "text is not a boolean"
        );
        assert_eq!(
            check_value(
                &definition("Notes", AttributeType::Text),
                &AttributeValue::Boolean(true)
            )
            .map_err(|e| e.to_string()),
            Err("Notes must be text".into()),
            "a boolean is not text"
        );
    }

    #[test]
    fn c5_several_filters_combine_and_a_missing_value_never_matches() {
        let conditions = [
            AttributeCondition {
                key: "preferred_size".into(),
                filter: AttributeFilter::AnyOf(vec!["M".into()]),
            },
            AttributeCondition {
                key: "visits".into(),
                filter: AttributeFilter::NumberCompare {
                    op: Comparison::Ge,
                    value: 3.0,
                },
            },
        ];
        let both = values(&[
            ("preferred_size", AttributeValue::Choices(vec!["M".into()])),
            ("visits", AttributeValue::Number(4.0)),
        ]);
        assert!(
            AttributeCondition::all_match(&conditions, &both),
            "passes both filters"
        );
        let one = values(&[
            ("preferred_size", AttributeValue::Choices(vec!["M".into()])),
            ("visits", AttributeValue::Number(2.0)),
        ]);
        assert!(
            !AttributeCondition::all_match(&conditions, &one),
            "filters combine with AND"
        );
        let missing = values(&[("preferred_size", AttributeValue::Choices(vec!["M".into()]))]);
        assert!(
            !AttributeCondition::all_match(&conditions, &missing),
            "no value, no match"
        );
        assert!(
            AttributeCondition::all_match(&[], &missing),
            "no filter lets everyone through"
        );
        let definitions = [sizes(true)];
        assert_eq!(
            conditions[1].check(&definitions).map_err(|e| e.to_string()),
            Err("there is no attribute \"visits\"".into()),
            "a filter on an unknown attribute is refused"
        );
        assert_eq!(
            conditions[0].check(&definitions),
            Ok(()),
            "a filter on a configured filterable attribute"
        );
    }

    #[test]
    fn c5_a_filter_chip_reads_the_attribute_and_the_condition() {
        let chip = |filter: AttributeFilter| {
            AttributeCondition {
                key: "k".into(),
                filter,
            }
            .describe("Birthday")
        };
        assert_eq!(
            chip(AttributeFilter::DateRange {
                from: Some(date("1990-01-01")),
                to: None
            }),
            "Birthday: from 1990-01-01",
            "an open-ended range"
        );
        assert_eq!(
            chip(AttributeFilter::NumberCompare {
                op: Comparison::Ge,
                value: 2.5
            }),
            "Birthday: \u{2265} 2.5",
            "a comparison"
        );
        assert_eq!(
            chip(AttributeFilter::AnyOf(vec!["S".into(), "M".into()])),
            "Birthday: any of S, M",
            "options"
        );
        assert_eq!(
            Comparison::ALL.map(|c| Comparison::parse(c.as_str())),
            Comparison::ALL.map(Some),
            "comparisons round-trip by name"
        );
    }
}
