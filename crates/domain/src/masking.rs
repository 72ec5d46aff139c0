//! Masking of sensitive data (A2): what staff without `view_sensitive_data` see instead of
//! a customer's phone number and email address.
//!
//! A masked value shows a fixed run of dots whatever the length hidden, so it reveals no
//! more than the country code and last four digits of a phone, or the first character and
//! the domain of an email.

/// What stands for the hidden part.
const HIDDEN: &str = "•••";

/// The most digits a masked phone shows at its end.
const VISIBLE_DIGITS: usize = 4;

/// Masks a phone number: "+12125550142" becomes "+1 ••• ••• 0142".
///
/// The country calling code stays (when the input starts with `+`), and so do the last
/// four digits, but never more than half of the digits after the country code, so a short
/// number is not given away. Anything without digits masks to "•••". A phone already
/// masked (by the backend, for staff without `view_sensitive_data`) stays as it is.
pub fn mask_phone(phone: &str) -> String {
    if phone.contains(HIDDEN) {
        return phone.to_owned();
    }
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return HIDDEN.to_owned();
    }
    let (prefix, national) = if phone.trim_start().starts_with('+') {
        let code = country_calling_code(&digits);
        (format!("+{code} "), &digits[code.len()..])
    } else {
        (String::new(), digits.as_str())
    };
    let visible = VISIBLE_DIGITS.min(national.len() / 2);
    let tail = &national[national.len() - visible..];
    if tail.is_empty() {
        format!("{prefix}{HIDDEN} {HIDDEN}")
    } else {
        format!("{prefix}{HIDDEN} {HIDDEN} {tail}")
    }
}

/// Masks an email address: "ada@example.com" becomes "a•••@example.com".
///
/// The domain stays; of the local part only the first character, and only when it has at
/// least three (a shorter one would be given away). Anything without `@` masks to "•••".
/// An email already masked stays as it is.
pub fn mask_email(email: &str) -> String {
    if email.contains(HIDDEN) {
        return email.to_owned();
    }
    let Some((local, domain)) = email.trim().rsplit_once('@') else {
        return HIDDEN.to_owned();
    };
    let first = match local.chars().next() {
        Some(first) if local.chars().count() >= 3 => first.to_string(),
        _ => String::new(),
    };
    format!("{first}{HIDDEN}@{domain}")
}

/// The ITU country calling code at the start of an international number's digits (without
/// the `+`): one digit for 1 and 7, two for the codes listed below, three for the rest.
/// Country calling codes are prefix-free, so the first match is the code.
pub fn country_calling_code(digits: &str) -> &str {
    const TWO_DIGIT: [&str; 44] = [
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
        "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
        "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    ];
    let length = if digits.starts_with('1') || digits.starts_with('7') {
        1
    } else if TWO_DIGIT.iter().any(|code| digits.starts_with(code)) {
        2
    } else {
        3
    };
    &digits[..length.min(digits.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a2_a_masked_phone_keeps_the_country_code_and_last_four_digits() {
        assert_eq!(
            mask_phone("+12125550142"),
            "+1 ••• ••• 0142",
            "US: +1 and the last four"
        );
        assert_eq!(
            mask_phone("+442079460958"),
            "+44 ••• ••• 0958",
            "GB: +44 and the last four"
        );
        assert_eq!(
            mask_phone("+971501234567"),
            "+971 ••• ••• 4567",
            "a three-digit country code stays whole"
        );
        assert_eq!(
            mask_phone("+1 (212) 555-0142"),
            "+1 ••• ••• 0142",
            "typed formatting does not matter"
        );
    }

    #[test]
    fn a2_a_masked_phone_does_not_reveal_its_length() {
        assert_eq!(
            mask_phone("+4930123456789"),
            mask_phone("+49301236789"),
            "a longer and a shorter German number ending alike mask alike"
        );
        assert_eq!(
            mask_phone("+4930123456789"),
            "+49 ••• ••• 6789",
            "always the same six dots"
        );
    }

    #[test]
    fn a2_short_or_odd_phones_reveal_no_more_than_half_their_digits() {
        assert_eq!(
            mask_phone("+1234567"),
            "+1 ••• ••• 567",
            "six national digits show three"
        );
        assert_eq!(
            mask_phone("+12"),
            "+1 ••• •••",
            "one national digit shows none"
        );
        assert_eq!(
            mask_phone("2125550142"),
            "••• ••• 0142",
            "without + no country code is guessed"
        );
        assert_eq!(mask_phone(""), "•••", "empty");
        assert_eq!(mask_phone("call me"), "•••", "no digits");
    }

    #[test]
    fn a2_a_masked_email_keeps_the_first_character_and_the_domain() {
        assert_eq!(
            mask_email("ada@example.com"),
            "a•••@example.com",
            "first character and domain"
        );
        assert_eq!(
            mask_email(" Émile.Zola@example.fr "),
            "É•••@example.fr",
            "the first character, not the first byte"
        );
        assert_eq!(
            mask_email("\"a@b\"@example.com"),
            "\"•••@example.com",
            "the domain is after the last @"
        );
    }

    #[test]
    fn a2_short_or_odd_emails_are_fully_hidden_before_the_at() {
        assert_eq!(
            mask_email("al@example.com"),
            "•••@example.com",
            "a two-letter local part would be half given away"
        );
        assert_eq!(
            mask_email("@example.com"),
            "•••@example.com",
            "empty local part"
        );
        assert_eq!(mask_email("not an email"), "•••", "no @ at all");
    }

    #[test]
    fn a2_masking_a_masked_value_changes_nothing() {
        let phone = mask_phone("+12125550142");
        assert_eq!(
            mask_phone(&phone),
            phone,
            "a phone masked by the backend keeps its last four digits when masked again"
        );
        let email = mask_email("ada@example.com");
        assert_eq!(
            mask_email(&email),
            email,
            "an email masked by the backend keeps its first character"
        );
    }

    #[test]
    fn country_calling_codes_are_one_to_three_digits() {
        assert_eq!(country_calling_code("12125550142"), "1", "NANP");
        assert_eq!(
            country_calling_code("74951234567"),
            "7",
            "Russia and Kazakhstan"
        );
        assert_eq!(country_calling_code("442079460958"), "44", "United Kingdom");
        assert_eq!(country_calling_code("353861234567"), "353", "Ireland");
        assert_eq!(
            country_calling_code("35"),
            "35",
            "never longer than the input"
        );
    }
}
