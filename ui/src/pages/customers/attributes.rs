//! A profile section's attributes (C15): a table of name, type, value, who changed it and
//! when; with `edit_customers`, an editor by type (a date picker, a number, a yes/no
//! switch, text, the definition's options to tick) that shows the domain rule's message
//! before sending, then saves through the core's outbox (offline too); "Clear" removes a
//! value the same way.

use clienteling_domain::attribute::{AttributeDefinition, AttributeType};
use clienteling_domain::view::{AttributeRow, ProfileAttributes};
use clienteling_domain::{CustomerId, Timestamp};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::ipc;
use crate::state::attributes::ValueDraft;

/// Props of [`AttributeTable`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct AttributeTableProps {
    /// The customer.
    pub customer_id: CustomerId,
    /// The section's rows, in the layout's order.
    pub rows: Vec<AttributeRow>,
    /// The signed-in staff member may edit.
    pub can_edit: bool,
    /// Now, for "when".
    pub now: Timestamp,
    /// Called with the rows as they are after a save.
    pub on_saved: Callback<ProfileAttributes>,
}

/// How a type reads in the table.
fn type_label(kind: &AttributeType) -> &'static str {
    match kind {
        AttributeType::Date => "Date",
        AttributeType::Number => "Number",
        AttributeType::Boolean => "Yes / no",
        AttributeType::Text => "Text",
        AttributeType::Choice { multiple: true, .. } => "Options",
        AttributeType::Choice { .. } => "Option",
    }
}

