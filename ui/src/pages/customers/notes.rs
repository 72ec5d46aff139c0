//! The notes section of a customer's profile (C9): the notes, pinned first then newest,
//! with author and time; a text box to add one (Save, or Ctrl/Cmd+Enter); Edit and Delete
//! (after a confirmation) on my own notes only; a pin toggle on every note; "Saving…" on
//! what waits for the backend. It rereads the notes when the core reports they changed.

use clienteling_domain::note::Note;
use clienteling_domain::{ApiError, CustomerId, NoteId, StaffId, Timestamp};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::hooks::use_store;
use crate::ipc;
use crate::state::notes::{rows, saves, NoteEditing, NoteRow};

/// Props of [`NotesSection`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct NotesSectionProps {
    /// Whose notes.
    pub customer_id: CustomerId,
    /// The notes as the profile read them.
    pub notes: Vec<Note>,
    /// Those waiting for the backend.
    pub unsaved: Vec<NoteId>,
    /// The signed-in staff member.
    pub me: StaffId,
    /// Now, for the notes' times.
    pub now: Timestamp,
}

/// The notes as last read, and those waiting for the backend.
type Shown = (Vec<Note>, Vec<NoteId>);

/// The notes section.
#[component]
pub fn NotesSection(props: &NotesSectionProps) -> Html {
    let store = use_store();
    let shown = use_state(|| (props.notes.clone(), props.unsaved.clone()));
    let draft = use_state(String::new);
    let editing = use_state(NoteEditing::default);
    let error = use_state(|| None::<ApiError>);
    let revision = store.note_revisions.of(&props.customer_id);
    {
        let shown = shown.clone();
        let editing = editing.clone();
        let me = props.me.clone();
        use_effect_with(
            (props.customer_id.clone(), revision),
            move |(customer_id, _)| {
                let customer_id = customer_id.clone();
                spawn_local(async move {
                    if let Ok(profile) = ipc::show_customer(&customer_id).await {
                        let refreshed = rows(&profile.notes, &profile.unsaved_note_ids, &me);
                        editing.set((*editing).clone().keep_if_present(&refreshed));
                        shown.set((profile.notes, profile.unsaved_note_ids));
                    }
                });
            },
        );
    }
    let (notes, unsaved): &Shown = &shown;
    let listed = rows(notes, unsaved, &props.me);

    let add = {
        let draft = draft.clone();
        let error = error.clone();
        let customer_id = props.customer_id.clone();
        Callback::from(move |()| {
            let text = (*draft).clone();
            if text.trim().is_empty() {
                return;
            }
            let draft = draft.clone();
            let error = error.clone();
            let customer_id = customer_id.clone();
            spawn_local(async move {
                match ipc::add_note(&customer_id, &text).await {
                    Ok(_) => {
                        draft.set(String::new());
                        error.set(None);
                    }
                    Err(refused) => error.set(Some(refused)),
                }
            });
        })
    };
    let on_add_input = {
        let draft = draft.clone();
        Callback::from(move |event: InputEvent| {
            draft.set(event.target_unchecked_into::<HtmlTextAreaElement>().value());
        })
    };
    let on_add_keydown = {
        let add = add.clone();
        Callback::from(move |event: KeyboardEvent| {
            if saves(&event.key(), event.ctrl_key(), event.meta_key()) {
                event.prevent_default();
                add.emit(());
            }
        })
    };
    let on_add_click = Callback::from(move |_: MouseEvent| add.emit(()));
    let handlers = Handlers {
        editing: editing.clone(),
        error: error.clone(),
    };

    html! {
        <section class="profile__section notes" aria-label="Notes" data-test="notes">
            <h2 class="profile__section-title">{ "Notes" }</h2>
            <div class="notes__add">
                <textarea class="notes__input" rows="2" placeholder="Add a note: preferences, sizes, feedback…"
                    aria-label="New note" data-test="add-note-input"
                    value={(*draft).clone()} oninput={on_add_input} onkeydown={on_add_keydown} />
                <button type="button" class="button" data-test="add-note-save"
                    disabled={draft.trim().is_empty()} onclick={on_add_click}>{ "Save" }</button>
            </div>
            if let Some(refused) = &*error {
                <p class="error-box notes__error" role="alert" data-test="notes-error">{ refused.message.clone() }</p>
            }
            if listed.is_empty() {
                <p class="muted" data-test="notes-empty">{ "No notes yet" }</p>
            } else {
                <ul class="notes__list">
                    { for listed.iter().map(|row| note_row(row, &editing, &handlers, props.now)) }
                </ul>
            }
        </section>
    }
}

/// What a note's buttons change.
#[derive(Clone)]
struct Handlers {
    editing: UseStateHandle<NoteEditing>,
    error: UseStateHandle<Option<ApiError>>,
}

impl Handlers {
    /// Runs a note command; a refusal shows in the section, success ends the editing.
    fn run<F>(&self, command: F)
    where
        F: std::future::Future<Output = Result<(), ApiError>> + 'static,
    {
        let editing = self.editing.clone();
        let error = self.error.clone();
        spawn_local(async move {
            match command.await {
                Ok(()) => {
                    editing.set(NoteEditing::Reading);
                    error.set(None);
                }
                Err(refused) => error.set(Some(refused)),
            }
        });
    }
}

