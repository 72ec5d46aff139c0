//! What the app keeps of the signed-in staff member's follow-up tasks (B3) between screens:
//! every tab's count, for the Tasks section's badge, and a revision that moves whenever
//! the tasks changed (here, on another device, or events were lost), which the Tasks
//! screen and the badge reload on.

use clienteling_domain::task::TaskCounts;

/// The tasks' shared state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskState {
    /// Moves on every change of the tasks.
    pub revision: u32,
    /// The counts last read.
    pub counts: TaskCounts,
}

impl TaskState {
    /// The tasks changed: whatever shows them reads them again.
    pub fn changed(&mut self) {
        self.revision = self.revision.wrapping_add(1);
    }
}
