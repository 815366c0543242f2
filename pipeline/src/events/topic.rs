//! The three source topics. Names carry an optional prefix so that tests and
//! several environments can share one broker.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A source topic, by what it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// `workshop.repair-orders`: appointments, the RO lifecycle, day closes.
    RepairOrders,
    /// `workshop.bays`: bay occupancy and service state.
    Bays,
    /// `workshop.clock`: technician shift and job clocking.
    Clock,
}

impl Topic {
    /// All source topics.
    pub const ALL: [Topic; 3] = [Topic::RepairOrders, Topic::Bays, Topic::Clock];

    /// The topic's base name, without prefix.
    pub fn base_name(self) -> &'static str {
        match self {
            Topic::RepairOrders => "workshop.repair-orders",
            Topic::Bays => "workshop.bays",
            Topic::Clock => "workshop.clock",
        }
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.base_name())
    }
}

/// Topic names as configured: the three sources and the dead-letter topic, each
/// with the same prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicNames {
    prefix: String,
}

impl TopicNames {
    /// Names with this prefix (may be empty); a non-empty prefix is joined with `.`.
    pub fn new(prefix: &str) -> Self {
        Self {
            prefix: if prefix.is_empty() {
                String::new()
            } else {
                format!("{prefix}.")
            },
        }
    }

    /// The full name of a source topic.
    pub fn source(&self, topic: Topic) -> String {
        format!("{}{}", self.prefix, topic.base_name())
    }

    /// The full name of the dead-letter topic.
    pub fn dead_letters(&self) -> String {
        format!("{}workshop.dead-letters", self.prefix)
    }

    /// The source topic a full name refers to, if any.
    pub fn parse_source(&self, name: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| self.source(*t) == name)
    }

    /// Every topic the pipeline needs: three sources, then the dead-letter topic.
    pub fn all(&self) -> Vec<String> {
        let mut names: Vec<String> = Topic::ALL.iter().map(|t| self.source(*t)).collect();
        names.push(self.dead_letters());
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixed_names_round_trip() {
        let names = TopicNames::new("e2e-1");
        assert_eq!(names.source(Topic::Bays), "e2e-1.workshop.bays");
        assert_eq!(
            names.parse_source("e2e-1.workshop.clock"),
            Some(Topic::Clock)
        );
        assert_eq!(names.parse_source("workshop.clock"), None);
        assert_eq!(TopicNames::new("").dead_letters(), "workshop.dead-letters");
    }
}
