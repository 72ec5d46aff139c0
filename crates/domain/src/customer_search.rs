//! Search-as-you-type over customers (C1): which customers a typed query finds, and the
//! normalized keys the core stores beside each customer so SQL applies the same rule.
//!
//! A query finds a customer:
//! - by **name**, when its [folded](fold_name) form starts the customer's folded full name
//!   or one of its words ("ada", "love", "ada lov" and "lövé" all find Ada Lovelace);
//! - by **phone**, when it is typed like a phone number and its [digits](query_digits), at
//!   least three, appear in the phone's digits, whatever the formatting;
//! - by **email**, when it appears in the email address, ignoring case.
//!
//! Staff without `view_sensitive_data` (A2), who see phones and emails masked, find a
//! customer by phone or email only when they type the **whole** of it
//! ([`CustomerSearch::finds_for`]), so masked data cannot be recovered a fragment at a time.
//!
//! In SQL, with `name_key`, `phone_key` and `email_key` columns filled by [`name_key`],
//! [`phone_key`] and [`email_key`]:
//! `name_key LIKE :name || '%' OR name_key LIKE '% ' || :name || '%'`,
//! `phone_key LIKE '%' || :digits || '%'`, and `instr(email_key, :email) > 0`.
//! The name and digits keys hold only letters, digits and single spaces, so they need no
//! `LIKE` escaping; the email one may hold `%` or `_`, hence `instr`.

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

use crate::api::Customer;
use crate::masking::country_calling_code;
use crate::permission::{Permission, Permissions};

/// The fewest digits a phone search needs, so one or two typed digits do not match
/// nearly every customer.
pub const MIN_PHONE_DIGITS: usize = 3;

/// The fewest digits a query has to be taken for a whole phone number (a national number
/// without its trunk prefix is at least this long).
pub const MIN_FULL_PHONE_DIGITS: usize = 7;

/// Folds a name for matching: lower case, accents removed ("Lövé" is "love"), apostrophes
/// dropped ("O'Neil" is "oneil"), any other run of non-alphanumerics one space, trimmed.
pub fn fold_name(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        if matches!(c, '\'' | '’' | 'ʼ') {
            continue;
        }
        if !c.is_alphanumeric() {
            pending_space = !folded.is_empty();
            continue;
        }
        if pending_space {
            folded.push(' ');
            pending_space = false;
        }
        match c {
            'ß' | 'ẞ' => folded.push_str("ss"),
            'æ' | 'Æ' => folded.push_str("ae"),
            'œ' | 'Œ' => folded.push_str("oe"),
            'ø' | 'Ø' => folded.push('o'),
            'ł' | 'Ł' => folded.push('l'),
            'đ' | 'Đ' | 'ð' | 'Ð' => folded.push('d'),
            'þ' | 'Þ' => folded.push_str("th"),
            'ı' => folded.push('i'),
            _ => folded.extend(c.to_lowercase()),
        }
    }
    folded
}

/// The customer's name key: their folded full name.
pub fn name_key(first_name: &str, last_name: &str) -> String {
    fold_name(&format!("{first_name} {last_name}"))
}

/// The customer's phone key: the digits of their phone number.
pub fn phone_key(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// The customer's email key: the address in lower case, trimmed.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The digits a query searches phones by: `None` unless the query is typed like a phone
/// number (digits, spaces and `+ - . ( ) /` only) with at least [`MIN_PHONE_DIGITS`] digits
/// after leading zeros, which are dropped so national ("020 7946") and international
/// ("0044 20") prefixes find numbers stored in E.164.
pub fn query_digits(query: &str) -> Option<String> {
    let phone_like = query
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_whitespace() || "+-.()/".contains(c));
    if !phone_like {
        return None;
    }
    let digits = phone_key(query);
    let digits = digits.trim_start_matches('0');
    (digits.len() >= MIN_PHONE_DIGITS).then(|| digits.to_owned())
}

/// Which field a customer was found by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchedBy {
    /// The name.
    Name,
    /// The phone number.
    Phone,
    /// The email address.
    Email,
}

