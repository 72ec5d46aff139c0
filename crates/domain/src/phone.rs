//! Phone numbers in E.164 form (`+` then 8 to 15 digits, no leading zero).
//!
//! [`PhoneNumber::parse`] takes a number typed with its country code and needs no data.
//! With the `phone-metadata` feature, [`PhoneNumber::parse_in_region`] also takes national
//! formats and checks the number against libphonenumber's metadata (C12); the feature is
//! off by default so the wasm UI does not carry that metadata.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::masking::mask_phone;

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
    /// The default region is not an ISO country code the metadata knows.
    #[error("{0:?} is not a country: use its two-letter code, such as US or GB")]
    UnknownRegion(String),
    /// Nothing that reads as a phone number.
    #[error("this does not look like a phone number")]
    NotANumber,
    /// The country calling code after `+` (or the international prefix) is not in use.
    #[error("no country uses this country code")]
    UnknownCountryCode,
    /// Fewer digits than any number of that country has.
    #[error("the number is too short")]
    TooShort,
    /// More digits than any number of that country has.
    #[error("the number is too long")]
    TooLong,
    /// The digits are not a number that exists in that country's numbering plan.
    #[error("this is not a valid phone number for {country}: check the digits")]
    NotValid {
        /// The country (ISO code such as "US") or, when none matches, the calling code ("+1").
        country: String,
    },
    /// Customers are messaged directly: a number with an extension cannot be reached.
    #[error("a customer's phone number cannot have an extension")]
    HasExtension,
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

    /// The number as staff without permission to see sensitive data see it:
    /// "+1 ••• ••• 0142" (A2, [`mask_phone`]).
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }

    /// Normalizes a number typed as a customer gives it, in the national format of
    /// `default_region` (an ISO 3166-1 country such as "US" or "GB") or in international
    /// format, to E.164, refusing numbers that do not exist in the numbering plan (C12):
    /// "(212) 555-0142" in "US" is "+12125550142", "020 7946 0958" in "GB" is
    /// "+442079460958".
    #[cfg(feature = "phone-metadata")]
    pub fn parse_in_region(input: &str, default_region: &str) -> Result<Self, PhoneError> {
        use phonenumber::{country, Mode, ParseError};
        let region: country::Id = default_region
            .trim()
            .to_ascii_uppercase()
            .parse()
            .map_err(|_| PhoneError::UnknownRegion(default_region.to_owned()))?;
        // "+44 (0)20 7946 0958": the national prefix in brackets is not dialled from abroad.
        let input = input.replace("(0)", "");
        let number = phonenumber::parse(Some(region), &input).map_err(|error| match error {
            ParseError::NoNumber | ParseError::MalformedInteger(_) => PhoneError::NotANumber,
            ParseError::InvalidCountryCode => PhoneError::UnknownCountryCode,
            ParseError::TooShortAfterIdd | ParseError::TooShortNsn => PhoneError::TooShort,
            ParseError::TooLong => PhoneError::TooLong,
        })?;
        if number.extension().is_some() {
            return Err(PhoneError::HasExtension);
        }
        if !number.is_valid() {
            let country = match number.country().id() {
                Some(id) => id.as_ref().to_owned(),
                None if number.code().source() == country::Source::Default => {
                    region.as_ref().to_owned()
                }
                None => format!("+{}", number.code().value()),
            };
            return Err(PhoneError::NotValid { country });
        }
        Self::parse(&number.format().mode(Mode::E164).to_string())
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
            "+1 ••• ••• 0100",
            "only the country code and the last four digits stay visible"
        );
    }

    #[cfg(feature = "phone-metadata")]
    mod in_region {
        use super::*;
        use proptest::prelude::*;

        fn e164(input: &str, region: &str) -> Result<String, PhoneError> {
            PhoneNumber::parse_in_region(input, region).map(String::from)
        }

        #[test]
        fn c12_national_formats_normalize_to_e164_in_their_region() {
            for (input, region, expected) in [
                ("(212) 555-0142", "US", "+12125550142"),
                ("212.555.0142", "US", "+12125550142"),
                ("1 212 555 0142", "US", "+12125550142"),
                ("020 7946 0958", "GB", "+442079460958"),
                ("07400 123456", "GB", "+447400123456"),
                ("06 12 34 56 78", "FR", "+33612345678"),
                ("030 123456", "de", "+4930123456"),
            ] {
                assert_eq!(
                    e164(input, region),
                    Ok(expected.to_owned()),
                    "{input:?} typed in {region}"
                );
            }
        }

        #[test]
        fn c12_international_formats_ignore_the_default_region() {
            for (input, region) in [
                ("+44 20 7946 0958", "US"),
                ("+44 (0)20 7946 0958", "US"),
                ("00 44 20 7946 0958", "FR"),
                ("011 44 20 7946 0958", "US"),
            ] {
                assert_eq!(
                    e164(input, region),
                    Ok("+442079460958".to_owned()),
                    "{input:?} typed in {region} is a London number"
                );
            }
        }

        #[test]
        fn c12_numbers_outside_the_numbering_plan_are_refused_with_a_reason() {
            assert_eq!(
                e164("(012) 555-0142", "US"),
                Err(PhoneError::NotValid {
                    country: "US".into()
                }),
                "US area codes never start with 0"
            );
            assert_eq!(
                e164("555 0142", "US"),
                Err(PhoneError::NotValid {
                    country: "US".into()
                }),
                "a US number without its area code"
            );
            assert_eq!(
                e164("12", "GB"),
                Err(PhoneError::NotValid {
                    country: "GB".into()
                }),
                "two digits are no GB number"
            );
            assert_eq!(
                e164("call me maybe", "GB"),
                Err(PhoneError::NotANumber),
                "words are no number"
            );
            assert_eq!(
                e164("+999 1234 5678", "GB"),
                Err(PhoneError::UnknownCountryCode),
                "+999 is not assigned"
            );
            assert_eq!(
                e164("+44 20 7946 0958 1234 5678 90", "GB"),
                Err(PhoneError::TooLong),
                "too many digits"
            );
            assert_eq!(
                e164("(212) 555-0142 ext. 12", "US"),
                Err(PhoneError::HasExtension),
                "an extension cannot be texted"
            );
        }

        #[test]
        fn c12_the_default_region_must_be_a_known_country() {
            assert_eq!(
                e164("(212) 555-0142", "XX"),
                Err(PhoneError::UnknownRegion("XX".into())),
                "XX is no country"
            );
            assert_eq!(
                PhoneError::UnknownRegion("XX".into()).to_string(),
                "\"XX\" is not a country: use its two-letter code, such as US or GB",
                "the message says what to type"
            );
            assert_eq!(
                PhoneError::NotValid {
                    country: "US".into()
                }
                .to_string(),
                "this is not a valid phone number for US: check the digits",
                "the message names the country"
            );
        }

        proptest! {
            #[test]
            fn c12_a_us_number_parses_to_the_same_e164_in_every_format(
                area in prop::sample::select(vec![202u32, 212, 213, 312, 415, 617, 646, 718]),
                exchange in 200u32..1000,
                line in 0u32..10_000,
            ) {
                let expected = format!("+1{area}{exchange}{line:04}");
                for typed in [
                    format!("({area}) {exchange}-{line:04}"),
                    format!("{area}.{exchange}.{line:04}"),
                    format!("1 {area} {exchange} {line:04}"),
                    format!("+1 {area} {exchange} {line:04}"),
                ] {
                    prop_assert_eq!(
                        e164(&typed, "US"),
                        Ok(expected.clone()),
                        "{} is {}", typed, expected
                    );
                }
                prop_assert_eq!(
                    PhoneNumber::parse(&expected).map(String::from),
                    Ok(expected.clone()),
                    "the E.164 form parses back without metadata"
                );
            }
        }
    }
}
