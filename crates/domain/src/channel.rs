//! Messaging channels and the rule for which channels a store may enable (M1).

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::phone::{PhoneError, PhoneNumber};

/// A messaging channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Text messages to the customer's phone number.
    Sms,
    /// WhatsApp Business, from the store's clienteling number.
    Whatsapp,
    /// Email to the customer's address.
    Email,
}

impl Channel {
    /// Every channel, in the order the UI lists them.
    pub const ALL: [Channel; 3] = [Channel::Sms, Channel::Whatsapp, Channel::Email];

    /// Stable lower-case name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Whatsapp => "whatsapp",
            Channel::Email => "email",
        }
    }

    /// Parses the stable name back.
    pub fn parse(value: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == value)
    }

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Sms => "SMS",
            Channel::Whatsapp => "WhatsApp",
            Channel::Email => "Email",
        }
    }

    /// Whether messages on this channel report a "read" status (WhatsApp only).
    pub fn reports_read(self) -> bool {
        matches!(self, Channel::Whatsapp)
    }

    /// Whether this channel has the 24-hour service window (WhatsApp only).
    pub fn has_service_window(self) -> bool {
        matches!(self, Channel::Whatsapp)
    }

    /// Whether this channel writes to the customer's phone number (SMS, WhatsApp) rather
    /// than to their email address.
    pub fn writes_to_phone(self) -> bool {
        matches!(self, Channel::Sms | Channel::Whatsapp)
    }
}

/// The channels of a store (`store_channels`, its M1 set-up) on which a customer with
/// these contacts can be written to (C2): SMS and WhatsApp need their phone, email their
/// address; in the store's order.
pub fn reachable_channels(
    store_channels: &[Channel],
    has_phone: bool,
    has_email: bool,
) -> Vec<Channel> {
    store_channels
        .iter()
        .copied()
        .filter(|channel| {
            if channel.writes_to_phone() {
                has_phone
            } else {
                has_email
            }
        })
        .collect()
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a store's channel set is not allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChannelSetupError {
    /// WhatsApp rides on the SMS number, so it needs SMS (M1).
    #[error("WhatsApp can only be enabled where SMS is configured")]
    WhatsappWithoutSms,
    /// SMS and WhatsApp need the store's clienteling number.
    #[error("SMS and WhatsApp need the store's clienteling phone number")]
    MissingNumber,
    /// The clienteling number is not a phone number.
    #[error("the clienteling number is not valid: {0}")]
    InvalidNumber(#[from] PhoneError),
}

/// Checks a store's channels against the M1 rules.
pub fn validate_store_channels(
    channels: &[Channel],
    clienteling_number: Option<&str>,
) -> Result<(), ChannelSetupError> {
    let has = |c: Channel| channels.contains(&c);
    if has(Channel::Whatsapp) && !has(Channel::Sms) {
        return Err(ChannelSetupError::WhatsappWithoutSms);
    }
    if (has(Channel::Sms) || has(Channel::Whatsapp)) && clienteling_number.is_none() {
        return Err(ChannelSetupError::MissingNumber);
    }
    Ok(())
}

/// A store's channels and clienteling number that passed the M1 rules: the only form in
/// which the backend stores them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelSetup {
    channels: Vec<Channel>,
    clienteling_number: Option<PhoneNumber>,
}

impl ChannelSetup {
    /// Checks a set-up against [`validate_store_channels`] and normalizes it: the channels
    /// in display order ([`Channel::ALL`]) without repeats, the number in E.164 (a blank
    /// number is no number).
    pub fn new(
        channels: &[Channel],
        clienteling_number: Option<&str>,
    ) -> Result<ChannelSetup, ChannelSetupError> {
        let clienteling_number = clienteling_number
            .map(str::trim)
            .filter(|number| !number.is_empty())
            .map(PhoneNumber::parse)
            .transpose()?;
        let channels: Vec<Channel> = Channel::ALL
            .into_iter()
            .filter(|channel| channels.contains(channel))
            .collect();
        validate_store_channels(
            &channels,
            clienteling_number.as_ref().map(PhoneNumber::as_str),
        )?;
        Ok(ChannelSetup {
            channels,
            clienteling_number,
        })
    }

