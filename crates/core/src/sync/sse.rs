//! A parser for server-sent events (`text/event-stream`) fed with the raw chunks of an HTTP
//! body, which may split lines, fields and UTF-8 characters anywhere.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field, "message" when the event named none.
    pub event: String,
    /// The last `id:` seen on the stream so far.
    pub id: Option<String>,
    /// The `data:` lines joined with newlines.
    pub data: String,
}

/// Incremental parser state: the unfinished line and the event being built.
#[derive(Debug, Default)]
pub struct SseParser {
    line: Vec<u8>,
    after_cr: bool,
    event: Option<String>,
    data: Option<String>,
    last_id: Option<String>,
}

impl SseParser {
    /// A parser at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next chunk of the body and returns the events it completed.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        let mut events = Vec::new();
        for &byte in chunk {
            if std::mem::take(&mut self.after_cr) && byte == b'\n' {
                continue;
            }
            match byte {
                b'\n' => self.end_line(&mut events),
                b'\r' => {
                    self.end_line(&mut events);
                    self.after_cr = true;
                }
                _ => self.line.push(byte),
            }
        }
        events
    }

    fn end_line(&mut self, events: &mut Vec<SseEvent>) {
        let raw = std::mem::take(&mut self.line);
        let line = String::from_utf8_lossy(&raw);
        if line.is_empty() {
            self.dispatch(events);
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "event" => self.event = Some(value.to_owned()),
            "data" => match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_owned()),
            },
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            _ => {}
        }
    }

    fn dispatch(&mut self, events: &mut Vec<SseEvent>) {
        let event = self.event.take();
        if let Some(data) = self.data.take() {
            events.push(SseEvent {
                event: event
                    .filter(|name| !name.is_empty())
                    .unwrap_or_else(|| "message".to_owned()),
                id: self.last_id.clone(),
                data,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut parser = SseParser::new();
        chunks.iter().flat_map(|chunk| parser.push(chunk)).collect()
    }

    #[test]
    fn b2_a_change_event_carries_its_name_id_and_data() {
        let events = parse_all(&[b"event: change\nid: 42\ndata: {\"seq\":42}\n\n"]);
        assert_eq!(
            events,
            vec![SseEvent {
                event: "change".into(),
                id: Some("42".into()),
                data: "{\"seq\":42}".into()
            }],
            "one complete event is dispatched at the blank line"
        );
    }

    #[test]
    fn b2_events_split_across_chunks_anywhere_are_reassembled() {
        let whole = "event: change\r\nid: 7\r\ndata: caf\u{e9} \u{1f6cd}\r\n\r\nevent: change\nid: 8\ndata: second\n\n";
        let bytes = whole.as_bytes();
        for split in 1..bytes.len() {
            let (a, b) = bytes.split_at(split);
            let events = parse_all(&[a, b]);
            assert_eq!(
                events.len(),
                2,
                "split at byte {split} still yields both events"
            );
            assert_eq!(
                events[0].data, "caf\u{e9} \u{1f6cd}",
                "split at byte {split} keeps UTF-8 intact"
            );
            assert_eq!(
                events[1].id.as_deref(),
                Some("8"),
                "split at byte {split} keeps the second id"
            );
        }
        let byte_by_byte: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(
            parse_all(&byte_by_byte).len(),
            2,
            "one byte at a time works too"
        );
    }

    #[test]
    fn b2_comments_and_keep_alives_dispatch_nothing() {
        let events = parse_all(&[b": keep-alive\n\n:\n\n"]);
        assert!(
            events.is_empty(),
            "comment lines and blank lines without data are not events"
        );
    }

    #[test]
    fn b2_multi_line_data_is_joined_and_unnamed_events_are_messages() {
        let events = parse_all(&[b"data: first\ndata:second\ndata\n\n"]);
        assert_eq!(events.len(), 1, "one event");
        assert_eq!(
            events[0].data, "first\nsecond\n",
            "data lines join with newlines, one leading space dropped"
        );
        assert_eq!(
            events[0].event, "message",
            "the default event name is message"
        );
        assert_eq!(events[0].id, None, "no id was sent");
    }

    #[test]
    fn b2_the_last_id_carries_over_and_an_unfinished_event_waits() {
        let mut parser = SseParser::new();
        let first = parser.push(b"id: 5\ndata: a\n\ndata: b\n");
        assert_eq!(first.len(), 1, "the second event is not complete yet");
        let second = parser.push(b"\n");
        assert_eq!(
            second[0].id.as_deref(),
            Some("5"),
            "the last event id persists"
        );
        assert_eq!(
            second[0].data, "b",
            "the waiting event completes at the blank line"
        );
    }

    #[test]
    fn b2_lone_carriage_returns_end_lines() {
        let events = parse_all(&[b"event: change\rdata: x\r\r"]);
        assert_eq!(events.len(), 1, "CR alone is a line ending");
        assert_eq!(
            events[0].event, "change",
            "the event name survives CR endings"
        );
    }
}