/// A typed search, normalized once and matched against many customers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerSearch {
    name: String,
    digits: Option<String>,
    email: String,
}

impl CustomerSearch {
    /// Normalizes what was typed in the search box.
    pub fn new(typed: &str) -> Self {
        Self {
            name: fold_name(typed),
            digits: query_digits(typed),
            email: email_key(typed),
        }
    }

    /// Whether nothing was typed (but spaces): an empty query lists every customer.
    pub fn is_empty(&self) -> bool {
        self.email.is_empty()
    }

    /// The folded name the query matches name keys by (empty when it has no letters or
    /// digits).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The digits the query matches phone keys by, if it is typed like a phone number.
    pub fn digits(&self) -> Option<&str> {
        self.digits.as_deref()
    }

    /// The text the query matches email keys by.
    pub fn email(&self) -> &str {
        &self.email
    }

    /// Which field finds `customer`, checking name, then phone, then email; `None` when
    /// none does. An empty query finds everyone by name.
    pub fn matched_by(&self, customer: &Customer) -> Option<MatchedBy> {
        if self.is_empty()
            || self.matches_name(&name_key(&customer.first_name, &customer.last_name))
        {
            return Some(MatchedBy::Name);
        }
        if let (Some(digits), Some(phone)) = (&self.digits, &customer.phone) {
            if phone_key(phone).contains(digits.as_str()) {
                return Some(MatchedBy::Phone);
            }
        }
        customer
            .email
            .as_deref()
            .filter(|email| email_key(email).contains(&self.email))
            .map(|_| MatchedBy::Email)
    }

    /// Whether the query finds `customer`.
    pub fn matches(&self, customer: &Customer) -> bool {
        self.matched_by(customer).is_some()
    }

    /// Which field finds `customer` for a viewer who sees phone and email masked: the name
    /// as for everyone, but the phone only when the query is the full number (its digits
    /// in international form, or the national number after the country code, in any
    /// formatting: "+1 212 555 0142", "(212) 555-0142", "0044 20 7946 0958") and the email
    /// only when the query is the whole address, ignoring case.
    pub fn matched_by_in_full(&self, customer: &Customer) -> Option<MatchedBy> {
        if self.is_empty()
            || self.matches_name(&name_key(&customer.first_name, &customer.last_name))
        {
            return Some(MatchedBy::Name);
        }
        if let (Some(digits), Some(phone)) = (&self.digits, &customer.phone) {
            let key = phone_key(phone);
            let national = &key[country_calling_code(&key).len()..];
            if key == *digits || national == digits {
                return Some(MatchedBy::Phone);
            }
        }
        customer
            .email
            .as_deref()
            .filter(|email| email_key(email) == self.email)
            .map(|_| MatchedBy::Email)
    }

    /// Whether the query finds `customer` for a viewer granted `viewer`: by any fragment
    /// with `view_sensitive_data` ([`matched_by`](Self::matched_by)), else only by the
    /// full phone or email ([`matched_by_in_full`](Self::matched_by_in_full)).
    pub fn finds_for(&self, customer: &Customer, viewer: Permissions) -> bool {
        if viewer.allows(Permission::ViewSensitiveData) {
            self.matched_by(customer).is_some()
        } else {
            self.matched_by_in_full(customer).is_some()
        }
    }

    /// Whether the query is typed like a whole phone number (at least
    /// [`MIN_FULL_PHONE_DIGITS`] digits) or a whole email address (`local@domain.tld`, no
    /// spaces): what finds a customer whose phone and email the viewer sees masked, and so
    /// what a local copy holding them masked cannot match (A2) — the backend's search can.
    pub fn is_full_phone_or_email(&self) -> bool {
        if self
            .digits
            .as_ref()
            .is_some_and(|digits| digits.len() >= MIN_FULL_PHONE_DIGITS)
        {
            return true;
        }
        let Some((local, domain)) = self.email.split_once('@') else {
            return false;
        };
        !local.is_empty()
            && !self.email.contains(char::is_whitespace)
            && !domain.contains('@')
            && domain
                .split_once('.')
                .is_some_and(|(host, tld)| !host.is_empty() && !tld.is_empty())
    }

