//! Phone numbers in E.164 form (`+` then 8 to 15 digits, no leading zero).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A phone number normalized to E.164.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

/// Why a phone number was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// The number does not start with `+` and a country code.
    #[error("a phone number must start with + and the country code, e.g. +1 212 555 0100")]
    MissingCountryCode,
    /// Letters or other symbols.
    #[error("a phone number may contain only digits, spaces, dots, dashes and brackets")]
    InvalidCharacter,
    /// Too few or too many digits.
    #[error("a phone number has 8 to 15 digits including the country code")]
    WrongLength,
    /// Country codes never start with 0.
    #[error("a country code cannot start with 0")]
    LeadingZero,
}

impl PhoneNumber {
    /// Normalizes a typed number ("+1 (212) 555-0100") to E.164 ("+12125550100").
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let trimmed = input.trim();
        let rest = trimmed
            .strip_prefix('+')
            .ok_or(PhoneError::MissingCountryCode)?;
        let mut digits = String::with_capacity(rest.len());
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(PhoneError::InvalidCharacter),
            }
        }
        if !(8..=15).contains(&digits.len()) {
            return Err(PhoneError::WrongLength);
        }
        if digits.starts_with('0') {
            return Err(PhoneError::LeadingZero);
        }
        Ok(Self(format!("+{digits}")))
    }

    /// The E.164 string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with all but the last four digits hidden, for staff without
    /// permission to see sensitive data.
    pub fn masked(&self) -> String {
        let keep = 4.min(self.0.len() - 1);
        let hidden = self.0.len() - 1 - keep;
        format!("+{}{}", "•".repeat(hidden), &self.0[self.0.len() - keep..])
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = PhoneError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> Self {
        value.0
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_normalize_to_e164() {
        assert_eq!(
            PhoneNumber::parse("+1 (212) 555-0100").map(|p| p.0),
            Ok("+12125550100".into()),
            "US formatting is stripped"
        );
        assert_eq!(
            PhoneNumber::parse(" +44 20.7946.0958 ").map(|p| p.0),
            Ok("+442079460958".into()),
            "dots and spaces are stripped"
        );
    }

    #[test]
    fn malformed_numbers_get_a_clear_reason() {
        assert_eq!(
            PhoneNumber::parse("2125550100"),
            Err(PhoneError::MissingCountryCode),
            "no +"
        );
        assert_eq!(
            PhoneNumber::parse("+1 212 CALL NOW"),
            Err(PhoneError::InvalidCharacter),
            "letters"
        );
        assert_eq!(
            PhoneNumber::parse("+1234"),
            Err(PhoneError::WrongLength),
            "too short"
        );
        assert_eq!(
            PhoneNumber::parse("+1234567890123456"),
            Err(PhoneError::WrongLength),
            "too long"
        );
        assert_eq!(
            PhoneNumber::parse("+0123456789"),
            Err(PhoneError::LeadingZero),
            "country code 0"
        );
    }

    #[test]
    fn masking_keeps_the_last_four_digits() {
        let p = PhoneNumber::parse("+12125550100").expect("valid number");
        assert_eq!(
            p.masked(),
            "+•••••••0100",
            "only the last four digits stay visible"
        );
    }
}