    /// The enabled channels, in display order.
    pub fn channels(&self) -> &[Channel] {
        &self.channels
    }

    /// The store's clienteling number (SMS and WhatsApp send from it), in E.164.
    pub fn clienteling_number(&self) -> Option<&str> {
        self.clienteling_number.as_ref().map(PhoneNumber::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c2_a_customer_is_reachable_on_the_store_channels_they_have_a_contact_for() {
        let all = [Channel::Sms, Channel::Whatsapp, Channel::Email];
        assert_eq!(
            reachable_channels(&all, true, false),
            vec![Channel::Sms, Channel::Whatsapp],
            "a phone alone reaches SMS and WhatsApp, not email"
        );
        assert_eq!(
            reachable_channels(&all, false, true),
            vec![Channel::Email],
            "an email alone reaches email only"
        );
        assert_eq!(
            reachable_channels(&[Channel::Email], true, false),
            Vec::<Channel>::new(),
            "a store with email only cannot reach a customer who has only a phone"
        );
    }

    #[test]
    fn m1_whatsapp_needs_sms_on_the_same_number() {
        assert_eq!(
            validate_store_channels(&[Channel::Whatsapp], Some("+12125550100")),
            Err(ChannelSetupError::WhatsappWithoutSms),
            "WhatsApp alone is refused because it shares the SMS number"
        );
        assert_eq!(
            validate_store_channels(&[Channel::Sms, Channel::Whatsapp], Some("+12125550100")),
            Ok(()),
            "SMS plus WhatsApp on one number is the normal setup"
        );
        assert_eq!(
            validate_store_channels(&[Channel::Sms], None),
            Err(ChannelSetupError::MissingNumber),
            "SMS without a clienteling number cannot send"
        );
        assert_eq!(
            validate_store_channels(&[Channel::Email], None),
            Ok(()),
            "email needs no phone number"
        );
    }

    #[test]
    fn m1_channel_setup_normalizes_what_the_rules_allow() {
        let setup = ChannelSetup::new(
            &[
                Channel::Email,
                Channel::Whatsapp,
                Channel::Sms,
                Channel::Sms,
            ],
            Some(" +1 (212) 555-0100 "),
        )
        .expect("SMS, WhatsApp and email on one number are allowed");
        assert_eq!(
            setup.channels(),
            &[Channel::Sms, Channel::Whatsapp, Channel::Email],
            "channels are kept once each, in display order"
        );
        assert_eq!(
            setup.clienteling_number(),
            Some("+12125550100"),
            "the number is stored in E.164"
        );
        assert_eq!(
            ChannelSetup::new(&[Channel::Whatsapp, Channel::Email], Some("+12125550100")),
            Err(ChannelSetupError::WhatsappWithoutSms),
            "WhatsApp without SMS is refused however it is listed"
        );
        assert_eq!(
            ChannelSetup::new(&[Channel::Sms], Some("  ")),
            Err(ChannelSetupError::MissingNumber),
            "a blank number is no number"
        );
        assert_eq!(
            ChannelSetup::new(&[Channel::Sms], Some("212 555 0100")),
            Err(ChannelSetupError::InvalidNumber(
                PhoneError::MissingCountryCode
            )),
            "the number must be a real E.164 number"
        );
        let email_only = ChannelSetup::new(&[Channel::Email], None).expect("email alone is fine");
        assert_eq!(
            email_only.clienteling_number(),
            None,
            "an email-only store needs no number"
        );
    }

    #[test]
    fn channel_names_round_trip() {
        for c in Channel::ALL {
            assert_eq!(
                Channel::parse(c.as_str()),
                Some(c),
                "the stored name must parse back"
            );
        }
        assert_eq!(Channel::parse("fax"), None, "unknown channels are refused");
    }
}
