//! A bounded memory of what the server checked once, by a SHA-256 of what was checked (never the
//! thing itself, which may hold personal data): verified tokens (`auth`) and requests that passed
//! validation (`http`). It holds at most [`MAX`] entries and is emptied when full, so a flood
//! of new keys costs checks, never memory.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// How many entries a memory holds at most.
pub const MAX: usize = 4_096;

/// Values by a SHA-256.
pub struct Geheugen<V> {
    kaart: Mutex<HashMap<[u8; 32], V>>,
}

impl<V> Default for Geheugen<V> {
    fn default() -> Self {
        Self {
            kaart: Mutex::default(),
        }
    }
}

impl<V: Clone> Geheugen<V> {
    fn kaart(&self) -> MutexGuard<'_, HashMap<[u8; 32], V>> {
        // A panic elsewhere while holding the lock leaves a map that is still whole.
        self.kaart.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What is remembered under `sleutel`.
    pub fn get(&self, sleutel: &[u8; 32]) -> Option<V> {
        self.kaart().get(sleutel).cloned()
    }

    /// Remembers `waarde` under `sleutel`; empties the memory first when it is full.
    pub fn remember(&self, sleutel: [u8; 32], waarde: V) {
        let mut kaart = self.kaart();
        if kaart.len() >= MAX {
            kaart.clear();
        }
        kaart.insert(sleutel, waarde);
    }

    /// Forgets `sleutel`.
    pub fn forget(&self, sleutel: &[u8; 32]) {
        self.kaart().remove(sleutel);
    }

    /// How many entries are remembered.
    pub fn len(&self) -> usize {
        self.kaart().len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.kaart().is_empty()
    }
}