fn note_row(row: &NoteRow, editing: &NoteEditing, handlers: &Handlers, now: Timestamp) -> Html {
    let note = &row.note;
    let id = note.id.clone();
    let pin = {
        let handlers = handlers.clone();
        let id = id.clone();
        let pinned = note.pinned;
        Callback::from(move |_: MouseEvent| {
            let id = id.clone();
            handlers.run(async move { ipc::pin_note(&id, !pinned).await });
        })
    };
    let pin_label = if note.pinned { "Unpin" } else { "Pin" };
    let body = match editing.draft_of(&id) {
        Some(draft) => edit_box(row, draft, handlers),
        None => html! { <p class="notes__body" data-test="note-body">{ note.body.clone() }</p> },
    };
    let actions = if editing.confirms_delete_of(&id) {
        let confirm = {
            let handlers = handlers.clone();
            let id = id.clone();
            Callback::from(move |_: MouseEvent| {
                let id = id.clone();
                handlers.run(async move { ipc::delete_note(&id).await });
            })
        };
        let cancel = {
            let editing = handlers.editing.clone();
            Callback::from(move |_: MouseEvent| editing.set(NoteEditing::Reading))
        };
        html! {
            <span class="notes__confirm" role="group" aria-label="Delete this note?">
                <span>{ "Delete this note?" }</span>
                <button type="button" class="button button--danger" data-test="note-delete-confirm" onclick={confirm}>{ "Delete" }</button>
                <button type="button" class="button button--quiet" onclick={cancel}>{ "Cancel" }</button>
            </span>
        }
    } else {
        let mine = row.mine.then(|| {
            let edit = {
                let editing = handlers.editing.clone();
                let row = row.clone();
                Callback::from(move |_: MouseEvent| editing.set(NoteEditing::edit(&row)))
            };
            let delete = {
                let editing = handlers.editing.clone();
                let row = row.clone();
                Callback::from(move |_: MouseEvent| editing.set(NoteEditing::delete(&row)))
            };
            html! {
                <>
                    <button type="button" class="button button--quiet" data-test="note-edit" onclick={edit}>{ "Edit" }</button>
                    <button type="button" class="button button--quiet" data-test="note-delete" onclick={delete}>{ "Delete" }</button>
                </>
            }
        });
        html! {
            <span class="notes__actions">
                <button type="button" class="button button--quiet" data-test="note-pin"
                    aria-pressed={note.pinned.to_string()} onclick={pin}>{ pin_label }</button>
                { for mine }
            </span>
        }
    };
    html! {
        <li class={classes!("notes__note", note.pinned.then_some("notes__note--pinned"))}
            data-test="note" data-note-id={id.to_string()}>
            <div class="notes__meta">
                if note.pinned {
                    <span class="tag notes__pinned" data-test="note-pinned">{ "📌 Pinned" }</span>
                }
                <span class="notes__author" data-test="note-author">{ note.author_name.clone() }</span>
                <span class="muted notes__time">{ note.created_at.relative_label(now) }</span>
                if row.saving {
                    <span class="muted notes__saving" data-test="note-saving">{ "Saving…" }</span>
                }
            </div>
            { body }
            { actions }
        </li>
    }
}

fn edit_box(row: &NoteRow, draft: &str, handlers: &Handlers) -> Html {
    let id = row.note.id.clone();
    let save = {
        let handlers = handlers.clone();
        let editing = handlers.editing.clone();
        let id = id.clone();
        Callback::from(move |()| {
            let Some(text) = editing.draft_of(&id).map(str::to_owned) else {
                return;
            };
            let id = id.clone();
            handlers.run(async move { ipc::edit_note(&id, &text).await.map(drop) });
        })
    };
    let on_input = {
        let editing = handlers.editing.clone();
        let id = id.clone();
        Callback::from(move |event: InputEvent| {
            let draft = event.target_unchecked_into::<HtmlTextAreaElement>().value();
            editing.set(NoteEditing::Text {
                id: id.clone(),
                draft,
            });
        })
    };
    let on_keydown = {
        let save = save.clone();
        let editing = handlers.editing.clone();
        Callback::from(move |event: KeyboardEvent| {
            if saves(&event.key(), event.ctrl_key(), event.meta_key()) {
                event.prevent_default();
                save.emit(());
            } else if event.key() == "Escape" {
                // Escape leaves the editing, not the profile.
                event.prevent_default();
                event.stop_propagation();
                editing.set(NoteEditing::Reading);
            }
        })
    };
    let on_save = Callback::from(move |_: MouseEvent| save.emit(()));
    let cancel = {
        let editing = handlers.editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(NoteEditing::Reading))
    };
    html! {
        <div class="notes__edit">
            <textarea class="notes__input" rows="3" aria-label="Note" data-test="note-edit-input"
                value={draft.to_owned()} oninput={on_input} onkeydown={on_keydown} />
            <span class="notes__actions">
                <button type="button" class="button" data-test="note-edit-save"
                    disabled={draft.trim().is_empty()} onclick={on_save}>{ "Save" }</button>
                <button type="button" class="button button--quiet" onclick={cancel}>{ "Cancel" }</button>
            </span>
        </div>
    }
}