    fn matches_name(&self, key: &str) -> bool {
        !self.name.is_empty()
            && (key.starts_with(&self.name) || key.contains(&format!(" {}", self.name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Timestamp;

    fn customer(first: &str, last: &str, phone: Option<&str>, email: Option<&str>) -> Customer {
        Customer {
            id: "customer-1".into(),
            store_ids: vec!["store-nyc".into()],
            first_name: first.into(),
            last_name: last.into(),
            phone: phone.map(String::from),
            email: email.map(String::from),
            assigned_staff_ids: Vec::new(),
            updated_at: Timestamp(0),
            gender: None,
            birth_date: None,
            signed_up_at: None,
            active: true,
        }
    }

    fn ada() -> Customer {
        customer(
            "Ada",
            "Lovelace",
            Some("+12125550142"),
            Some("Ada.Lovelace@Example.com"),
        )
    }

    fn found_by(typed: &str, customer: &Customer) -> Option<MatchedBy> {
        CustomerSearch::new(typed).matched_by(customer)
    }

    #[test]
    fn c1_names_match_by_prefix_of_first_last_or_full_name() {
        for typed in ["ada", "ADA", "Lov", "lovelace", "ada lov", "  Ada   Love "] {
            assert_eq!(
                found_by(typed, &ada()),
                Some(MatchedBy::Name),
                "{typed:?} starts a name"
            );
        }
        for typed in ["da", "ovelace", "lovelace ada", "adam"] {
            assert_ne!(
                found_by(typed, &ada()),
                Some(MatchedBy::Name),
                "{typed:?} starts no name"
            );
        }
    }

    #[test]
    fn c1_names_match_ignoring_accents_and_punctuation() {
        let zoe = customer("Zoë", "Ó'Brien-Sørensen", None, None);
        for typed in [
            "zoe",
            "ZOË",
            "obrien",
            "o'brien",
            "sorensen",
            "zoe obrien s",
        ] {
            assert!(
                CustomerSearch::new(typed).matches(&zoe),
                "{typed:?} finds Zoë Ó'Brien-Sørensen"
            );
        }
        assert!(
            CustomerSearch::new("Lövé").matches(&ada()),
            "accents in the query are folded too"
        );
        assert_eq!(fold_name("Straße"), "strasse", "ß folds to ss");
        assert_eq!(
            name_key("  Jean-Luc ", "Picard"),
            "jean luc picard",
            "the stored key: single spaces, no punctuation"
        );
    }

    #[test]
    fn c1_phones_match_by_three_or_more_digits_in_any_format() {
        for typed in ["212", "555 0142", "(212) 555-01", "+1 212", "212.555.0142"] {
            assert_eq!(
                found_by(typed, &ada()),
                Some(MatchedBy::Phone),
                "{typed:?} is in +12125550142"
            );
        }
        assert_eq!(found_by("21", &ada()), None, "two digits are too few");
        assert_eq!(found_by("999", &ada()), None, "digits not in the number");
        let london = customer("Noah", "Williams", Some("+442079460958"), None);
        assert_eq!(
            found_by("020 7946", &london),
            Some(MatchedBy::Phone),
            "a national prefix finds the E.164 number"
        );
        assert_eq!(
            found_by("0044 20 7946", &london),
            Some(MatchedBy::Phone),
            "an international prefix too"
        );
    }

    #[test]
    fn c1_digits_among_words_are_not_a_phone_search() {
        assert_eq!(
            query_digits("ada 212"),
            None,
            "letters make it a name search"
        );
        assert_eq!(query_digits("007"), None, "leading zeros do not count");
        assert_eq!(
            query_digits("+1 (212) 555-0142"),
            Some("12125550142".into()),
            "the key SQL matches phone keys by"
        );
        assert_eq!(found_by("ada 212", &ada()), None, "nothing starts with it");
    }

    #[test]
    fn c1_emails_match_by_substring_ignoring_case() {
        for typed in ["lovelace@", "EXAMPLE.COM", "ada.l"] {
            assert!(
                CustomerSearch::new(typed).matches(&ada()),
                "{typed:?} is in the email"
            );
        }
        assert_eq!(
            found_by("@example", &ada()),
            Some(MatchedBy::Email),
            "found by email, not by name"
        );
        assert_eq!(
            found_by("ada@", &customer("Bo", "Li", None, None)),
            None,
            "a customer without email"
        );
    }

    #[test]
    fn c1_an_empty_query_lists_everyone() {
        let query = CustomerSearch::new("   ");
        assert!(query.is_empty(), "spaces only");
        assert!(query.matches(&ada()), "every customer is listed");
        let punctuation = CustomerSearch::new("-");
        assert!(
            !punctuation.matches(&ada()),
            "a query of punctuation is not empty and finds no name"
        );
    }

    #[test]
    fn a2_without_sensitive_data_only_a_full_phone_or_email_finds_a_customer() {
        let masked = crate::api::Role::Seasonal.permissions();
        let ada = ada();
        for typed in [
            "+12125550142",
            "+1 (212) 555-0142",
            "(212) 555-0142",
            "212.555.0142",
        ] {
            assert_eq!(
                CustomerSearch::new(typed).matched_by_in_full(&ada),
                Some(MatchedBy::Phone),
                "the full number {typed:?} finds Ada"
            );
            assert!(
                CustomerSearch::new(typed).finds_for(&ada, masked),
                "{typed:?} finds Ada for seasonal staff"
            );
        }
        for fragment in ["0142", "555", "555 0142", "2125550"] {
            assert!(
                !CustomerSearch::new(fragment).finds_for(&ada, masked),
                "the fragment {fragment:?} does not find Ada behind the mask"
            );
            assert!(
                CustomerSearch::new(fragment).finds_for(&ada, Permissions::all()),
                "the fragment {fragment:?} finds Ada with view_sensitive_data"
            );
        }
        assert!(
            CustomerSearch::new("ADA.lovelace@example.com").finds_for(&ada, masked),
            "the whole email, in any case, finds Ada"
        );
        assert!(
            !CustomerSearch::new("lovelace@example.com").finds_for(&ada, masked)
                && !CustomerSearch::new("@example.com").finds_for(&ada, masked),
            "part of the email does not"
        );
        assert!(
            CustomerSearch::new("ada lov").finds_for(&ada, masked),
            "names are not sensitive: they match as for everyone"
        );
    }

    #[test]
    fn a2_a_national_number_finds_an_international_customer_in_full_only() {
        let london = customer("Noah", "Williams", Some("+442079460958"), None);
        let query = |typed: &str| CustomerSearch::new(typed).matched_by_in_full(&london);
        assert_eq!(
            query("020 7946 0958"),
            Some(MatchedBy::Phone),
            "the national number with its trunk zero"
        );
        assert_eq!(
            query("0044 20 7946 0958"),
            Some(MatchedBy::Phone),
            "the international number dialled with 00"
        );
        assert_eq!(query("7946 0958"), None, "a part of it does not");
    }

    #[test]
    fn a2_a_whole_phone_number_or_email_is_told_from_a_fragment() {
        for whole in [
            "+1 212 555 0142",
            "(212) 555-0142",
            "0044 20 7946 0958",
            "ada.lovelace@example.com",
            " Ada@Example.co.uk ",
        ] {
            assert!(
                CustomerSearch::new(whole).is_full_phone_or_email(),
                "{whole:?} is typed in full"
            );
        }
        for fragment in [
            "0142",
            "555 01",
            "ada",
            "ada@",
            "ada@example",
            "@example.com",
            "Ada Lovelace",
        ] {
            assert!(
                !CustomerSearch::new(fragment).is_full_phone_or_email(),
                "{fragment:?} is a fragment or a name"
            );
        }
    }
}
