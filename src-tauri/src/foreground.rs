//! The last time the app was in the foreground (M12), which decides what a catch-up
//! notifies: messages written before it were there to read in the app, later ones were not.
//! It is the moment the window last lost the focus (the app was paused, on mobile) or went
//! away, kept in a small file of the data folder so it survives a restart: what arrived
//! while the app was closed is newer, and is summarised on the next start.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use clienteling_domain::Timestamp;

/// Name of the file, in the data folder, holding the time in milliseconds.
const FILE_NAME: &str = "last-foreground";

/// The last time the app was in the foreground, as kept on disk.
#[derive(Debug)]
pub struct Foreground {
    path: PathBuf,
    last: Mutex<Option<Timestamp>>,
}

impl Foreground {
    /// Reads the time kept in `data_dir`; none when the app was never in the foreground
    /// there (or the file is unreadable, which is logged).
    pub fn load(data_dir: &Path) -> Self {
        let path = data_dir.join(FILE_NAME);
        let last = match std::fs::read_to_string(&path) {
            Ok(text) => match text.trim().parse::<i64>() {
                Ok(millis) => Some(Timestamp(millis)),
                Err(error) => {
                    tracing::warn!(%error, path = %path.display(), "the last foreground time is unreadable");
                    None
                }
            },
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => {
                tracing::warn!(%error, path = %path.display(), "could not read the last foreground time");
                None
            }
        };
        Self {
            path,
            last: Mutex::new(last),
        }
    }

    /// The last time the app was in the foreground, if ever.
    pub fn last(&self) -> Option<Timestamp> {
        *self.last.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The app leaves the foreground at `now`: remembers it here and on disk (written to a
    /// side file and renamed, so a crash never leaves half a number). Time never goes back:
    /// an earlier `now` than the one kept is ignored.
    pub fn leave(&self, now: Timestamp) {
        {
            let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
            if last.is_some_and(|kept| kept >= now) {
                return;
            }
            *last = Some(now);
        }
        let side = self.path.with_extension("new");
        let written = std::fs::write(&side, now.millis().to_string())
            .and_then(|()| std::fs::rename(&side, &self.path));
        if let Err(error) = written {
            tracing::warn!(%error, path = %self.path.display(), "could not keep the last foreground time");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m12_the_last_foreground_time_survives_a_restart() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let first = Foreground::load(dir.path());
        assert_eq!(
            first.last(),
            None,
            "a fresh install was never in the foreground"
        );
        first.leave(Timestamp(1_000));
        first.leave(Timestamp(500));
        assert_eq!(
            first.last(),
            Some(Timestamp(1_000)),
            "an earlier time never replaces a later one"
        );
        let restarted = Foreground::load(dir.path());
        assert_eq!(
            restarted.last(),
            Some(Timestamp(1_000)),
            "the next run knows when the app was last in the foreground"
        );
    }

    #[test]
    fn m12_an_unreadable_file_counts_as_never_in_the_foreground() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(dir.path().join(FILE_NAME), "not a number").expect("written");
        assert_eq!(
            Foreground::load(dir.path()).last(),
            None,
            "so every new message may notify rather than none"
        );
    }
}
