//! The small states of customer attributes on screen (C5, C15): a value being edited on
//! the profile, checked by the domain's rule before it is sent, and a clientbook filter
//! being built from the filter bar's fields into a condition the listing takes.

use clienteling_domain::attribute::{
    validate, validate_choices, AttributeCondition, AttributeDefinition, AttributeFilter,
    AttributeType, AttributeValue, Comparison, Date,
};

/// What is typed in a value editor: text for dates, numbers, yes/no and text; the options
/// ticked for a choice.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValueDraft {
    /// The typed value.
    pub raw: String,
    /// The options ticked.
    pub picked: Vec<String>,
}

impl ValueDraft {
    /// The editor's starting point for the stored value.
    pub fn from_value(value: Option<&AttributeValue>) -> Self {
        match value {
            Some(AttributeValue::Choices(picked)) => Self {
                raw: String::new(),
                picked: picked.clone(),
            },
            Some(AttributeValue::Boolean(true)) => Self {
                raw: "yes".into(),
                picked: Vec::new(),
            },
            Some(AttributeValue::Boolean(false)) => Self {
                raw: "no".into(),
                picked: Vec::new(),
            },
            Some(other) => Self {
                raw: other.display(),
                picked: Vec::new(),
            },
            None => Self::default(),
        }
    }

    /// Ticks or unticks an option; a single choice keeps only the last one ticked.
    pub fn toggle(&mut self, option: &str, multiple: bool) {
        if let Some(at) = self.picked.iter().position(|p| p == option) {
            self.picked.remove(at);
        } else if multiple {
            self.picked.push(option.to_owned());
        } else {
            self.picked = vec![option.to_owned()];
        }
    }

    /// The value to send, or the rule's message to show before sending.
    pub fn value(&self, definition: &AttributeDefinition) -> Result<AttributeValue, String> {
        match definition.kind {
            AttributeType::Choice { .. } => validate_choices(definition, &self.picked),
            _ => validate(definition, &self.raw),
        }
        .map_err(|error| error.to_string())
    }
}

/// The filter bar's fields: the attribute, the comparison (numbers), the value (or the
/// first day of a range), the last day of a range, and the options ticked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilterDraft {
    /// The attribute's key.
    pub key: String,
    /// The comparison's name ("lt", "ge"…), for numbers.
    pub op: String,
    /// The value typed, or a range's first day.
    pub value: String,
    /// A range's last day.
    pub to: String,
    /// The options ticked.
    pub picked: Vec<String>,
}

impl FilterDraft {
    /// The condition the fields make for `definition`, or what is wrong with them.
    pub fn condition(
        &self,
        definition: &AttributeDefinition,
    ) -> Result<AttributeCondition, String> {
        let label = &definition.label;
        let day = |text: &str| -> Result<Option<Date>, String> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            Date::parse(text)
                .map(Some)
                .map_err(|reason| format!("{label}: {reason}"))
        };
        let filter = match &definition.kind {
            AttributeType::Date => {
                let (from, to) = (day(&self.value)?, day(&self.to)?);
                if from.is_none() && to.is_none() {
                    return Err(format!("{label}: give a first day, a last day or both"));
                }
                AttributeFilter::DateRange { from, to }
            }
            AttributeType::Number => match validate(definition, &self.value) {
                Ok(AttributeValue::Number(value)) => AttributeFilter::NumberCompare {
                    op: Comparison::parse(&self.op).unwrap_or(Comparison::Ge),
                    value,
                },
                Ok(_) => return Err(format!("{label} must be a number, e.g. 42 or 9.5")),
                Err(error) => return Err(error.to_string()),
            },
            AttributeType::Boolean => match validate(definition, &self.value) {
                Ok(AttributeValue::Boolean(wanted)) => AttributeFilter::Boolean(wanted),
                Ok(_) => return Err(format!("{label} must be yes or no")),
                Err(error) => return Err(error.to_string()),
            },
            AttributeType::Text if self.value.trim().is_empty() => {
                return Err(format!("{label}: type the text to look for"));
            }
            AttributeType::Text => AttributeFilter::TextContains(self.value.trim().to_owned()),
            AttributeType::Choice { .. } if self.picked.is_empty() => {
                return Err(format!("{label}: tick at least one option"));
            }
            AttributeType::Choice { .. } => AttributeFilter::AnyOf(self.picked.clone()),
        };
        filter
            .check(definition)
            .map_err(|error| error.to_string())?;
        Ok(AttributeCondition {
            key: definition.key.clone(),
            filter,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn definition(kind: AttributeType) -> AttributeDefinition {
        AttributeDefinition {
            key: "k".into(),
            label: "Visits".into(),
            kind,
            filterable: true,
            editable: true,
            listed: false,
        }
    }

    #[test]
    fn c15_the_editor_checks_a_value_by_the_domain_rule_before_sending() {
        let visits = definition(AttributeType::Number);
        let draft = ValueDraft {
            raw: "twelve".into(),
            picked: Vec::new(),
        };
        assert_eq!(
            draft.value(&visits),
            Err("Visits must be a number, e.g. 42 or 9.5".into()),
            "the rule's message shows before anything is sent"
        );
        let colours = definition(AttributeType::Choice {
            options: vec!["Red".into(), "Navy".into()],
            multiple: false,
        });
        let mut draft = ValueDraft::from_value(Some(&AttributeValue::Choices(vec!["Red".into()])));
        draft.toggle("Navy", false);
        assert_eq!(
            draft.value(&colours),
            Ok(AttributeValue::Choices(vec!["Navy".into()])),
            "a single choice keeps the option ticked last"
        );
        assert_eq!(
            ValueDraft::from_value(Some(&AttributeValue::Boolean(false))).raw,
            "no",
            "a boolean starts from its stored value"
        );
    }

    #[test]
    fn c5_the_filter_bar_builds_a_condition_by_the_attribute_type() {
        let visits = definition(AttributeType::Number);
        let draft = FilterDraft {
            key: "k".into(),
            op: "lt".into(),
            value: "3".into(),
            ..FilterDraft::default()
        };
        assert_eq!(
            draft.condition(&visits).map(|c| c.filter),
            Ok(AttributeFilter::NumberCompare {
                op: Comparison::Lt,
                value: 3.0
            }),
            "a number comparison"
        );
        let birthday = definition(AttributeType::Date);
        let range = FilterDraft {
            value: "1990-01-01".into(),
            ..FilterDraft::default()
        };
        assert!(
            matches!(
                range.condition(&birthday).map(|c| c.filter),
                Ok(AttributeFilter::DateRange {
                    from: Some(_),
                    to: None
                })
            ),
            "an open-ended date range"
        );
        assert_eq!(
            FilterDraft::default().condition(&birthday),
            Err("Visits: give a first day, a last day or both".into()),
            "a range needs an end"
        );
        let hidden = AttributeDefinition {
            filterable: false,
            ..definition(AttributeType::Text)
        };
        let text = FilterDraft {
            value: "dior".into(),
            ..FilterDraft::default()
        };
        assert_eq!(
            text.condition(&hidden),
            Err("Visits is not a filter".into()),
            "only filterable attributes filter"
        );
    }
}
