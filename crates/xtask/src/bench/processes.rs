//! What `/proc` says about a launched app and the processes it started (WebKit's web and
//! network processes): their memory and their CPU time. Memory is read two ways: the
//! proportional set size (PSS: pages shared with other processes count in part, so it
//! drops while another WebKit app runs on the machine) and the private memory (pages no
//! other process maps, which nothing else running changes).

use std::fs;
use std::process::Command;
use std::time::Duration;

/// One process of the launched tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    /// Its id.
    pub pid: u32,
    /// Its name (`/proc/<pid>/comm`, at most 15 bytes: `WebKitWebProces`).
    pub name: String,
}

impl Process {
    /// Whether this is WebKit's web process (the one that lays out and paints the page).
    pub fn is_web_process(&self) -> bool {
        self.name.starts_with("WebKitWebProces")
    }

    /// Its memory; `None` once it is gone.
    pub fn memory(&self) -> Option<Usage> {
        let rollup = fs::read_to_string(format!("/proc/{}/smaps_rollup", self.pid)).ok()?;
        Some(Usage {
            pss: rollup_bytes(&rollup, "Pss")?,
            private: rollup_bytes(&rollup, "Private_Clean")?
                + rollup_bytes(&rollup, "Private_Dirty")?,
        })
    }

    /// The CPU time it used so far, user and system; `None` once it is gone.
    pub fn cpu_time(&self, ticks_per_second: u64) -> Option<Duration> {
        let stat = fs::read_to_string(format!("/proc/{}/stat", self.pid)).ok()?;
        let ticks = cpu_ticks(&stat)?;
        Some(Duration::from_secs_f64(
            ticks as f64 / ticks_per_second.max(1) as f64,
        ))
    }
}

/// Memory of one or more processes, in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Usage {
    /// Proportional set size.
    pub pss: u64,
    /// Private clean and dirty pages.
    pub private: u64,
}

impl std::ops::AddAssign for Usage {
    fn add_assign(&mut self, other: Self) {
        self.pss += other.pss;
        self.private += other.private;
    }
}

/// `root` and every process below it, `root` first.
pub fn tree(root: u32) -> Vec<Process> {
    let mut all = Vec::new();
    if let Ok(entries) = fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            let Some(parent) = fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| parent_pid(&stat))
            else {
                continue;
            };
            all.push((pid, parent));
        }
    }
    let mut found = vec![root];
    let mut next = 0;
    while next < found.len() {
        let parent = found[next];
        found.extend(
            all.iter()
                .filter(|(_, p)| *p == parent)
                .map(|(pid, _)| *pid),
        );
        next += 1;
    }
    found
        .into_iter()
        .map(|pid| Process {
            pid,
            name: fs::read_to_string(format!("/proc/{pid}/comm"))
                .map(|name| name.trim().to_owned())
                .unwrap_or_default(),
        })
        .collect()
}

/// The clock ticks per second `/proc/<pid>/stat` counts in (`getconf CLK_TCK`; 100, the
/// Linux default, when that cannot be asked).
pub fn ticks_per_second() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(100)
}

/// The fields of a `/proc/<pid>/stat` line after the name in parentheses (which may itself
/// hold spaces and parentheses), the first being the state (field 3).
fn fields_after_name(stat: &str) -> Option<Vec<&str>> {
    let (_, rest) = stat.rsplit_once(')')?;
    Some(rest.split_whitespace().collect())
}

/// Field 4 of `/proc/<pid>/stat`: the parent's id.
fn parent_pid(stat: &str) -> Option<u32> {
    fields_after_name(stat)?.get(1)?.parse().ok()
}

/// Fields 14 and 15 of `/proc/<pid>/stat`: user and system time, in clock ticks.
fn cpu_ticks(stat: &str) -> Option<u64> {
    let fields = fields_after_name(stat)?;
    let user: u64 = fields.get(11)?.parse().ok()?;
    let system: u64 = fields.get(12)?.parse().ok()?;
    Some(user + system)
}

/// The `<field>:` line of `/proc/<pid>/smaps_rollup`, in bytes.
fn rollup_bytes(rollup: &str, field: &str) -> Option<u64> {
    rollup.lines().find_map(|line| {
        let kilobytes = line
            .strip_prefix(field)?
            .strip_prefix(':')?
            .trim()
            .strip_suffix("kB")?;
        kilobytes.trim().parse::<u64>().ok().map(|kb| kb * 1024)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const STAT: &str = "4242 (WebKitWebProces) S 4200 4200 4200 0 -1 4194560 9000 0 3 0 \
        150 37 0 0 20 0 12 0 5000 900000000 30000 18446744073709551615";

    #[test]
    fn the_parent_and_the_cpu_ticks_are_read_after_the_name() {
        assert_eq!(parent_pid(STAT), Some(4200), "field 4 is the parent");
        assert_eq!(cpu_ticks(STAT), Some(187), "user 150 + system 37 ticks");
        let odd = "7 (a) b (c)) R 1 7 7 0 -1 0 0 0 0 0 5 6 0 0";
        assert_eq!(
            parent_pid(odd),
            Some(1),
            "a name with spaces and parentheses is skipped whole"
        );
        assert_eq!(cpu_ticks(odd), Some(11), "5 + 6 ticks after an odd name");
    }

    #[test]
    fn a_rollup_field_is_read_in_bytes() {
        let rollup = "00400000-7ffd [rollup]\nRss:              204800 kB\nPss:              150016 kB\nPss_Anon: 1 kB\nPrivate_Clean: 3 kB\n";
        assert_eq!(
            rollup_bytes(rollup, "Pss"),
            Some(150_016 * 1024),
            "the Pss line, not Pss_Anon or Rss"
        );
        assert_eq!(
            rollup_bytes(rollup, "Private_Clean"),
            Some(3 * 1024),
            "any field by its name"
        );
        assert_eq!(
            rollup_bytes("Rss: 1 kB\n", "Pss"),
            None,
            "no Pss line, no size"
        );
    }
}
