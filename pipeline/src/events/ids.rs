//! Newtype identifiers. Each is validated once when decoded, so the rest of the code
//! never sees an empty, oversized or oddly-charactered id.
//!
//! Ids are shared text (`Arc<str>`): the engine keeps each id in several
//! indexes, and cloning one is a reference-count increment, not a heap copy.
//! Each id also carries a hash of its text, taken once when it is made: the
//! engine looks ids up in hash maps several times per event, and hashing the
//! text each time (reading it from wherever it lives on the heap) was a fifth
//! of its work.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Shared text with its hash ([`xxh3_64`](xxhash_rust::xxh3::xxh3_64) of the
/// bytes, the same in every process). Equal, ordered and shown as the text;
/// hashed as that number.
#[derive(Clone)]
struct SharedText {
    hash: u64,
    text: Arc<str>,
}

impl SharedText {
    fn new(text: &str) -> Self {
        Self {
            hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
            text: Arc::from(text),
        }
    }
}

impl PartialEq for SharedText {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.text == other.text
    }
}

impl Eq for SharedText {}

impl PartialOrd for SharedText {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedText {
    fn cmp(&self, other: &Self) -> Ordering {
        self.text.cmp(&other.text)
    }
}

impl Hash for SharedText {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.text, f)
    }
}

impl Serialize for SharedText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// Longest id the pipeline accepts (DMS ids, UUIDs and ULIDs all fit).
pub const MAX_ID_LEN: usize = 64;

/// Why an id was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The id was the empty string.
    #[error("must not be empty")]
    Empty,
    /// The id was longer than `MAX_ID_LEN` (64) characters.
    #[error("longer than {MAX_ID_LEN} characters")]
    TooLong,
    /// The id held a character outside `A-Z a-z 0-9 - _ . :`.
    #[error("character {0:?} is not allowed (use A-Z a-z 0-9 - _ . :)")]
    BadChar(char),
    /// A VIN that is not 17 characters of `A-H J-N P R-Z 0-9`.
    #[error("a VIN is 17 characters of A-H J-N P R-Z 0-9 (no I, O or Q)")]
    BadVin,
}

fn check_plain_id(s: &str) -> Result<(), IdError> {
    if s.is_empty() {
        return Err(IdError::Empty);
    }
    if s.len() > MAX_ID_LEN {
        return Err(IdError::TooLong);
    }
    match s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
    {
        Some(c) => Err(IdError::BadChar(c)),
        None => Ok(()),
    }
}

macro_rules! plain_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(SharedText);

        impl $name {
            /// Validates and wraps an id.
            pub fn new(s: impl AsRef<str>) -> Result<Self, IdError> {
                let s = s.as_ref();
                check_plain_id(s)?;
                Ok(Self(SharedText::new(s)))
            }
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0.text
            }
            /// An id that sorts before every valid one (it is empty, which no
            /// valid id is): a bound for range queries over keys that hold an
            /// id, never an id of anything.
            pub fn before_all() -> Self {
                Self(SharedText::new(""))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::new(&s).map_err(|e| {
                    serde::de::Error::custom(format!("invalid {} {s:?}: {e}", stringify!($name)))
                })
            }
        }
    };
}

plain_id!(
    /// Unique id of one event (UUID, ULID or a DMS sequence); the dedup key.
    EventId
);

plain_id!(
    /// A workshop (one dealer site's service workshop); the Kafka message key.
    WorkshopId
);
plain_id!(
    /// A repair order (工单), unique within its workshop.
    RepairOrderId
);
plain_id!(
    /// A job (labour operation line) on a repair order.
    JobId
);
plain_id!(
    /// A work bay (工位).
    BayId
);
plain_id!(
    /// A technician (维修技师).
    TechnicianId
);
plain_id!(
    /// A service advisor (服务顾问).
    AdvisorId
);
plain_id!(
    /// An appointment (预约).
    AppointmentId
);
plain_id!(
    /// An invoice number on a settlement.
    InvoiceNo
);

/// A vehicle identification number: 17 characters, no I, O or Q (ISO 3779).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Vin(SharedText);

impl Vin {
    /// Validates and wraps a VIN.
    pub fn new(s: impl AsRef<str>) -> Result<Self, IdError> {
        let s = s.as_ref();
        let ok = s.len() == 17
            && s.chars().all(|c| {
                c.is_ascii_digit() || (c.is_ascii_uppercase() && !matches!(c, 'I' | 'O' | 'Q'))
            });
        if ok {
            Ok(Self(SharedText::new(s)))
        } else {
            Err(IdError::BadVin)
        }
    }
    /// The VIN as text.
    pub fn as_str(&self) -> &str {
        &self.0.text
    }
}

impl<'de> Deserialize<'de> for Vin {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::new(s.as_str())
            .map_err(|e| serde::de::Error::custom(format!("invalid Vin {s:?}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_accept_dms_uuid_and_ulid_forms() {
        for ok in ["W001", "RO-2026-000123", "01JD3ZQ5M7X9", "a.b:c_d"] {
            assert!(WorkshopId::new(ok).is_ok(), "{ok}");
        }
        assert_eq!(WorkshopId::new(""), Err(IdError::Empty));
        assert_eq!(WorkshopId::new("x".repeat(65)), Err(IdError::TooLong));
        assert_eq!(WorkshopId::new("W 1"), Err(IdError::BadChar(' ')));
    }

    #[test]
    fn ids_equal_order_show_and_serialise_as_their_text() {
        let [a, b] = ["RO-2", "RO-10"].map(|s| RepairOrderId::new(s).expect("id"));
        assert_eq!(a, RepairOrderId::new("RO-2").expect("id"));
        assert_ne!(a, b);
        assert!(b < a, "text order, not hash order");
        assert_eq!(format!("{a:?} {a}"), r#"RepairOrderId("RO-2") RO-2"#);
        assert_eq!(serde_json::to_string(&a).expect("json"), r#""RO-2""#);
        use std::hash::BuildHasher;
        let hash = |id: &RepairOrderId| foldhash::quality::FixedState::with_seed(7).hash_one(id);
        assert_eq!(hash(&a), hash(&RepairOrderId::new("RO-2").expect("id")));
        assert_ne!(hash(&a), hash(&b));
    }

    #[test]
    fn vins_are_seventeen_characters_without_i_o_q() {
        assert!(Vin::new("LSVAU2180N2123456").is_ok());
        assert_eq!(Vin::new("LSVAU2180N212345"), Err(IdError::BadVin));
        assert_eq!(Vin::new("LSVAU2180N212345O"), Err(IdError::BadVin));
        assert_eq!(Vin::new("lsvau2180n2123456"), Err(IdError::BadVin));
    }
}