/// The table of a section's attributes.
#[component]
pub fn AttributeTable(props: &AttributeTableProps) -> Html {
    let editing = use_state(|| None::<String>);
    html! {
        <table class="attributes">
            <thead>
                <tr><th>{ "Name" }</th><th>{ "Type" }</th><th>{ "Value" }</th><th>{ "Modified by" }</th><th>{ "When" }</th><th /></tr>
            </thead>
            <tbody>
                { for props.rows.iter().map(|row| {
                    let key = row.definition.key.clone();
                    let open = editing.as_deref() == Some(key.as_str());
                    let editable = props.can_edit && row.definition.editable;
                    let on_edit = {
                        let editing = editing.clone();
                        let key = key.clone();
                        Callback::from(move |_: MouseEvent| editing.set(Some(key.clone())))
                    };
                    let on_done = {
                        let editing = editing.clone();
                        let on_saved = props.on_saved.clone();
                        Callback::from(move |saved: Option<ProfileAttributes>| {
                            editing.set(None);
                            if let Some(saved) = saved {
                                on_saved.emit(saved);
                            }
                        })
                    };
                    let modified_by = row.value.as_ref().map_or_else(String::new, |v| {
                        v.modified_by_name.clone().unwrap_or_else(|| "Imported".into())
                    });
                    let when = row.value.as_ref().map_or_else(String::new, |v| v.modified_at.relative_label(props.now));
                    html! {
                        <tr class="attributes__row" data-test="attribute-row" data-attribute-key={key.clone()}>
                            <th scope="row">{ row.definition.label.clone() }</th>
                            <td class="muted">{ type_label(&row.definition.kind) }</td>
                            <td data-test="attribute-value">
                                if open {
                                    <AttributeEditor customer_id={props.customer_id.clone()}
                                        definition={row.definition.clone()}
                                        draft={ValueDraft::from_value(row.value.as_ref().map(|v| &v.value))}
                                        has_value={row.value.is_some()}
                                        on_done={on_done} />
                                } else {
                                    { row.value.as_ref().map_or_else(|| "—".to_owned(), |v| v.value.display()) }
                                    if row.pending {
                                        <span class="tag attributes__pending" title="Waiting to reach the backend">{ "Not sent yet" }</span>
                                    }
                                }
                            </td>
                            <td>{ modified_by }</td>
                            <td class="muted">{ when }</td>
                            <td>
                                if editable && !open {
                                    <button type="button" class="button button--quiet" data-test="attribute-edit"
                                        aria-label={format!("Edit {}", row.definition.label)} onclick={on_edit}>{ "Edit" }</button>
                                }
                            </td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

/// Props of [`AttributeEditor`].
#[derive(Debug, Clone, PartialEq, Properties)]
struct AttributeEditorProps {
    customer_id: CustomerId,
    definition: AttributeDefinition,
    draft: ValueDraft,
    /// The customer has a value to clear.
    has_value: bool,
    /// Called when the editor closes: with the saved rows, or none when cancelled.
    on_done: Callback<Option<ProfileAttributes>>,
}

/// An editor for one value, by its type.
#[component]
fn AttributeEditor(props: &AttributeEditorProps) -> Html {
    let draft = use_state(|| props.draft.clone());
    let error = use_state(|| None::<String>);
    let saving = use_state(|| false);
    let definition = &props.definition;
    let on_input = {
        let draft = draft.clone();
        let error = error.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            draft.set(ValueDraft {
                raw: input.value(),
                ..(*draft).clone()
            });
            error.set(None);
        })
    };
    let input = match &definition.kind {
        AttributeType::Date => html! {
            <input type="date" class="attributes__input" data-test="attribute-input"
                value={draft.raw.clone()} oninput={on_input} />
        },
        AttributeType::Number => html! {
            <input type="number" step="any" class="attributes__input" data-test="attribute-input"
                value={draft.raw.clone()} oninput={on_input} />
        },
        AttributeType::Text => html! {
            <input type="text" class="attributes__input" data-test="attribute-input" maxlength="500"
                value={draft.raw.clone()} oninput={on_input} />
        },
        AttributeType::Boolean => {
            let on = draft.raw == "yes";
            let onchange = {
                let draft = draft.clone();
                Callback::from(move |_: Event| {
                    draft.set(ValueDraft {
                        raw: if on { "no".into() } else { "yes".into() },
                        ..(*draft).clone()
                    });
                })
            };
            html! {
                <label class="switch">
                    <input type="checkbox" role="switch" data-test="attribute-input" checked={on} {onchange} />
                    <span>{ if on { "Yes" } else { "No" } }</span>
                </label>
            }
        }
        AttributeType::Choice { options, multiple } => html! {
            <span class="attributes__options">
                { for options.iter().map(|option| {
                    let ticked = draft.picked.contains(option);
                    let onchange = {
                        let draft = draft.clone();
                        let error = error.clone();
                        let option = option.clone();
                        let multiple = *multiple;
                        Callback::from(move |_: Event| {
                            let mut next = (*draft).clone();
                            next.toggle(&option, multiple);
                            draft.set(next);
                            error.set(None);
                        })
                    };
                    html! {
                        <label class="attributes__option">
                            <input type={if *multiple { "checkbox" } else { "radio" }} data-test="attribute-input"
                                value={option.clone()} checked={ticked} {onchange} />
                            { option.clone() }
                        </label>
                    }
                }) }
            </span>
        },
    };
    let on_save = {
        let draft = draft.clone();
        let error = error.clone();
        let saving = saving.clone();
        let definition = definition.clone();
        let customer_id = props.customer_id.clone();
        let on_done = props.on_done.clone();
        Callback::from(move |_: MouseEvent| {
            let value = match draft.value(&definition) {
                Ok(value) => value,
                Err(message) => {
                    error.set(Some(message));
                    return;
                }
            };
            saving.set(true);
            let (error, saving, on_done) = (error.clone(), saving.clone(), on_done.clone());
            let (customer_id, key) = (customer_id.clone(), definition.key.clone());
            spawn_local(async move {
                match ipc::set_attribute(&customer_id, &key, &value).await {
                    Ok(saved) => on_done.emit(Some(saved)),
                    Err(refused) => {
                        saving.set(false);
                        error.set(Some(refused.message));
                    }
                }
            });
        })
    };
    let on_clear = {
        let error = error.clone();
        let saving = saving.clone();
        let customer_id = props.customer_id.clone();
        let key = definition.key.clone();
        let on_done = props.on_done.clone();
        Callback::from(move |_: MouseEvent| {
            saving.set(true);
            let (error, saving, on_done) = (error.clone(), saving.clone(), on_done.clone());
            let (customer_id, key) = (customer_id.clone(), key.clone());
            spawn_local(async move {
                match ipc::clear_attribute(&customer_id, &key).await {
                    Ok(saved) => on_done.emit(Some(saved)),
                    Err(refused) => {
                        saving.set(false);
                        error.set(Some(refused.message));
                    }
                }
            });
        })
    };
    let on_cancel = {
        let on_done = props.on_done.clone();
        Callback::from(move |_: MouseEvent| on_done.emit(None))
    };
    html! {
        <span class="attributes__editor">
            { input }
            <button type="button" class="button" data-test="attribute-save" disabled={*saving} onclick={on_save}>{ "Save" }</button>
            if props.has_value {
                <button type="button" class="button button--quiet" data-test="attribute-clear"
                    disabled={*saving} onclick={on_clear}>{ "Clear" }</button>
            }
            <button type="button" class="button button--quiet" onclick={on_cancel}>{ "Cancel" }</button>
            if let Some(message) = &*error {
                <span class="attributes__error" role="alert" data-test="attribute-error">{ message.clone() }</span>
            }
        </span>
    }
}
