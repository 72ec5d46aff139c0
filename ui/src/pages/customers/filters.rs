//! The clientbook's filter bar (C5): filters built from the attributes the configuration
//! marks as filters, with the operators of their type (a date range, a number comparison,
//! yes or no, text containing, any of the options); a row of chips shows the active ones,
//! each removable, and "Clear filters" removes them all. Several filters combine (AND).

use clienteling_domain::attribute::{
    AttributeCondition, AttributeDefinition, AttributeType, Comparison,
};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::state::attributes::FilterDraft;

/// Props of [`FilterBar`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct FilterBarProps {
    /// The configured attributes (only the filterable ones are offered).
    pub definitions: Vec<AttributeDefinition>,
    /// The active filters.
    pub filters: Vec<AttributeCondition>,
    /// Called with the filters as they become.
    pub on_change: Callback<Vec<AttributeCondition>>,
}

/// The filter bar and its chips.
#[component]
pub fn FilterBar(props: &FilterBarProps) -> Html {
    let open = use_state(|| false);
    let draft = use_state(FilterDraft::default);
    let error = use_state(|| None::<String>);
    let filterable: Vec<&AttributeDefinition> =
        props.definitions.iter().filter(|d| d.filterable).collect();
    if filterable.is_empty() {
        return html! {};
    }
    let chosen = filterable
        .iter()
        .find(|d| d.key == draft.key)
        .copied()
        .or_else(|| filterable.first().copied());
    let label_of = |key: &str| {
        props
            .definitions
            .iter()
            .find(|d| d.key == key)
            .map_or_else(|| key.to_owned(), |d| d.label.clone())
    };
    let on_add = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let set_field = |apply: fn(&mut FilterDraft, String)| {
        let draft = draft.clone();
        let error = error.clone();
        Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            apply(&mut next, value);
            draft.set(next);
            error.set(None);
        })
    };
    let on_attribute = {
        let set = set_field(|d, key| {
            *d = FilterDraft {
                key,
                ..FilterDraft::default()
            }
        });
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            set.emit(select.value());
        })
    };
    let on_operator = {
        let set = set_field(|d, op| d.op = op);
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            set.emit(select.value());
        })
    };
    let on_value = {
        let set = set_field(|d, value| d.value = value);
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            set.emit(input.value());
        })
    };
    let on_value_change = {
        let set = set_field(|d, value| d.value = value);
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            set.emit(select.value());
        })
    };
    let on_to = {
        let set = set_field(|d, to| d.to = to);
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            set.emit(input.value());
        })
    };
    let on_apply = {
        let draft = draft.clone();
        let error = error.clone();
        let open = open.clone();
        let filters = props.filters.clone();
        let on_change = props.on_change.clone();
        let chosen = chosen.cloned();
        Callback::from(move |_: MouseEvent| {
            let Some(definition) = &chosen else {
                return;
            };
            match draft.condition(definition) {
                Ok(condition) => {
                    let mut next: Vec<AttributeCondition> = filters
                        .iter()
                        .filter(|c| c.key != condition.key)
                        .cloned()
                        .collect();
                    next.push(condition);
                    on_change.emit(next);
                    draft.set(FilterDraft::default());
                    open.set(false);
                }
                Err(message) => error.set(Some(message)),
            }
        })
    };
    let (operators, fields): (Html, Html) = match chosen.map(|d| &d.kind) {
        Some(AttributeType::Date) => (
            html! { <option value="between">{ "between" }</option> },
            html! {
                <>
                    <input type="date" data-test="filter-value" aria-label="First day" value={draft.value.clone()} oninput={on_value} />
                    <input type="date" data-test="filter-value-to" aria-label="Last day" value={draft.to.clone()} oninput={on_to} />
                </>
            },
        ),
        Some(AttributeType::Number) => (
            html! { <>{ for Comparison::ALL.iter().map(|c| html! {
                <option value={c.as_str()} selected={draft.op == c.as_str() || (draft.op.is_empty() && *c == Comparison::Ge)}>{ c.symbol() }</option>
            }) }</> },
            html! { <input type="number" step="any" data-test="filter-value" aria-label="Number" value={draft.value.clone()} oninput={on_value} /> },
        ),
        Some(AttributeType::Boolean) => (
            html! { <option value="is">{ "is" }</option> },
            html! {
                <select data-test="filter-value" aria-label="Yes or no" onchange={on_value_change}>
                    <option value="" selected={draft.value.is_empty()}>{ "—" }</option>
                    <option value="yes" selected={draft.value == "yes"}>{ "Yes" }</option>
                    <option value="no" selected={draft.value == "no"}>{ "No" }</option>
                </select>
            },
        ),
        Some(AttributeType::Text) => (
            html! { <option value="contains">{ "contains" }</option> },
            html! { <input type="text" data-test="filter-value" aria-label="Text" value={draft.value.clone()} oninput={on_value} /> },
        ),
        Some(AttributeType::Choice { options, .. }) => (
            html! { <option value="any_of">{ "any of" }</option> },
            html! { <>{ for options.iter().map(|option| {
                let ticked = draft.picked.contains(option);
                let onchange = {
                    let draft = draft.clone();
                    let error = error.clone();
                    let option = option.clone();
                    Callback::from(move |_: Event| {
                        let mut next = (*draft).clone();
                        if let Some(at) = next.picked.iter().position(|p| p == &option) {
                            next.picked.remove(at);
                        } else {
                            next.picked.push(option.clone());
                        }
                        draft.set(next);
                        error.set(None);
                    })
                };
                html! {
                    <label class="filters__option">
                        <input type="checkbox" data-test="filter-value" value={option.clone()} checked={ticked} {onchange} />
                        { option.clone() }
                    </label>
                }
            }) }</> },
        ),
        None => (html! {}, html! {}),
    };
    let on_clear = {
        let on_change = props.on_change.clone();
        Callback::from(move |_: MouseEvent| on_change.emit(Vec::new()))
    };
    html! {
        <div class="filters">
            <div class="filters__chips">
                { for props.filters.iter().map(|condition| {
                    let on_remove = {
                        let on_change = props.on_change.clone();
                        let rest: Vec<AttributeCondition> = props.filters.iter().filter(|c| c.key != condition.key).cloned().collect();
                        Callback::from(move |_: MouseEvent| on_change.emit(rest.clone()))
                    };
                    let text = condition.describe(&label_of(&condition.key));
                    html! {
                        <span class="chip" data-test="filter-chip" data-attribute-key={condition.key.clone()}>
                            { text.clone() }
                            <button type="button" class="chip__remove" aria-label={format!("Remove {text}")}
                                data-test="filter-chip-remove" onclick={on_remove}>{ "×" }</button>
                        </span>
                    }
                }) }
                <button type="button" class="button button--quiet" data-test="filter-add"
                    aria-expanded={open.to_string()} onclick={on_add}>{ "+ Filter" }</button>
                if !props.filters.is_empty() {
                    <button type="button" class="button button--quiet" data-test="filter-clear" onclick={on_clear}>{ "Clear filters" }</button>
                }
            </div>
            if *open {
                <div class="filters__form">
                    <select data-test="filter-attribute" aria-label="Attribute" onchange={on_attribute}>
                        { for filterable.iter().map(|d| html! {
                            <option value={d.key.clone()} selected={chosen.is_some_and(|c| c.key == d.key)}>{ d.label.clone() }</option>
                        }) }
                    </select>
                    <select data-test="filter-operator" aria-label="Operator" onchange={on_operator}>{ operators }</select>
                    { fields }
                    <button type="button" class="button" data-test="filter-apply" onclick={on_apply}>{ "Apply" }</button>
                    if let Some(message) = &*error {
                        <span class="filters__error" role="alert" data-test="filter-error">{ message.clone() }</span>
                    }
                </div>
            }
        </div>
    }
}
